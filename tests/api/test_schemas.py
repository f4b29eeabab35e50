from __future__ import annotations

import json

import pytest

from chat_api.problems import Problem
from chat_api.schemas import parse_chat_request
from chat_api.settings import Limits

LIMITS = Limits(max_messages=3, max_message_chars=50, max_request_bytes=10_000)


def _problem(body: object) -> Problem:
    raw = body if isinstance(body, bytes) else json.dumps(body).encode()
    with pytest.raises(Problem) as caught:
        parse_chat_request(raw, LIMITS)
    return caught.value


def _user(text: str = "hi") -> dict[str, str]:
    return {"role": "user", "content": text}


def test_a_valid_conversation_parses() -> None:
    request = parse_chat_request(
        json.dumps(
            {
                "messages": [_user(), {"role": "assistant", "content": "yo"}, _user()],
                "system": "be brief",
                "temperature": 1,
                "max_tokens": 10,
            }
        ).encode(),
        LIMITS,
    )
    assert request.messages is not None
    assert len(request.messages) == 3
    assert request.temperature == 1.0


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"messages": [{"role": "system", "content": "x"}]}, "messages[0].role"),
        ({"messages": [{"role": "user", "content": 5}]}, "messages[0].content"),
        ({"messages": "hello"}, "messages"),
        ({"messages": []}, "messages"),
        ({}, "message"),
        ({"messages": [_user()], "temperature": "hot"}, "temperature"),
        ({"messages": [_user()], "temperature": 2.5}, "temperature"),
        ({"messages": [_user()], "max_tokens": 0}, "max_tokens"),
        ({"messages": [_user()], "temprature": 1}, "temprature"),
        ({"messages": [_user(" \n ")]}, "messages[0].content"),
        ({"messages": [_user(), {"role": "assistant", "content": "x"}]}, "messages[1].role"),
    ],
)
def test_bad_input_is_400_naming_the_field(body: object, field: str) -> None:
    problem = _problem(body)
    assert problem.status == 400
    assert problem.errors is not None
    assert problem.errors[0]["field"] == field
    assert "pydantic" not in problem.detail.lower()


def test_malformed_json_is_400() -> None:
    problem = _problem(b'{"messages": [')
    assert problem.status == 400
    assert problem.detail == "The request body is not valid JSON."


def test_too_many_messages_is_413() -> None:
    problem = _problem({"messages": [_user()] * 4})
    assert problem.status == 413
    assert "at most 3 messages" in problem.detail


def test_oversized_message_is_413() -> None:
    problem = _problem({"messages": [_user("x" * 51)]})
    assert problem.status == 413


def test_oversized_system_prompt_is_413() -> None:
    assert _problem({"messages": [_user()], "system": "x" * 51}).status == 413
