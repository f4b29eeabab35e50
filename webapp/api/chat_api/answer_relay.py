"""Relay an opened answer to the client as our events, and report how it ended.

A pump task reads the upstream while the response generator writes to the client.
Whatever the pump relayed while the last write was under way goes out as one write: under
load that is many tokens per socket write instead of one (docs/benchmarks.md), and with
nothing waiting it is the next token at once.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any, Protocol

import anyio

from chat_api import events, upstream_errors
from chat_api.answer_stream import OpenedAnswer, describe, is_timeout
from chat_api.history.models import MessageStatus

log = logging.getLogger("chat_api.answer")


@dataclass(frozen=True)
class AnswerOutcome:
    text: str
    status: MessageStatus
    finish_reason: str | None
    usage: dict[str, Any] | None


class AnswerFinisher(Protocol):
    """What happens when an answer ends (saving it, naming the conversation)."""

    async def save(self, outcome: AnswerOutcome) -> bytes | None:
        """Keep the answer; None when kept, else an `error` event to end the stream with."""
        ...

    async def after_done(self, outcome: AnswerOutcome) -> bytes:
        """Events that may follow `done` (a generated title)."""
        ...


async def answer_events(
    opened: OpenedAnswer,
    *,
    start: bytes,
    request_id: str,
    finisher: AnswerFinisher | None = None,
) -> AsyncIterator[bytes]:
    """Relay the opened answer as SSE bytes. Always ends with `done` or `error`."""
    relay = opened.relay
    outbox = _Outbox()
    pump = asyncio.ensure_future(_pump(opened, outbox))
    # Until the relay finishes or breaks, an exit means the client went away (Stop).
    status = MessageStatus.STOPPED
    ending = b""
    try:
        yield start + opened.first_events
        while not outbox.drained():
            data = await outbox.take()
            if data:
                yield data
        pump.result()  # re-raises what broke the upstream read, if anything did
        status = MessageStatus.COMPLETE
    except Exception as error:  # anything after the first token becomes an error event
        log.warning(
            "upstream stream broke after %d chunks (request %s): %s",
            relay.chunks_relayed,
            request_id,
            describe(error),
        )
        status = MessageStatus.INTERRUPTED
        ending = events.error(
            upstream_errors.stream_interrupted(idle=is_timeout(error)).body(request_id)
        )
    finally:
        with anyio.CancelScope(shield=True):
            pump.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await pump
            await opened.close()
            if status is MessageStatus.STOPPED and finisher is not None:
                # The client is gone: nothing more can be sent, but the text is kept.
                await finisher.save(_outcome(opened, status))
    outcome = _outcome(opened, status)
    save_error = await finisher.save(outcome) if finisher is not None else None
    if save_error is not None:
        yield ending + save_error if status is MessageStatus.INTERRUPTED else save_error
        return
    if status is MessageStatus.INTERRUPTED:
        yield ending
        return
    yield relay.closing_events()
    if finisher is not None:
        after = await finisher.after_done(outcome)
        if after:
            yield after


def _outcome(opened: OpenedAnswer, status: MessageStatus) -> AnswerOutcome:
    relay = opened.relay
    return AnswerOutcome(
        text=relay.text(), status=status, finish_reason=relay.finish_reason, usage=relay.usage
    )


class _Outbox:
    """Relayed bytes waiting for the client, filled by the pump, emptied by the writer."""

    def __init__(self) -> None:
        self._buffer = bytearray()
        self._ready = asyncio.Event()
        self._closed = False

    def put(self, data: bytes) -> None:
        self._buffer += data
        self._ready.set()

    def close(self) -> None:
        self._closed = True
        self._ready.set()

    def drained(self) -> bool:
        return self._closed and not self._buffer

    async def take(self) -> bytes:
        await self._ready.wait()
        self._ready.clear()
        data = bytes(self._buffer)
        self._buffer.clear()
        return data


async def _pump(opened: OpenedAnswer, outbox: _Outbox) -> None:
    relay = opened.relay
    try:
        if relay.is_finished():
            return
        async for upstream_bytes in opened.reads:
            out = relay.relay(upstream_bytes)
            if out:
                outbox.put(out)
            if relay.is_finished():
                return
    finally:
        outbox.close()
