"""The usage operations as plain blocking functions on one SQLite connection.

SqliteUsageStore runs them one at a time on its own thread. Reading a counter and writing
it happen inside one BEGIN IMMEDIATE transaction, which holds the file's write lock: no
other connection, in this process or another, can count in between, so a limit of L
requests a minute admits exactly L.
"""

from __future__ import annotations

import sqlite3
from contextlib import nullcontext
from datetime import date, datetime

from chat_api.history.sqlite_codec import from_micros, to_micros
from chat_api.sqlite_worker import writing
from chat_api.usage.limits import WindowUsage, reached
from chat_api.usage.models import (
    AuditEntry,
    LimitOverride,
    LimitReached,
    UsageRecord,
    UsageRow,
    UsageTotals,
    UserLimits,
)
from chat_api.usage.windows import (
    WindowCount,
    added,
    count_in,
    day_of,
    minute_of,
    month_of,
    one_more_request,
)

MINUTE, DAY, MONTH = "minute", "day", "month"
EVERYONE_MINUTE = "everyone-minute"
_EVERYONE = ""


def admit(
    db: sqlite3.Connection,
    user_id: str,
    limits: UserLimits,
    global_tokens_per_minute: int | None,
    now: datetime,
) -> LimitReached | None:
    minute = minute_of(now)
    # Only counting needs the write lock; checking token limits alone is a read.
    counting = limits.requests_per_minute is not None
    with writing(db) if counting else nullcontext():
        counters = _counters(db, user_id)
        everyone = _counter(db, _EVERYONE, EVERYONE_MINUTE)
        usage = WindowUsage(
            minute_requests=count_in(counters.get(MINUTE), minute).requests,
            day_tokens=count_in(counters.get(DAY), day_of(now)).total_tokens,
            month_tokens=count_in(counters.get(MONTH), month_of(now)).total_tokens,
            global_minute_tokens=count_in(everyone, minute).total_tokens,
        )
        found = reached(limits, global_tokens_per_minute, usage, now)
        # The minute's count serves only the requests-per-minute limit.
        if found is None and counting:
            _put(db, user_id, MINUTE, one_more_request(counters.get(MINUTE), minute))
        return found


def record(db: sqlite3.Connection, call: UsageRecord) -> None:
    used = UsageTotals(1, call.prompt_tokens, call.completion_tokens)
    with writing(db):
        counters = _counters(db, call.user_id)
        for kind, window in ((DAY, day_of(call.at)), (MONTH, month_of(call.at))):
            _put(db, call.user_id, kind, added(counters.get(kind), window, used))
        everyone = _counter(db, _EVERYONE, EVERYONE_MINUTE)
        _put(db, _EVERYONE, EVERYONE_MINUTE, added(everyone, minute_of(call.at), used))
        db.execute(
            "INSERT INTO usage_daily (day, user_id, model, user_name, requests, prompt_tokens,"
            " completion_tokens) VALUES (?, ?, ?, ?, 1, ?, ?)"
            " ON CONFLICT (day, user_id, model) DO UPDATE SET"
            " user_name = excluded.user_name, requests = requests + 1,"
            " prompt_tokens = prompt_tokens + excluded.prompt_tokens,"
            " completion_tokens = completion_tokens + excluded.completion_tokens",
            (
                day_of(call.at),
                call.user_id,
                call.model,
                call.user_name,
                call.prompt_tokens,
                call.completion_tokens,
            ),
        )


def user_totals(
    db: sqlite3.Connection, user_id: str, now: datetime
) -> tuple[UsageTotals, UsageTotals]:
    counters = _counters(db, user_id)
    return count_in(counters.get(DAY), day_of(now)), count_in(counters.get(MONTH), month_of(now))


