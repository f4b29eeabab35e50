"""Personas and custom assistants in the browser, through the real stack: the picker on a
new chat, "Chatting with X", starter prompts, the gallery, the form with "Try it",
sharing and featuring across users, and an assistant that goes away meanwhile."""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, Locator, Page, expect

from tests.e2e.conftest import auth_cookie
from tools.devstack.processes import REPO_ROOT
from tools.mock_openai.control import MockControl

pytestmark = pytest.mark.e2e

PERSONAS = json.loads(
    (REPO_ROOT / "webapp" / "api" / "chat_api" / "personas" / "personas.json").read_text("utf-8")
)
COPY_EDITOR: dict[str, Any] = next(p for p in PERSONAS["personas"] if p["id"] == "copy-editor")


def _sign_in(
    context: BrowserContext,
    swa_root: str,
    user_id: str,
    name: str,
    roles: tuple[str, ...] = ("invited",),
) -> Page:
    cookie = auth_cookie(list(roles), user_id=user_id, name=name)
    context.add_cookies([{"name": "StaticWebAppsAuthCookie", "value": cookie, "url": swa_root}])
    page = context.new_page()
    page.goto(swa_root + "/")
    expect(page.get_by_label("Message", exact=True)).to_be_visible()
    return page


@pytest.fixture
def other_contexts(browser: Browser) -> Iterator[list[BrowserContext]]:
    """Room for more users, each with a browser context (and cookie) of their own."""
    made: list[BrowserContext] = []
    yield made
    for context in made:
        context.close()


def _new_context(browser: Browser, made: list[BrowserContext]) -> BrowserContext:
    context = browser.new_context()
    context.route(re.compile(r"^https?://(?!127\.0\.0\.1)"), lambda route: route.abort())
    made.append(context)
    return context


def _wait_for_answer(page: Page) -> None:
    expect(page.locator('main article[data-role="assistant"]').last).to_have_attribute(
        "data-status", "complete", timeout=20_000
    )


def _request_with(mock: MockControl, text: str) -> dict[str, Any]:
    """The body the model got for the turn whose last user message is `text`."""
    for record in reversed(mock.requests()):
        body: dict[str, Any] = record["body"]
        if body["messages"][-1] == {"role": "user", "content": text}:
            return body
    raise AssertionError(f"no request ended with {text!r}")


def _open_gallery(page: Page) -> Locator:
    page.get_by_role("button", name="Assistants", exact=True).click()
    gallery = page.get_by_role("dialog", name="Assistants")
    expect(gallery).to_be_visible()
    return gallery


def _card(gallery: Locator, name: str) -> Locator:
    return gallery.get_by_role("tabpanel").get_by_role("article", name=name, exact=True)


def _create_assistant(page: Page, **fields: Any) -> dict[str, Any]:
    """An assistant made through the API with the page's cookie (for setting up a scene)."""
    origin = re.match(r"^https?://[^/]+", page.url)
    assert origin is not None
    response = page.request.post(origin.group(0) + "/api/assistants", data=fields)
    assert response.status == 201, response.text()
    created: dict[str, Any] = response.json()
    return created


