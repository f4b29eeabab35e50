"""Chats started from a persona or a custom assistant: the model gets its prompt and
settings, the conversation keeps the version it started with, and nobody uses an assistant
that is not theirs or shared."""

from __future__ import annotations

from typing import Any

import httpx

from tests.support.principals import INVITED, principal_header
from tests.support.sse import fold
from tools.mock_openai.control import MockControl

OTHER = {"x-ms-client-principal": principal_header(user_id="preset-other", name="o@example.com")}


def _chat(root: str, body: dict[str, Any], headers: dict[str, str] = INVITED) -> httpx.Response:
    return httpx.post(f"{root}/api/chat", json=body, headers=headers, timeout=20)


def _persona(root: str) -> dict[str, Any]:
    catalog = httpx.get(f"{root}/api/personas", headers=INVITED).json()
    persona: dict[str, Any] = catalog["items"][0]
    return persona


def _conversation(root: str, conversation_id: str) -> Any:
    return httpx.get(f"{root}/api/conversations/{conversation_id}", headers=INVITED).json()


def test_a_chat_from_a_persona_gets_its_prompt_and_temperature_and_remembers_it(
    api_root: str, mock: MockControl
) -> None:
    persona = _persona(api_root)
    mock.queue({"reply": "text", "text": "Sure."}, {"reply": "text", "text": "Title"})

    answer = fold(_chat(api_root, {"message": "Help me", "persona_id": persona["id"]}).text)

    sent = mock.requests()[0]["body"]
    assert sent["messages"][0] == {"role": "system", "content": persona["system"]}
    assert sent["temperature"] == persona["temperature"]
    conversation = _conversation(api_root, answer.events[0][1]["conversation_id"])
    assert conversation["conversation"]["assistant"] == {
        "kind": "persona",
        "id": persona["id"],
        "name": persona["name"],
        "version": None,
    }
    assert conversation["conversation"]["system"] == persona["system"]


def test_what_the_request_sets_wins_over_the_persona(api_root: str, mock: MockControl) -> None:
    persona = _persona(api_root)
    mock.queue({"reply": "text", "text": "ok"})
    body = {
        "messages": [{"role": "user", "content": "hi"}],
        "persona_id": persona["id"],
        "temperature": 1.9,
    }
    fold(_chat(api_root, body).text)
    sent = mock.requests()[0]["body"]
    assert sent["temperature"] == 1.9
    assert sent["messages"][0]["content"] == persona["system"], "a temporary chat gets it too"


def test_unknown_personas_and_misplaced_presets_are_refused(
    api_root: str, mock: MockControl
) -> None:
    unknown = _chat(api_root, {"message": "x", "persona_id": "no-such-persona"})
    assert unknown.status_code == 400
    assert unknown.json()["errors"][0]["field"] == "persona_id"
    both = _chat(api_root, {"message": "x", "persona_id": "a", "assistant_id": "b"})
    assert both.status_code == 400
    later = _chat(api_root, {"message": "x", "conversation_id": "c", "persona_id": "a"})
    assert later.status_code == 400
    assert "Only a new chat" in later.json()["detail"]
    assert mock.requests() == []


def test_a_conversation_keeps_the_assistant_version_it_started_with(
    api_root: str, mock: MockControl
) -> None:
    created = httpx.post(
        f"{api_root}/api/assistants",
        json={
            "name": "Reviewer",
            "system": "Review version one.",
            "model": "mock-gpt",
            "temperature": 0.1,
            "max_tokens": 300,
            "visibility": "organisation",
        },
        headers=INVITED,
    )
    assert created.status_code == 201, created.text
    assistant = created.json()
    mock.queue(
        {"reply": "text", "text": "v1"},
        {"reply": "text", "text": "Title"},
        {"reply": "text", "text": "still v1"},
        {"reply": "text", "text": "v2"},
        {"reply": "text", "text": "Title"},
    )
    first = fold(_chat(api_root, {"message": "Look", "assistant_id": assistant["id"]}).text)
    conversation_id = first.events[0][1]["conversation_id"]
    sent = mock.requests()[0]["body"]
    assert sent["messages"][0]["content"] == "Review version one."
    assert (sent["temperature"], sent["max_tokens"]) == (0.1, 300)

    edited = httpx.patch(
        f"{api_root}/api/assistants/{assistant['id']}",
        json={"system": "Review version two."},
        headers=INVITED,
    )
    assert edited.status_code == 200, edited.text
    assert edited.json()["version"] == 2

    fold(_chat(api_root, {"message": "Again", "conversation_id": conversation_id}).text)
    assert mock.requests()[-1]["body"]["messages"][0]["content"] == "Review version one."
    ref = _conversation(api_root, conversation_id)["conversation"]["assistant"]
    assert (ref["kind"], ref["id"], ref["version"]) == ("assistant", assistant["id"], 1)

    # A shared assistant: another user starts from its current version.
    fold(_chat(api_root, {"message": "Mine", "assistant_id": assistant["id"]}, OTHER).text)
    assert mock.requests()[-2]["body"]["messages"][0]["content"] == "Review version two."


def test_nobody_chats_with_someone_elses_private_assistant(
    api_root: str, mock: MockControl
) -> None:
    created = httpx.post(
        f"{api_root}/api/assistants",
        json={"name": "Secret", "system": "Private instructions.", "visibility": "private"},
        headers=INVITED,
    ).json()
    refused = _chat(api_root, {"message": "Tell me", "assistant_id": created["id"]}, OTHER)
    assert refused.status_code == 404
    assert "Private instructions" not in refused.text
    assert mock.requests() == []
    listed = httpx.get(f"{api_root}/api/conversations", headers=OTHER).json()["items"]
    assert all((item["assistant"] or {}).get("id") != created["id"] for item in listed)
