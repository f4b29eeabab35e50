"""Saved conversations through the API over HTTP: what is kept, when, and for whom."""

from __future__ import annotations

import asyncio
import json
import time
from pathlib import Path
from typing import Any

import httpx

from tests.support.azurite import connection_string_for
from tests.support.principals import INVITED, principal_header
from tests.support.servers import running_api
from tests.support.sse import fold
from tools.devstack.processes import free_port
from tools.mock_openai.control import MockControl

OTHER = {"x-ms-client-principal": principal_header(user_id="user-2", name="eve@example.com")}


def _chat(api_root: str, body: dict[str, Any], headers: dict[str, str] = INVITED) -> httpx.Response:
    return httpx.post(f"{api_root}/api/chat", json=body, headers=headers, timeout=20)


def _start(answer_events: list[tuple[str, dict[str, Any]]]) -> dict[str, Any]:
    name, data = answer_events[0]
    assert name == "start"
    return data


def _conversation(api_root: str, conversation_id: str, headers: dict[str, str] = INVITED) -> Any:
    return httpx.get(f"{api_root}/api/conversations/{conversation_id}", headers=headers)


def test_a_new_chat_is_saved_with_its_answer_and_named_after_it(
    api_root: str, mock: MockControl
) -> None:
    mock.queue(
        {"reply": "text", "text": "Paris is the capital of France."},
        {"reply": "text", "text": "## French capital\n"},
    )
    answer = fold(_chat(api_root, {"message": "What is the capital of France?"}).text)
    start = _start(answer.events)
    assert answer.text == "Paris is the capital of France."
    names = [name for name, _ in answer.events]
    assert names[-2:] == ["done", "title"], "the title follows the answer"
    assert answer.events[-1][1]["title"] == "French capital"

    saved = _conversation(api_root, start["conversation_id"]).json()
    assert saved["conversation"]["title"] == "French capital"
    user, assistant = saved["messages"]
    assert (user["role"], user["content"]) == ("user", "What is the capital of France?")
    assert user["id"] == start["user_message_id"]
    assert assistant["id"] == start["assistant_message_id"]
    assert (assistant["content"], assistant["status"]) == (
        "Paris is the capital of France.",
        "complete",
    )
    assert assistant["usage"]["completion_tokens"] > 0
    # The title was asked for after the answer, never before it.
    assert [r["stream"] for r in mock.requests()] == [True, False]


def test_the_next_message_sends_the_saved_history(api_root: str, mock: MockControl) -> None:
    mock.queue(
        {"reply": "text", "text": "First answer."},
        {"reply": "text", "text": "Title"},
        {"reply": "echo"},
    )
    first = fold(_chat(api_root, {"message": "first question", "system": "Be brief."}).text)
    conversation_id = _start(first.events)["conversation_id"]
    second = fold(
        _chat(api_root, {"conversation_id": conversation_id, "message": "second question"}).text
    )
    assert second.text == "You said: second question"
    sent = mock.requests()[-1]["body"]
    assert [(m["role"], m["content"]) for m in sent["messages"]] == [
        ("system", "Be brief."),
        ("user", "first question"),
        ("assistant", "First answer."),
        ("user", "second question"),
    ]
    assert len(_conversation(api_root, conversation_id).json()["messages"]) == 4


def test_the_users_message_is_kept_when_the_model_refuses(api_root: str, mock: MockControl) -> None:
    mock.queue({"fault": "prompt_filter"})
    response = _chat(api_root, {"message": "something filtered"})
    assert response.status_code == 400
    problem = response.json()
    messages = _conversation(api_root, problem["conversation_id"]).json()["messages"]
    assert messages[0]["id"] == problem["user_message_id"]
    assert [(m["role"], m["status"]) for m in messages] == [
        ("user", "complete"),
        ("assistant", "failed"),
    ]
    assert messages[0]["content"] == "something filtered"


def test_a_cut_answer_is_saved_with_what_arrived(api_root: str, mock: MockControl) -> None:
    mock.queue(
        {
            "reply": "text",
            "text": "alpha beta gamma delta epsilon",
            "fault": "cut",
            "after_tokens": 2,
        }
    )
    answer = fold(_chat(api_root, {"message": "go"}).text)
    assert answer.error is not None
    saved = _conversation(api_root, _start(answer.events)["conversation_id"]).json()
    assistant = saved["messages"][-1]
    assert assistant["status"] == "interrupted"
    assert assistant["content"] == answer.text != ""


