"""Assistants in the history's Azure Table Storage table (HISTORY_TABLE_NAME).

Keys: table_keys.py; rows: table_entities.py. Every row of every assistant is in one
partition, so each change (the row and its list copies) is one entity-group transaction,
conditional on the service's ETag of the assistant's row as read: when another writer got
in first, a change without the caller's If-Match starts again from a fresh read, one with
it is Conflict. Reading, writing and the service's failures go through the history's
TableRows, so both stores fail alike.
"""

from __future__ import annotations

import asyncio
import random
import uuid
from collections.abc import AsyncIterable, Callable
from dataclasses import replace
from datetime import UTC, datetime
from functools import partial
from typing import TYPE_CHECKING, Any

from chat_api.assistants.models import (
    LIST_LIMIT,
    MAX_OWNED_PER_USER,
    Assistant,
    AssistantContent,
    AssistantSummary,
    Scope,
    Visibility,
)
from chat_api.assistants.store import NotOwner, TooManyAssistants
from chat_api.assistants.table_entities import (
    assistant_entity,
    assistant_from_entity,
    check_transaction_fits,
    copy_entities,
    stub,
    summary_from_entity,
)
from chat_api.assistants.table_keys import PARTITION, assistant_row, list_range, mine_prefix
from chat_api.history.store import Conflict, NotFound, StoreUnavailable
from chat_api.history.table_entities import to_utc
from chat_api.history.table_keys import prefix_range
from chat_api.history.table_rows import Operation, TableRows, if_unchanged, table_client

if TYPE_CHECKING:
    from azure.data.tables import TableEntity
    from azure.data.tables.aio import TableClient

# Rounds of read-then-conditional-write before a busy assistant gives up (503).
_WRITE_ATTEMPTS = 8
_MAX_PAUSE_SECONDS = 0.2

_RANGE = "PartitionKey eq @partition and RowKey ge @low and RowKey lt @high"


