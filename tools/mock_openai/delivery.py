"""Sending a planned answer, paced, with its faults, while noticing a client that leaves.

These are raw ASGI senders rather than Starlette's StreamingResponse so that the mock can
hold a request open without sending headers (`hang`), break a response off mid-body
(`cut`), and record the moment a client disconnects without waiting for the next write.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Callable, Coroutine
from typing import Any

from starlette.responses import Response
from starlette.types import Receive, Scope, Send

from tools.mock_openai.plan import AnswerPlan
from tools.mock_openai.request_log import RequestRecord
from tools.mock_openai.wire import (
    DONE,
    ChunkEncoder,
    azure_prompt_filter_chunk,
    completion_json,
    content_filter_results,
    usage_json,
)

# With no pacing, a stream still lets the event loop run now and then, so that many
# concurrent streams interleave instead of each one monopolising the loop until it ends.
YIELD_EVERY_TOKENS = 8

Sender = Callable[[Send], Coroutine[Any, Any, None]]

SSE_HEADERS = [
    (b"content-type", b"text/event-stream; charset=utf-8"),
    (b"cache-control", b"no-cache"),
]


class DeliberateCut(Exception):
    """Raised mid-response so that the server drops the connection without ending the body."""


class HideExpectedTracebacks(logging.Filter):
    """Keeps uvicorn from logging a traceback for every `cut` fault, and for each request
    still hanging or streaming when the server stops (it cancels them after a grace period).
    """

    def filter(self, record: logging.LogRecord) -> bool:
        if not record.exc_info:
            return True
        return not isinstance(record.exc_info[1], DeliberateCut | asyncio.CancelledError)


def _body(data: bytes, *, more: bool = True) -> dict[str, Any]:
    return {"type": "http.response.body", "body": data, "more_body": more}


async def _wait_forever() -> None:
    await asyncio.Event().wait()


async def _wait_for_disconnect(receive: Receive) -> None:
    while (await receive())["type"] != "http.disconnect":
        pass


class WatchedResponse(Response):
    """Runs a sender while watching for the client to go away, and records when it does.

    The request body has been read by the time this runs, so the next `receive()` only
    returns when the client disconnects (or the response completes), which makes the
    `disconnected` outcome visible within milliseconds, even during a long pause.
    """

    def __init__(self, sender: Sender, record: RequestRecord) -> None:
        # Response's own initialiser is skipped: it prepares a body this class never sends.
        self._sender = sender
        self._record = record

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        work = asyncio.create_task(self._sender(send))
        client_left = asyncio.create_task(_wait_for_disconnect(receive))
        try:
            await asyncio.wait((work, client_left), return_when=asyncio.FIRST_COMPLETED)
        except asyncio.CancelledError:
            work.cancel()
            client_left.cancel()
            raise
        if work.done():
            client_left.cancel()
            work.result()  # re-raises DeliberateCut, so the server drops the connection
            return
        self._record.client_disconnected = True
        if self._record.outcome is None:
            self._record.outcome = "disconnected"
        work.cancel()
        await asyncio.wait((work,))
        if not work.cancelled():
            work.exception()  # retrieved, so asyncio does not log it: nobody is listening


class AnswerSender:
    """Sends one planned answer, streamed or whole, and keeps its record up to date."""

    def __init__(
        self,
        *,
        plan: AnswerPlan,
        record: RequestRecord,
        completion_id: str,
        created: int,
        model: str,
        azure: bool,
    ) -> None:
        self._plan = plan
        self._record = record
        self._completion_id = completion_id
        self._created = created
        self._model = model
        self._azure = azure

    def _headers(self, content_type: list[tuple[bytes, bytes]]) -> list[tuple[bytes, bytes]]:
        return [*content_type, (b"x-request-id", self._completion_id.encode())]

    def _finished_outcome(self) -> None:
        self._record.outcome = (
            "content_filter" if self._plan.finish_reason == "content_filter" else "completed"
        )

    async def stream(self, send: Send) -> None:
        plan, record = self._plan, self._record
        if plan.fault == "hang":
            record.outcome = "hung"
            if plan.token_count == 0:
                await _wait_forever()
        if plan.first_token_delay:
            await asyncio.sleep(plan.first_token_delay)
        await send(
            {"type": "http.response.start", "status": 200, "headers": self._headers(SSE_HEADERS)}
        )
        encoder = ChunkEncoder(
            completion_id=self._completion_id, created=self._created, model=self._model
        )
        opening = encoder.role()
        await send(_body(azure_prompt_filter_chunk() + opening if self._azure else opening))
        await self._send_tokens(send, encoder)
        if plan.fault == "hang":
            await _wait_forever()
        if plan.fault == "cut":
            record.outcome = "cut"
            raise DeliberateCut
        assert plan.finish_reason is not None
        ending = encoder.finish(plan.finish_reason)
        if plan.include_usage:
            ending += encoder.usage(plan.prompt_tokens, plan.token_count)
        self._finished_outcome()
        await send(_body(ending + DONE, more=False))

    async def _send_tokens(self, send: Send, encoder: ChunkEncoder) -> None:
        plan, record = self._plan, self._record
        encoded = plan.encoded_tokens
        interval = plan.token_interval
        loop = asyncio.get_running_loop()
        # Pacing against a schedule rather than sleeping a fixed interval keeps the rate
        # right even when sends and a busy loop eat into each gap.
        due = loop.time()
        for index in range(plan.token_count):
            if interval:
                if index:
                    due += interval
                    await asyncio.sleep(max(0.0, due - loop.time()))
            elif index % YIELD_EVERY_TOKENS == YIELD_EVERY_TOKENS - 1:
                await asyncio.sleep(0)
            await send(_body(encoder.token(encoded[index])))
            record.tokens_sent += 1

    async def whole(self, send: Send) -> None:
        plan, record = self._plan, self._record
        if plan.fault == "hang":
            record.outcome = "hung"
            await _wait_forever()
        # A non-streamed answer arrives when the whole answer would have been generated.
        delay = plan.first_token_delay + plan.token_interval * plan.token_count
        if delay:
            await asyncio.sleep(delay)
        body = completion_json(
            completion_id=self._completion_id,
            created=self._created,
            model=self._model,
            content=plan.content,
            finish_reason=plan.finish_reason or "stop",
            usage=usage_json(plan.prompt_tokens, plan.token_count) if plan.include_usage else None,
        )
        if plan.finish_reason == "content_filter":
            body["choices"][0]["content_filter_results"] = content_filter_results(filtered=True)
        data = json.dumps(body).encode()
        headers = [(b"content-type", b"application/json"), (b"content-length", b"%d" % len(data))]
        await send(
            {"type": "http.response.start", "status": 200, "headers": self._headers(headers)}
        )
        if plan.fault == "cut":
            record.outcome = "cut"
            await send(_body(data[: len(data) // 2]))
            raise DeliberateCut
        record.tokens_sent = plan.token_count
        self._finished_outcome()
        await send(_body(data, more=False))
