"""Chat settings in the browser: a system prompt and sampling settings per conversation,
sent to the model and kept with the conversation."""

from __future__ import annotations

import pytest
from playwright.sync_api import BrowserContext, expect

from tests.e2e.conftest import ask, page_for_new_user
from tools.mock_openai.control import MockControl

pytestmark = pytest.mark.e2e


def test_a_system_prompt_set_before_the_first_message_stays_with_the_conversation(
    context: BrowserContext, swa_root: str, mock: MockControl
) -> None:
    page = page_for_new_user(context, swa_root, "Settings Tester")
    page.get_by_role("button", name="Chat settings").click()
    dialog = page.get_by_role("dialog", name="Chat settings")
    expect(dialog).to_contain_text("apply to the chat you are about to start")
    dialog.get_by_label("System prompt").fill("Answer like a pirate.")
    dialog.get_by_label("Temperature").fill("0.2")
    dialog.get_by_role("button", name="Save").click()
    expect(dialog).to_be_hidden()
    expect(page.get_by_role("button", name="Chat settings (changed for this chat)")).to_be_visible()

    mock.queue(
        {"reply": "text", "text": "Arr, Paris."}, {"reply": "text", "text": "Pirate capital"}
    )
    ask(page, "Capital of France?")
    first = mock.requests()[0]["body"]
    assert first["messages"][0] == {"role": "system", "content": "Answer like a pirate."}
    assert first["temperature"] == 0.2

    # The conversation remembers them: after a reload the next answer uses them too, and
    # the dialog shows them; a change is saved with the conversation.
    page.reload()
    expect(page.locator('article[data-role="assistant"]')).to_contain_text("Arr, Paris.")
    page.get_by_role("button", name="Chat settings (changed for this chat)").click()
    expect(dialog).to_contain_text("saved with this conversation")
    expect(dialog.get_by_label("System prompt")).to_have_value("Answer like a pirate.")
    dialog.get_by_label("Temperature").fill("1.5")
    dialog.get_by_role("button", name="Save").click()
    expect(dialog).to_be_hidden()

    mock.queue({"reply": "text", "text": "Arr, Rome."})
    ask(page, "And Italy?")
    latest = mock.requests()[-1]["body"]
    assert latest["messages"][0] == {"role": "system", "content": "Answer like a pirate."}
    assert latest["temperature"] == 1.5

    page.get_by_role("button", name="New chat").click()
    expect(page.get_by_role("button", name="Chat settings", exact=True)).to_be_visible()


def test_a_wrong_value_is_named_next_to_its_field(context: BrowserContext, swa_root: str) -> None:
    page = page_for_new_user(context, swa_root, "Settings Tester")
    page.get_by_role("button", name="Chat settings").click()
    dialog = page.get_by_role("dialog", name="Chat settings")
    dialog.get_by_label("Maximum answer length (tokens)").fill("0")
    dialog.get_by_role("button", name="Save").click()
    field = dialog.get_by_label("Maximum answer length (tokens)")
    expect(field).to_have_attribute("aria-invalid", "true")
    expect(field).to_be_focused()
    expect(dialog).to_contain_text("must be a whole number of tokens from 1 to 1,000,000")
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    expect(page.get_by_role("button", name="Chat settings", exact=True)).to_be_focused()