class TableAssistantStore:
    def __init__(self, client: TableClient, *, max_owned: int) -> None:
        self._client = client
        self._rows = TableRows(client)
        self._max_owned = max_owned

    @classmethod
    async def open(
        cls,
        *,
        table_name: str,
        connection_string: str | None = None,
        endpoint: str | None = None,
        credential: Any = None,
        max_owned: int = MAX_OWNED_PER_USER,
    ) -> TableAssistantStore:
        """Connect with a connection string, or to the table `endpoint` with `credential`
        (the caller's to close); create the table if it is missing."""
        client = table_client(
            table_name=table_name,
            connection_string=connection_string,
            endpoint=endpoint,
            credential=credential,
        )
        store = cls(client, max_owned=max_owned)
        try:
            await store._rows.create_table()
        except BaseException:
            await store.close()
            raise
        return store

    async def close(self) -> None:
        await self._rows.close()

    async def create_assistant(self, assistant: Assistant) -> Assistant:
        stored = replace(
            assistant,
            featured=False,
            version=1,
            created=to_utc(assistant.created),
            updated=to_utc(assistant.updated),
            etag=uuid.uuid4().hex,
        )
        entities = [assistant_entity(stored), *copy_entities(stored)]
        check_transaction_fits(entities)
        # Not atomic with the write (a count cannot be a transaction's condition): two
        # creates at once may both pass at the limit. It bounds a list, not a quota.
        owned = len(
            await self._rows.keys(
                PARTITION, *prefix_range(mine_prefix(stored.owner_id)), limit=self._max_owned
            )
        )
        if owned >= self._max_owned:
            raise TooManyAssistants(f"{owned} assistants already")
        # Already there: Conflict (409), as in the SQLite backend.
        await self._rows.transact([("create", entity) for entity in entities])
        return stored

    async def get_assistant(self, user_id: str, assistant_id: str) -> Assistant:
        assistant, _, _ = await self._read(assistant_id)
        if not assistant.visible_to(user_id):
            raise NotFound(assistant_id)
        return assistant

    async def list_assistants(
        self, user_id: str, scope: Scope, *, limit: int = LIST_LIMIT
    ) -> list[AssistantSummary]:
        """One range query over the list's copies, which hold all a list shows and come
        back in RowKey order, which is the list's order."""
        low, high = list_range(scope, user_id)

        async def first(rows: AsyncIterable[TableEntity]) -> list[AssistantSummary]:
            found: list[AssistantSummary] = []
            async for row in rows:
                found.append(summary_from_entity(row))
                if len(found) >= limit:
                    break
            return found

        async def query() -> list[AssistantSummary]:
            rows = self._client.query_entities(
                _RANGE,
                parameters={"partition": PARTITION, "low": low, "high": high},
                results_per_page=limit,
            )
            return await first(rows)

        return await self._rows.call(query)

    async def update_assistant(
        self,
        user_id: str,
        assistant_id: str,
        content: AssistantContent,
        *,
        if_match: str | None = None,
    ) -> Assistant:
        def edit(current: Assistant) -> Assistant:
            if not current.visible_to(user_id):
                raise NotFound(assistant_id)
            if current.owner_id != user_id:
                raise NotOwner(assistant_id)
            if if_match is not None and if_match != current.etag:
                raise Conflict(f"assistant {assistant_id!r} has changed")
            changed = current.with_content(content)
            return replace(
                changed,
                featured=current.featured and content.visibility is Visibility.ORGANISATION,
                version=current.version + 1,
                # Never backwards: an assistant created with a future time keeps it.
                updated=max(current.updated, datetime.now(UTC)),
            )

        return await self._rewrite(assistant_id, edit, retry=if_match is None)

    async def delete_assistant(
        self, user_id: str, assistant_id: str, *, as_admin: bool = False
    ) -> None:
        for attempt in range(_WRITE_ATTEMPTS):
            current, copies, service_etag = await self._read(assistant_id)
            if not current.visible_to(user_id):
                raise NotFound(assistant_id)
            if current.owner_id != user_id and not as_admin:
                raise NotOwner(assistant_id)
            operations: list[Operation] = [
                ("delete", stub(assistant_row(assistant_id)), if_unchanged(service_etag)),
                *(("delete", stub(row)) for row in copies),
            ]
            try:
                await self._rows.transact(operations)
            except Conflict:
                await _pause(attempt)
                continue
            return
        raise StoreUnavailable(retry_after=1)

    async def set_featured(self, assistant_id: str, featured: bool) -> Assistant:
        def feature(current: Assistant) -> Assistant:
            if current.visibility is not Visibility.ORGANISATION:
                raise NotFound(assistant_id)
            return replace(current, featured=featured)

        return await self._rewrite(assistant_id, feature, retry=True)

    async def _rewrite(
        self, assistant_id: str, change: Callable[[Assistant], Assistant], *, retry: bool
    ) -> Assistant:
        """Read, change, and write the row with its copies moved, unless someone wrote in
        between; then again from a fresh read when `retry`, else Conflict."""
        for attempt in range(_WRITE_ATTEMPTS):
            current, copies, service_etag = await self._read(assistant_id)
            changed = change(current)
            if changed == current:
                return current
            changed = replace(changed, etag=uuid.uuid4().hex)
            row, *new_copies = [assistant_entity(changed), *copy_entities(changed)]
            new_rows = {copy["RowKey"] for copy in new_copies}
            operations: list[Operation] = [
                ("update", row, {"mode": "replace", **if_unchanged(service_etag)}),
                *(("delete", stub(old)) for old in copies if old not in new_rows),
                *(("upsert", copy, {"mode": "replace"}) for copy in new_copies),
            ]
            check_transaction_fits([row, *new_copies])
            try:
                await self._rows.transact(operations)
            except Conflict:
                if not retry:
                    raise
                await _pause(attempt)
                continue
            return changed
        raise StoreUnavailable(retry_after=1)

    async def _read(self, assistant_id: str) -> tuple[Assistant, list[str], str]:
        """The assistant, its copies' RowKeys, and the service's ETag of its row."""
        try:
            entity = await self._rows.call(
                partial(self._client.get_entity, PARTITION, assistant_row(assistant_id))
            )
        except NotFound:
            raise NotFound(assistant_id) from None
        assistant, copies = assistant_from_entity(entity)
        return assistant, copies, entity.metadata["etag"] or ""


async def _pause(attempt: int) -> None:
    # Random and growing, so writers that collided spread out instead of colliding again.
    bound = min(_MAX_PAUSE_SECONDS, 0.005 * 2**attempt)
    await asyncio.sleep(random.uniform(0, bound))  # noqa: S311 (not for security)
