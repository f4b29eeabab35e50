"""The mock speaks the chat-completions wire format well enough for the real openai SDK."""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from typing import Any

import httpx
import openai
import pytest
from openai.types.chat import ChatCompletionChunk, ChatCompletionMessageParam

from tools.mock_openai.control import MockControl
from tools.mock_openai.replies import MARKDOWN_SAMPLE, tokenise

ASK: list[ChatCompletionMessageParam] = [{"role": "user", "content": "Tell me everything"}]
MODEL = "gpt-4.1-mini"


def _text(chunks: Iterable[ChatCompletionChunk]) -> str:
    return "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)


def test_openai_v1_stream_reassembles_the_markdown_reply(client: openai.OpenAI) -> None:
    chunks = list(client.chat.completions.create(model=MODEL, messages=ASK, stream=True))
    assert chunks[0].choices[0].delta.role == "assistant"
    assert chunks[0].choices[0].delta.content == ""
    assert _text(chunks) == MARKDOWN_SAMPLE
    assert len(chunks) > 400, "one chunk per token"
    assert chunks[-1].choices[0].finish_reason == "stop"
    assert all(c.usage is None for c in chunks), "no usage chunk unless asked"
    assert {c.id for c in chunks} == {chunks[0].id}
    assert chunks[0].model == MODEL


def test_usage_chunk_comes_last_when_include_usage_is_set(client: openai.OpenAI) -> None:
    chunks = list(
        client.chat.completions.create(
            model=MODEL,
            messages=ASK,
            stream=True,
            stream_options={"include_usage": True},
        )
    )
    usage_chunk = chunks[-1]
    assert usage_chunk.choices == []
    assert usage_chunk.usage is not None
    content_chunks = [c for c in chunks if c.choices and c.choices[0].delta.content]
    assert usage_chunk.usage.completion_tokens == len(content_chunks)
    # ceil(18 chars / 4) + 4 for the one message
    assert usage_chunk.usage.prompt_tokens == 9
    assert usage_chunk.usage.total_tokens == 9 + len(content_chunks)
    assert chunks[-2].choices[0].finish_reason == "stop"


def test_non_streamed_completion_has_message_and_usage(client: openai.OpenAI) -> None:
    completion = client.chat.completions.create(model=MODEL, messages=ASK)
    assert completion.object == "chat.completion"
    assert completion.model == MODEL
    assert completion.choices[0].message.role == "assistant"
    assert completion.choices[0].message.content == MARKDOWN_SAMPLE
    assert completion.choices[0].finish_reason == "stop"
    assert completion.usage is not None
    assert completion.usage.total_tokens == (
        completion.usage.prompt_tokens + completion.usage.completion_tokens
    )


def test_azure_v1_endpoint_streams_with_a_leading_prompt_filter_chunk(
    mock_openai_root: str, mock_control: MockControl
) -> None:
    mock_control.queue({"reply": "echo"})
    with openai.OpenAI(
        base_url=f"{mock_openai_root}/openai/v1/", api_key="azure-key", max_retries=0
    ) as azure_v1:
        chunks = list(
            azure_v1.chat.completions.create(model="my-deployment", messages=ASK, stream=True)
        )
    # Azure's first chunk has no choices, only the prompt's content-filter verdict.
    assert chunks[0].choices == []
    assert _text(chunks) == "You said: Tell me everything"
    assert mock_control.requests()[0]["path"] == "/openai/v1/chat/completions"


def test_azure_classic_deployment_path_answers_with_the_deployment_as_model(
    mock_openai_root: str, mock_control: MockControl
) -> None:
    with openai.AzureOpenAI(
        azure_endpoint=mock_openai_root,
        api_key="azure-key",
        api_version="2024-10-21",
        max_retries=0,
    ) as azure:
        whole = azure.chat.completions.create(model="chat-deployment", messages=ASK)
        streamed = list(
            azure.chat.completions.create(model="chat-deployment", messages=ASK, stream=True)
        )
    assert whole.model == "chat-deployment"
    assert whole.choices[0].message.content == MARKDOWN_SAMPLE
    assert _text(streamed) == MARKDOWN_SAMPLE
    records = mock_control.requests()
    assert [r["path"] for r in records] == [
        "/openai/deployments/chat-deployment/chat/completions"
    ] * 2
    assert [r["authorization"] for r in records] == ["api-key", "api-key"]


def test_azure_classic_path_without_api_version_is_azure_404(mock_openai_root: str) -> None:
    response = httpx.post(
        f"{mock_openai_root}/openai/deployments/chat-deployment/chat/completions",
        json={"messages": ASK},
    )
    assert response.status_code == 404
    assert response.json() == {"error": {"code": "404", "message": "Resource not found"}}


