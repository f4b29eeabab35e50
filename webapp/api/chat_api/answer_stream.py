"""Call the model and wait for its first token (docs/http_protocol.md).

`open_answer` calls the model and waits for the first token, retrying 429s, 5xx,
connection errors and time-outs within bounds; a failure there is an ordinary HTTP error.
Once a token exists the response is committed (200, text/event-stream) and
answer_relay.py relays the rest.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
import time
from collections.abc import AsyncIterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import anyio

from chat_api import upstream_errors
from chat_api.model_profiles import Sampling
from chat_api.problems import Problem
from chat_api.settings import RetryPolicy
from chat_api.upstream_stream import AnswerRelay, UpstreamStreamError

if TYPE_CHECKING:
    import httpx2
    from openai import AsyncOpenAI
    from openai.types.chat import ChatCompletionMessageParam

log = logging.getLogger("chat_api.answer")

# SWA cuts every API request at 45 s; give up early enough to answer with a clear error.
TOTAL_BUDGET_SECONDS = 40.0
_BACKOFF_BASE_SECONDS = 0.5
_DRAIN_SECONDS = 1.0


@dataclass(frozen=True)
class ModelCall:
    model: str
    messages: list[ChatCompletionMessageParam]
    sampling: Sampling


@dataclass
class OpenedAnswer:
    """An upstream stream that has produced its first token (or ended before any)."""

    response: httpx2.Response
    reads: AsyncIterator[bytes]
    relay: AnswerRelay
    first_events: bytes
    attempts: int

    async def close(self) -> None:
        # Shielded: on a client disconnect this runs inside a cancelled scope, and the
        # upstream connection must still be closed so the model stops generating.
        with anyio.CancelScope(shield=True):
            if self.relay.is_finished():
                # After [DONE] only the end of the HTTP body is left. Reading it returns the
                # connection to the pool; closing it unread would drop it, and the next chat
                # would pay a new TCP and TLS handshake.
                with anyio.move_on_after(_DRAIN_SECONDS), contextlib.suppress(Exception):
                    async for _ in self.reads:
                        pass
            await self.response.aclose()


async def open_answer(
    client: AsyncOpenAI, call: ModelCall, policy: RetryPolicy, request_id: str
) -> OpenedAnswer:
    """Start the model's answer, retrying until its first token; raise a Problem if none."""
    import httpx2
    import openai

    # Worth another attempt before the first token: 5xx, the network, time-outs, and a
    # stream that broke or arrived garbled (ValueError from json) before any text.
    retryable = (
        openai.InternalServerError,
        openai.APIConnectionError,
        httpx2.TransportError,
        TimeoutError,
        ValueError,
        UpstreamStreamError,
    )
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
        except retryable as error:
            timed_out = is_timeout(error)
            log.warning(
                "upstream %s (request %s, attempt %d)",
                "time-out" if timed_out else describe(error),
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
    import httpx2

    # The SDK makes the request (base URL, key or Entra token, errors as exceptions); we
    # read its raw stream (upstream_stream.py explains why).
    response = await client.post(
        "/chat/completions", cast_to=httpx2.Response, body=_request_body(call), stream=True
    )
    reads = response.aiter_bytes()
    relay = AnswerRelay()
    first_events = b""
    try:
        # Azure sends a first chunk with no choices (prompt filter results) and OpenAI one
        # with only the role: read on until a token or the end shows up.
        async for upstream_bytes in reads:
            first_events += relay.relay(upstream_bytes)
            if relay.has_text or relay.finish_reason or relay.is_finished():
                break
    except BaseException:
        with anyio.CancelScope(shield=True):
            await response.aclose()
        raise
    return OpenedAnswer(response, reads, relay, first_events, attempt)


def _request_body(call: ModelCall) -> dict[str, Any]:
    body: dict[str, Any] = {
        "model": call.model,
        "messages": call.messages,
        "stream": True,
        # The last chunk then carries token counts (usage tracking builds on it).
        "stream_options": {"include_usage": True},
    }
    sampling = call.sampling
    for name in ("temperature", "max_tokens", "max_completion_tokens"):
        value = getattr(sampling, name)
        if value is not None:
            body[name] = value
    return body


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


def is_timeout(error: BaseException) -> bool:
    return isinstance(error, TimeoutError) or "timeout" in type(error).__name__.lower()


def describe(error: BaseException) -> str:
    # Only the class name: messages can carry prompt text or deployment details.
    return type(error).__name__
