"""Chat history in a local SQLite file: for running the app on one machine, and the
reference the Table Storage backend is tested against.

sqlite3 blocks, so every operation runs on one dedicated thread that owns the connection:
the event loop never waits on the disk, and operations are serialised without a lock (one
connection cannot run two statements at once anyway). Other processes may share the file:
WAL lets them read while one writes, and a writer waits up to BUSY_TIMEOUT_SECONDS for the
lock before the store gives up with StoreUnavailable.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import partial
from pathlib import Path
from typing import TypeVar

from chat_api.history import sqlite_ops
from chat_api.history.models import (
    Conversation,
    ConversationChanges,
    ConversationPage,
    Message,
    SearchHit,
)
from chat_api.history.sqlite_schema import connect
from chat_api.sqlite_worker import SqliteWorker

T = TypeVar("T")


class SqliteHistoryStore:
    def __init__(self, worker: SqliteWorker) -> None:
        self._worker = worker
        self._db = worker.db

    @classmethod
    async def open(cls, path: Path | str) -> SqliteHistoryStore:
        """Open the file, creating it, its directory and its tables if missing."""
        return cls(await SqliteWorker.start(partial(connect, Path(path)), "history-sqlite"))

    async def close(self) -> None:
        await self._worker.stop()

    async def _run(self, function: Callable[[], T]) -> T:
        return await self._worker.call(function)

    async def create_conversation(self, user_id: str, conversation: Conversation) -> Conversation:
        """Raises Conflict if this user already has a conversation with that id."""
        return await self._run(
            partial(sqlite_ops.create_conversation, self._db, user_id, conversation)
        )

    async def get_conversation(self, user_id: str, conversation_id: str) -> Conversation:
        return await self._run(
            partial(sqlite_ops.get_conversation, self._db, user_id, conversation_id)
        )

    async def list_conversations(
        self,
        user_id: str,
        *,
        limit: int,
        continuation: str | None = None,
        archived: bool = False,
    ) -> ConversationPage:
        """Raises InvalidContinuation (a ValueError) for a continuation it did not issue."""
        return await self._run(
            partial(
                sqlite_ops.list_conversations,
                self._db,
                user_id,
                limit=limit,
                continuation=continuation,
                archived=archived,
            )
        )

    async def update_conversation(
        self,
        user_id: str,
        conversation_id: str,
        changes: ConversationChanges,
        *,
        if_match: str | None = None,
    ) -> Conversation:
        return await self._run(
            partial(
                sqlite_ops.update_conversation,
                self._db,
                user_id,
                conversation_id,
                changes,
                if_match=if_match,
            )
        )

    async def delete_conversation(self, user_id: str, conversation_id: str) -> None:
        await self._run(partial(sqlite_ops.delete_conversation, self._db, user_id, conversation_id))

    async def delete_all_conversations(self, user_id: str) -> int:
        return await self._run(partial(sqlite_ops.delete_all_conversations, self._db, user_id))

    async def list_messages(self, user_id: str, conversation_id: str) -> list[Message]:
        return await self._run(
            partial(sqlite_ops.list_messages, self._db, user_id, conversation_id)
        )

    async def save_message(self, user_id: str, message: Message) -> Message:
        return await self._run(partial(sqlite_ops.save_message, self._db, user_id, message))

    async def delete_messages(
        self, user_id: str, conversation_id: str, message_ids: Sequence[str]
    ) -> None:
        await self._run(
            partial(sqlite_ops.delete_messages, self._db, user_id, conversation_id, message_ids)
        )

    async def search(self, user_id: str, query: str, *, limit: int = 20) -> list[SearchHit]:
        return await self._run(partial(sqlite_ops.search, self._db, user_id, query, limit=limit))
