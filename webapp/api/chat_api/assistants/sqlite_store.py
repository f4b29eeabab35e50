"""Assistants in the history's SQLite file (HISTORY_SQLITE_PATH), for running on one
machine.

A connection and a thread of its own, beside the history store's: sqlite3 blocks, so every
operation runs on this one thread (the event loop never waits on the disk, and operations
are serialised without a lock). The two connections share the file as any two processes
would: WAL lets one read while the other writes, and a writer waits for the other's lock
up to the history's busy time-out before the store gives up with StoreUnavailable.
"""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
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
from chat_api.history.store import StoreUnavailable

T = TypeVar("T")

# Result codes (the low byte of an extended code) that say "not now", not "this is wrong".
_BUSY_CODES = frozenset({sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED})
_DISK_CODES = frozenset(
    {sqlite3.SQLITE_IOERR, sqlite3.SQLITE_FULL, sqlite3.SQLITE_CANTOPEN, sqlite3.SQLITE_PROTOCOL}
)


def _unavailable_instead(function: Callable[[], T]) -> T:
    try:
        return function()
    except sqlite3.DatabaseError as error:
        code = getattr(error, "sqlite_errorcode", 0) & 0xFF
        if code in _BUSY_CODES or code in _DISK_CODES:
            raise StoreUnavailable(retry_after=1 if code in _BUSY_CODES else 5) from error
        raise


class SqliteAssistantStore:
    def __init__(self, executor: ThreadPoolExecutor, db: sqlite3.Connection, max_owned: int):
        self._executor = executor
        self._db = db
        self._max_owned = max_owned
        self._closed = False

    @classmethod
    async def open(
        cls, path: Path | str, *, max_owned: int = MAX_OWNED_PER_USER
    ) -> SqliteAssistantStore:
        executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="assistants-sqlite")
        try:
            # The connection is made on the thread that will use it (sqlite3 checks).
            db = await asyncio.get_running_loop().run_in_executor(
                executor, partial(_unavailable_instead, partial(connect, Path(path)))
            )
        except BaseException:
            executor.shutdown(wait=False)
            raise
        return cls(executor, db, max_owned)

    async def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        try:
            await asyncio.get_running_loop().run_in_executor(self._executor, self._db.close)
        finally:
            self._executor.shutdown(wait=False)

    async def _run(self, function: Callable[[], T]) -> T:
        if self._closed:
            raise RuntimeError("the assistant store is closed")
        return await asyncio.get_running_loop().run_in_executor(
            self._executor, partial(_unavailable_instead, function)
        )

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