def test_a_persona_from_the_picker_sets_the_chat_its_starters_send_and_it_stays_after_reload(
    context: BrowserContext, swa_root: str, mock: MockControl
) -> None:
    page = _sign_in(context, swa_root, uuid.uuid4().hex, "Persona Tester")
    page.get_by_role("button", name="Start with a persona or assistant…").click()
    picker = page.get_by_role("dialog", name="Start with…")
    search = picker.get_by_role("combobox", name="Search personas and assistants")
    expect(search).to_be_focused()
    # Grouped: the catalog's groups are the listbox's groups.
    expect(picker.get_by_role("group", name="Writing & editing")).to_be_visible()

    search.fill("copy edit")
    first = picker.get_by_role("option").first
    expect(first).to_have_accessible_name("Copy editor")
    expect(first).to_have_attribute("aria-selected", "true")
    search.press("Enter")
    expect(picker).to_be_hidden()
    expect(page.get_by_text("Chatting with Copy editor")).to_be_visible()
    expect(page.get_by_label("Message", exact=True)).to_be_focused()

    # The settings dialog shows the persona's settings, which the chat will use.
    page.get_by_role("button", name=re.compile("^Chat settings")).click()
    settings = page.get_by_role("dialog", name="Chat settings")
    expect(settings.get_by_label("System prompt")).to_have_value(COPY_EDITOR["system"])
    expect(settings.get_by_label("Temperature")).to_have_value(str(COPY_EDITOR["temperature"]))
    expect(settings).to_contain_text("They start as Copy editor")
    page.keyboard.press("Escape")

    starter = COPY_EDITOR["starters"][1]
    suggestions = page.get_by_role("list", name="Suggestions")
    expect(suggestions.get_by_role("button")).to_have_count(len(COPY_EDITOR["starters"]))
    mock.queue(
        {"reply": "text", "text": "Shorter: the migration is still running."},
        {"reply": "text", "text": "Shorter sentence"},
    )
    suggestions.get_by_role("button", name=starter).click()
    _wait_for_answer(page)
    sent = _request_with(mock, starter)
    assert sent["messages"][0] == {"role": "system", "content": COPY_EDITOR["system"]}
    assert sent["temperature"] == COPY_EDITOR["temperature"]
    # Once the chat has started there is no going back to a plain one.
    expect(page.get_by_role("button", name=re.compile("^Plain chat"))).to_be_hidden()

    expect(page).to_have_url(re.compile(r"/c/[0-9a-f]+$"))
    page.reload()
    expect(page.locator('article[data-role="assistant"]')).to_contain_text("migration")
    expect(page.get_by_text("Chatting with Copy editor")).to_be_visible()

    # A new chat is plain again; a chosen persona can be put back to a plain chat too.
    page.get_by_role("button", name="New chat").click()
    expect(page.get_by_text("Chatting with")).to_be_hidden()
    page.get_by_role("button", name="Start with a persona or assistant…").click()
    search = page.get_by_role("combobox", name="Search personas and assistants")
    expect(page.get_by_role("option").first).to_be_visible()
    search.press("ArrowDown")
    search.press("Enter")
    expect(page.get_by_text(re.compile("^Chatting with"))).to_be_visible()
    page.get_by_role("button", name=re.compile("^Plain chat")).click()
    expect(page.get_by_text(re.compile("^Chatting with"))).to_be_hidden()
    mock.queue({"reply": "text", "text": "Plain."}, {"reply": "text", "text": "Plain"})
    box = page.get_by_label("Message", exact=True)
    box.fill("No persona now")
    box.press("Enter")
    _wait_for_answer(page)
    assert _request_with(mock, "No persona now")["messages"][0]["role"] == "user"