def test_a_stopped_answer_is_saved_with_what_arrived(api_root: str, mock: MockControl) -> None:
    mock.queue({"reply": "markdown", "tokens_per_second": 40})
    received = ""
    with httpx.stream(
        "POST", f"{api_root}/api/chat", json={"message": "long please"}, headers=INVITED
    ) as response:
        for chunk in response.iter_text():
            received += chunk
            if received.count("event: delta") >= 3:
                break  # the user pressed Stop
    conversation_id = _start(fold(received).events)["conversation_id"]
    deadline = time.monotonic() + 5
    while True:
        messages = _conversation(api_root, conversation_id).json()["messages"]
        if len(messages) == 2:
            break
        assert time.monotonic() < deadline, "the stopped answer was not saved"
        time.sleep(0.05)
    assistant = messages[1]
    assert assistant["status"] == "stopped"
    assert assistant["content"] and fold(received).text.startswith(assistant["content"][:5])


def test_regenerate_replaces_the_last_answer(api_root: str, mock: MockControl) -> None:
    mock.queue(
        {"reply": "text", "text": "Bad answer."},
        {"reply": "text", "text": "T"},
        {"reply": "text", "text": "Better answer."},
    )
    first = fold(_chat(api_root, {"message": "question"}).text)
    conversation_id = _start(first.events)["conversation_id"]
    again = fold(_chat(api_root, {"conversation_id": conversation_id, "regenerate": True}).text)
    assert again.text == "Better answer."
    messages = _conversation(api_root, conversation_id).json()["messages"]
    assert [m["content"] for m in messages] == ["question", "Better answer."]
    sent = mock.requests()[-1]["body"]
    assert [m["content"] for m in sent["messages"]] == ["question"]


def test_editing_a_message_replaces_it_and_drops_the_turns_after_it(
    api_root: str, mock: MockControl
) -> None:
    mock.queue(
        {"reply": "text", "text": "Paris."},
        {"reply": "text", "text": "T"},
        {"reply": "text", "text": "About 2 million."},
        {"reply": "text", "text": "Rome."},
    )
    first = fold(_chat(api_root, {"message": "Capital of France?"}).text)
    conversation_id = _start(first.events)["conversation_id"]
    first_question = _start(first.events)["user_message_id"]
    fold(_chat(api_root, {"conversation_id": conversation_id, "message": "Population?"}).text)

    edited = fold(
        _chat(
            api_root,
            {
                "conversation_id": conversation_id,
                "edit_message_id": first_question,
                "message": "Capital of Italy?",
            },
        ).text
    )

    assert edited.text == "Rome."
    assert _start(edited.events)["user_message_id"] == first_question
    messages = _conversation(api_root, conversation_id).json()["messages"]
    assert [m["content"] for m in messages] == ["Capital of Italy?", "Rome."]
    assert messages[0]["id"] == first_question
    sent = mock.requests()[-1]["body"]
    assert [m["content"] for m in sent["messages"]] == ["Capital of Italy?"]


def test_only_the_owners_user_messages_can_be_edited(api_root: str, mock: MockControl) -> None:
    mock.queue({"reply": "text", "text": "Answer."}, {"reply": "text", "text": "T"})
    first = fold(_chat(api_root, {"message": "Mine"}).text)
    start = _start(first.events)
    conversation_id = start["conversation_id"]

    def edit(message_id: str, headers: dict[str, str] = INVITED) -> httpx.Response:
        body = {"conversation_id": conversation_id, "edit_message_id": message_id, "message": "x"}
        return _chat(api_root, body, headers)

    answer = edit(start["assistant_message_id"])
    assert answer.status_code == 404
    assert answer.headers["content-type"] == "application/problem+json"
    assert edit("no-such-message").status_code == 404
    assert edit(start["user_message_id"], OTHER).status_code == 404
    both = _chat(
        api_root,
        {"conversation_id": conversation_id, "edit_message_id": "x", "regenerate": True},
    )
    assert both.status_code == 400
    messages = _conversation(api_root, conversation_id).json()["messages"]
    assert [m["content"] for m in messages] == ["Mine", "Answer."]


