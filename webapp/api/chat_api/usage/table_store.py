"""Usage in the history's Azure Table Storage table (HISTORY_TABLE_NAME).

Keys: table_keys.py; rows: table_entities.py. Table Storage cannot add to a number, so
every count is read, changed and written back on the condition that the row's ETag is
still the one read (or, for a new row, that it still does not exist). When another writer
got in first the write fails (412 or 409, Conflict) and the whole step starts again from
a fresh read, up to _WRITE_ATTEMPTS rounds, then StoreUnavailable. Each round lets at
least one writer of a row through, so that is also how many writers one row takes at once
without any failing. Reading, writing and the service's failures go through the history's
TableRows, so all the stores fail alike.
"""

from __future__ import annotations

import asyncio
import contextlib
import random
from collections.abc import Awaitable, Callable, Coroutine
from datetime import date, datetime, timedelta
from functools import partial
from typing import TYPE_CHECKING, Any, TypeVar

from chat_api.history.store import Conflict, NotFound, StoreUnavailable
from chat_api.history.table_rows import Operation, TableRows, if_unchanged, table_client
from chat_api.usage.limits import WindowUsage, counts_anything, reached
from chat_api.usage.models import (
    AuditEntry,
    LimitOverride,
    LimitReached,
    UsageRecord,
    UsageRow,
    UsageTotals,
    UserLimits,
)
from chat_api.usage.table_entities import (
    audit_entity,
    audit_from_entity,
    count_from_entity,
    counter_entity,
    override_entity,
    override_from_entity,
    report_entity,
    report_totals,
    usage_row_from_entity,
)
from chat_api.usage.table_keys import (
    AUDIT_PARTITION,
    DAY_ROW,
    GLOBAL_PARTITION,
    GLOBAL_SHARDS,
    LIMITS_PARTITION,
    MINUTE_ROW,
    MONTH_ROW,
    audit_row,
    audit_rows_before,
    day_partition,
    global_row,
    override_row,
    report_row,
    user_partition,
)
from chat_api.usage.windows import (
    WindowCount,
    added,
    count_in,
    day_of,
    minute_of,
    month_of,
    one_more_request,
    plus,
)

if TYPE_CHECKING:
    from azure.data.tables import TableEntity
    from azure.data.tables.aio import TableClient

T = TypeVar("T")

_WRITE_ATTEMPTS = 32
# Pauses between rounds grow from 5 ms and are random below the bound, so writers that
# met spread out instead of meeting again.
_MAX_PAUSE_SECONDS = 0.2
# Day partitions a report reads at once.
_PARALLEL_DAYS = 16

_PARTITION = "PartitionKey eq @partition"
_FROM_ROW = "PartitionKey eq @partition and RowKey ge @low"

# What a counter row read says: its count, and the ETag to write it back on (None: the
# row does not exist yet, and the write must create it).
_Read = tuple[WindowCount | None, str | None]


