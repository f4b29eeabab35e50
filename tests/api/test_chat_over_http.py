"""The API under uvicorn, in front of the mock OpenAI server, over real loopback HTTP."""

from __future__ import annotations

import time
from typing import Any

import httpx
import pytest

from tests.conftest import USAGE_NOTE_SHOWN
from tests.support.principals import INVITED, UNINVITED
from tests.support.servers import log_path
from tests.support.sse import (
    PACED_REPLY,
    STREAM_INTERRUPTED,
    assert_streamed,
    fold,
    read_with_arrival_times,
)
from tools.mock_openai.control import MockControl

PROBLEM = "urn:chat-on-azure:problem:"


def _chat(
    api_root: str, body: dict[str, Any], headers: dict[str, str] | None = None, timeout: float = 20
) -> httpx.Response:
    return httpx.post(
        f"{api_root}/api/chat", json=body, headers=headers or INVITED, timeout=timeout
    )


def _ask(text: str = "Hello there") -> dict[str, Any]:
    return {"messages": [{"role": "user", "content": text}]}


def _assert_problem(response: httpx.Response, status: int, slug: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    body: dict[str, Any] = response.json()
    assert body["type"] == PROBLEM + slug
    assert body["status"] == status
    assert body["request_id"]
    return body


def test_answer_streams_as_documented_events(api_root: str, mock: MockControl) -> None:
    mock.queue({"reply": "text", "text": "Hello, **Zoë**! Here is a table."})
    response = _chat(api_root, _ask())
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/event-stream")
    answer = fold(response.text)
    assert answer.text == "Hello, **Zoë**! Here is a table."
    assert answer.model == "mock-gpt"
    assert answer.finish_reason == "stop"
    assert answer.usage is not None
    assert answer.usage["completion_tokens"] > 1
    names = [name for name, _ in answer.events]
    assert names[0] == "start"
    assert names[-2:] == ["usage", "done"]
    assert names.count("delta") > 1, "the answer should arrive in several pieces"


def test_tokens_arrive_before_the_answer_is_complete(api_root: str, mock: MockControl) -> None:
    mock.queue(PACED_REPLY)
    with httpx.stream("POST", f"{api_root}/api/chat", json=_ask(), headers=INVITED) as response:
        body, arrivals = read_with_arrival_times(response.iter_text())
    assert fold(body).text == PACED_REPLY["text"]
    assert_streamed(arrivals)


def test_system_prompt_and_history_reach_the_model(api_root: str, mock: MockControl) -> None:
    body = {
        "system": "Answer like a pirate.",
        "messages": [
            {"role": "user", "content": "first"},
            {"role": "assistant", "content": "reply"},
            {"role": "user", "content": "second"},
        ],
    }
    mock.queue({"reply": "echo"})
    answer = fold(_chat(api_root, body).text)
    assert answer.text == "You said: second"
    sent = mock.requests()[-1]["body"]
    assert isinstance(sent, dict)
    assert [m["role"] for m in sent["messages"]] == ["system", "user", "assistant", "user"]
    assert sent["messages"][0]["content"] == "Answer like a pirate."
    assert sent["stream_options"] == {"include_usage": True}


def test_max_tokens_cuts_the_answer_with_finish_reason_length(
    api_root: str, mock: MockControl
) -> None:
    answer = fold(_chat(api_root, {**_ask(), "max_tokens": 3, "temperature": 0.3}).text)
    assert answer.finish_reason == "length"
    assert answer.usage is not None
    assert answer.usage["completion_tokens"] == 3
    sent = mock.requests()[-1]["body"]
    assert isinstance(sent, dict)
    assert sent["max_tokens"] == 3
    assert sent["temperature"] == 0.3


def test_rate_limit_is_retried_after_retry_after(api_root: str, mock: MockControl) -> None:
    mock.queue({"fault": "rate_limit", "retry_after": 1}, {"reply": "text", "text": "ok then"})
    started = time.monotonic()
    answer = fold(_chat(api_root, _ask()).text)
    assert answer.text == "ok then"
    assert time.monotonic() - started >= 0.9, "Retry-After was not honoured"
    assert [r["outcome"] for r in mock.requests()] == ["rate_limited", "completed"]


def test_persistent_rate_limit_tells_the_user_when_to_retry(
    api_root: str, mock: MockControl
) -> None:
    # Retry-After beyond UPSTREAM_MAX_RETRY_WAIT_SECONDS (2 s here): hand it to the user.
    mock.queue({"fault": "rate_limit", "retry_after": 30})
    response = _chat(api_root, _ask())
    body = _assert_problem(response, 429, "rate-limited")
    assert body["retry_after"] == 30
    assert response.headers["retry-after"] == "30"
    assert "30 seconds" in body["detail"]
    assert len(mock.requests()) == 1


def test_retries_are_bounded(api_root: str, mock: MockControl) -> None:
    mock.queue(*[{"fault": "server_error"}] * 5)
    response = _chat(api_root, _ask())
    body = _assert_problem(response, 502, "upstream-unavailable")
    assert "Error" not in body["detail"] and "500" not in body["detail"]
    assert len(mock.requests()) == 3  # the first call and UPSTREAM_MAX_RETRIES=2 retries


def test_server_error_before_first_token_is_retried(api_root: str, mock: MockControl) -> None:
    mock.queue({"fault": "server_error"}, {"reply": "text", "text": "recovered"})
    assert fold(_chat(api_root, _ask()).text).text == "recovered"


def test_hang_before_first_token_is_retried_then_reported(api_root: str, mock: MockControl) -> None:
    mock.queue({"fault": "hang"}, {"reply": "text", "text": "second try"})
    assert fold(_chat(api_root, _ask()).text).text == "second try"
    mock.reset()
    mock.queue(*[{"fault": "hang"}] * 3)
    _assert_problem(_chat(api_root, _ask()), 504, "upstream-timeout")


def test_prompt_blocked_by_content_filter_gets_a_plain_message(
    api_root: str, mock: MockControl
) -> None:
    mock.queue({"fault": "prompt_filter"})
    body = _assert_problem(_chat(api_root, _ask()), 400, "content-filtered")
    assert "content filter" in body["detail"]
    assert "ResponsibleAIPolicyViolation" not in str(body)
    assert len(mock.requests()) == 1, "a refused prompt must not be retried"


def test_answer_withheld_by_content_filter_keeps_the_text_so_far(
    api_root: str, mock: MockControl
) -> None:
    mock.queue(
        {
            "reply": "text",
            "text": "alpha beta gamma delta",
            "fault": "content_filter",
            "after_tokens": 2,
        }
    )
    answer = fold(_chat(api_root, _ask()).text)
    assert answer.finish_reason == "content_filter"
    assert answer.text
    assert "alpha beta gamma delta".startswith(answer.text)
    assert answer.error is None


def test_stream_cut_midway_ends_with_an_error_event_after_the_tokens(
    api_root: str, mock: MockControl
) -> None:
    mock.queue(
        {
            "reply": "text",
            "text": "alpha beta gamma delta epsilon",
            "fault": "cut",
            "after_tokens": 2,
        }
    )
    response = _chat(api_root, _ask())
    assert response.status_code == 200
    answer = fold(response.text)
    assert answer.text and "alpha beta gamma delta epsilon".startswith(answer.text)
    assert answer.error is not None
    assert answer.error["type"] == STREAM_INTERRUPTED
    assert answer.events[-1][0] == "error"
    assert "text so far is kept" in answer.error["detail"]
    assert len(mock.requests()) == 1, "tokens were sent: retrying would duplicate them"


def test_stream_that_goes_silent_midway_is_reported(api_root: str, mock: MockControl) -> None:
    mock.queue(
        {"reply": "text", "text": "alpha beta gamma delta", "fault": "hang", "after_tokens": 2}
    )
    answer = fold(_chat(api_root, _ask()).text)
    assert answer.text
    assert answer.error is not None
    assert answer.error["type"] == STREAM_INTERRUPTED
    assert "stopped sending" in answer.error["detail"]


def test_client_disconnect_cancels_the_upstream_call(api_root: str, mock: MockControl) -> None:
    mock.queue({"reply": "markdown", "tokens_per_second": 50})
    with httpx.stream("POST", f"{api_root}/api/chat", json=_ask(), headers=INVITED) as response:
        for chunk in response.iter_text():
            if "event: delta" in chunk:
                break  # the user pressed Stop
    mock.wait_for_outcome("disconnected", timeout=5)
    tokens_sent = mock.requests()[-1]["tokens_sent"]
    assert isinstance(tokens_sent, int) and tokens_sent < 100


def test_leaving_before_the_first_token_stops_the_retries(api_root: str, mock: MockControl) -> None:
    mock.queue(*[{"fault": "hang"}] * 3)
    with pytest.raises(httpx.ReadTimeout):
        httpx.post(f"{api_root}/api/chat", json=_ask(), headers=INVITED, timeout=0.5)
    deadline = time.monotonic() + 1.0  # well inside the 1.5 s first-token time-out
    while not mock.requests()[0]["client_disconnected"]:
        assert time.monotonic() < deadline, "the API kept the model call open for nobody"
        time.sleep(0.02)
    time.sleep(2)  # past the first-token time-out, which would have started a retry
    assert len(mock.requests()) == 1


@pytest.mark.parametrize(
    ("headers", "status", "slug"),
    [
        ({}, 401, "unauthenticated"),
        ({"x-ms-client-principal": "garbage!!"}, 401, "unauthenticated"),
        (UNINVITED, 403, "forbidden"),
    ],
)
def test_api_checks_the_role_itself(
    api_root: str, mock: MockControl, headers: dict[str, str], status: int, slug: str
) -> None:
    for response in (
        httpx.post(f"{api_root}/api/chat", json=_ask(), headers=headers),
        httpx.get(f"{api_root}/api/me", headers=headers),
    ):
        _assert_problem(response, status, slug)
    assert mock.requests() == [], "an unauthorised call must never reach the model"


def test_me_returns_the_caller_and_models(api_root: str) -> None:
    response = httpx.get(f"{api_root}/api/me", headers=INVITED)
    assert response.status_code == 200
    me = response.json()
    assert me["user_id"] == "user-1"
    assert me["name"] == "zoe@example.com"
    assert "invited" in me["roles"]
    assert me["models"] == [
        {
            "id": "mock-gpt",
            "name": "mock-gpt",
            "description": "",
            "reasoning": False,
            "temperature": True,
            "context_tokens": 128000,
        }
    ]
    assert me["limits"] == {
        "max_messages": 50,
        "max_message_chars": 20000,
        "max_request_bytes": 200000,
    }
    assert me["history"] is True
    assert me["usage_note"] == USAGE_NOTE_SHOWN


@pytest.mark.parametrize(
    ("content", "status", "slug"),
    [
        (b'{"messages": [', 400, "invalid-request"),
        (b'{"messages": [{"role": "wizard", "content": "hi"}]}', 400, "invalid-request"),
        (b'{"messages": [{"role": "user", "content": ""}]}', 400, "invalid-request"),
        (
            b'{"messages": [{"role": "user", "content": "hi"}], "model": "gpt-99"}',
            400,
            "invalid-request",
        ),
        (
            b'{"messages": [' + b'{"role": "user", "content": "hi"},' * 60 + b'{"role": "user",'
            b' "content": "hi"}]}',
            413,
            "payload-too-large",
        ),
        (
            b'{"messages": [{"role": "user", "content": "' + b"x" * 20_001 + b'"}]}',
            413,
            "payload-too-large",
        ),
        (
            b'{"messages": [{"role": "user", "content": "' + b"x" * 250_000 + b'"}]}',
            413,
            "payload-too-large",
        ),
    ],
)
def test_bad_input_is_refused_before_the_model_is_called(
    api_root: str, mock: MockControl, content: bytes, status: int, slug: str
) -> None:
    response = httpx.post(
        f"{api_root}/api/chat",
        content=content,
        headers={**INVITED, "content-type": "application/json"},
    )
    _assert_problem(response, status, slug)
    assert mock.requests() == []


def test_unknown_route_and_wrong_method_are_problems(api_root: str) -> None:
    _assert_problem(httpx.get(f"{api_root}/api/nope", headers=INVITED), 404, "not-found")
    _assert_problem(httpx.get(f"{api_root}/api/chat", headers=INVITED), 405, "method-not-allowed")


def test_openapi_document_describes_the_routes(api_root: str) -> None:
    document = httpx.get(f"{api_root}/api/openapi.json").json()
    assert document["openapi"].startswith("3.1")
    assert {"/api/chat", "/api/me", "/api/conversations"} <= set(document["paths"])
    assert {"get", "patch", "delete"} <= set(
        document["paths"]["/api/conversations/{conversation_id}"]
    )
    schema = document["components"]["schemas"]["ChatRequest"]
    assert {"messages", "message", "conversation_id"} <= set(schema["properties"])


def test_logs_carry_no_message_content(api_root: str, mock: MockControl) -> None:
    secret = "my-salary-is-12345-zebra"
    mock.queue({"reply": "echo"})
    assert fold(_chat(api_root, _ask(secret)).text).text == f"You said: {secret}"
    mock.queue({"fault": "cut", "reply": "echo", "after_tokens": 2})
    _chat(api_root, _ask(secret))
    time.sleep(0.2)  # let the server flush its log
    log = log_path("api").read_text(encoding="utf-8")
    assert "chat started" in log, "the API should log its requests"
    assert secret not in log


def test_the_upstream_connection_is_reused_across_chats(api_root: str, mock: MockControl) -> None:
    for _ in range(5):
        assert fold(_chat(api_root, _ask()).text).finish_reason == "stop"
    ports = {r["client_port"] for r in mock.requests()}
    assert len(ports) == 1, "each chat opened a new connection (a new TLS handshake on Azure)"