def test_a_conversation_answers_with_the_settings_it_remembers(
    api_root: str, mock: MockControl
) -> None:
    mock.queue(
        {"reply": "text", "text": "One."},
        {"reply": "text", "text": "T"},
        {"reply": "text", "text": "Two."},
        {"reply": "text", "text": "Three."},
    )
    first = fold(
        _chat(
            api_root,
            {"message": "hi", "system": "Answer in French.", "temperature": 0.3, "max_tokens": 50},
        ).text
    )
    conversation_id = _start(first.events)["conversation_id"]

    fold(_chat(api_root, {"conversation_id": conversation_id, "message": "again"}).text)
    sent = mock.requests()[-1]["body"]
    assert sent["messages"][0] == {"role": "system", "content": "Answer in French."}
    assert (sent["temperature"], sent["max_tokens"]) == (0.3, 50)

    etag = _conversation(api_root, conversation_id).json()["conversation"]["etag"]
    changed = httpx.patch(
        f"{api_root}/api/conversations/{conversation_id}",
        json={"system": "", "settings": {"temperature": 1.2}},
        headers={**INVITED, "If-Match": etag},
    )
    assert changed.status_code == 200, changed.text
    fold(_chat(api_root, {"conversation_id": conversation_id, "message": "third"}).text)
    sent = mock.requests()[-1]["body"]
    assert sent["messages"][0]["role"] == "user", "an empty system prompt is no system prompt"
    assert sent["temperature"] == 1.2
    assert "max_tokens" not in sent


def test_a_temporary_chat_is_never_saved(
    api_root: str, mock: MockControl, history_db: Path
) -> None:
    secret = "temporary-secret-4711"
    before = httpx.get(f"{api_root}/api/conversations?limit=200", headers=INVITED).json()
    answer = fold(
        _chat(api_root, {"temporary": True, "messages": [{"role": "user", "content": secret}]}).text
    )
    assert answer.finish_reason == "stop"
    assert "conversation_id" not in _start(answer.events)
    after = httpx.get(f"{api_root}/api/conversations?limit=200", headers=INVITED).json()
    assert after == before
    found = httpx.get(
        f"{api_root}/api/conversations/search", params={"q": secret}, headers=INVITED
    ).json()
    assert found["items"] == []
    on_disk = b"".join(p.read_bytes() for p in history_db.parent.glob(history_db.name + "*"))
    assert on_disk, "the saved chats of the other tests are on disk"
    assert secret.encode() not in on_disk


def test_nobody_reaches_another_users_conversation(api_root: str, mock: MockControl) -> None:
    mock.queue({"reply": "text", "text": "private answer"}, {"reply": "text", "text": "Mine"})
    answer = fold(_chat(api_root, {"message": "my private question zebra42"}).text)
    conversation_id = _start(answer.events)["conversation_id"]
    base = f"{api_root}/api/conversations/{conversation_id}"
    attempts = [
        httpx.get(base, headers=OTHER),
        httpx.patch(base, json={"title": "stolen"}, headers=OTHER),
        httpx.delete(base, headers=OTHER),
        httpx.get(base + "/export", headers=OTHER),
        _chat(api_root, {"conversation_id": conversation_id, "message": "hi"}, headers=OTHER),
        _chat(api_root, {"conversation_id": conversation_id, "regenerate": True}, headers=OTHER),
    ]
    for response in attempts:
        assert response.status_code == 404, response.text
    listed = httpx.get(f"{api_root}/api/conversations", headers=OTHER).json()["items"]
    assert conversation_id not in [c["id"] for c in listed]
    found = httpx.get(
        f"{api_root}/api/conversations/search", params={"q": "zebra42"}, headers=OTHER
    ).json()["items"]
    assert found == []
    assert httpx.delete(f"{api_root}/api/conversations", headers=OTHER).status_code == 200
    assert _conversation(api_root, conversation_id).status_code == 200, "still there for its owner"