class TableUsageStore:
    def __init__(self, client: TableClient) -> None:
        self._client = client
        self._rows = TableRows(client)

    @classmethod
    async def open(
        cls,
        *,
        table_name: str,
        connection_string: str | None = None,
        endpoint: str | None = None,
        credential: Any = None,
    ) -> TableUsageStore:
        """Connect with a connection string, or to the table `endpoint` with `credential`
        (the caller's to close); create the table if it is missing."""
        client = table_client(
            table_name=table_name,
            connection_string=connection_string,
            endpoint=endpoint,
            credential=credential,
        )
        store = cls(client)
        try:
            await store._rows.create_table()
        except BaseException:
            await store.close()
            raise
        return store

    async def close(self) -> None:
        await self._rows.close()

    async def admit(
        self,
        user_id: str,
        limits: UserLimits,
        global_tokens_per_minute: int | None,
        now: datetime,
    ) -> LimitReached | None:
        if not counts_anything(limits, global_tokens_per_minute):
            return None
        partition = user_partition(user_id)
        minute = minute_of(now)

        async def attempt() -> LimitReached | None:
            mine, everyone = await _all(
                self._partition(partition),
                self._partition(None if global_tokens_per_minute is None else GLOBAL_PARTITION),
            )
            minute_count, minute_etag = _counter(mine, MINUTE_ROW)
            everyone_tokens = sum(
                count_in(count_from_entity(row), minute).total_tokens for row in everyone.values()
            )
            usage = WindowUsage(
                minute_requests=count_in(minute_count, minute).requests,
                day_tokens=count_in(_counter(mine, DAY_ROW)[0], day_of(now)).total_tokens,
                month_tokens=count_in(_counter(mine, MONTH_ROW)[0], month_of(now)).total_tokens,
                global_minute_tokens=everyone_tokens,
            )
            found = reached(limits, global_tokens_per_minute, usage, now)
            # The minute's count serves only the requests-per-minute limit.
            if found is None and limits.requests_per_minute is not None:
                counted = one_more_request(minute_count, minute)
                await self._write(counter_entity(partition, MINUTE_ROW, counted), minute_etag)
            return found

        return await _until_written(attempt)

    async def record(self, record: UsageRecord) -> None:
        used = UsageTotals(1, record.prompt_tokens, record.completion_tokens)
        # Three partitions, so three writes that are each atomic, not together: a failure
        # part-way leaves what was written (docs/usage.md, "Failures").
        await _all(
            _until_written(partial(self._count_for_user, record, used)),
            _until_written(partial(self._count_for_everyone, record, used)),
            _until_written(partial(self._count_for_report, record, used)),
        )

    async def _count_for_user(self, record: UsageRecord, used: UsageTotals) -> None:
        partition = user_partition(record.user_id)
        mine = await self._partition(partition)
        operations: list[Operation] = []
        for row, window in ((DAY_ROW, day_of(record.at)), (MONTH_ROW, month_of(record.at))):
            stored, etag = _counter(mine, row)
            counted = added(stored, window, used)
            if counted is not None:
                operations.append(_write_operation(counter_entity(partition, row, counted), etag))
        if operations:
            # One transaction: the day and the month move together or not at all.
            await self._rows.transact(operations)

    async def _count_for_everyone(self, record: UsageRecord, used: UsageTotals) -> None:
        # A fresh shard every round: one that another writer just took is likely busy.
        row = global_row(random.randrange(GLOBAL_SHARDS))  # noqa: S311 (not for security)
        stored, etag = await self._read_counter(GLOBAL_PARTITION, row)
        counted = added(stored, minute_of(record.at), used)
        if counted is not None:
            await self._write(counter_entity(GLOBAL_PARTITION, row, counted), etag)

    async def _count_for_report(self, record: UsageRecord, used: UsageTotals) -> None:
        day = day_of(record.at)
        partition, row = day_partition(day), report_row(record.user_id, record.model)
        try:
            entity = await self._get(partition, row)
            totals, etag = plus(report_totals(entity), used), _etag(entity)
        except NotFound:
            totals, etag = used, None
        written = report_entity(
            partition,
            row,
            day,
            totals,
            user_id=record.user_id,
            user_name=record.user_name,
            model=record.model,
        )
        await self._write(written, etag)

    async def user_totals(self, user_id: str, now: datetime) -> tuple[UsageTotals, UsageTotals]:
        mine = await self._partition(user_partition(user_id))
        return (
            count_in(_counter(mine, DAY_ROW)[0], day_of(now)),
            count_in(_counter(mine, MONTH_ROW)[0], month_of(now)),
        )

    async def report(self, start: date, end: date) -> list[UsageRow]:
        limiter = asyncio.Semaphore(_PARALLEL_DAYS)

        async def day_rows(day: date) -> list[UsageRow]:
            async with limiter:
                rows = await self._partition(day_partition(day.isoformat()))
            return [usage_row_from_entity(row) for row in rows.values()]

        days = [start + timedelta(days=n) for n in range((end - start).days + 1)]
        found = await _all(*(day_rows(day) for day in days))
        rows = [row for one_day in found for row in one_day]
        return sorted(rows, key=lambda row: (row.day, row.user_id, row.model))

    async def get_override(self, user_id: str) -> LimitOverride | None:
        try:
            entity = await self._get(LIMITS_PARTITION, override_row(user_id))
        except NotFound:
            return None
        return override_from_entity(entity)[1]

    async def set_override(self, user_id: str, override: LimitOverride | None) -> None:
        row = override_row(user_id)
        if override is None:
            with contextlib.suppress(NotFound):
                await self._rows.call(partial(self._client.delete_entity, LIMITS_PARTITION, row))
            return
        entity = override_entity(LIMITS_PARTITION, row, user_id, override)
        await self._rows.call(partial(self._client.upsert_entity, entity, mode="replace"))

    async def list_overrides(self) -> dict[str, LimitOverride]:
        rows = await self._partition(LIMITS_PARTITION)
        return dict(sorted((override_from_entity(row) for row in rows.values()), key=_first))

    async def add_audit(self, entry: AuditEntry) -> None:
        entity = audit_entity(AUDIT_PARTITION, audit_row(entry.at), entry)
        await self._rows.call(partial(self._client.create_entity, entity))

    async def list_audit(self, limit: int, before: datetime | None) -> list[AuditEntry]:
        low = "" if before is None else audit_rows_before(before)

        async def query() -> list[AuditEntry]:
            found: list[AuditEntry] = []
            rows = self._client.query_entities(
                _FROM_ROW,
                parameters={"partition": AUDIT_PARTITION, "low": low},
                results_per_page=limit,
            )
            async for row in rows:
                if len(found) >= limit:
                    break
                found.append(audit_from_entity(row))
            return found

        return await self._rows.call(query)

    async def _partition(self, partition: str | None) -> dict[str, TableEntity]:
        """Every row of a small partition by RowKey; nothing for None (not needed)."""
        if partition is None:
            return {}

        async def query() -> dict[str, TableEntity]:
            rows = self._client.query_entities(_PARTITION, parameters={"partition": partition})
            return {row["RowKey"]: row async for row in rows}

        return await self._rows.call(query)

    async def _get(self, partition: str, row: str) -> TableEntity:
        return await self._rows.call(partial(self._client.get_entity, partition, row))

    async def _read_counter(self, partition: str, row: str) -> _Read:
        try:
            entity = await self._get(partition, row)
        except NotFound:
            return None, None
        return count_from_entity(entity), _etag(entity)

    async def _write(self, entity: dict[str, Any], etag: str | None) -> None:
        """Create the row (etag None) or replace it if unchanged; Conflict otherwise."""
        if etag is None:
            await self._rows.call(partial(self._client.create_entity, entity))
        else:
            await self._rows.call(
                partial(self._client.update_entity, entity, mode="replace", **if_unchanged(etag))
            )


