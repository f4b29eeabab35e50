"""The answer stream's events, encoded as server-sent events (docs/http_protocol.md).

Encoding happens once per token on the hot path, so it is plain string formatting.
"""

from __future__ import annotations

import json
from typing import Any


def _event(name: str, data: dict[str, Any]) -> bytes:
    payload = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return f"event: {name}\ndata: {payload}\n\n".encode()


def start(model: str, request_id: str, **extra: Any) -> bytes:
    """`extra`: for saved chats, the conversation and message ids, and how many old
    messages were left out to fit the context window."""
    return _event("start", {"model": model, "request_id": request_id, **extra})


def title(conversation_id: str, text: str) -> bytes:
    return _event("title", {"conversation_id": conversation_id, "title": text})


def delta(text: str) -> bytes:
    return _event("delta", {"text": text})


def usage(prompt_tokens: int, completion_tokens: int, total_tokens: int) -> bytes:
    return _event(
        "usage",
        {
            "prompt_tokens": prompt_tokens,
            "completion_tokens": completion_tokens,
            "total_tokens": total_tokens,
        },
    )


def done(finish_reason: str) -> bytes:
    return _event("done", {"finish_reason": finish_reason})


def error(problem_body: dict[str, Any]) -> bytes:
    return _event("error", problem_body)
