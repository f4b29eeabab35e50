"""How server defaults, the request and a behaviour combine into one answer (no server)."""

from __future__ import annotations

import pytest

from tools.mock_openai.behaviours import Behaviour
from tools.mock_openai.chat_request import ChatRequest
from tools.mock_openai.config import MockConfig, parse_config
from tools.mock_openai.plan import plan_answer
from tools.mock_openai.replies import MARKDOWN_SAMPLE, tokenise

MARKDOWN_TOKENS = len(tokenise(MARKDOWN_SAMPLE))


def _request(
    *, stream: bool = True, include_usage: bool = False, max_tokens: int | None = None
) -> ChatRequest:
    return ChatRequest(
        model="gpt-4.1-mini",
        messages=[{"role": "user", "content": "hi"}],
        stream=stream,
        include_usage=include_usage,
        max_tokens=max_tokens,
    )


def test_command_line_sets_the_server_defaults() -> None:
    assert parse_config([]) == MockConfig()
    config = parse_config(
        [
            *("--port", "0", "--first-token-latency-ms", "250"),
            *("--tokens-per-second", "40", "--reply", "echo", "--api-key", "k"),
        ]
    )
    assert config == MockConfig(
        port=0, first_token_latency_ms=250, tokens_per_second=40, reply="echo", api_key="k"
    )


def test_server_defaults_apply_without_a_behaviour() -> None:
    config = MockConfig(first_token_latency_ms=250, tokens_per_second=40, reply="echo")
    plan = plan_answer(config, _request(), None)
    assert plan.content == "You said: hi"
    assert (plan.first_token_delay, plan.token_interval) == (0.25, 0.025)
    assert (plan.finish_reason, plan.fault, plan.include_usage) == ("stop", None, False)


def test_behaviour_overrides_the_defaults() -> None:
    config = MockConfig(first_token_latency_ms=250, tokens_per_second=40, reply="echo")
    behaviour = Behaviour(reply="markdown", first_token_latency_ms=0, tokens_per_second=0)
    plan = plan_answer(config, _request(), behaviour)
    assert plan.content == MARKDOWN_SAMPLE
    assert (plan.first_token_delay, plan.token_interval) == (0.0, 0.0)


@pytest.mark.parametrize(
    ("stream", "include_usage", "usage", "expected"),
    [
        (True, False, None, False),
        (True, True, None, True),
        (False, False, None, True),
        (True, False, True, True),
        (False, False, False, False),
    ],
)
def test_usage_follows_the_request_unless_the_behaviour_says(
    *, stream: bool, include_usage: bool, usage: bool | None, expected: bool
) -> None:
    plan = plan_answer(
        MockConfig(), _request(stream=stream, include_usage=include_usage), Behaviour(usage=usage)
    )
    assert plan.include_usage is expected


@pytest.mark.parametrize(
    ("fault", "after_tokens", "count", "finish_reason"),
    [
        ("cut", None, 3, None),
        ("hang", None, 0, None),
        ("content_filter", None, 3, "content_filter"),
        ("content_filter", 10_000, MARKDOWN_TOKENS, "content_filter"),
        ("cut", 7, 7, None),
    ],
)
def test_mid_answer_faults_stop_after_tokens(
    fault: str, after_tokens: int | None, count: int, finish_reason: str | None
) -> None:
    behaviour = Behaviour.model_validate({"fault": fault, "after_tokens": after_tokens})
    plan = plan_answer(MockConfig(), _request(), behaviour)
    assert (plan.token_count, plan.finish_reason) == (count, finish_reason)


def test_max_tokens_shorter_than_the_reply_finishes_with_length() -> None:
    plan = plan_answer(MockConfig(), _request(max_tokens=5), None)
    assert (plan.token_count, plan.finish_reason) == (5, "length")
