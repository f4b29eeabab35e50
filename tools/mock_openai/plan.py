"""Turning a valid request, its behaviour and the server defaults into one concrete answer."""

from __future__ import annotations

from dataclasses import dataclass

from tools.mock_openai.behaviours import Behaviour, Fault
from tools.mock_openai.chat_request import ChatRequest
from tools.mock_openai.config import MockConfig, ReplyKind
from tools.mock_openai.replies import (
    MARKDOWN_SAMPLE,
    echo_reply,
    encoded_tokens,
    estimate_prompt_tokens,
    tokenise,
)

# Where a mid-answer fault strikes when the behaviour does not say.
DEFAULT_AFTER_TOKENS: dict[Fault, int] = {"cut": 3, "content_filter": 3, "hang": 0}


@dataclass(frozen=True)
class AnswerPlan:
    tokens: tuple[str, ...]
    encoded_tokens: tuple[bytes, ...]
    # How many of `tokens` are sent; the full tuples are kept to avoid copying them.
    token_count: int
    # None when the answer never finishes (cut, hang).
    finish_reason: str | None
    fault: Fault | None
    first_token_delay: float
    # Seconds between tokens; 0 sends them as fast as possible.
    token_interval: float
    include_usage: bool
    prompt_tokens: int
    retry_after: int = 1
    retry_after_ms: int | None = None

    @property
    def content(self) -> str:
        return "".join(self.tokens[: self.token_count])


def reply_text(kind: ReplyKind, request: ChatRequest, text: str | None) -> str:
    if kind == "echo":
        return echo_reply(request.messages)
    if kind == "text":
        return text or ""
    return MARKDOWN_SAMPLE


def plan_answer(
    config: MockConfig, request: ChatRequest, behaviour: Behaviour | None
) -> AnswerPlan:
    script = behaviour or Behaviour()
    text = reply_text(script.reply_kind or config.reply, request, script.text)
    tokens = tokenise(text)
    token_count = len(tokens)
    finish_reason: str | None = "stop"
    if request.max_tokens is not None and request.max_tokens < token_count:
        token_count = request.max_tokens
        finish_reason = "length"
    fault = script.fault
    if fault in ("cut", "hang", "content_filter"):
        after = (
            script.after_tokens if script.after_tokens is not None else DEFAULT_AFTER_TOKENS[fault]
        )
        token_count = min(token_count, after)
        finish_reason = "content_filter" if fault == "content_filter" else None
    latency_ms = (
        script.first_token_latency_ms
        if script.first_token_latency_ms is not None
        else config.first_token_latency_ms
    )
    tokens_per_second = (
        script.tokens_per_second
        if script.tokens_per_second is not None
        else config.tokens_per_second
    )
    # Without stream_options the real service sends no usage chunk; non-streamed answers
    # always carry usage. The behaviour's `usage` overrides both, for servers that differ.
    wants_usage = request.include_usage if request.stream else True
    return AnswerPlan(
        tokens=tokens,
        encoded_tokens=encoded_tokens(text),
        token_count=token_count,
        finish_reason=finish_reason,
        fault=fault,
        first_token_delay=latency_ms / 1000,
        token_interval=1 / tokens_per_second if tokens_per_second > 0 else 0.0,
        include_usage=script.usage if script.usage is not None else wants_usage,
        prompt_tokens=estimate_prompt_tokens(request.messages),
        retry_after=script.retry_after,
        retry_after_ms=script.retry_after_ms,
    )
