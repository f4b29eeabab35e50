"""Between assistants and Table Storage entities (plain dicts on the way in).

The assistant's own row holds everything, its list copies all but the system prompt.
Every text is stored in parts by the history's put_text (so none meets the 64 KiB property
limit), and each row must pass check_fits (1 MiB). The etag a client sees is the store's
own `change_tag`, written to the row and every copy, so a list shows the etag a later
If-Match is checked against; the service's ETag of the assistant's row only guards the
store's own read-then-write.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from chat_api.assistants.models import Assistant, AssistantSummary, Visibility
from chat_api.assistants.table_keys import PARTITION, assistant_row, listed_rows
from chat_api.history.store import TooLarge
from chat_api.history.table_entities import to_utc
from chat_api.history.table_limits import check_fits, put_text, read_text

# A transaction's request body may be at most 4 MiB. Measured as the JSON the SDK sends,
# which escapes every non-ASCII UTF-16 unit to six bytes; the margin covers the multipart
# framing around each operation.
MAX_TRANSACTION_BYTES = 4 * 1024 * 1024 - 64 * 1024
_OPERATION_FRAMING_BYTES = 1024
_INT64 = "Edm.Int64"
_TEXTS = ("owner_id", "owner_name", "name", "description", "model")


def listed_as(assistant: AssistantSummary) -> list[str]:
    return listed_rows(
        assistant_id=assistant.id,
        owner_id=assistant.owner_id,
        visibility=assistant.visibility,
        featured=assistant.featured,
        updated=assistant.updated,
    )


def assistant_entity(assistant: Assistant) -> dict[str, Any]:
    entity = _summary_entity(assistant, assistant_row(assistant.id))
    put_text(entity, "system_prompt", assistant.system_prompt)
    # Where its copies are, so that a change can remove them in the same transaction.
    entity["listed_as"] = json.dumps(listed_as(assistant))
    check_fits(entity)
    return entity


def copy_entities(assistant: Assistant) -> list[dict[str, Any]]:
    copies = [_summary_entity(assistant, row) for row in listed_as(assistant)]
    for copy in copies:
        check_fits(copy)
    return copies


def stub(row_key: str) -> dict[str, Any]:
    """A row named by its keys alone: what a delete needs."""
    return {"PartitionKey": PARTITION, "RowKey": row_key}


def check_transaction_fits(entities: Sequence[Mapping[str, Any]]) -> None:
    size = sum(
        len(json.dumps(entity, default=str)) + _OPERATION_FRAMING_BYTES for entity in entities
    )
    if size > MAX_TRANSACTION_BYTES:
        raise TooLarge(f"a transaction of about {size} bytes is over the service's limit")


def summary_from_entity(entity: Mapping[str, Any]) -> AssistantSummary:
    temperature = entity.get("temperature")
    return AssistantSummary(
        id=entity["assistant_id"],
        owner_id=_text(entity, "owner_id"),
        owner_name=_text(entity, "owner_name"),
        name=_text(entity, "name"),
        description=_text(entity, "description"),
        model=_text(entity, "model"),
        temperature=None if temperature is None else float(temperature),
        max_tokens=_read_int(entity, "max_tokens"),
        starters=tuple(json.loads(_text(entity, "starters"))),
        visibility=Visibility(entity["visibility"]),
        featured=bool(entity["featured"]),
        version=_read_int(entity, "version") or 0,
        created=_plain_utc(entity["created"]),
        updated=_plain_utc(entity["updated"]),
        etag=entity["change_tag"],
    )


def assistant_from_entity(entity: Mapping[str, Any]) -> tuple[Assistant, list[str]]:
    """The assistant, and the RowKeys of its copies."""
    summary = summary_from_entity(entity)
    assistant = Assistant(**vars(summary), system_prompt=_text(entity, "system_prompt"))
    return assistant, json.loads(entity["listed_as"])


def _summary_entity(assistant: AssistantSummary, row_key: str) -> dict[str, Any]:
    entity: dict[str, Any] = {
        "PartitionKey": PARTITION,
        "RowKey": row_key,
        # Not "id" (nor "etag"): Cosmos DB for Table reserves them.
        "assistant_id": assistant.id,
        "visibility": assistant.visibility.value,
        "featured": assistant.featured,
        "version": (assistant.version, _INT64),
        "created": to_utc(assistant.created),
        "updated": to_utc(assistant.updated),
        "change_tag": assistant.etag,
    }
    for name in _TEXTS:
        put_text(entity, name, getattr(assistant, name))
    put_text(entity, "starters", json.dumps(list(assistant.starters), ensure_ascii=False))
    if assistant.temperature is not None:
        entity["temperature"] = float(assistant.temperature)
    if assistant.max_tokens is not None:
        entity["max_tokens"] = (assistant.max_tokens, _INT64)
    return entity


def _text(entity: Mapping[str, Any], name: str) -> str:
    return read_text(entity, name) or ""


def _read_int(entity: Mapping[str, Any], name: str) -> int | None:
    value = entity.get(name)
    # Int64 values come back wrapped in the SDK's EntityProperty (value, type).
    return None if value is None else int(getattr(value, "value", value))


def _plain_utc(value: datetime) -> datetime:
    # The SDK hands back its own datetime subclass; callers get a plain aware datetime.
    moment = to_utc(value)
    return datetime(*moment.timetuple()[:6], moment.microsecond, tzinfo=UTC)
