"""Between the usage models and Table Storage entities (plain dicts on the way in).

Counts are Edm.Int64 (the SDK would pick Int32 and refuse larger values). Every text that
comes from outside (ids, names, audit details) goes through the history's put_text, so
none meets the 64 KiB property limit, and each row must pass check_fits (1 MiB).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, date, datetime
from typing import Any

from chat_api.history.table_entities import to_utc
from chat_api.history.table_limits import check_fits, put_text, read_text
from chat_api.usage.models import AuditEntry, LimitOverride, UsageRow, UsageTotals
from chat_api.usage.windows import WindowCount

_INT64 = "Edm.Int64"
_LIMITS = ("requests_per_minute", "tokens_per_day", "tokens_per_month")
_AUDIT_TEXTS = ("actor_id", "actor_name", "action", "target", "detail")


def counter_entity(partition: str, row: str, count: WindowCount) -> dict[str, Any]:
    return {
        "PartitionKey": partition,
        "RowKey": row,
        "window": count.window,
        **_totals_properties(count.totals),
    }


def count_from_entity(entity: Mapping[str, Any]) -> WindowCount:
    return WindowCount(entity["window"], _totals(entity))


def report_entity(
    partition: str,
    row: str,
    day: str,
    totals: UsageTotals,
    *,
    user_id: str,
    user_name: str,
    model: str,
) -> dict[str, Any]:
    entity: dict[str, Any] = {
        "PartitionKey": partition,
        "RowKey": row,
        "day": day,
        **_totals_properties(totals),
    }
    put_text(entity, "user_id", user_id)
    put_text(entity, "user_name", user_name)
    put_text(entity, "model", model)
    check_fits(entity)
    return entity


def report_totals(entity: Mapping[str, Any]) -> UsageTotals:
    return _totals(entity)


def usage_row_from_entity(entity: Mapping[str, Any]) -> UsageRow:
    return UsageRow(
        day=date.fromisoformat(entity["day"]),
        user_id=read_text(entity, "user_id") or "",
        user_name=read_text(entity, "user_name") or "",
        model=read_text(entity, "model") or "",
        totals=_totals(entity),
    )


def override_entity(
    partition: str, row: str, user_id: str, override: LimitOverride
) -> dict[str, Any]:
    entity: dict[str, Any] = {
        "PartitionKey": partition,
        "RowKey": row,
        "unlimited": override.unlimited,
    }
    put_text(entity, "user_id", user_id)
    for name in _LIMITS:
        value = getattr(override, name)
        if value is not None:
            entity[name] = (value, _INT64)
    check_fits(entity)
    return entity


def override_from_entity(entity: Mapping[str, Any]) -> tuple[str, LimitOverride]:
    limits = {name: _int(entity, name) for name in _LIMITS}
    override = LimitOverride(**limits, unlimited=bool(entity.get("unlimited")))
    return read_text(entity, "user_id") or "", override


def audit_entity(partition: str, row: str, entry: AuditEntry) -> dict[str, Any]:
    entity: dict[str, Any] = {"PartitionKey": partition, "RowKey": row, "at": to_utc(entry.at)}
    for name in _AUDIT_TEXTS:
        put_text(entity, name, getattr(entry, name))
    check_fits(entity)
    return entity


def audit_from_entity(entity: Mapping[str, Any]) -> AuditEntry:
    moment = to_utc(entity["at"])
    texts = {name: read_text(entity, name) or "" for name in _AUDIT_TEXTS}
    # The SDK hands back its own datetime subclass; callers get a plain one.
    at = datetime(*moment.timetuple()[:6], moment.microsecond, tzinfo=UTC)
    return AuditEntry(at=at, **texts)


def _totals_properties(totals: UsageTotals) -> dict[str, Any]:
    return {
        "requests": (totals.requests, _INT64),
        "prompt_tokens": (totals.prompt_tokens, _INT64),
        "completion_tokens": (totals.completion_tokens, _INT64),
    }


def _totals(entity: Mapping[str, Any]) -> UsageTotals:
    return UsageTotals(
        requests=_int(entity, "requests") or 0,
        prompt_tokens=_int(entity, "prompt_tokens") or 0,
        completion_tokens=_int(entity, "completion_tokens") or 0,
    )


def _int(entity: Mapping[str, Any], name: str) -> int | None:
    value = entity.get(name)
    # Int64 values come back wrapped in the SDK's EntityProperty (value, type).
    return None if value is None else int(getattr(value, "value", value))