def test_an_assistant_is_made_tried_saved_started_and_edited_while_its_chat_keeps_its_version(
    context: BrowserContext, swa_root: str, mock: MockControl
) -> None:
    page = _sign_in(context, swa_root, uuid.uuid4().hex, "Maker")
    name = f"Pirate {uuid.uuid4().hex[:6]}"
    first_prompt = "Answer like a pirate."
    gallery = _open_gallery(page)
    gallery.get_by_role("button", name="New assistant").click()
    form = page.get_by_role("dialog", name="New assistant")

    # A field error is said next to its field, which gets focus.
    form.get_by_role("button", name="Create assistant").click()
    name_field = form.get_by_label("Name", exact=True)
    expect(name_field).to_have_attribute("aria-invalid", "true")
    expect(name_field).to_be_focused()
    expect(form).to_contain_text("Give the assistant a name.")

    name_field.fill(name)
    form.get_by_label("Description").fill("Talks like a pirate")
    form.get_by_label("Instructions (system prompt)").fill(first_prompt)
    form.get_by_label("Temperature").fill("0.4")
    form.get_by_label("Starter prompt 1").fill("Where is the treasure?")
    form.get_by_label("Starter prompt 2").fill("Sing me a shanty")

    # Try it: a temporary chat with the form's values, before saving.
    mock.queue({"reply": "text", "text": "Arr, matey!"})
    trial = form.get_by_role("region", name="Try it")
    trial.get_by_role("button", name="Where is the treasure?").click()
    expect(trial.locator('article[data-role="assistant"]')).to_have_attribute(
        "data-status", "complete", timeout=20_000
    )
    expect(trial.locator('article[data-role="assistant"]')).to_contain_text("Arr, matey!")
    tried = _request_with(mock, "Where is the treasure?")
    assert tried["messages"][0] == {"role": "system", "content": first_prompt}
    assert tried["temperature"] == 0.4

    form.get_by_role("button", name="Create assistant").click()
    expect(form).to_be_hidden()
    expect(gallery.get_by_role("tab", name="Mine")).to_have_attribute("aria-selected", "true")
    card = _card(gallery, name)
    expect(card).to_contain_text("Private")
    expect(card).to_contain_text("Version 1")
    expect(gallery.get_by_role("status")).to_contain_text(f"Created “{name}”")

    card.get_by_role("button", name="Start chat").click()
    expect(gallery).to_be_hidden()
    expect(page.get_by_text(f"Chatting with {name}")).to_be_visible()
    mock.queue(
        {"reply": "text", "text": "Buried on the isle."}, {"reply": "text", "text": "Treasure"}
    )
    page.get_by_role("list", name="Suggestions").get_by_role(
        "button", name="Where is the treasure?"
    ).click()
    _wait_for_answer(page)
    assert _request_with(mock, "Where is the treasure?")["messages"][0]["content"] == first_prompt
    expect(page).to_have_url(re.compile(r"/c/[0-9a-f]+$"))
    conversation_url = page.url

    # Edit it: version 2. The conversation keeps version 1's instructions.
    gallery = _open_gallery(page)
    gallery.get_by_role("tab", name="Mine").click()
    _card(gallery, name).get_by_role("button", name="Edit").click()
    form = page.get_by_role("dialog", name=f"Edit “{name}”")
    expect(form.get_by_label("Instructions (system prompt)")).to_have_value(first_prompt)
    form.get_by_label("Instructions (system prompt)").fill("Answer like a poet.")
    form.get_by_role("button", name="Save changes").click()
    expect(form).to_be_hidden()
    expect(gallery.get_by_role("status")).to_contain_text("(version 2)")
    expect(_card(gallery, name)).to_contain_text("Version 2")
    page.keyboard.press("Escape")
    expect(gallery).to_be_hidden()

    page.goto(conversation_url)
    expect(page.get_by_text(f"Chatting with {name}")).to_be_visible()
    expect(page.get_by_text("Started with version 1")).to_be_visible()
    mock.queue({"reply": "text", "text": "Still a pirate."})
    box = page.get_by_label("Message", exact=True)
    box.fill("And the map?")
    box.press("Enter")
    _wait_for_answer(page)
    assert _request_with(mock, "And the map?")["messages"][0]["content"] == first_prompt

    # A new chat with it now uses version 2.
    gallery = _open_gallery(page)
    gallery.get_by_role("tab", name="Mine").click()
    _card(gallery, name).get_by_role("button", name="Start chat").click()
    expect(gallery).to_be_hidden()
    expect(page.get_by_text("Started with version 1")).to_be_hidden()
    expect(box).to_be_focused()
    mock.queue({"reply": "text", "text": "Roses."}, {"reply": "text", "text": "Poem"})
    box.fill("A verse, please")
    box.press("Enter")
    _wait_for_answer(page)
    assert _request_with(mock, "A verse, please")["messages"][0]["content"] == "Answer like a poet."


