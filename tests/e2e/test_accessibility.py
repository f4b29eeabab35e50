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


def test_assistant_picker_gallery_and_form(
    styled_context: BrowserContext, swa_root: str, mock: MockControl
) -> None:
    tag = uuid.uuid4().hex[:6]
    cookie = auth_cookie(["invited", "admin"], user_id=uuid.uuid4().hex, name=f"a11y-{tag}")
    styled_context.add_cookies(
        [{"name": "StaticWebAppsAuthCookie", "value": cookie, "url": swa_root}]
    )
    page = styled_context.new_page()
    page.goto(swa_root + "/")
    expect(page.get_by_label("Message", exact=True)).to_be_visible()
    created = page.request.post(
        swa_root + "/api/assistants",
        data={"name": f"Helper {tag}", "description": "Helps", "starters": ["Help me"]},
    )
    assert created.status == 201

    # The picker, with an active option, then the chosen persona's suggestions.
    page.get_by_role("button", name="Start with a persona or assistant…").click()
    search = page.get_by_role("combobox", name="Search personas and assistants")
    expect(page.get_by_role("option").first).to_be_visible()
    search.fill("edit")
    expect(page.get_by_role("option").first).to_have_attribute("aria-selected", "true")
    assert _serious_violations(page) == []
    search.press("Enter")
    expect(page.get_by_role("list", name="Suggestions")).to_be_visible()
    assert _serious_violations(page) == []

    # The gallery (reached through the drawer on phones), a card's menu open.
    if page.viewport_size is not None and page.viewport_size["width"] < 600:
        page.get_by_role("button", name="Conversations").click()
    page.get_by_role("button", name="Assistants", exact=True).click()
    gallery = page.get_by_role("dialog", name="Assistants")
    gallery.get_by_role("tab", name="Mine").click()
    gallery.get_by_role("button", name=f"More actions for Helper {tag}").click()
    expect(page.get_by_role("menuitem", name="Delete")).to_be_visible()
    assert _serious_violations(page) == []
    page.keyboard.press("Escape")

    # The form, with a field error showing and an answer in "Try it".
    gallery.get_by_role("button", name="New assistant").click()
    form = page.get_by_role("dialog", name="New assistant")
    form.get_by_role("button", name="Create assistant").click()
    expect(form.get_by_label("Name", exact=True)).to_have_attribute("aria-invalid", "true")
    mock.queue({"reply": "markdown"})
    trial = form.get_by_role("region", name="Try it")
    trial.get_by_label("Message to try").fill("Show me everything")
    trial.get_by_role("button", name="Send").click()
    expect(trial.locator('article[data-role="assistant"]')).to_have_attribute(
        "data-status", "complete", timeout=20_000
    )
    assert _serious_violations(page) == []


def test_admin_page_with_a_report_a_field_error_and_a_confirmation(
    styled_context: BrowserContext, swa_root: str, mock: MockControl
) -> None:
    tag = uuid.uuid4().hex[:6]
    cookie = auth_cookie(["invited", "admin"], user_id=uuid.uuid4().hex, name=f"a11y-admin-{tag}")
    styled_context.add_cookies(
        [{"name": "StaticWebAppsAuthCookie", "value": cookie, "url": swa_root}]
    )
    page = styled_context.new_page()
    page.goto(swa_root + "/admin")
    # A chat of the admin's own, so the report has a row, then the report again.
    mock.queue({"reply": "text", "text": "Counted."})
    asked = page.request.post(
        swa_root + "/api/chat",
        data={"temporary": True, "messages": [{"role": "user", "content": "Count me"}]},
    )
    assert asked.status == 200
    page.get_by_role("button", name="Show usage").click()
    expect(page.get_by_role("button", name=f"Set limits for a11y-admin-{tag}")).to_be_visible()
    page.get_by_text("Show the days as a table").click()
    expect(page.get_by_role("table", name="Usage by day, in numbers")).to_be_visible()
    assert _serious_violations(page) == []

    # The override form with its errors showing, then saved; the confirmation to clear it.
    page.get_by_role("button", name=f"Set limits for a11y-admin-{tag}").click()
    form = page.get_by_role("dialog", name=f"Limits for a11y-admin-{tag}")
    form.get_by_label("Requests per minute").fill("none")
    form.get_by_role("button", name="Save limits").click()
    expect(form.get_by_label("Requests per minute")).to_have_attribute("aria-invalid", "true")
    assert _serious_violations(page) == []
    form.get_by_label("Requests per minute").fill("50")
    form.get_by_role("button", name="Save limits").click()
    limits = page.get_by_role("table", name="Users with limits of their own")
    clear = limits.get_by_role("button", name=f"Clear limits of a11y-admin-{tag}")
    clear.click()
    expect(page.get_by_role("dialog", name="Clear these limits?")).to_be_visible()
    assert _serious_violations(page) == []
    page.get_by_role("button", name="Clear limits", exact=True).click()
    expect(clear).to_have_count(0)
