"""Saved conversations in the browser: they come back, they can be found, and they go."""

from __future__ import annotations

import re
import uuid

import httpx
import pytest
from playwright.sync_api import BrowserContext, Locator, Page, expect

from tests.e2e.conftest import ask, auth_cookie, page_for_new_user
from tools.mock_openai.control import MockControl

pytestmark = pytest.mark.e2e


def _sidebar(page: Page) -> Locator:
    return page.get_by_role("navigation", name="Conversations")


def test_a_chat_survives_a_reload_with_its_generated_title(
    context: BrowserContext,
    swa_root: str,
    mock: MockControl,
) -> None:
    page = page_for_new_user(context, swa_root, "History Tester")
    mock.queue(
        {"reply": "text", "text": "Bern is the federal city."},
        {"reply": "text", "text": "Swiss capital"},
    )
    ask(page, "What is the capital of Switzerland?")
    expect(page).to_have_url(re.compile(r"/c/[0-9a-f]+$"))
    item = _sidebar(page).get_by_role("link", name="Swiss capital")
    expect(item).to_be_visible()

    page.reload()
    expect(page.locator('article[data-role="user"]')).to_contain_text(
        "What is the capital of Switzerland?"
    )
    expect(page.locator('article[data-role="assistant"]')).to_contain_text(
        "Bern is the federal city."
    )
    expect(_sidebar(page).get_by_role("link", name="Swiss capital")).to_have_attribute(
        "aria-current", "page"
    )


def test_search_finds_a_chat_by_a_word_in_its_answer(
    context: BrowserContext,
    swa_root: str,
    mock: MockControl,
) -> None:
    page = page_for_new_user(context, swa_root, "History Tester")
    mock.queue(
        {"reply": "text", "text": "The quokka lives on Rottnest Island."},
        {"reply": "text", "text": "Happy marsupial"},
    )
    ask(page, "Which animal smiles?")
    page.get_by_role("button", name="New chat").click()
    search = page.get_by_role("searchbox", name="Search conversations")
    search.fill("rottnest")
    results = page.locator(".sidebar__results")
    expect(results.get_by_role("link", name=re.compile("Happy marsupial"))).to_be_visible()
    expect(results.locator(".conv-item__snippet")).to_contain_text("Rottnest")


def test_a_deleted_chat_is_gone_for_good(
    context: BrowserContext,
    swa_root: str,
    api_root: str,
    mock: MockControl,
) -> None:
    page = page_for_new_user(context, swa_root, "History Tester")
    mock.queue({"reply": "text", "text": "Short-lived."}, {"reply": "text", "text": "Doomed chat"})
    ask(page, "Delete me later")
    expect(page).to_have_url(re.compile(r"/c/[0-9a-f]+$"))
    conversation_id = page.url.rsplit("/", 1)[1]
    page.get_by_role("button", name="Options for Doomed chat").click()
    page.get_by_role("menuitem", name="Delete").click()
    expect(_sidebar(page).get_by_role("link", name="Doomed chat")).to_have_count(0)
    # The delete is sent when the undo offer ends; dismissing it ends it now.
    page.locator(".toasts").get_by_role("button", name="Dismiss").click()
    page.goto(swa_root + f"/c/{conversation_id}")
    expect(page.get_by_text("This conversation does not exist")).to_be_visible()


def test_regenerate_and_edit_change_the_saved_conversation(
    context: BrowserContext,
    swa_root: str,
    mock: MockControl,
) -> None:
    page = page_for_new_user(context, swa_root, "History Tester")
    mock.queue(
        {"reply": "text", "text": "Paris."},
        {"reply": "text", "text": "French capital"},
        {"reply": "text", "text": "Cold and grey."},
        {"reply": "text", "text": "Paris, on the Seine."},
        {"reply": "text", "text": "Rome."},
    )
    ask(page, "Capital of France?")
    ask(page, "Winter there?")
    users = page.locator('article[data-role="user"]')
    answers = page.locator('article[data-role="assistant"]')
    # Only the last answer offers Regenerate; the second question offers Edit.
    expect(page.get_by_role("button", name="Regenerate answer")).to_have_count(1)
    expect(answers.nth(1).get_by_role("button", name="Regenerate answer")).to_be_visible()

    users.first.get_by_role("button", name="Edit message").click()
    box = page.get_by_label("Edit your message")
    expect(box).to_be_focused()
    expect(users.first).to_contain_text("replaces the answers after this message")
    box.press("Escape")
    expect(users.first.get_by_role("button", name="Edit message")).to_be_focused()

    answers.last.get_by_role("button", name="Regenerate answer").click()
    expect(answers.last).to_have_attribute("data-status", "complete", timeout=20_000)
    expect(answers.last).to_contain_text("Paris, on the Seine.")
    expect(answers).to_have_count(2)

    users.first.get_by_role("button", name="Edit message").click()
    page.get_by_label("Edit your message").fill("Capital of Italy?")
    page.get_by_label("Edit your message").press("Enter")
    expect(answers.last).to_contain_text("Rome.", timeout=20_000)
    expect(answers.last).to_have_attribute("data-status", "complete")
    expect(users).to_have_count(1)

    page.reload()
    expect(users).to_have_count(1)
    expect(users.first).to_contain_text("Capital of Italy?")
    expect(answers).to_have_count(1)
    expect(answers.first).to_contain_text("Rome.")


def test_a_temporary_chat_leaves_nothing_behind(
    context: BrowserContext,
    swa_root: str,
    mock: MockControl,
) -> None:
    page = page_for_new_user(context, swa_root, "History Tester")
    page.get_by_role("switch", name="Temporary chat").click()
    expect(page.locator(".temporary-banner")).to_be_visible()
    mock.queue({"reply": "text", "text": "Forgotten at once."})
    ask(page, "secret-temporary-question")
    expect(page).not_to_have_url(re.compile(r"/c/"))
    expect(_sidebar(page).locator("a[data-conversation-id]")).to_have_count(0)
    page.reload()
    expect(page.get_by_text("secret-temporary-question")).to_have_count(0)
    sent = mock.requests()[-1]["body"]
    assert sent["messages"][-1]["content"] == "secret-temporary-question"
    assert len(mock.requests()) == 1, "no title request: nothing to name"


def test_the_api_agrees_nothing_was_saved_for_a_temporary_chat(
    swa_root: str, mock: MockControl
) -> None:
    cookie = auth_cookie(["invited"], user_id=uuid.uuid4().hex)
    with httpx.Client(base_url=swa_root, cookies={"StaticWebAppsAuthCookie": cookie}) as client:
        mock.queue({"reply": "text", "text": "ok"})
        body = {"temporary": True, "messages": [{"role": "user", "content": "hi"}]}
        assert client.post("/api/chat", json=body, timeout=20).status_code == 200
        assert client.get("/api/conversations").json()["items"] == []
