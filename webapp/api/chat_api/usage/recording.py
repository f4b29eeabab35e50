"""Record what every model call used, however the answer ended, without its content.

The model's own usage figures come in the stream's last chunk (the request asks for them).
An answer stopped or cut before that chunk has none: then the figures are our estimate
(UTF-8 bytes / 3, as for the context window), which is what the organisation paid for
give or take.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, Protocol

from chat_api import telemetry
from chat_api.answer_relay import AnswerFinisher, AnswerOutcome
from chat_api.context_window import estimate_tokens, message_tokens
from chat_api.history.factory import HistoryDisabled
from chat_api.history.store import HistoryError
from chat_api.usage.models import UsageRecord

if TYPE_CHECKING:
    from openai.types.chat import ChatCompletionMessageParam

log = logging.getLogger("chat_api.usage")


class UsageSink(Protocol):
    async def record(self, record: UsageRecord) -> None: ...


@dataclass(frozen=True)
class CallContext:
    provider: str
    user_id: str
    user_name: str
    conversation_id: str | None
    model: str
    # time.monotonic() when the request arrived: latency is counted from there.
    started: float


def prompt_estimate(messages: Sequence[ChatCompletionMessageParam]) -> int:
    return sum(message_tokens(str(m.get("content") or "")) for m in messages)


def tokens_of(usage: dict[str, Any] | None, prompt: int, answer: str) -> tuple[int, int]:
    """(prompt, completion) tokens: the model's figures, else the estimate."""
    if usage is not None:
        reported = usage.get("prompt_tokens"), usage.get("completion_tokens")
        if all(isinstance(n, int) and n >= 0 for n in reported):
            return int(reported[0] or 0), int(reported[1] or 0)
    return prompt, estimate_tokens(answer) if answer else 0


async def record_call(
    sink: Callable[[], Awaitable[UsageSink]] | None,
    context: CallContext,
    *,
    prompt_tokens: int,
    completion_tokens: int,
    status: str,
) -> None:
    """Record one call; a failure to record is logged, never the user's problem."""
    record = UsageRecord(
        user_id=context.user_id,
        user_name=context.user_name,
        conversation_id=context.conversation_id,
        model=context.model,
        prompt_tokens=prompt_tokens,
        completion_tokens=completion_tokens,
        latency_ms=round((time.monotonic() - context.started) * 1000),
        status=status,
        at=datetime.now(UTC),
    )
    telemetry.model_call(
        provider=context.provider,
        model=record.model,
        status=status,
        prompt_tokens=prompt_tokens,
        completion_tokens=completion_tokens,
        latency_ms=record.latency_ms,
    )
    if sink is None:
        return
    try:
        store = await sink()
        await store.record(record)
    except (HistoryError, HistoryDisabled) as error:
        log.warning("usage not recorded (user %s): %s", context.user_id, type(error).__name__)


class UsageRecorder:
    """An AnswerFinisher that records the call, then hands over to `inner` (saving)."""

    def __init__(
        self,
        sink: Callable[[], Awaitable[UsageSink]] | None,
        context: CallContext,
        prompt_tokens: int,
        inner: AnswerFinisher | None,
    ) -> None:
        self._sink = sink
        self._context = context
        self._prompt_tokens = prompt_tokens
        self._inner = inner

    async def save(self, outcome: AnswerOutcome) -> bytes | None:
        prompt, completion = tokens_of(outcome.usage, self._prompt_tokens, outcome.text)
        recording = record_call(
            self._sink,
            self._context,
            prompt_tokens=prompt,
            completion_tokens=completion,
            status=outcome.status.value,
        )
        if self._inner is None:
            await recording
            return None
        # Side by side: counting the call adds no wait to saving the answer.
        _, saved = await asyncio.gather(recording, self._inner.save(outcome))
        return saved

    async def after_done(self, outcome: AnswerOutcome) -> bytes:
        return b"" if self._inner is None else await self._inner.after_done(outcome)
