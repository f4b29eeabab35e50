"""A person's view, in Chromium: sign in through the emulator, chat, stop, stay safe."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from tests.e2e.conftest import auth_cookie
from tools.devstack.emulator_sign_in import sign_in_on_emulator_form
from tools.mock_openai.control import MockControl

pytestmark = pytest.mark.e2e


def _signed_in_page(context: BrowserContext, swa_root: str, roles: list[str]) -> Page:
    context.add_cookies(
        [{"name": "StaticWebAppsAuthCookie", "value": auth_cookie(roles), "url": swa_root}]
    )
    page = context.new_page()
    page.goto(swa_root + "/")
    return page


def _send(page: Page, text: str) -> None:
    box = page.get_by_label("Message", exact=True)
    box.fill(text)
    box.press("Enter")


def test_invited_user_signs_in_through_the_emulator_and_chats(
    context: BrowserContext, swa_root: str, mock: MockControl
) -> None:
    page = context.new_page()
    page.goto(swa_root + "/")
    expect(page).to_have_url(re.compile(r"/login\.html"))
    # ASCII name: the emulator's form encodes its cookie with btoa(), which mangles
    # non-ASCII names (UTF-8 names are tested with a correctly encoded cookie).
    sign_in_on_emulator_form(page, "Zoe Example", ("invited",))
    expect(page).to_have_url(re.compile(r":\d+/(\?.*)?$"))
    expect(page.get_by_text("Zoe Example")).to_be_visible()

    mock.queue({"reply": "markdown", "tokens_per_second": 150})
    _send(page, "Show me something rich")
    user = page.locator('article[data-role="user"]').last
    expect(user).to_contain_text("Show me something rich")
    answer = page.locator('article[data-role="assistant"]').last
    expect(answer).to_have_attribute("data-status", "streaming")
    early = len(answer.inner_text())
    expect(answer).to_have_attribute("data-status", "complete", timeout=20_000)
    assert len(answer.inner_text()) > early, "the answer should grow while it streams"
    expect(answer.locator("table")).to_have_count(1)
    expect(answer.locator("pre code").first).to_be_visible()


def test_uninvited_user_is_told_they_are_not_invited(
    context: BrowserContext, swa_root: str, mock: MockControl
) -> None:
    # The emulator sends a signed-in user without the role to the sign-in page, which
    # sees (from /.auth/me) that they are signed in and forwards them.
    page = _signed_in_page(context, swa_root, roles=[])
    expect(page).to_have_url(re.compile(r"/unauthorized\.html"))
    expect(page.get_by_text(re.compile("not (been )?invited", re.IGNORECASE))).to_be_visible()
    assert mock.requests() == []


def test_stop_keeps_the_partial_answer_and_cancels_the_model(
    context: BrowserContext, swa_root: str, mock: MockControl
) -> None:
    page = _signed_in_page(context, swa_root, roles=["invited"])
    mock.queue({"reply": "markdown", "tokens_per_second": 20})
    _send(page, "Write a long answer")
    answer = page.locator('article[data-role="assistant"]').last
    expect(answer).to_contain_text(re.compile(r"\w+ \w+"))
    page.get_by_role("button", name="Stop").click()
    expect(answer).to_have_attribute("data-status", "stopped")
    kept = answer.inner_text()
    assert kept.strip()
    page.wait_for_timeout(500)
    assert answer.inner_text() == kept, "nothing may arrive after Stop"
    # That the model call is cancelled too is proven against the API directly
    # (tests/api): the SWA CLI emulator's proxy does not pass the disconnect on.


def test_model_output_cannot_run_script(
    context: BrowserContext, swa_root: str, mock: MockControl
) -> None:
    payload = (
        'Look: <img src="x" onerror="window.__xss=1"> <script>window.__xss=2</script> '
        "[click me](javascript:window.__xss=3) ![remote](https://evil.example/t.png) "
        '<a href="javascript:window.__xss=4">a</a> <iframe src="/"></iframe> done'
    )
    page = _signed_in_page(context, swa_root, roles=["invited"])
    mock.queue({"reply": "text", "text": payload})
    _send(page, "Say something nasty")
    answer = page.locator('article[data-role="assistant"]').last
    expect(answer).to_have_attribute("data-status", "complete")
    expect(answer).to_contain_text("done")
    for link in answer.locator("a").all():
        assert not (link.get_attribute("href") or "").lower().startswith("javascript:")
    assert answer.locator("script, iframe, [onerror]").count() == 0
    assert answer.locator('img[src^="https://evil"]').count() == 0
    assert page.evaluate("window.__xss") is None


def test_a_refused_message_is_kept_with_a_plain_error_and_retry(
    context: BrowserContext, swa_root: str, mock: MockControl
) -> None:
    page = _signed_in_page(context, swa_root, roles=["invited"])
    mock.queue({"fault": "prompt_filter"}, {"reply": "text", "text": "Second time lucky."})
    _send(page, "A message the filter dislikes")
    expect(page.locator('article[data-role="user"]').last).to_contain_text(
        "A message the filter dislikes"
    )
    expect(page.get_by_text(re.compile("content filter", re.IGNORECASE))).to_be_visible()
    page.get_by_role("button", name="Retry").click()
    expect(page.locator('article[data-role="assistant"]').last).to_contain_text(
        "Second time lucky."
    )


def test_the_organisations_usage_note_is_shown_with_its_link(
    context: BrowserContext, swa_root: str, mock: MockControl
) -> None:
    page = _signed_in_page(context, swa_root, ["invited"])
    note = page.get_by_role("region", name="Usage note")
    expect(note).to_contain_text("For work only: no customer data.")
    expect(note.get_by_role("link", name="https://intranet.example/ai-policy")).to_have_attribute(
        "rel", "noopener noreferrer"
    )
    # Line breaks as the admin wrote them: two lines, not one.
    assert note.inner_text().strip().count("\n") == 1

    mock.queue({"reply": "text", "text": "Noted."})
    _send(page, "hello")
    expect(note).to_be_hidden()
    page.get_by_role("button", name="Usage note").click()
    dialog = page.get_by_role("dialog", name="Usage note")
    expect(dialog).to_contain_text("For work only: no customer data.")
    page.keyboard.press("Escape")
    expect(page.get_by_role("button", name="Usage note")).to_be_focused()


def test_your_usage_opens_from_the_sidebar_and_admins_find_their_page(
    context: BrowserContext, swa_root: str, mock: MockControl
) -> None:
    page = _signed_in_page(context, swa_root, ["invited"])
    sidebar = page.get_by_role("navigation", name="Conversations").locator("xpath=..")
    mock.queue({"reply": "text", "text": "Counted."})
    _send(page, "count this")
    expect(page.locator('article[data-role="assistant"]').last).to_have_attribute(
        "data-status", "complete", timeout=20_000
    )
    expect(page.get_by_role("link", name="Admin")).to_be_hidden()
    sidebar.get_by_role("button", name="Your usage").click()
    dialog = page.get_by_role("dialog", name="Your usage")
    expect(dialog).to_contain_text("Today")
    expect(dialog).to_contain_text("This month")
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()

    admin = context.browser.new_context() if context.browser is not None else None
    assert admin is not None
    try:
        admin.add_cookies(
            [
                {
                    "name": "StaticWebAppsAuthCookie",
                    "value": auth_cookie(["invited", "admin"], user_id="e2e-admin"),
                    "url": swa_root,
                }
            ]
        )
        admin_page = admin.new_page()
        admin_page.goto(swa_root + "/")
        admin_page.get_by_role("link", name="Admin").click()
        expect(admin_page).to_have_url(re.compile(r"/admin"))
        expect(admin_page.get_by_role("heading", level=1)).to_be_visible()
    finally:
        admin.close()


def test_the_theme_switch_overrides_the_systems_scheme_and_is_kept(
    browser: Browser, swa_root: str
) -> None:
    context = browser.new_context(color_scheme="light")
    try:
        page = _signed_in_page(context, swa_root, ["invited"])
        expect(page.get_by_label("Message", exact=True)).to_be_visible()

        def background() -> str:
            return str(page.evaluate("getComputedStyle(document.body).backgroundColor"))

        assert background() == "rgb(255, 255, 255)"
        page.get_by_role("button", name="Theme").click()
        page.get_by_role("menuitemradio", name="Dark").click()
        assert background() == "rgb(19, 20, 23)"
        page.reload()
        expect(page.get_by_label("Message", exact=True)).to_be_visible()
        assert background() == "rgb(19, 20, 23)", "the choice is remembered"
    finally:
        context.close()