def test_rename_pin_archive_and_delete(api_root: str) -> None:
    created = httpx.post(
        f"{api_root}/api/conversations", json={"title": "Plans"}, headers=INVITED
    ).json()
    base = f"{api_root}/api/conversations/{created['id']}"
    renamed = httpx.patch(
        base,
        json={"title": "Plans for Zürich", "pinned": True},
        # HTTP's own quoted form of the etag works as well as the bare one.
        headers={**INVITED, "if-match": f'"{created["etag"]}"'},
    )
    assert renamed.status_code == 200
    assert renamed.json()["title"] == "Plans for Zürich"
    stale = httpx.patch(
        base, json={"title": "Other"}, headers={**INVITED, "if-match": created["etag"]}
    )
    assert stale.status_code == 412
    assert stale.json()["type"].endswith("conflict")
    first = httpx.get(f"{api_root}/api/conversations", headers=INVITED).json()["items"][0]
    assert first["id"] == created["id"], "pinned conversations come first"
    httpx.patch(base, json={"archived": True}, headers=INVITED).raise_for_status()
    active = httpx.get(f"{api_root}/api/conversations?limit=200", headers=INVITED).json()["items"]
    assert created["id"] not in [c["id"] for c in active]
    archived = httpx.get(f"{api_root}/api/conversations?archived=true", headers=INVITED).json()
    assert created["id"] in [c["id"] for c in archived["items"]]
    assert httpx.delete(base, headers=INVITED).status_code == 204
    assert httpx.get(base, headers=INVITED).status_code == 404


def test_export_and_import_round_trip(api_root: str, mock: MockControl) -> None:
    mock.queue({"reply": "text", "text": "**Bold** answer"}, {"reply": "text", "text": "Export me"})
    answer = fold(_chat(api_root, {"message": "question for export"}).text)
    base = f"{api_root}/api/conversations/{_start(answer.events)['conversation_id']}"
    exported = httpx.get(base + "/export", headers=INVITED)
    assert "attachment" in exported.headers["content-disposition"]
    markdown = httpx.get(base + "/export?format=markdown", headers=INVITED)
    assert markdown.headers["content-type"].startswith("text/markdown")
    assert markdown.headers["cache-control"] == "no-store"
    assert "# Export me" in markdown.text and "**Bold** answer" in markdown.text
    imported = httpx.post(
        f"{api_root}/api/conversations/import",
        content=exported.content,
        headers={**INVITED, "content-type": "application/json"},
    )
    assert imported.status_code == 201
    copy = _conversation(api_root, imported.json()["id"]).json()
    assert copy["conversation"]["title"] == "Export me"
    assert [m["content"] for m in copy["messages"]] == ["question for export", "**Bold** answer"]
    bad = httpx.post(
        f"{api_root}/api/conversations/import",
        content=json.dumps({"x": 1}),
        headers={**INVITED, "content-type": "application/json"},
    )
    assert bad.status_code == 400


def test_export_as_plain_text_reads_as_the_conversation(api_root: str, mock: MockControl) -> None:
    answer_text = "**Bold** answer\n\n```python\nprint('hi')\n```"
    mock.queue({"reply": "text", "text": answer_text}, {"reply": "text", "text": "Plain export"})
    answer = fold(_chat(api_root, {"message": "question for text", "system": "Be brief."}).text)
    conversation_id = _start(answer.events)["conversation_id"]
    base = f"{api_root}/api/conversations/{conversation_id}"

    text = httpx.get(base + "/export?format=text", headers=INVITED)

    assert text.status_code == 200
    assert text.headers["content-type"] == "text/plain; charset=utf-8"
    assert text.headers["content-disposition"] == 'attachment; filename="Plain-export.txt"'
    assert text.headers["cache-control"] == "no-store"
    messages = _conversation(api_root, conversation_id).json()["messages"]
    times = [m["created"][:16].replace("T", " ") + " UTC" for m in messages]
    assert text.text == "\n".join(
        [
            "Plain export",
            "",
            "System prompt:",
            "Be brief.",
            "",
            f"You, {times[0]}:",
            "question for text",
            "",
            f"Assistant, {times[1]}:",
            answer_text,
            "",
        ]
    )
    assert httpx.get(base + "/export?format=text", headers=OTHER).status_code == 404
    unknown = httpx.get(base + "/export?format=pdf", headers=INVITED)
    assert unknown.status_code == 400
    assert unknown.json()["errors"] == [
        {"field": "format", "message": "must be json, markdown or text"}
    ]


