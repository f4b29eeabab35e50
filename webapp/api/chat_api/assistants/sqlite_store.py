"""Assistants in the history's SQLite file (HISTORY_SQLITE_PATH), for running on one
machine.

A connection and a thread of its own, beside the history store's: sqlite3 blocks, so every
operation runs on this one thread (the event loop never waits on the disk, and operations
are serialised without a lock). The two connections share the file as any two processes
would: WAL lets one read while the other writes, and a writer waits for the other's lock
up to the history's busy time-out before the store gives up with StoreUnavailable.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import TypeVar

from chat_api.assistants import sqlite_ops
from chat_api.assistants.models import (
    LIST_LIMIT,
    MAX_OWNED_PER_USER,
    Assistant,
    AssistantContent,
    AssistantSummary,
    Scope,
)
from chat_api.assistants.sqlite_schema import connect
from chat_api.sqlite_worker import SqliteWorker

T = TypeVar("T")


class SqliteAssistantStore:
    def __init__(self, worker: SqliteWorker, max_owned: int) -> None:
        self._worker = worker
        self._db = worker.db
        self._max_owned = max_owned

    @classmethod
    async def open(
        cls, path: Path | str, *, max_owned: int = MAX_OWNED_PER_USER
    ) -> SqliteAssistantStore:
        """Open the file, creating it, its directory and its tables if missing."""
        return cls(
            await SqliteWorker.start(partial(connect, Path(path)), "assistants-sqlite"), max_owned
        )

    async def close(self) -> None:
        await self._worker.stop()

    async def _run(self, function: Callable[[], T]) -> T:
        return await self._worker.call(function)

    async def create_assistant(self, assistant: Assistant) -> Assistant:
        return await self._run(
            partial(sqlite_ops.create_assistant, self._db, assistant, max_owned=self._max_owned)
        )

    async def get_assistant(self, user_id: str, assistant_id: str) -> Assistant:
        return await self._run(partial(sqlite_ops.get_assistant, self._db, user_id, assistant_id))

    async def list_assistants(
        self, user_id: str, scope: Scope, *, limit: int = LIST_LIMIT
    ) -> list[AssistantSummary]:
        return await self._run(
            partial(sqlite_ops.list_assistants, self._db, user_id, scope, limit=limit)
        )

    async def update_assistant(
        self,
        user_id: str,
        assistant_id: str,
        content: AssistantContent,
        *,
        if_match: str | None = None,
    ) -> Assistant:
        return await self._run(
            partial(
                sqlite_ops.update_assistant,
                self._db,
                user_id,
                assistant_id,
                content,
                if_match=if_match,
            )
        )

    async def delete_assistant(
        self, user_id: str, assistant_id: str, *, as_admin: bool = False
    ) -> None:
        await self._run(
            partial(sqlite_ops.delete_assistant, self._db, user_id, assistant_id, as_admin=as_admin)
        )

    async def set_featured(self, assistant_id: str, featured: bool) -> Assistant:
        return await self._run(partial(sqlite_ops.set_featured, self._db, assistant_id, featured))
