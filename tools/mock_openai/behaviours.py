"""What the next chat requests should experience: replies, pacing and faults.

Tests queue behaviours through `POST /_mock/behaviours`; each chat request that passes
validation takes the next one. Benchmarks, which send many requests at once and cannot rely
on arrival order, put the same object in an `x-mock-behaviour` header instead.
"""

from __future__ import annotations

import json
from collections import deque
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from tools.mock_openai.config import ReplyKind

Fault = Literal["rate_limit", "server_error", "hang", "cut", "content_filter", "prompt_filter"]


class Behaviour(BaseModel):
    """One request's script. Unset fields fall back to the server's command-line defaults."""

    # Unknown fields are refused so that a typo ("faults") fails loudly instead of being ignored.
    model_config = ConfigDict(extra="forbid", frozen=True)

    reply: ReplyKind | None = None
    text: str | None = None
    first_token_latency_ms: int | None = Field(default=None, ge=0)
    tokens_per_second: float | None = Field(default=None, ge=0)
    fault: Fault | None = None
    retry_after: int = Field(default=1, ge=0)
    retry_after_ms: int | None = Field(default=None, ge=0)
    after_tokens: int | None = Field(default=None, ge=0)
    usage: bool | None = None

    @model_validator(mode="after")
    def _text_goes_with_text_reply(self) -> Behaviour:
        if self.reply == "text" and self.text is None:
            raise ValueError('reply "text" needs a "text" field')
        if self.text is not None and self.reply not in (None, "text"):
            raise ValueError(f'"text" only applies to reply "text", not "{self.reply}"')
        return self

    @property
    def reply_kind(self) -> ReplyKind | None:
        # A bare {"text": ...} obviously means "reply with this text".
        return "text" if self.text is not None and self.reply is None else self.reply

    def as_json(self) -> dict[str, Any]:
        return self.model_dump(mode="json", exclude_unset=True)


class BehaviourError(ValueError):
    """A behaviour object that does not validate; the message says which field and why."""


def parse_behaviours(payload: Any) -> list[Behaviour]:
    """Behaviours from decoded JSON: a list of objects, or one object for convenience."""
    items = payload if isinstance(payload, list) else [payload]
    behaviours = []
    for index, item in enumerate(items):
        try:
            behaviours.append(Behaviour.model_validate(item))
        except ValidationError as error:
            raise BehaviourError(f"behaviour {index}: {_summarise(error)}") from None
    return behaviours


def parse_behaviour_header(value: str) -> Behaviour:
    try:
        payload = json.loads(value)
    except json.JSONDecodeError as error:
        raise BehaviourError(f"x-mock-behaviour is not JSON: {error}") from None
    if not isinstance(payload, dict):
        raise BehaviourError("x-mock-behaviour must be a JSON object")
    return parse_behaviours(payload)[0]


def _summarise(error: ValidationError) -> str:
    return "; ".join(
        f"{'.'.join(str(part) for part in issue['loc']) or 'object'}: {issue['msg']}"
        for issue in error.errors()
    )


class BehaviourQueue:
    """First in, first out; only the event loop touches it, so it needs no lock."""

    def __init__(self) -> None:
        self._items: deque[Behaviour] = deque()

    def extend(self, behaviours: list[Behaviour]) -> int:
        self._items.extend(behaviours)
        return len(self._items)

    def take(self) -> Behaviour | None:
        return self._items.popleft() if self._items else None

    def clear(self) -> None:
        self._items.clear()

    def pending(self) -> list[Behaviour]:
        return list(self._items)
