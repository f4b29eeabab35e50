"""One SQLite connection on a thread of its own, for a store that must not block the event
loop: sqlite3 blocks, so every operation runs on that thread, one at a time (which also
serialises them without a lock). Failures that mean "not now" (another writer holds the
lock past the busy time-out, the disk misbehaves) become StoreUnavailable. The history's,
the assistants' and the usage's SQLite stores each keep one.
"""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from functools import partial
from pathlib import Path
from typing import TypeVar

from chat_api.history.store import StoreUnavailable

T = TypeVar("T")

# Result codes (the low byte of an extended code) that say "not now", not "this is wrong".
_BUSY_CODES = frozenset({sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED})
_DISK_CODES = frozenset(
    {sqlite3.SQLITE_IOERR, sqlite3.SQLITE_FULL, sqlite3.SQLITE_CANTOPEN, sqlite3.SQLITE_PROTOCOL}
)


def _store_errors(function: Callable[[], T]) -> T:
    try:
        return function()
    except sqlite3.DatabaseError as error:
        code = getattr(error, "sqlite_errorcode", 0) & 0xFF
        if code in _BUSY_CODES or code in _DISK_CODES:
            raise StoreUnavailable(retry_after=1 if code in _BUSY_CODES else 5) from error
        raise


def open_file(
    path: Path, busy_timeout: float, prepare: Callable[[sqlite3.Connection], object]
) -> sqlite3.Connection:
    """Open (creating if need be) a store's file in the modes every store here uses, then
    `prepare` it (its tables, a migration). Call from the thread that will use it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    # isolation_level=None: no implicit transactions; writes say BEGIN IMMEDIATE themselves.
    connection = sqlite3.connect(path, timeout=busy_timeout, isolation_level=None)
    connection.row_factory = sqlite3.Row
    try:
        # WAL lets readers in other processes go on while one writes; NORMAL only risks
        # the last commits on power loss, never corruption, and saves an fsync per write.
        connection.execute("PRAGMA journal_mode = WAL")
        connection.execute("PRAGMA synchronous = NORMAL")
        prepare(connection)
    except BaseException:
        connection.close()
        raise
    return connection


@contextmanager
def writing(db: sqlite3.Connection) -> Iterator[None]:
    """A write transaction. IMMEDIATE takes the write lock up front, so a read-then-write
    cannot be overtaken by another process between the two."""
    db.execute("BEGIN IMMEDIATE")
    try:
        yield
        db.execute("COMMIT")
    except BaseException:
        # COMMIT itself can fail (disk full, I/O): never leave the transaction open.
        if db.in_transaction:
            db.execute("ROLLBACK")
        raise


class SqliteWorker:
    def __init__(self, executor: ThreadPoolExecutor, db: sqlite3.Connection) -> None:
        self._executor = executor
        self.db = db
        self._closed = False

    @classmethod
    async def start(cls, connect: Callable[[], sqlite3.Connection], name: str) -> SqliteWorker:
        executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix=name)
        try:
            # The connection is made on the thread that will use it (sqlite3 checks).
            db = await asyncio.get_running_loop().run_in_executor(
                executor, partial(_store_errors, connect)
            )
        except BaseException:
            executor.shutdown(wait=False)
            raise
        return cls(executor, db)

    async def run(self, operation: Callable[[sqlite3.Connection], T]) -> T:
        if self._closed:
            raise RuntimeError("the store is closed")
        return await asyncio.get_running_loop().run_in_executor(
            self._executor, partial(_store_errors, partial(operation, self.db))
        )

    async def call(self, function: Callable[[], T]) -> T:
        """Run `function` (which holds `db` already) on the connection's thread."""
        return await self.run(lambda _db: function())

    async def stop(self) -> None:
        if self._closed:
            return
        self._closed = True
        try:
            await asyncio.get_running_loop().run_in_executor(self._executor, self.db.close)
        finally:
            self._executor.shutdown(wait=False)
