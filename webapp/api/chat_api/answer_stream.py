"""Call the model and turn its stream into our events (docs/http_protocol.md).

Two phases. `open_answer` calls the model and waits for the first token, retrying 429s,
5xx, connection errors and time-outs within bounds; a failure there is an ordinary HTTP
error. Once a token exists the response is committed (200, text/event-stream) and
`answer_events` relays the rest; a failure then becomes an `error` event after the text
already sent. Per-chunk work is kept to attribute reads and one json.dumps.
"""

from __future__ import annotations

import asyncio
import logging
import random
import time
from collections.abc import AsyncIterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

import anyio

from chat_api import events, upstream_errors
from chat_api.model_profiles import Sampling
from chat_api.problems import Problem
from chat_api.settings import RetryPolicy

if TYPE_CHECKING:
    from openai import AsyncOpenAI, AsyncStream, Omit
    from openai.types.chat import ChatCompletionChunk, ChatCompletionMessageParam

log = logging.getLogger("chat_api.answer")

# SWA cuts every API request at 45 s; give up early enough to answer with a clear error.
TOTAL_BUDGET_SECONDS = 40.0
_BACKOFF_BASE_SECONDS = 0.5


@dataclass(frozen=True)
class ModelCall:
    model: str
    messages: list[ChatCompletionMessageParam]
    sampling: Sampling


@dataclass
class OpenedAnswer:
    """An upstream stream that has produced its first token (or ended before any)."""

    stream: AsyncStream[ChatCompletionChunk]
    iterator: AsyncIterator[ChatCompletionChunk]
    pending: list[ChatCompletionChunk]
    attempts: int

    async def close(self) -> None:
        # Shielded: on a client disconnect this runs inside a cancelled scope, and the
        # upstream connection must still be closed so the model stops generating.
        with anyio.CancelScope(shield=True):
            await self.stream.close()


async def open_answer(
    client: AsyncOpenAI, call: ModelCall, policy: RetryPolicy, request_id: str
) -> OpenedAnswer:
    """Start the model's answer, retrying until its first token; raise a Problem if none."""
    import openai

    deadline = time.monotonic() + TOTAL_BUDGET_SECONDS
    attempt = 0
    while True:
        attempt += 1
        remaining = deadline - time.monotonic()
        try:
            async with asyncio.timeout(min(policy.first_token_timeout, remaining)):
                return await _start(client, call, attempt)
        except openai.RateLimitError as error:
            wait = _retry_after_seconds(error.response.headers, attempt)
            log.warning(
                "upstream 429 (request %s, attempt %d, retry after %.1fs)",
                request_id,
                attempt,
                wait,
            )
            if (
                attempt > policy.max_retries
                or wait > policy.max_retry_wait
                or time.monotonic() + wait >= deadline
            ):
                raise upstream_errors.rate_limited(wait) from None
            await asyncio.sleep(wait)
        except (openai.InternalServerError, openai.APIConnectionError, TimeoutError) as error:
            timed_out = isinstance(error, TimeoutError | openai.APITimeoutError)
            log.warning(
                "upstream %s (request %s, attempt %d)",
                "time-out" if timed_out else _describe(error),
                request_id,
                attempt,
            )
            wait = _backoff(attempt)
            if attempt > policy.max_retries or time.monotonic() + wait >= deadline:
                raise (
                    upstream_errors.timed_out() if timed_out else upstream_errors.unavailable()
                ) from None
            await asyncio.sleep(wait)
        except openai.APIStatusError as error:
            raise _refusal(error, request_id) from None


