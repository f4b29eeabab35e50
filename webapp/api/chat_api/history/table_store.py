"""History in Azure Table Storage (or Azure Cosmos DB for Table): the backend for Azure.

Where rows live: table_keys.py. What they hold: table_entities.py. Size limits:
table_limits.py. Reading and writing them, and errors: table_rows.py, table_errors.py.
Search: table_search.py.

Consistency without cross-partition transactions: everything of one user is one partition,
so a conversation row and its index row always change in one entity-group transaction.
A write that builds on what it read (an update, saving a message) is conditional on the
conversation row's ETag; when another writer got in first it starts again from a fresh
read, so concurrent writes are never lost. Deleting removes the conversation row first:
after that no message can be saved to it, so the sweep of its messages misses none.
"""

from __future__ import annotations

import asyncio
import random
from collections.abc import Sequence
from dataclasses import replace
from datetime import UTC, datetime
from functools import partial
from typing import Any

from chat_api.history.models import (
    Conversation,
    ConversationChanges,
    ConversationPage,
    Message,
    SearchHit,
)
from chat_api.history.search_text import query_terms
from chat_api.history.store import Conflict, NotFound, StoreUnavailable
from chat_api.history.table_entities import (
    conversation_entity,
    conversation_touch,
    index_entity,
    message_entity,
    message_from_entity,
    to_utc,
)
from chat_api.history.table_keys import (
    CONVERSATIONS_PREFIX,
    INDEX_PREFIX,
    conversation_key_of,
    conversation_prefix,
    conversation_row,
    decode_continuation,
    encode_continuation,
    id_key,
    index_row,
    is_conversation_row,
    listing_prefix,
    message_row,
    prefix_range,
)
from chat_api.history.table_limits import check_fits
from chat_api.history.table_rows import Operation, TableRows, if_unchanged, stub, table_client
from chat_api.history.table_search import search_rows

# Rounds of read-then-conditional-write before giving up on a busy conversation. Each
# round lets at least one of the writers through, so this is also how many writers at once
# one conversation takes without any of them failing (the contract asks for twenty).
_WRITE_ATTEMPTS = 32
# The longest pause between rounds; pauses grow from 5 ms and are random below the bound.
_MAX_PAUSE_SECONDS = 0.2