def test_search_finds_words_in_titles_and_messages(api_root: str, mock: MockControl) -> None:
    mock.queue(
        {"reply": "text", "text": "The Matterhorn is in Zermatt."},
        {"reply": "text", "text": "Swiss mountains"},
    )
    fold(_chat(api_root, {"message": "Tell me about a famous Alp"}).text)
    hits = httpx.get(
        f"{api_root}/api/conversations/search", params={"q": "ZERMATT matterhorn"}, headers=INVITED
    ).json()["items"]
    assert hits and "Zermatt" in hits[0]["snippet"]
    by_title = httpx.get(
        f"{api_root}/api/conversations/search", params={"q": "swiss"}, headers=INVITED
    ).json()["items"]
    assert by_title and by_title[0]["conversation"]["title"] == "Swiss mountains"


def test_unknown_conversation_is_404(api_root: str) -> None:
    response = _chat(api_root, {"conversation_id": "no-such-id", "message": "hi"})
    assert response.status_code == 404
    assert response.json()["type"].endswith("not-found")


def test_an_unreachable_history_store_is_503_and_temporary_chats_still_work(
    mock_root: str, mock: MockControl
) -> None:
    dead_store = connection_string_for(free_port())  # nothing listens there
    env = {
        "AI_PROVIDER": "mock",
        "MOCK_OPENAI_URL": f"{mock_root}/v1",
        "HISTORY_STORE": "table",
        "HISTORY_STORAGE_CONNECTION_STRING": dead_store,
    }
    with running_api(env, name="api_dead_store") as root:
        saved = _chat(root, {"message": "keep this"})
        listing = httpx.get(f"{root}/api/conversations", headers=INVITED, timeout=30)
        temporary = _chat(root, {"messages": [{"role": "user", "content": "hi"}]})
    for response in (saved, listing):
        assert response.status_code == 503, response.text
        assert response.json()["type"].endswith("history-unavailable")
        assert int(response.headers["retry-after"]) > 0
        assert "devstoreaccount1" not in response.text
    assert len(mock.requests()) == 1, "no model call for a message that could not be saved"
    assert fold(temporary.text).finish_reason == "stop"


def test_a_forged_continuation_is_400(api_root: str) -> None:
    response = httpx.get(
        f"{api_root}/api/conversations", params={"continuation": "bm9wZQ"}, headers=INVITED
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "continuation"


def test_two_tabs_writing_one_conversation_lose_nothing(api_root: str, mock: MockControl) -> None:
    mock.queue({"reply": "text", "text": "opening"}, {"reply": "text", "text": "Tabs"})
    first = fold(_chat(api_root, {"message": "start"}).text)
    conversation_id = _start(first.events)["conversation_id"]

    async def both() -> list[httpx.Response]:
        async with httpx.AsyncClient(timeout=20) as client:
            return list(
                await asyncio.gather(
                    *(
                        client.post(
                            f"{api_root}/api/chat",
                            headers=INVITED,
                            json={"conversation_id": conversation_id, "message": f"tab {n}"},
                        )
                        for n in (1, 2)
                    )
                )
            )

    for response in asyncio.run(both()):
        assert fold(response.text).finish_reason == "stop"
    messages = _conversation(api_root, conversation_id).json()["messages"]
    assert len(messages) == 6
    assert {m["content"] for m in messages if m["role"] == "user"} == {"start", "tab 1", "tab 2"}
    assert all(m["status"] == "complete" for m in messages)


def test_old_messages_are_left_out_to_fit_and_the_client_is_told(
    mock_root: str, mock: MockControl
) -> None:
    env = {
        "AI_PROVIDER": "mock",
        "MOCK_OPENAI_URL": f"{mock_root}/v1",
        "HISTORY_STORE": "none",
        "MODEL_CONTEXT_TOKENS": "2000",
        "MODEL_ANSWER_TOKENS": "500",
    }
    history = [
        {"role": "user" if i % 2 == 0 else "assistant", "content": f"{i} " + "w" * 400}
        for i in range(41)
    ]
    with running_api(env, name="api_small_window") as root:
        answer = fold(_chat(root, {"messages": history, "system": "Be brief."}).text)
        me = httpx.get(f"{root}/api/me", headers=INVITED).json()
    omitted = _start(answer.events)["omitted_messages"]
    sent = mock.requests()[-1]["body"]["messages"]
    assert 0 < omitted < 41
    assert len(sent) == 1 + 41 - omitted
    assert sent[0] == {"role": "system", "content": "Be brief."}
    assert sent[-1]["content"] == history[-1]["content"]
    assert sent[1]["role"] == "user"
    assert me["history"] is False