def _counter(rows: dict[str, TableEntity], row: str) -> _Read:
    entity = rows.get(row)
    return (None, None) if entity is None else (count_from_entity(entity), _etag(entity))


def _first(pair: tuple[str, LimitOverride]) -> str:
    return pair[0]


def _etag(entity: TableEntity) -> str:
    return str(entity.metadata["etag"])


def _write_operation(entity: dict[str, Any], etag: str | None) -> Operation:
    if etag is None:
        return ("create", entity)
    return ("update", entity, {"mode": "replace", **if_unchanged(etag)})


async def _until_written(attempt: Callable[[], Awaitable[T]]) -> T:
    """Run a read-then-conditional-write step until no other writer got in between."""
    for round_ in range(_WRITE_ATTEMPTS):
        try:
            return await attempt()
        except Conflict:
            bound = min(_MAX_PAUSE_SECONDS, 0.005 * 2**round_)
            await asyncio.sleep(random.uniform(0, bound))  # noqa: S311 (not for security)
    raise StoreUnavailable(retry_after=1)


async def _all(*steps: Coroutine[Any, Any, T]) -> list[T]:
    """Every step's result; all finish (each bounded by the client's time-outs) before the
    first failure, if any, is raised, so none is left running behind the caller."""
    results = await asyncio.gather(*steps, return_exceptions=True)
    for result in results:
        if isinstance(result, BaseException):
            raise result
    return [result for result in results if not isinstance(result, BaseException)]
