"""Between the history models and SQLite rows: times, rows, and the listing continuation."""

from __future__ import annotations

import base64
import binascii
import json
import sqlite3
from datetime import UTC, datetime, timedelta
from typing import Any

from chat_api.history.models import (
    AssistantRef,
    Conversation,
    Message,
    MessageStatus,
    ModelSettings,
    Usage,
)
from chat_api.history.store import InvalidContinuation

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MICROSECOND = timedelta(microseconds=1)

CONVERSATION_COLUMNS = (
    "id, title, created_us, updated_us, system_prompt, model, temperature, max_tokens, "
    "pinned, archived, etag, assistant"
)
MESSAGE_COLUMNS = (
    "id, conversation_id, role, content, created_us, status, model, "
    "prompt_tokens, completion_tokens, total_tokens"
)


def to_micros(moment: datetime) -> int:
    """Microseconds since the epoch; a naive datetime is taken to be UTC already."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return (moment - _EPOCH) // _MICROSECOND


def from_micros(micros: int) -> datetime:
    return _EPOCH + timedelta(microseconds=micros)


def conversation_from_row(row: sqlite3.Row) -> Conversation:
    return Conversation(
        id=row["id"],
        title=row["title"],
        created=from_micros(row["created_us"]),
        updated=from_micros(row["updated_us"]),
        system_prompt=row["system_prompt"],
        settings=ModelSettings(
            model=row["model"], temperature=row["temperature"], max_tokens=row["max_tokens"]
        ),
        pinned=bool(row["pinned"]),
        archived=bool(row["archived"]),
        etag=row["etag"],
        assistant=AssistantRef.from_json(row["assistant"]),
    )


def message_from_row(row: sqlite3.Row) -> Message:
    usage = None
    if row["total_tokens"] is not None:
        usage = Usage(
            prompt_tokens=row["prompt_tokens"],
            completion_tokens=row["completion_tokens"],
            total_tokens=row["total_tokens"],
        )
    return Message(
        id=row["id"],
        conversation_id=row["conversation_id"],
        role=row["role"],
        content=row["content"],
        created=from_micros(row["created_us"]),
        status=MessageStatus(row["status"]),
        model=row["model"],
        usage=usage,
    )


def encode_continuation(conversation: Conversation) -> str:
    """The sort key of the last row of a page, so the next page starts right after it even
    when rows were added in between (an offset would repeat or skip rows)."""
    key = {
        "p": int(conversation.pinned),
        "u": to_micros(conversation.updated),
        "i": conversation.id,
    }
    raw = json.dumps(key, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def decode_continuation(continuation: str) -> tuple[int, int, str]:
    """(pinned, updated_us, id) of the row the previous page ended with."""
    try:
        padded = continuation + "=" * (-len(continuation) % 4)
        key: Any = json.loads(base64.urlsafe_b64decode(padded.encode("ascii")))
        pinned, updated, last_id = key["p"], key["u"], key["i"]
    except (UnicodeError, binascii.Error, ValueError, TypeError, KeyError) as error:
        raise InvalidContinuation("not a continuation from this store") from error
    if pinned not in (0, 1) or type(updated) is not int or not isinstance(last_id, str):
        raise InvalidContinuation("not a continuation from this store")
    return pinned, updated, last_id