async def _start(client: AsyncOpenAI, call: ModelCall, attempt: int) -> OpenedAnswer:
    from openai import omit

    sampling = call.sampling
    stream = await client.chat.completions.create(
        model=call.model,
        messages=call.messages,
        stream=True,
        stream_options={"include_usage": True},
        temperature=_or_omit(sampling.temperature, omit),
        max_tokens=_or_omit(sampling.max_tokens, omit),
        max_completion_tokens=_or_omit(sampling.max_completion_tokens, omit),
    )
    iterator = stream.__aiter__()
    pending: list[ChatCompletionChunk] = []
    try:
        # Azure sends a first chunk with no choices (prompt filter results) and OpenAI one
        # with only the role: buffer those until a token or the end shows up.
        async for chunk in iterator:
            pending.append(chunk)
            choice = chunk.choices[0] if chunk.choices else None
            if choice is not None and (choice.delta.content or choice.finish_reason):
                break
    except BaseException:
        with anyio.CancelScope(shield=True):
            await stream.close()
        raise
    return OpenedAnswer(stream=stream, iterator=iterator, pending=pending, attempts=attempt)


async def answer_events(
    opened: OpenedAnswer, *, model: str, request_id: str
) -> AsyncIterator[bytes]:
    """Relay the opened answer as SSE bytes. Always ends with `done` or `error`."""
    yield events.start(model, request_id)
    finish_reason: str | None = None
    usage: Any = None
    chunks_sent = 0
    try:
        for chunk in opened.pending:
            finish_reason, usage, sent = _relay(chunk, finish_reason, usage)
            if sent is not None:
                chunks_sent += 1
                yield sent
        async for chunk in opened.iterator:
            finish_reason, usage, sent = _relay(chunk, finish_reason, usage)
            if sent is not None:
                chunks_sent += 1
                yield sent
    except Exception as error:  # anything after the first token becomes an error event
        idle = _is_timeout(error)
        log.warning(
            "upstream stream broke after %d chunks (request %s): %s",
            chunks_sent,
            request_id,
            _describe(error),
        )
        problem = upstream_errors.stream_interrupted(idle=idle)
        yield events.error(problem.body(request_id))
        return
    finally:
        await opened.close()
    if usage is not None:
        yield events.usage(usage.prompt_tokens, usage.completion_tokens, usage.total_tokens)
    yield events.done(finish_reason or "stop")


def _relay(
    chunk: ChatCompletionChunk, finish_reason: str | None, usage: Any
) -> tuple[str | None, Any, bytes | None]:
    if chunk.usage is not None:
        usage = chunk.usage
    if not chunk.choices:
        return finish_reason, usage, None
    choice = chunk.choices[0]
    if choice.finish_reason:
        finish_reason = choice.finish_reason
    text = choice.delta.content if choice.delta is not None else None
    return finish_reason, usage, events.delta(text) if text else None


_T = TypeVar("_T")


def _or_omit(value: _T | None, omit: Omit) -> _T | Omit:
    return omit if value is None else value


def _refusal(error: Any, request_id: str) -> Problem:
    """A 4xx from the model service that retrying will not fix."""
    status: int = error.status_code
    code = (error.code or "").lower()
    log.warning("upstream refused with %d %s (request %s)", status, code or "-", request_id)
    if code == "content_filter":
        return upstream_errors.content_filtered()
    if code == "context_length_exceeded":
        return upstream_errors.context_too_long()
    if status in (401, 403, 404):
        return upstream_errors.misconfigured()
    return upstream_errors.rejected()


def _retry_after_seconds(headers: Mapping[str, str], attempt: int) -> float:
    for name, scale in (("retry-after-ms", 0.001), ("retry-after", 1.0)):
        raw = headers.get(name)
        if raw is not None:
            try:
                return max(0.0, float(raw) * scale)
            except ValueError:
                continue  # an HTTP date; rare from model services, fall back to backoff
    return _backoff(attempt)


def _backoff(attempt: int) -> float:
    base: float = _BACKOFF_BASE_SECONDS * 2 ** (attempt - 1)
    return base * (0.75 + random.random() / 2)  # noqa: S311 (jitter, not cryptography)


def _is_timeout(error: BaseException) -> bool:
    return isinstance(error, TimeoutError) or "timeout" in type(error).__name__.lower()


def _describe(error: BaseException) -> str:
    # Only the class name: messages can carry prompt text or deployment details.
    return type(error).__name__
