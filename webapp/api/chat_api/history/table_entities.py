"""Between the history models and Table Storage entities (plain dicts on the way in).

Besides the model's fields, a conversation row keeps `listed_as` (the RowKey of its index
row, so a change can replace it in the same transaction) and `next_seq`; a message row keeps
`seq`, the order of its first save, which breaks ties between messages created in the same
microsecond (as in the SQLite backend). Long texts are split by table_limits.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from chat_api.history.models import (
    AssistantRef,
    Conversation,
    Message,
    MessageStatus,
    ModelSettings,
    Usage,
)
from chat_api.history.store import TooLarge
from chat_api.history.table_keys import (
    conversation_key_of,
    conversation_row,
    message_row,
)
from chat_api.history.table_limits import put_text, read_text

if TYPE_CHECKING:
    from azure.data.tables import TableEntity

# Written as Int64 explicitly: the SDK would pick Int32 for a Python int and refuse a larger
# one with a TypeError.
_INT64 = "Edm.Int64"
_INT64_RANGE = range(-(2**63), 2**63)


@dataclass(frozen=True)
class ConversationRow:
    conversation: Conversation
    key: str
    listed_as: str
    next_seq: int


@dataclass(frozen=True)
class MessageRow:
    message: Message
    seq: int

    @property
    def order(self) -> tuple[datetime, int]:
        return (self.message.created, self.seq)


def to_utc(moment: datetime) -> datetime:
    """A naive datetime is taken to be UTC already (as in the SQLite backend); the SDK
    would take it as local time."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def etag_of(entity: TableEntity) -> str:
    return entity.metadata["etag"] or ""


def index_entity(partition: str, row_key: str) -> dict[str, Any]:
    # The RowKey says it all (table_keys.py): listing order, and the conversation to read.
    return {"PartitionKey": partition, "RowKey": row_key}


def conversation_entity(
    partition: str,
    conversation_key: str,
    conversation: Conversation,
    *,
    listed_as: str,
    next_seq: int,
) -> dict[str, Any]:
    settings = conversation.settings
    entity: dict[str, Any] = {
        "PartitionKey": partition,
        "RowKey": conversation_row(conversation_key),
        # Not "id": Cosmos DB for Table reserves it.
        "conversation_id": conversation.id,
        "created": to_utc(conversation.created),
        "updated": to_utc(conversation.updated),
        "pinned": conversation.pinned,
        "archived": conversation.archived,
        "listed_as": listed_as,
        "next_seq": _int64(next_seq),
    }
    put_text(entity, "title", conversation.title)
    put_text(entity, "system_prompt", conversation.system_prompt)
    if settings.model is not None:
        entity["model"] = settings.model
    if settings.temperature is not None:
        entity["temperature"] = float(settings.temperature)
    if settings.max_tokens is not None:
        entity["max_tokens"] = _int64(settings.max_tokens)
    if conversation.assistant is not None:
        entity["assistant"] = conversation.assistant.to_json()
    return entity


def conversation_touch(
    partition: str, conversation_key: str, *, updated: datetime, listed_as: str, next_seq: int
) -> dict[str, Any]:
    """What saving a message changes in its conversation's row (merged into it)."""
    return {
        "PartitionKey": partition,
        "RowKey": conversation_row(conversation_key),
        "updated": to_utc(updated),
        "listed_as": listed_as,
        "next_seq": _int64(next_seq),
    }


def conversation_from_entity(entity: TableEntity) -> ConversationRow:
    temperature = entity.get("temperature")
    conversation = Conversation(
        id=entity["conversation_id"],
        title=read_text(entity, "title") or "",
        created=_from_table_time(entity["created"]),
        updated=_from_table_time(entity["updated"]),
        system_prompt=read_text(entity, "system_prompt"),
        settings=ModelSettings(
            model=entity.get("model"),
            temperature=None if temperature is None else float(temperature),
            max_tokens=_read_int(entity, "max_tokens"),
        ),
        pinned=bool(entity["pinned"]),
        archived=bool(entity["archived"]),
        etag=etag_of(entity),
        assistant=AssistantRef.from_json(entity.get("assistant")),
    )
    return ConversationRow(
        conversation=conversation,
        key=conversation_key_of(entity["RowKey"]) or "",
        listed_as=entity["listed_as"],
        next_seq=_read_int(entity, "next_seq") or 0,
    )


def message_entity(
    partition: str, conversation_key: str, message_key: str, message: Message, *, seq: int
) -> dict[str, Any]:
    entity: dict[str, Any] = {
        "PartitionKey": partition,
        "RowKey": message_row(conversation_key, message_key),
        "message_id": message.id,
        "conversation_id": message.conversation_id,
        "role": message.role,
        "created": to_utc(message.created),
        "status": message.status.value,
        "seq": _int64(seq),
    }
    put_text(entity, "content", message.content)
    if message.model is not None:
        entity["model"] = message.model
    if message.usage is not None:
        entity["prompt_tokens"] = _int64(message.usage.prompt_tokens)
        entity["completion_tokens"] = _int64(message.usage.completion_tokens)
        entity["total_tokens"] = _int64(message.usage.total_tokens)
    return entity


def message_from_entity(entity: Mapping[str, Any]) -> MessageRow:
    usage = None
    total = _read_int(entity, "total_tokens")
    if total is not None:
        usage = Usage(
            prompt_tokens=_read_int(entity, "prompt_tokens") or 0,
            completion_tokens=_read_int(entity, "completion_tokens") or 0,
            total_tokens=total,
        )
    message = Message(
        id=entity["message_id"],
        conversation_id=entity["conversation_id"],
        role=entity["role"],
        content=read_text(entity, "content") or "",
        created=_from_table_time(entity["created"]),
        status=MessageStatus(entity["status"]),
        model=entity.get("model"),
        usage=usage,
    )
    return MessageRow(message=message, seq=_read_int(entity, "seq") or 0)


def saved_seq(entity: Mapping[str, Any]) -> int:
    return _read_int(entity, "seq") or 0


def _from_table_time(value: datetime) -> datetime:
    # The SDK hands back its own datetime subclass; callers get a plain aware datetime.
    moment = to_utc(value)
    return datetime(
        moment.year,
        moment.month,
        moment.day,
        moment.hour,
        moment.minute,
        moment.second,
        moment.microsecond,
        tzinfo=UTC,
    )


def _int64(value: int) -> tuple[int, str]:
    if value not in _INT64_RANGE:
        raise TooLarge(f"{value} does not fit in a 64-bit integer")
    return (value, _INT64)


def _read_int(entity: Mapping[str, Any], name: str) -> int | None:
    value = entity.get(name)
    if value is None:
        return None
    # Int64 values come back wrapped in the SDK's EntityProperty (value, type).
    return int(getattr(value, "value", value))
