"""Each fault a behaviour can script, as the real openai SDK experiences it."""

from __future__ import annotations

import time
from collections.abc import Callable

import httpx
import httpx2  # the SDK's own HTTP client, not httpx
import openai
import pytest
from openai.types.chat import ChatCompletionMessageParam

from tools.mock_openai.control import MockControl

ASK: list[ChatCompletionMessageParam] = [{"role": "user", "content": "hello"}]
MODEL = "gpt-4.1-mini"
FIVE_WORDS = "alpha beta gamma delta epsilon"


def _stream_texts(client: openai.OpenAI, received: list[str]) -> None:
    """Streams into `received` so a test can see what arrived before an exception."""
    for chunk in client.chat.completions.create(model=MODEL, messages=ASK, stream=True):
        if chunk.choices and chunk.choices[0].delta.content:
            received.append(chunk.choices[0].delta.content)


def test_rate_limit_fault_returns_429_with_retry_after(
    client: openai.OpenAI, mock_control: MockControl
) -> None:
    mock_control.queue({"fault": "rate_limit", "retry_after": 7, "retry_after_ms": 6500})
    with pytest.raises(openai.RateLimitError) as caught:
        client.chat.completions.create(model=MODEL, messages=ASK, stream=True)
    assert caught.value.response.headers["retry-after"] == "7"
    assert caught.value.response.headers["retry-after-ms"] == "6500"
    assert caught.value.body == {
        "message": "Rate limit reached (mock). Please retry after 7 seconds.",
        "type": "requests",
        "param": None,
        "code": "429",
    }
    assert mock_control.requests()[0]["outcome"] == "rate_limited"


def test_rate_limit_retry_after_defaults_to_one_second(
    client: openai.OpenAI, mock_control: MockControl
) -> None:
    mock_control.queue({"fault": "rate_limit"})
    with pytest.raises(openai.RateLimitError) as caught:
        client.chat.completions.create(model=MODEL, messages=ASK)
    assert caught.value.response.headers["retry-after"] == "1"
    assert "retry-after-ms" not in caught.value.response.headers


def test_server_error_fault_returns_500(client: openai.OpenAI, mock_control: MockControl) -> None:
    mock_control.queue({"fault": "server_error"})
    with pytest.raises(openai.InternalServerError) as caught:
        client.chat.completions.create(model=MODEL, messages=ASK, stream=True)
    assert caught.value.status_code == 500
    assert mock_control.requests()[0]["outcome"] == "server_error"


def test_prompt_filter_fault_is_azure_content_filter_400(
    client: openai.OpenAI, mock_control: MockControl
) -> None:
    mock_control.queue({"fault": "prompt_filter"})
    with pytest.raises(openai.BadRequestError) as caught:
        client.chat.completions.create(model=MODEL, messages=ASK, stream=True)
    assert caught.value.code == "content_filter"
    assert isinstance(caught.value.body, dict)
    assert caught.value.body["innererror"]["code"] == "ResponsibleAIPolicyViolation"
    assert caught.value.body["innererror"]["content_filter_result"]["hate"]["filtered"] is True
    assert mock_control.requests()[0]["outcome"] == "prompt_filtered"


def test_content_filter_fault_finishes_early_with_content_filter(
    client: openai.OpenAI, mock_control: MockControl
) -> None:
    mock_control.queue(
        {"text": FIVE_WORDS, "fault": "content_filter", "after_tokens": 2, "usage": True}
    )
    chunks = list(client.chat.completions.create(model=MODEL, messages=ASK, stream=True))
    text = "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)
    assert text == "alpha beta"
    assert chunks[-2].choices[0].finish_reason == "content_filter"
    assert chunks[-1].usage is not None and chunks[-1].usage.completion_tokens == 2
    record = mock_control.requests()[0]
    assert (record["outcome"], record["tokens_sent"]) == ("content_filter", 2)


def test_content_filter_fault_without_streaming(
    client: openai.OpenAI, mock_control: MockControl
) -> None:
    mock_control.queue({"text": FIVE_WORDS, "fault": "content_filter"})
    completion = client.chat.completions.create(model=MODEL, messages=ASK)
    assert completion.choices[0].finish_reason == "content_filter"
    assert completion.choices[0].message.content == "alpha beta gamma"


def test_cut_fault_makes_the_sdk_raise_mid_stream_after_n_tokens(
    client: openai.OpenAI, mock_control: MockControl
) -> None:
    mock_control.queue({"text": FIVE_WORDS, "fault": "cut", "after_tokens": 4})
    received: list[str] = []
    with pytest.raises(openai.APIConnectionError) as caught:
        _stream_texts(client, received)
    assert not isinstance(caught.value, openai.APITimeoutError)
    assert isinstance(caught.value.__cause__, httpx2.RemoteProtocolError)
    assert received == ["alpha", " beta", " gamma", " delta"]
    record = mock_control.requests()[0]
    assert (record["outcome"], record["tokens_sent"]) == ("cut", 4)


def test_cut_fault_breaks_a_non_streamed_body_too(
    client: openai.OpenAI, mock_control: MockControl
) -> None:
    mock_control.queue({"fault": "cut"})
    with pytest.raises(openai.APIConnectionError):
        client.chat.completions.create(model=MODEL, messages=ASK)


