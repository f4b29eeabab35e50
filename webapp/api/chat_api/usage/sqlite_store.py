"""Usage in the history's SQLite file (HISTORY_SQLITE_PATH), for running on one machine.

A connection and a thread of its own beside the history's and the assistants': they share
the file as processes would (WAL; a writer waits for another's lock up to the busy
time-out, then StoreUnavailable). So do several API processes on one machine, which is
what makes the limits hold across them.
"""

from __future__ import annotations

from datetime import date, datetime
from functools import partial
from pathlib import Path

from chat_api.sqlite_worker import SqliteWorker
from chat_api.usage import sqlite_ops
from chat_api.usage.limits import counts_anything
from chat_api.usage.models import (
    AuditEntry,
    LimitOverride,
    LimitReached,
    UsageRecord,
    UsageRow,
    UsageTotals,
    UserLimits,
)
from chat_api.usage.sqlite_schema import connect


class SqliteUsageStore:
    def __init__(self, worker: SqliteWorker) -> None:
        self._worker = worker

    @classmethod
    async def open(cls, path: Path | str) -> SqliteUsageStore:
        return cls(await SqliteWorker.start(partial(connect, Path(path)), "usage-sqlite"))

    async def close(self) -> None:
        await self._worker.stop()

    async def admit(
        self,
        user_id: str,
        limits: UserLimits,
        global_tokens_per_minute: int | None,
        now: datetime,
    ) -> LimitReached | None:
        if not counts_anything(limits, global_tokens_per_minute):
            return None
        return await self._worker.run(
            partial(
                sqlite_ops.admit,
                user_id=user_id,
                limits=limits,
                now=now,
                global_tokens_per_minute=global_tokens_per_minute,
            )
        )

    async def record(self, record: UsageRecord) -> None:
        await self._worker.run(partial(sqlite_ops.record, call=record))

    async def user_totals(self, user_id: str, now: datetime) -> tuple[UsageTotals, UsageTotals]:
        return await self._worker.run(partial(sqlite_ops.user_totals, user_id=user_id, now=now))

    async def report(self, start: date, end: date) -> list[UsageRow]:
        return await self._worker.run(partial(sqlite_ops.report, start=start, end=end))

    async def get_override(self, user_id: str) -> LimitOverride | None:
        return await self._worker.run(partial(sqlite_ops.get_override, user_id=user_id))

    async def set_override(self, user_id: str, override: LimitOverride | None) -> None:
        await self._worker.run(partial(sqlite_ops.set_override, user_id=user_id, override=override))

    async def list_overrides(self) -> dict[str, LimitOverride]:
        return await self._worker.run(sqlite_ops.list_overrides)

    async def add_audit(self, entry: AuditEntry) -> None:
        await self._worker.run(partial(sqlite_ops.add_audit, entry=entry))

    async def list_audit(self, limit: int, before: datetime | None) -> list[AuditEntry]:
        return await self._worker.run(partial(sqlite_ops.list_audit, limit=limit, before=before))