def test_a_shared_assistant_reaches_others_an_admin_features_it_and_a_private_one_stays_private(
    browser: Browser,
    context: BrowserContext,
    other_contexts: list[BrowserContext],
    swa_root: str,
    mock: MockControl,
) -> None:
    tag = uuid.uuid4().hex[:6]
    shared_name, secret_name = f"Helper {tag}", f"Secret {tag}"
    owner = _sign_in(context, swa_root, uuid.uuid4().hex, f"owner-{tag}@example.com")
    _create_assistant(owner, name=shared_name, system="You help.", starters=["Help me"])
    _create_assistant(owner, name=secret_name, system="Secret instructions.")

    gallery = _open_gallery(owner)
    gallery.get_by_role("tab", name="Mine").click()
    _card(gallery, shared_name).get_by_role("button", name=re.compile("^More actions")).click()
    owner.get_by_role("menuitem", name="Share with the organisation").click()
    expect(gallery.get_by_role("status")).to_contain_text("is shared with the organisation")
    expect(_card(gallery, shared_name)).to_contain_text("Shared")

    colleague = _sign_in(
        _new_context(browser, other_contexts), swa_root, uuid.uuid4().hex, "Colleague"
    )
    gallery = _open_gallery(colleague)
    gallery.get_by_role("tab", name="Organisation").click()
    card = _card(gallery, shared_name)
    expect(card).to_contain_text(f"By owner-{tag}@example.com")
    # Not theirs: no Edit, no menu.
    expect(card.get_by_role("button", name=re.compile("^Edit"))).to_have_count(0)
    expect(card.get_by_role("button", name=re.compile("^More actions"))).to_have_count(0)
    expect(_card(gallery, secret_name)).to_have_count(0)
    colleague.keyboard.press("Escape")

    # The picker offers the shared one, never the private one.
    colleague.get_by_role("button", name="Start with a persona or assistant…").click()
    search = colleague.get_by_role("combobox", name="Search personas and assistants")
    search.fill(tag)
    picker = colleague.get_by_role("dialog", name="Start with…")
    expect(picker.get_by_role("option")).to_have_count(1)
    expect(picker.get_by_role("option")).to_have_accessible_name(shared_name)
    search.press("Enter")
    expect(colleague.get_by_text(f"Chatting with {shared_name}")).to_be_visible()
    mock.queue({"reply": "text", "text": "Happy to."}, {"reply": "text", "text": "Help"})
    colleague.get_by_role("list", name="Suggestions").get_by_role("button", name="Help me").click()
    _wait_for_answer(colleague)
    assert _request_with(mock, "Help me")["messages"][0]["content"] == "You help."

    admin = _sign_in(
        _new_context(browser, other_contexts),
        swa_root,
        uuid.uuid4().hex,
        "Admin",
        ("invited", "admin"),
    )
    gallery = _open_gallery(admin)
    gallery.get_by_role("tab", name="Organisation").click()
    expect(_card(gallery, secret_name)).to_have_count(0)
    _card(gallery, shared_name).get_by_role("button", name=re.compile("^More actions")).click()
    admin.get_by_role("menuitem", name="Feature").click()
    expect(gallery.get_by_role("status")).to_contain_text("is featured")
    gallery.get_by_role("tab", name="Featured").click()
    expect(_card(gallery, shared_name)).to_contain_text("Featured")

    # The colleague sees it under Featured, and first in the picker.
    gallery = _open_gallery(colleague)
    gallery.get_by_role("tab", name="Featured").click()
    expect(_card(gallery, shared_name)).to_be_visible()
    colleague.keyboard.press("Escape")
    colleague.get_by_role("button", name="New chat").click()
    colleague.get_by_role("button", name="Start with a persona or assistant…").click()
    featured = colleague.get_by_role("group", name="Featured")
    expect(featured.get_by_role("option", name=shared_name)).to_be_visible()


def test_an_assistant_deleted_meanwhile_is_said_plainly_and_the_draft_is_kept(
    context: BrowserContext, swa_root: str, mock: MockControl
) -> None:
    page = _sign_in(context, swa_root, uuid.uuid4().hex, "Deleter")
    name = f"Doomed {uuid.uuid4().hex[:6]}"
    created = _create_assistant(page, name=name, system="Short answers.")
    page.get_by_role("button", name="Start with a persona or assistant…").click()
    page.get_by_role("combobox", name="Search personas and assistants").fill(name)
    page.get_by_role("combobox", name="Search personas and assistants").press("Enter")
    expect(page.get_by_text(f"Chatting with {name}")).to_be_visible()

    origin = re.match(r"^https?://[^/]+", page.url)
    assert origin is not None
    assert page.request.delete(f"{origin.group(0)}/api/assistants/{created['id']}").status == 204

    box = page.get_by_label("Message", exact=True)
    box.fill("Is anyone there?")
    box.press("Enter")
    failed = page.locator('main article[data-role="assistant"]').last
    expect(failed).to_have_attribute("data-status", "failed")
    expect(failed).to_contain_text("That assistant does not exist")
    expect(page.get_by_text(f"“{name}” is no longer available")).to_be_visible()
    expect(box).to_have_value("Is anyone there?")
    expect(page.get_by_text(f"Chatting with {name}")).to_be_hidden()
    assert not any(
        r["body"]["messages"][-1]["content"] == "Is anyone there?" for r in mock.requests()
    )