def test_max_tokens_cuts_the_reply_with_finish_reason_length(client: openai.OpenAI) -> None:
    whole = client.chat.completions.create(model=MODEL, messages=ASK, max_tokens=5)
    assert whole.choices[0].finish_reason == "length"
    assert whole.usage is not None and whole.usage.completion_tokens == 5
    chunks = list(
        client.chat.completions.create(model=MODEL, messages=ASK, max_tokens=5, stream=True)
    )
    assert _text(chunks) == whole.choices[0].message.content
    assert chunks[-1].choices[0].finish_reason == "length"


def test_max_completion_tokens_is_honoured_too(client: openai.OpenAI) -> None:
    whole = client.chat.completions.create(model=MODEL, messages=ASK, max_completion_tokens=4)
    assert whole.choices[0].finish_reason == "length"
    assert whole.usage is not None and whole.usage.completion_tokens == 4


def test_cap_larger_than_the_reply_still_stops(
    client: openai.OpenAI, mock_control: MockControl
) -> None:
    mock_control.queue({"text": "short one"})
    whole = client.chat.completions.create(model=MODEL, messages=ASK, max_tokens=100)
    assert whole.choices[0].message.content == "short one"
    assert whole.choices[0].finish_reason == "stop"


def test_echo_reply_repeats_the_last_user_message(
    client: openai.OpenAI, mock_control: MockControl
) -> None:
    mock_control.queue({"reply": "echo"})
    messages: list[ChatCompletionMessageParam] = [
        {"role": "system", "content": "Be brief."},
        {"role": "user", "content": "first question"},
        {"role": "assistant", "content": "an answer"},
        {"role": "user", "content": [{"type": "text", "text": "Zoë's second question"}]},
    ]
    completion = client.chat.completions.create(model=MODEL, messages=messages)
    assert completion.choices[0].message.content == "You said: Zoë's second question"


def test_text_reply_is_sent_exactly(client: openai.OpenAI, mock_control: MockControl) -> None:
    text = "  Leading spaces,\n\ttabs, ünïcode 日本語 and a verylongwordthatgetssplit.  "
    mock_control.queue({"reply": "text", "text": text})
    chunks = list(client.chat.completions.create(model=MODEL, messages=ASK, stream=True))
    assert _text(chunks) == text
    assert all(len(c.choices[0].delta.content or "") <= 6 for c in chunks if c.choices)


def test_models_are_listed_on_both_base_urls(mock_openai_root: str) -> None:
    for base_url in (f"{mock_openai_root}/v1", f"{mock_openai_root}/openai/v1/"):
        with openai.OpenAI(base_url=base_url, api_key="test", max_retries=0) as sdk:
            ids = [model.id for model in sdk.models.list()]
        assert ids == ["gpt-4.1-mini", "gpt-5-mini"]


def test_many_concurrent_streams_all_complete(mock_openai_root: str) -> None:
    async def one(sdk: openai.AsyncOpenAI) -> str:
        stream = await sdk.chat.completions.create(
            model=MODEL, messages=ASK, stream=True, max_tokens=120
        )
        return "".join([c.choices[0].delta.content or "" async for c in stream if c.choices])

    async def many() -> list[str]:
        async with openai.AsyncOpenAI(
            base_url=f"{mock_openai_root}/v1", api_key="test", max_retries=0
        ) as sdk:
            return await asyncio.gather(*(one(sdk) for _ in range(20)))

    assert asyncio.run(many()) == ["".join(tokenise(MARKDOWN_SAMPLE)[:120])] * 20


def _post_raw(root: str, content: bytes | str) -> dict[str, Any]:
    response = httpx.post(
        f"{root}/v1/chat/completions",
        content=content,
        headers={"content-type": "application/json"},
    )
    assert response.status_code == 400
    body: dict[str, Any] = response.json()["error"]
    return body


def test_malformed_json_is_400_in_openai_error_format(
    mock_openai_root: str, mock_control: MockControl
) -> None:
    error = _post_raw(mock_openai_root, b'{"messages": [')
    assert error["type"] == "invalid_request_error"
    assert "parse the JSON body" in error["message"]
    assert mock_control.requests()[0]["outcome"] == "rejected"


def test_missing_messages_is_400(mock_openai_root: str) -> None:
    error = _post_raw(mock_openai_root, '{"model": "gpt-4.1-mini"}')
    assert error["param"] == "messages"
    assert error["code"] == "missing_required_parameter"


def test_unknown_url_answers_in_openai_error_format(client: openai.OpenAI) -> None:
    with pytest.raises(openai.NotFoundError) as caught:
        client.embeddings.create(model="text-embedding-3-small", input="hi")
    assert caught.value.code == "unknown_url"
