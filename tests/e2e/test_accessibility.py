"""axe-core on every screen, light and dark, desktop and phone: no serious or critical issue."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from tests.e2e.conftest import auth_cookie
from tools.devstack.processes import REPO_ROOT
from tools.mock_openai.control import MockControl

pytestmark = pytest.mark.e2e

AXE = REPO_ROOT / "node_modules" / "axe-core" / "axe.min.js"
VIEWPORTS = {"desktop": {"width": 1280, "height": 800}, "phone": {"width": 360, "height": 740}}


@pytest.fixture(
    params=[(v, s) for v in VIEWPORTS for s in ("light", "dark")], ids=lambda p: f"{p[0]}-{p[1]}"
)
def styled_context(browser: Browser, request: pytest.FixtureRequest) -> Iterator[BrowserContext]:
    viewport, scheme = request.param
    # bypass_csp: axe is injected as a script, which the app's CSP (rightly) forbids.
    context = browser.new_context(
        viewport=VIEWPORTS[viewport],  # type: ignore[arg-type]
        color_scheme=scheme,
        bypass_csp=True,
    )
    yield context
    context.close()


def _serious_violations(page: Page) -> list[dict[str, Any]]:
    page.add_script_tag(path=str(AXE))
    result: dict[str, Any] = page.evaluate(
        "async () => await axe.run(document, {resultTypes: ['violations']})"
    )
    return [
        {"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"][:3]]}
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def test_sign_in_and_not_invited_pages(styled_context: BrowserContext, swa_root: str) -> None:
    page = styled_context.new_page()
    page.goto(swa_root + "/login.html")
    assert _serious_violations(page) == []
    cookie = auth_cookie([], user_id=uuid.uuid4().hex)
    styled_context.add_cookies(
        [{"name": "StaticWebAppsAuthCookie", "value": cookie, "url": swa_root}]
    )
    page.goto(swa_root + "/unauthorized.html")
    expect(page.locator("#signed-in-as")).to_be_visible()
    assert _serious_violations(page) == []


def test_chat_screen_empty_and_with_an_answer_and_an_error(
    styled_context: BrowserContext, swa_root: str, mock: MockControl
) -> None:
    cookie = auth_cookie(["invited"], user_id=uuid.uuid4().hex)
    styled_context.add_cookies(
        [{"name": "StaticWebAppsAuthCookie", "value": cookie, "url": swa_root}]
    )
    page = styled_context.new_page()
    page.goto(swa_root + "/")
    expect(page.get_by_label("Message", exact=True)).to_be_visible()
    assert _serious_violations(page) == []

    mock.queue(
        {"reply": "markdown"},
        {"reply": "text", "text": "A rich answer"},
        {"fault": "rate_limit", "retry_after": 30},
    )
    for text in ("Show me everything", "And again"):
        box = page.get_by_label("Message", exact=True)
        box.fill(text)
        box.press("Enter")
        expect(page.locator('article[data-role="assistant"]').last).not_to_have_attribute(
            "data-status", "streaming", timeout=20_000
        )
    expect(page.locator(".message__error")).to_be_visible()
    assert _serious_violations(page) == []

    # The dialogs: chat settings (with a field error showing) and an open message editor.
    page.get_by_role("button", name="Chat settings").click()
    dialog = page.get_by_role("dialog", name="Chat settings")
    dialog.get_by_label("Temperature").fill("9")
    dialog.get_by_role("button", name="Save").click()
    expect(dialog.get_by_label("Temperature")).to_have_attribute("aria-invalid", "true")
    assert _serious_violations(page) == []
    page.keyboard.press("Escape")
    page.locator('article[data-role="user"]').first.get_by_role(
        "button", name="Edit message"
    ).click()
    expect(page.get_by_label("Edit your message")).to_be_focused()
    assert _serious_violations(page) == []