class TableHistoryStore:
    """One TableClient for the store's life; `open` makes it, `close` ends it."""

    def __init__(self, rows: TableRows, owned_credential: Any = None) -> None:
        self._rows = rows
        self._owned_credential = owned_credential

    @classmethod
    async def open(
        cls,
        *,
        connection_string: str | None = None,
        endpoint: str | None = None,
        credential: Any = None,
        table_name: str,
    ) -> TableHistoryStore:
        """Connect with a connection string, or to the account's table `endpoint` with
        `credential` (by default a DefaultAzureCredential, closed with the store); create
        the table if it is missing."""
        owned_credential = None
        if not connection_string and endpoint and credential is None:
            from azure.identity.aio import DefaultAzureCredential

            credential = owned_credential = DefaultAzureCredential()
        client = table_client(
            table_name=table_name,
            connection_string=connection_string,
            endpoint=endpoint,
            credential=credential,
        )
        store = cls(TableRows(client), owned_credential)
        try:
            await store._rows.create_table()
        except BaseException:
            await store.close()
            raise
        return store

    async def close(self) -> None:
        await self._rows.close()
        if self._owned_credential is not None:
            await self._owned_credential.close()
            self._owned_credential = None

    # Conversations

    async def create_conversation(self, user_id: str, conversation: Conversation) -> Conversation:
        partition, key = id_key(user_id), id_key(conversation.id)
        stored = replace(
            conversation,
            created=to_utc(conversation.created),
            updated=to_utc(conversation.updated),
            etag="",
        )
        listed_as = _index_row_of(key, stored)
        entity = conversation_entity(partition, key, stored, listed_as=listed_as, next_seq=1)
        check_fits(entity)
        # Already there: Conflict (409), as in the SQLite backend.
        results = await self._rows.transact(
            [("create", entity), ("create", index_entity(partition, listed_as))]
        )
        return replace(stored, etag=results[0]["etag"])

    async def get_conversation(self, user_id: str, conversation_id: str) -> Conversation:
        row = await self._rows.conversation(id_key(user_id), id_key(conversation_id))
        return row.conversation

    async def list_conversations(
        self,
        user_id: str,
        *,
        limit: int,
        continuation: str | None = None,
        archived: bool = False,
    ) -> ConversationPage:
        """A range query over the index rows, then the page's conversation rows read in
        parallel (the index rows hold only their order, so the ETag is the real one).

        Relies on rows coming back in RowKey order, as Table Storage and Azurite return
        them. Cosmos DB for Table does not sort; there, pages would need every index row
        of the listing read and sorted here."""
        if limit < 1:
            raise ValueError("limit must be at least 1")
        partition = id_key(user_id)
        low, high = prefix_range(listing_prefix(archived=archived))
        after = None
        if continuation is not None:
            after = decode_continuation(continuation, archived=archived)
        # One more than asked: whether it exists says whether there is a next page.
        index = await self._rows.keys(partition, after or low, high, after=after, limit=limit + 1)
        page = index[:limit]
        keys = [conversation_key_of(row_key) or "" for row_key in page]
        conversations = [
            # Changed or deleted between the two reads: show what is there now.
            conversation
            for conversation in await self._rows.conversations(partition, keys)
            if conversation is not None and conversation.archived == archived
        ]
        next_page = encode_continuation(page[-1]) if len(index) > limit else None
        return ConversationPage(items=conversations, continuation=next_page)

    async def update_conversation(
        self,
        user_id: str,
        conversation_id: str,
        changes: ConversationChanges,
        *,
        if_match: str | None = None,
    ) -> Conversation:
        partition, key = id_key(user_id), id_key(conversation_id)
        for attempt in range(_WRITE_ATTEMPTS):
            row = await self._rows.conversation(partition, key)
            if if_match is not None and if_match != row.conversation.etag:
                raise Conflict(f"conversation {conversation_id!r} has changed")
            changed = _apply(row.conversation, changes)
            listed_as = _index_row_of(key, changed)
            entity = conversation_entity(
                partition, key, changed, listed_as=listed_as, next_seq=row.next_seq
            )
            check_fits(entity)
            operations: list[Operation] = [
                ("update", entity, {"mode": "replace", **if_unchanged(row.conversation.etag)}),
                *_relist(partition, row.listed_as, listed_as),
            ]
            try:
                results = await self._rows.transact(operations)
            except Conflict:
                if if_match is not None:
                    raise
                # A message was saved in between: apply the changes to what it wrote.
                await _pause(attempt)
                continue
            return replace(changed, etag=results[0]["etag"])
        raise StoreUnavailable(retry_after=1)

    async def delete_conversation(self, user_id: str, conversation_id: str) -> None:
        partition, key = id_key(user_id), id_key(conversation_id)
        its_rows = prefix_range(conversation_prefix(key))
        for attempt in range(_WRITE_ATTEMPTS):
            try:
                row = await self._rows.conversation(partition, key)
            except NotFound:
                # A delete that stopped half-way (row gone, messages left) ends here when
                # it is tried again.
                await self._rows.delete(partition, await self._rows.keys(partition, *its_rows))
                raise
            try:
                await self._rows.transact(
                    [
                        (
                            "delete",
                            stub(partition, row_key=conversation_row(key)),
                            if_unchanged(row.conversation.etag),
                        ),
                        ("delete", stub(partition, row_key=row.listed_as)),
                    ]
                )
            except Conflict:
                # A message was saved in between and moved the index row: read it again.
                await _pause(attempt)
                continue
            break
        else:
            raise StoreUnavailable(retry_after=1)
        await self._rows.delete(partition, await self._rows.keys(partition, *its_rows))

    async def delete_all_conversations(self, user_id: str) -> int:
        partition = id_key(user_id)
        everything = await self._rows.keys(partition)
        conversations = [row_key for row_key in everything if is_conversation_row(row_key)]
        index = [row_key for row_key in everything if row_key.startswith(INDEX_PREFIX)]
        await self._rows.delete(partition, conversations + index)
        # Then what is left of them, including anything saved while the above ran; rows of
        # a conversation created meanwhile (its row is there) stay.
        remaining = await self._rows.keys(partition)
        alive = {conversation_key_of(k) for k in remaining if is_conversation_row(k)}
        await self._rows.delete(
            partition, [k for k in remaining if conversation_key_of(k) not in alive]
        )
        return len(conversations)

    # Messages

    async def list_messages(self, user_id: str, conversation_id: str) -> list[Message]:
        partition, key = id_key(user_id), id_key(conversation_id)
        # One range query: the conversation's own row and all its messages.
        rows = await self._rows.range(partition, *prefix_range(conversation_prefix(key)))
        if not any(is_conversation_row(row["RowKey"]) for row in rows):
            raise NotFound(conversation_id)
        messages = [
            message_from_entity(row) for row in rows if not is_conversation_row(row["RowKey"])
        ]
        # The RowKey holds the message id, not its place: the order is (created, first save).
        messages.sort(key=lambda row: row.order)
        return [row.message for row in messages]

    async def save_message(self, user_id: str, message: Message) -> Message:
        partition = id_key(user_id)
        key, message_key = id_key(message.conversation_id), id_key(message.id)
        stored = replace(message, created=to_utc(message.created))
        check_fits(message_entity(partition, key, message_key, stored, seq=0))
        for attempt in range(_WRITE_ATTEMPTS):
            row, first_seq = await asyncio.gather(
                self._rows.conversation(partition, key),
                self._rows.message_seq(partition, key, message_key),
            )
            # A message saved again keeps its place among messages created at the same time.
            seq = row.next_seq if first_seq is None else first_seq
            next_seq = row.next_seq + 1 if first_seq is None else row.next_seq
            # Never backwards: a conversation created with a future time keeps it.
            updated = max(row.conversation.updated, datetime.now(UTC))
            listed_as = _index_row_of(key, replace(row.conversation, updated=updated))
            operations: list[Operation] = [
                (
                    "upsert",
                    message_entity(partition, key, message_key, stored, seq=seq),
                    {"mode": "replace"},
                ),
                (
                    "update",
                    conversation_touch(
                        partition, key, updated=updated, listed_as=listed_as, next_seq=next_seq
                    ),
                    {"mode": "merge", **if_unchanged(row.conversation.etag)},
                ),
                *_relist(partition, row.listed_as, listed_as),
            ]
            try:
                await self._rows.transact(operations)
            except Conflict:
                # Another writer saved to this conversation first: both messages are kept.
                await _pause(attempt)
                continue
            return stored
        raise StoreUnavailable(retry_after=1)

    async def delete_messages(
        self, user_id: str, conversation_id: str, message_ids: Sequence[str]
    ) -> None:
        partition, key = id_key(user_id), id_key(conversation_id)
        row = await self._rows.conversation(partition, key)
        await self._rows.delete(
            partition, [message_row(key, id_key(message_id)) for message_id in message_ids]
        )
        # The same values merged again: only the etag changes, so the listing stays put.
        await self._rows.transact(
            [
                (
                    "update",
                    conversation_touch(
                        partition,
                        key,
                        updated=row.conversation.updated,
                        listed_as=row.listed_as,
                        next_seq=row.next_seq,
                    ),
                    {"mode": "merge"},
                )
            ]
        )

    async def search(self, user_id: str, query: str, *, limit: int = 20) -> list[SearchHit]:
        terms = query_terms(query)
        if not terms or limit < 1:
            return []
        # Every conversation and message row of the user (all but the index rows).
        low, high = prefix_range(CONVERSATIONS_PREFIX)
        return await self._rows.scan(
            id_key(user_id), low, high, partial(search_rows, terms=terms, limit=limit)
        )


