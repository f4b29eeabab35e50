"""Fit a conversation into the model's context window before sending it.

Token counts are estimated, never fetched: tiktoken downloads its vocabulary at first use,
which an offline or locked-down Function App cannot do. The estimate is deliberately
high (UTF-8 bytes / 3, plus per-message overhead): English runs ~4 bytes a token and CJK
~3, so the estimate errs towards leaving a message out rather than overflowing the window
(tests/api/test_context_window.py checks the margin).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from openai.types.chat import ChatCompletionMessageParam

# OpenAI's chat format spends a few tokens per message on roles and separators.
_PER_MESSAGE_TOKENS = 4
_BYTES_PER_TOKEN = 3


def estimate_tokens(text: str) -> int:
    return math.ceil(len(text.encode("utf-8")) / _BYTES_PER_TOKEN)


def message_tokens(content: str) -> int:
    return estimate_tokens(content) + _PER_MESSAGE_TOKENS


@dataclass(frozen=True)
class FittedConversation:
    messages: list[ChatCompletionMessageParam]
    # How many of the oldest messages were left out to fit.
    omitted: int


class ConversationTooLong(Exception):
    """Even the system prompt and the newest message alone do not fit."""


def fit_to_window(
    system: str | None,
    history: Sequence[tuple[str, str]],
    *,
    context_tokens: int,
    answer_tokens: int,
) -> FittedConversation:
    """Keep the system prompt and the newest message; add older ones while they fit.

    `history` is (role, content) oldest first, its last item the newest user message.
    """
    budget = context_tokens - answer_tokens
    used = message_tokens(system) if system else 0
    used += message_tokens(history[-1][1])
    if used > budget:
        raise ConversationTooLong
    kept = 1
    for _role, content in reversed(history[:-1]):
        cost = message_tokens(content)
        if used + cost > budget:
            break
        used += cost
        kept += 1
    window = list(history[len(history) - kept :])
    # A window that opens on an answer has lost its question: drop the answer too.
    while len(window) > 1 and window[0][0] == "assistant":
        window.pop(0)
    messages: list[ChatCompletionMessageParam] = []
    if system:
        messages.append({"role": "system", "content": system})
    for role, content in window:
        if role == "assistant":
            messages.append({"role": "assistant", "content": content})
        else:
            messages.append({"role": "user", "content": content})
    return FittedConversation(messages=messages, omitted=len(history) - len(window))
