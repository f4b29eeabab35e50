"""Reading and writing the history table's rows, with the service's failures as the store's
errors (table_errors.py) and one quick retry of what is safe to send again.

The SDK is imported only inside functions: see TableHistoryStore.open.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterable, Awaitable, Callable, Iterable, Mapping, Sequence
from functools import partial
from typing import TYPE_CHECKING, Any, TypeVar

from chat_api.history.models import Conversation
from chat_api.history.store import NotFound
from chat_api.history.table_entities import ConversationRow, conversation_from_entity, saved_seq
from chat_api.history.table_errors import safe_to_retry, translate
from chat_api.history.table_keys import conversation_row, message_row

if TYPE_CHECKING:
    from azure.data.tables import TableEntity
    from azure.data.tables.aio import TableClient

T = TypeVar("T")
# (operation, entity) or (operation, entity, options), as TableClient.submit_transaction
# takes them.
Operation = tuple[str, Mapping[str, Any]] | tuple[str, Mapping[str, Any], Mapping[str, Any]]

# Fail fast: the API answers 503 with Retry-After instead of holding the user while the
# SDK retries for minutes (its defaults: 10 retries, 300 s time-outs). TableRows retries
# itself, once, only what is safe to send again (table_errors.safe_to_retry).
CLIENT_OPTIONS: dict[str, Any] = {"retry_total": 0, "connection_timeout": 3, "read_timeout": 20}


def table_client(
    *, table_name: str, connection_string: str | None, endpoint: str | None, credential: Any
) -> TableClient:
    """A client for the table: by connection string, or at `endpoint` with `credential`.
    The SDK is imported here: only a deployment that keeps its data in tables pays for it."""
    from azure.data.tables.aio import TableClient

    if connection_string:
        return TableClient.from_connection_string(connection_string, table_name, **CLIENT_OPTIONS)
    if endpoint and credential is not None:
        return TableClient(endpoint, table_name, credential=credential, **CLIENT_OPTIONS)
    raise ValueError("needs a connection string, or an endpoint and a credential")


_CALL_ATTEMPTS = 2
_RETRY_PAUSE_SECONDS = 0.2
# The service's limit on operations in one transaction.
TRANSACTION_LIMIT = 100
# Conversation rows read at once for a page of the list.
_PARALLEL_READS = 16

_RANGE = "PartitionKey eq @partition and RowKey ge @low and RowKey lt @high"
_RANGE_AFTER = "PartitionKey eq @partition and RowKey gt @low and RowKey lt @high"
_PARTITION = "PartitionKey eq @partition"


class TableRows:
    def __init__(self, client: TableClient) -> None:
        self._client = client

    async def close(self) -> None:
        await self._client.close()

    async def call(self, operation: Callable[[], Awaitable[T]]) -> T:
        """Run one service operation, with the SDK's failures as the store's errors."""
        attempt = 1
        while True:
            try:
                return await operation()
            except Exception as error:
                failure = translate(error)
                if failure is None:
                    raise
                if attempt < _CALL_ATTEMPTS and safe_to_retry(error):
                    attempt += 1
                    await asyncio.sleep(_RETRY_PAUSE_SECONDS)
                    continue
                raise failure from error

    async def create_table(self) -> None:
        from azure.core.exceptions import ResourceExistsError

        async def create() -> None:
            with contextlib.suppress(ResourceExistsError):
                await self._client.create_table()

        await self.call(create)

    async def conversation(self, partition: str, key: str) -> ConversationRow:
        entity = await self.call(partial(self._client.get_entity, partition, conversation_row(key)))
        return conversation_from_entity(entity)

    async def conversations(self, partition: str, keys: Sequence[str]) -> list[Conversation | None]:
        """The conversations in `keys` order, read in parallel; None for one that is gone."""
        limiter = asyncio.Semaphore(_PARALLEL_READS)

        async def read(key: str) -> Conversation | None:
            async with limiter:
                try:
                    return (await self.conversation(partition, key)).conversation
                except NotFound:
                    return None

        # Every read finishes (each is bounded by the client's time-outs) before the first
        # failure, if any, is raised: none is left running behind the caller.
        results = await asyncio.gather(*(read(key) for key in keys), return_exceptions=True)
        for result in results:
            if isinstance(result, BaseException):
                raise result
        return [result for result in results if not isinstance(result, BaseException)]

    async def message_seq(self, partition: str, key: str, message_key: str) -> int | None:
        """The seq of the message if it was saved before."""
        try:
            entity = await self.call(
                partial(
                    self._client.get_entity,
                    partition,
                    message_row(key, message_key),
                    select=["seq"],
                )
            )
        except NotFound:
            return None
        return saved_seq(entity)

    async def range(self, partition: str, low: str, high: str) -> list[TableEntity]:
        """Every row with a RowKey in [low, high)."""

        async def collect(rows: AsyncIterable[TableEntity]) -> list[TableEntity]:
            return [row async for row in rows]

        return await self.scan(partition, low, high, collect)

    async def scan(
        self,
        partition: str,
        low: str,
        high: str,
        consume: Callable[[AsyncIterable[TableEntity]], Awaitable[T]],
    ) -> T:
        """`consume` the rows with a RowKey in [low, high) as they arrive (page by page)."""

        async def run() -> T:
            rows = self._client.query_entities(
                _RANGE, parameters={"partition": partition, "low": low, "high": high}
            )
            return await consume(rows)

        return await self.call(run)

    async def keys(
        self,
        partition: str,
        low: str | None = None,
        high: str | None = None,
        *,
        after: str | None = None,
        limit: int | None = None,
    ) -> list[str]:
        """RowKeys in [low, high), or in (after, high), or the whole partition's; at most
        `limit`, in order (Table Storage returns rows sorted by RowKey)."""
        if low is None or high is None:
            query_filter, parameters = _PARTITION, {"partition": partition}
        else:
            query_filter = _RANGE if after is None else _RANGE_AFTER
            parameters = {"partition": partition, "low": after or low, "high": high}

        async def collect() -> list[str]:
            found: list[str] = []
            rows = self._client.query_entities(
                query_filter, parameters=parameters, select=["RowKey"], results_per_page=limit
            )
            async for row in rows:
                found.append(row["RowKey"])
                if limit is not None and len(found) >= limit:
                    break
            return found

        return await self.call(collect)

    async def transact(self, operations: Iterable[Operation]) -> list[Mapping[str, Any]]:
        """All or nothing; one result (with the new "etag") per operation."""
        return await self.call(partial(self._client.submit_transaction, list(operations)))

    async def delete(self, partition: str, row_keys: Sequence[str]) -> None:
        """Delete the rows, a transaction at a time; rows already gone are no error."""
        for start in range(0, len(row_keys), TRANSACTION_LIMIT):
            batch = row_keys[start : start + TRANSACTION_LIMIT]
            try:
                await self.transact([("delete", stub(partition, row_key=k)) for k in batch])
            except NotFound:
                # Another delete took one of them first, so this transaction took none.
                for row_key in batch:
                    with contextlib.suppress(NotFound):
                        await self.call(partial(self._client.delete_entity, partition, row_key))


def stub(partition: str, *, row_key: str) -> dict[str, Any]:
    """A row named by its keys alone: what a delete or a merge needs."""
    return {"PartitionKey": partition, "RowKey": row_key}


def if_unchanged(etag: str) -> dict[str, Any]:
    """Options for a write that must fail (412, Conflict) if the row changed since read."""
    from azure.core import MatchConditions

    return {"etag": etag, "match_condition": MatchConditions.IfNotModified}