def _index_row_of(key: str, conversation: Conversation) -> str:
    return index_row(
        key,
        archived=conversation.archived,
        pinned=conversation.pinned,
        updated=conversation.updated,
    )


def _apply(conversation: Conversation, changes: ConversationChanges) -> Conversation:
    return replace(
        conversation,
        title=conversation.title if changes.title is None else changes.title,
        system_prompt=(
            conversation.system_prompt if changes.system_prompt is None else changes.system_prompt
        ),
        # Settings are replaced as a whole: ModelSettings(model=None) clears the model.
        settings=conversation.settings if changes.settings is None else changes.settings,
        pinned=conversation.pinned if changes.pinned is None else changes.pinned,
        archived=conversation.archived if changes.archived is None else changes.archived,
    )


def _relist(partition: str, old: str, new: str) -> list[Operation]:
    """Move the index row when the listing order (pinned, updated, archived) changed."""
    if old == new:
        return []
    return [
        ("delete", stub(partition, row_key=old)),
        ("upsert", index_entity(partition, new), {"mode": "replace"}),
    ]


async def _pause(attempt: int) -> None:
    # Random and growing, so writers that collided spread out instead of colliding again
    # in step.
    bound = min(_MAX_PAUSE_SECONDS, 0.005 * 2**attempt)
    await asyncio.sleep(random.uniform(0, bound))  # noqa: S311 (not for security)
