"""The whole local stack for end-to-end tests: mock model → API → SWA emulator."""

from __future__ import annotations

import base64
import json
import os
import re
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect, sync_playwright

from tests.support.servers import running_swa_emulator

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="session")
def swa_root(api_root: str) -> Iterator[str]:
    with running_swa_emulator(api_root) as root:
        yield root


def auth_cookie(roles: list[str], user_id: str = "e2e-user", name: str = "Zoë") -> str:
    """SWA's auth cookie as the emulator reads it: base64 of the client principal."""
    principal = {
        "identityProvider": "aad",
        "userId": user_id,
        "userDetails": name,
        "userRoles": ["anonymous", "authenticated", *roles],
    }
    return base64.b64encode(json.dumps(principal).encode("utf-8")).decode("ascii")


def page_for_new_user(context: BrowserContext, swa_root: str, name: str = "E2E Tester") -> Page:
    """The chat screen for an invited user of their own: an empty history, whatever else ran."""
    cookie = auth_cookie(["invited"], user_id=uuid.uuid4().hex, name=name)
    context.add_cookies([{"name": "StaticWebAppsAuthCookie", "value": cookie, "url": swa_root}])
    page = context.new_page()
    page.goto(swa_root + "/")
    return page


def ask(page: Page, text: str) -> None:
    """Send `text` from the message box and wait until the answer is complete."""
    box = page.get_by_label("Message", exact=True)
    box.fill(text)
    box.press("Enter")
    expect(page.locator('article[data-role="assistant"]').last).to_have_attribute(
        "data-status", "complete", timeout=20_000
    )


def _chromium_path() -> str:
    path = os.environ.get("CHROMIUM_PATH") or "/usr/bin/chromium"
    if not Path(path).exists():
        pytest.fail(f"Chromium not found at {path}: scripts/test installs it, or set CHROMIUM_PATH")
    return path


# Module scope: Playwright's sync API keeps an event loop running in this thread while it
# is open, which would break any later test that starts its own loop.
@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=_chromium_path(),
            args=[
                "--no-sandbox",
                "--disable-background-networking",
                "--disable-component-update",
                "--no-first-run",
                "--disable-gpu",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def context(browser: Browser) -> Iterator[BrowserContext]:
    context = browser.new_context()
    # The emulator's sign-in page also asks a CDN for its stylesheet; nothing answers here.
    context.route(re.compile(r"^https?://(?!127\.0\.0\.1)"), lambda route: route.abort())
    yield context
    context.close()
