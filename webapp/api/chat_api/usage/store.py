"""The one interface both usage backends implement: counting requests against limits,
recording what calls used, the admin's report, per-user overrides and the audit log.

Failures are the history store's errors (the usage rows live in the same storage, reached
the same way): StoreUnavailable when the store cannot be reached or stays busy. Windows
are fixed and UTC (windows.py); which limit wins and when it resets: limits.py. Rules
both backends keep: tests/history/test_usage_contract.py; the design: docs/usage.md.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Protocol

from chat_api.usage.limits import effective_limits
from chat_api.usage.models import (
    AuditEntry,
    LimitOverride,
    LimitReached,
    UsageRecord,
    UsageRow,
    UsageTotals,
    UserLimits,
)

__all__ = ["UsageStore", "effective_limits"]


class UsageStore(Protocol):
    async def admit(
        self,
        user_id: str,
        limits: UserLimits,
        global_tokens_per_minute: int | None,
        now: datetime,
    ) -> LimitReached | None:
        """Count one request against the user's minute, unless a limit is reached: then
        return which one and when its window resets, and count nothing.

        Atomic across instances: N requests at once against a limit of L requests a minute
        admit exactly L. Token limits compare what record() has counted so far in the
        window (the user's day and month, everyone's minute) with the limit."""
        ...

    async def record(self, record: UsageRecord) -> None:
        """Add the call's tokens to the user's day and month, everyone's minute, and the
        report's row for its day, user and model. Not idempotent: do not retry it."""
        ...

    async def user_totals(self, user_id: str, now: datetime) -> tuple[UsageTotals, UsageTotals]:
        """What the user has used today and this month (UTC)."""
        ...

    async def report(self, start: date, end: date) -> list[UsageRow]:
        """One row per day, user and model with any use, `start` to `end` inclusive,
        ordered by day, user id and model."""
        ...

    async def get_override(self, user_id: str) -> LimitOverride | None: ...

    async def set_override(self, user_id: str, override: LimitOverride | None) -> None:
        """Replace the user's override; None removes it."""
        ...

    async def list_overrides(self) -> dict[str, LimitOverride]: ...

    async def add_audit(self, entry: AuditEntry) -> None: ...

    async def list_audit(self, limit: int, before: datetime | None) -> list[AuditEntry]:
        """At most `limit` entries older than `before` (all when None), newest first."""
        ...

    async def close(self) -> None: ...