def report(db: sqlite3.Connection, start: date, end: date) -> list[UsageRow]:
    rows = db.execute(
        "SELECT day, user_id, user_name, model, requests, prompt_tokens, completion_tokens"
        " FROM usage_daily WHERE day BETWEEN ? AND ? ORDER BY day, user_id, model",
        (start.isoformat(), end.isoformat()),
    )
    return [
        UsageRow(
            day=date.fromisoformat(row["day"]),
            user_id=row["user_id"],
            user_name=row["user_name"],
            model=row["model"],
            totals=UsageTotals(row["requests"], row["prompt_tokens"], row["completion_tokens"]),
        )
        for row in rows
    ]


def get_override(db: sqlite3.Connection, user_id: str) -> LimitOverride | None:
    row = db.execute("SELECT * FROM usage_overrides WHERE user_id = ?", (user_id,)).fetchone()
    return None if row is None else _override_from(row)


def set_override(db: sqlite3.Connection, user_id: str, override: LimitOverride | None) -> None:
    if override is None:
        db.execute("DELETE FROM usage_overrides WHERE user_id = ?", (user_id,))
        return
    db.execute(
        "INSERT OR REPLACE INTO usage_overrides (user_id, requests_per_minute, tokens_per_day,"
        " tokens_per_month, unlimited) VALUES (?, ?, ?, ?, ?)",
        (
            user_id,
            override.requests_per_minute,
            override.tokens_per_day,
            override.tokens_per_month,
            int(override.unlimited),
        ),
    )


def list_overrides(db: sqlite3.Connection) -> dict[str, LimitOverride]:
    rows = db.execute("SELECT * FROM usage_overrides ORDER BY user_id")
    return {row["user_id"]: _override_from(row) for row in rows}


def add_audit(db: sqlite3.Connection, entry: AuditEntry) -> None:
    db.execute(
        "INSERT INTO usage_audit (at_us, actor_id, actor_name, action, target, detail)"
        " VALUES (?, ?, ?, ?, ?, ?)",
        (
            to_micros(entry.at),
            entry.actor_id,
            entry.actor_name,
            entry.action,
            entry.target,
            entry.detail,
        ),
    )


def list_audit(db: sqlite3.Connection, limit: int, before: datetime | None) -> list[AuditEntry]:
    rows = db.execute(
        "SELECT * FROM usage_audit WHERE at_us < ? ORDER BY at_us DESC, id DESC LIMIT ?",
        (to_micros(before) if before is not None else 2**63 - 1, limit),
    )
    return [
        AuditEntry(
            at=from_micros(row["at_us"]),
            actor_id=row["actor_id"],
            actor_name=row["actor_name"],
            action=row["action"],
            target=row["target"],
            detail=row["detail"],
        )
        for row in rows
    ]


def _counters(db: sqlite3.Connection, owner: str) -> dict[str, WindowCount]:
    rows = db.execute("SELECT * FROM usage_counters WHERE owner = ?", (owner,))
    return {row["kind"]: _count_from(row) for row in rows}


def _counter(db: sqlite3.Connection, owner: str, kind: str) -> WindowCount | None:
    row = db.execute(
        "SELECT * FROM usage_counters WHERE owner = ? AND kind = ?", (owner, kind)
    ).fetchone()
    return None if row is None else _count_from(row)


def _put(db: sqlite3.Connection, owner: str, kind: str, count: WindowCount | None) -> None:
    if count is None:
        return
    totals = count.totals
    db.execute(
        "INSERT OR REPLACE INTO usage_counters (owner, kind, period, requests, prompt_tokens,"
        " completion_tokens) VALUES (?, ?, ?, ?, ?, ?)",
        (
            owner,
            kind,
            count.window,
            totals.requests,
            totals.prompt_tokens,
            totals.completion_tokens,
        ),
    )


def _count_from(row: sqlite3.Row) -> WindowCount:
    return WindowCount(
        row["period"],
        UsageTotals(row["requests"], row["prompt_tokens"], row["completion_tokens"]),
    )


def _override_from(row: sqlite3.Row) -> LimitOverride:
    return LimitOverride(
        requests_per_minute=row["requests_per_minute"],
        tokens_per_day=row["tokens_per_day"],
        tokens_per_month=row["tokens_per_month"],
        unlimited=bool(row["unlimited"]),
    )
