"""What the mock checks in a request, and what it records about each one."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import openai
import pytest
from openai.types.chat import ChatCompletionMessageParam

from tests.support.servers import running_mock_openai
from tools.mock_openai.control import MockControl

ASK: list[ChatCompletionMessageParam] = [{"role": "user", "content": "hello"}]


@pytest.mark.parametrize("model", ["o1", "o3-mini", "o4-mini", "gpt-5-mini", "GPT-5.4"])
def test_reasoning_model_refuses_max_tokens(client: openai.OpenAI, model: str) -> None:
    with pytest.raises(openai.BadRequestError) as caught:
        client.chat.completions.create(model=model, messages=ASK, max_tokens=10)
    assert (caught.value.code, caught.value.param) == ("unsupported_parameter", "max_tokens")
    assert "max_completion_tokens" in caught.value.message


def test_reasoning_model_refuses_temperature_other_than_one(client: openai.OpenAI) -> None:
    with pytest.raises(openai.BadRequestError) as caught:
        client.chat.completions.create(model="o3", messages=ASK, temperature=0.7)
    assert (caught.value.code, caught.value.param) == ("unsupported_value", "temperature")
    completion = client.chat.completions.create(
        model="o3", messages=ASK, temperature=1, max_completion_tokens=3
    )
    assert completion.choices[0].finish_reason == "length"


def test_other_models_accept_max_tokens_and_temperature(client: openai.OpenAI) -> None:
    completion = client.chat.completions.create(
        model="gpt-4o", messages=ASK, temperature=0.2, max_tokens=2
    )
    assert completion.usage is not None and completion.usage.completion_tokens == 2


def test_stream_options_without_stream_is_refused(client: openai.OpenAI) -> None:
    with pytest.raises(openai.BadRequestError) as caught:
        client.chat.completions.create(
            model="gpt-4o", messages=ASK, stream_options={"include_usage": True}
        )
    assert caught.value.param == "stream_options"


def test_request_log_records_each_chat_request_in_order(
    client: openai.OpenAI, mock_control: MockControl
) -> None:
    mock_control.queue({"reply": "echo"})
    client.chat.completions.create(model="gpt-4o", messages=ASK, max_tokens=2)
    list(client.chat.completions.create(model="gpt-4.1", messages=ASK, stream=True))
    with pytest.raises(openai.BadRequestError):
        client.chat.completions.create(model="o3", messages=ASK, max_tokens=2)
    first, second, third = mock_control.requests()
    assert isinstance(first.pop("client_port"), int)
    assert first == {
        "path": "/v1/chat/completions",
        "model": "gpt-4o",
        "stream": False,
        "body": {"model": "gpt-4o", "messages": ASK, "max_tokens": 2},
        "authorization": "bearer",
        "behaviour": {"reply": "echo"},
        "outcome": "completed",
        "tokens_sent": 2,
        "client_disconnected": False,
    }
    assert (second["model"], second["stream"], second["outcome"]) == ("gpt-4.1", True, "completed")
    assert second["tokens_sent"] > 400
    assert (third["model"], third["outcome"], third["behaviour"]) == ("o3", "rejected", None)


def test_request_without_a_key_is_recorded_as_unauthenticated(
    mock_openai_root: str, mock_control: MockControl
) -> None:
    response = httpx.post(
        f"{mock_openai_root}/v1/chat/completions", json={"model": "gpt-4o", "messages": ASK}
    )
    assert response.status_code == 200, "without --api-key any key, or none, is accepted"
    assert mock_control.requests()[0]["authorization"] is None


@pytest.fixture(scope="module")
def keyed_root() -> Iterator[str]:
    with running_mock_openai("mock_openai_tests_keyed", "--api-key", "right-key") as root:
        yield root


def test_api_key_is_enforced_when_configured(keyed_root: str) -> None:
    with openai.OpenAI(base_url=f"{keyed_root}/v1", api_key="wrong", max_retries=0) as wrong:
        with pytest.raises(openai.AuthenticationError) as caught:
            wrong.chat.completions.create(model="gpt-4o", messages=ASK)
        assert caught.value.code == "invalid_api_key"
        with pytest.raises(openai.AuthenticationError):
            wrong.models.list()
    no_key = httpx.post(f"{keyed_root}/v1/chat/completions", json={"model": "m", "messages": ASK})
    assert no_key.status_code == 401
    assert no_key.json()["error"]["code"] == "invalid_api_key"


def test_right_key_is_accepted_as_bearer_or_api_key(keyed_root: str) -> None:
    with openai.OpenAI(base_url=f"{keyed_root}/v1", api_key="right-key", max_retries=0) as sdk:
        assert sdk.chat.completions.create(model="gpt-4o", messages=ASK, max_tokens=1).choices
    with openai.AzureOpenAI(
        azure_endpoint=keyed_root, api_key="right-key", api_version="2024-10-21", max_retries=0
    ) as azure:
        assert azure.chat.completions.create(model="dep", messages=ASK, max_tokens=1).choices
    with MockControl(keyed_root) as keyed:
        records = keyed.requests()
    # The last two: this folder's autouse reset only clears the main server.
    assert [(r["authorization"], r["outcome"]) for r in records[-2:]] == [
        ("bearer", "completed"),
        ("api-key", "completed"),
    ]
