"""Screenshots of the main screens for the README: `python -m tools.screenshots`.

Needs the local stack running (`./scripts/dev`) and Chromium. Signs in through the SWA
emulator's form like a person, asks the mock model for its Markdown sample, and saves
light and dark, desktop and phone views in docs/screenshots/; on desktop also the chat
settings, the persona picker, the assistant gallery and the admin page.
"""

from __future__ import annotations

import os
import re

from playwright.sync_api import Page, sync_playwright

from tools.devstack.emulator_sign_in import sign_in_on_emulator_form
from tools.devstack.processes import REPO_ROOT

ROOT = "http://127.0.0.1:4280"
OUT = REPO_ROOT / "docs" / "screenshots"
VIEWPORTS = {"desktop": {"width": 1280, "height": 800}, "phone": {"width": 390, "height": 844}}


def _sign_in(page: Page) -> None:
    page.goto(ROOT + "/")
    # An admin too, so that the admin page can be shown.
    sign_in_on_emulator_form(page, "Zoe Example", ("invited", "admin"))
    page.wait_for_url(re.compile(r":4280/$"))


def _more_screens(page: Page, scheme: str) -> None:
    page.get_by_role("button", name="Chat settings").click()
    page.get_by_role("dialog", name="Chat settings").wait_for()
    page.screenshot(path=OUT / f"settings-desktop-{scheme}.png")
    page.keyboard.press("Escape")

    page.get_by_role("button", name="New chat").click()
    page.get_by_role("button", name=re.compile("Start with a persona")).click()
    page.get_by_role("combobox").fill("review")
    page.wait_for_timeout(300)
    page.screenshot(path=OUT / f"picker-desktop-{scheme}.png")
    # The first Escape may only clear the search.
    page.keyboard.press("Escape")
    page.keyboard.press("Escape")

    page.get_by_role("button", name="Assistants", exact=True).click()
    page.get_by_role("dialog").last.wait_for()
    page.wait_for_timeout(300)
    page.screenshot(path=OUT / f"assistants-desktop-{scheme}.png")
    page.keyboard.press("Escape")

    page.goto(ROOT + "/admin")
    page.get_by_role("heading", level=1).wait_for()
    page.wait_for_timeout(1000)
    page.screenshot(path=OUT / f"admin-desktop-{scheme}.png", full_page=True)


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"),
            args=[
                "--no-sandbox",
                "--disable-background-networking",
                "--disable-component-update",
                "--no-first-run",
            ],
        )
        for device, viewport in VIEWPORTS.items():
            for scheme in ("light", "dark"):
                context = browser.new_context(color_scheme=scheme, viewport=viewport)  # type: ignore[arg-type]
                context.route(re.compile(r"^https?://(?!127\.0\.0\.1)"), lambda r: r.abort())
                page = context.new_page()
                page.goto(ROOT + "/login.html")
                page.screenshot(path=OUT / f"sign-in-{device}-{scheme}.png")
                _sign_in(page)
                box = page.get_by_label("Message", exact=True)
                box.fill("Show me what you can do")
                box.press("Enter")
                page.locator('article[data-role="assistant"][data-status="complete"]').wait_for(
                    timeout=60_000
                )
                page.locator('article[data-role="assistant"] table').scroll_into_view_if_needed()
                page.screenshot(path=OUT / f"chat-{device}-{scheme}.png")
                if device == "desktop":
                    _more_screens(page, scheme)
                context.close()
        browser.close()


if __name__ == "__main__":
    main()