def test_hang_fault_times_out_a_client_waiting_for_headers(
    client: openai.OpenAI, mock_control: MockControl
) -> None:
    mock_control.queue({"fault": "hang"})
    started = time.monotonic()
    with pytest.raises(openai.APITimeoutError):
        client.with_options(timeout=0.3).chat.completions.create(model=MODEL, messages=ASK)
    assert time.monotonic() - started < 2
    record = mock_control.requests()[0]
    assert record["outcome"] == "hung"
    _wait_until(lambda: mock_control.requests()[0]["client_disconnected"] is True)


def test_hang_after_tokens_goes_silent_mid_stream(
    client: openai.OpenAI, mock_control: MockControl
) -> None:
    mock_control.queue({"text": FIVE_WORDS, "fault": "hang", "after_tokens": 2})
    received: list[str] = []
    with pytest.raises(openai.APITimeoutError):
        _stream_texts(client.with_options(timeout=0.3), received)
    assert received == ["alpha", " beta"]
    record = mock_control.requests()[0]
    assert (record["outcome"], record["tokens_sent"]) == ("hung", 2)


def test_client_disconnect_mid_stream_is_recorded_as_disconnected(
    client: openai.OpenAI, mock_control: MockControl
) -> None:
    mock_control.queue({"reply": "markdown", "tokens_per_second": 40})
    stream = client.chat.completions.create(model=MODEL, messages=ASK, stream=True)
    for _ in range(3):
        next(stream)
    assert mock_control.requests()[0]["outcome"] is None, "still streaming"
    stream.close()
    record = mock_control.wait_for_outcome("disconnected", index=0)
    assert record["client_disconnected"] is True
    assert 1 <= record["tokens_sent"] < 20


def test_disconnect_during_first_token_latency_is_recorded(
    mock_openai_root: str, mock_control: MockControl
) -> None:
    mock_control.queue({"first_token_latency_ms": 5000})
    with pytest.raises(httpx.ReadTimeout):
        httpx.post(
            f"{mock_openai_root}/v1/chat/completions",
            json={"model": MODEL, "messages": ASK, "stream": True},
            timeout=0.2,
        )
    record = mock_control.wait_for_outcome("disconnected", index=0)
    assert record["tokens_sent"] == 0


def test_first_token_latency_and_pace_are_applied(
    client: openai.OpenAI, mock_control: MockControl
) -> None:
    mock_control.queue({"text": FIVE_WORDS, "first_token_latency_ms": 200, "tokens_per_second": 25})
    started = time.monotonic()
    arrivals: list[float] = []
    for chunk in client.chat.completions.create(model=MODEL, messages=ASK, stream=True):
        if chunk.choices and chunk.choices[0].delta.content:
            arrivals.append(time.monotonic() - started)
    assert arrivals[0] >= 0.19
    # Five tokens at 25 per second: four gaps of 40 ms.
    assert arrivals[-1] - arrivals[0] >= 0.12


def test_behaviour_header_overrides_the_queue_without_consuming_it(
    client: openai.OpenAI, mock_control: MockControl
) -> None:
    mock_control.queue({"fault": "rate_limit"})
    completion = client.chat.completions.create(
        model=MODEL, messages=ASK, extra_headers={"x-mock-behaviour": '{"reply": "echo"}'}
    )
    assert completion.choices[0].message.content == "You said: hello"
    with pytest.raises(openai.RateLimitError):
        client.chat.completions.create(model=MODEL, messages=ASK)


def test_queue_is_first_in_first_out_then_the_default(
    client: openai.OpenAI, mock_control: MockControl
) -> None:
    mock_control.queue({"text": "one"}, {"text": "two"})
    assert [b["text"] for b in mock_control.pending()] == ["one", "two"]
    answers = [
        client.chat.completions.create(model=MODEL, messages=ASK, max_tokens=2)
        .choices[0]
        .message.content
        for _ in range(3)
    ]
    assert answers == ["one", "two", "## Strea"]
    assert mock_control.pending() == []


def test_invalid_behaviours_are_refused(mock_openai_root: str, mock_control: MockControl) -> None:
    for bad in ({"fault": "explode"}, {"faults": "cut"}, {"reply": "text"}, {"after_tokens": -1}):
        response = httpx.post(f"{mock_openai_root}/_mock/behaviours", json=[bad])
        assert response.status_code == 400, bad
        assert response.json()["error"]["message"].startswith("behaviour 0:")
    assert mock_control.pending() == []


def test_invalid_behaviour_header_is_refused(client: openai.OpenAI) -> None:
    with pytest.raises(openai.BadRequestError) as caught:
        client.chat.completions.create(
            model=MODEL, messages=ASK, extra_headers={"x-mock-behaviour": "{not json"}
        )
    assert caught.value.code == "invalid_mock_behaviour"


def test_reset_and_delete_clear_the_queue_and_the_log(
    client: openai.OpenAI, mock_openai_root: str, mock_control: MockControl
) -> None:
    for method, path in (("DELETE", "/_mock/behaviours"), ("POST", "/_mock/reset")):
        client.chat.completions.create(model=MODEL, messages=ASK, max_tokens=1)
        mock_control.queue({"fault": "server_error"})
        assert httpx.request(method, f"{mock_openai_root}{path}").status_code == 200
        assert mock_control.requests() == []
        assert mock_control.pending() == []


def _wait_until(condition: Callable[[], bool], timeout: float = 2.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "condition not met in time"
        time.sleep(0.02)
