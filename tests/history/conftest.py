"""Every history test runs against both backends: SQLite and Table Storage (Azurite)."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from chat_api.assistants.models import MAX_OWNED_PER_USER
from chat_api.assistants.store import AssistantStore
from chat_api.history.store import HistoryStore
from chat_api.usage.store import UsageStore
from tests.support.azurite import running_azurite


@pytest.fixture(scope="session")
def azurite_connection_string() -> Iterator[str]:
    with running_azurite() as connection_string:
        yield connection_string


@pytest.fixture(params=["sqlite", "table"])
async def store(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[HistoryStore]:
    opened: HistoryStore
    if request.param == "sqlite":
        from chat_api.history.sqlite_store import SqliteHistoryStore

        opened = await SqliteHistoryStore.open(tmp_path / "history.sqlite3")
    else:
        from chat_api.history.table_store import TableHistoryStore

        # Asked for here, not in the signature: SQLite-only runs need no Azurite (nor Node).
        connection_string: str = request.getfixturevalue("azurite_connection_string")
        # A table per test: isolation without cleaning up.
        opened = await TableHistoryStore.open(
            connection_string=connection_string,
            table_name="t" + uuid.uuid4().hex[:20],
        )
    try:
        yield opened
    finally:
        await opened.close()


# --- Assistants: stored beside the history, in the same file or table ---------------------


@dataclass(frozen=True)
class SharedStorage:
    """Where both stores of one test live: one SQLite file, or one Azurite table."""

    sqlite_path: Path | None
    connection_string: str | None
    table_name: str


AssistantOpener = Callable[..., Awaitable[AssistantStore]]


@pytest.fixture(params=["sqlite", "table"])
def shared_storage(request: pytest.FixtureRequest, tmp_path: Path) -> SharedStorage:
    if request.param == "sqlite":
        return SharedStorage(tmp_path / "history.sqlite3", None, "")
    connection_string: str = request.getfixturevalue("azurite_connection_string")
    return SharedStorage(None, connection_string, "t" + uuid.uuid4().hex[:20])


@pytest.fixture
async def open_assistant_store(shared_storage: SharedStorage) -> AsyncIterator[AssistantOpener]:
    """Opens assistant stores on the test's storage; closes them after the test."""
    opened: list[AssistantStore] = []

    async def open_store(max_owned: int = MAX_OWNED_PER_USER) -> AssistantStore:
        store: AssistantStore
        if shared_storage.sqlite_path is not None:
            from chat_api.assistants.sqlite_store import SqliteAssistantStore

            store = await SqliteAssistantStore.open(shared_storage.sqlite_path, max_owned=max_owned)
        else:
            from chat_api.assistants.table_store import TableAssistantStore

            store = await TableAssistantStore.open(
                connection_string=shared_storage.connection_string,
                table_name=shared_storage.table_name,
                max_owned=max_owned,
            )
        opened.append(store)
        return store

    try:
        yield open_store
    finally:
        for store in opened:
            await store.close()


@pytest.fixture
async def assistant_store(open_assistant_store: AssistantOpener) -> AssistantStore:
    return await open_assistant_store()


@pytest.fixture
async def history_beside(shared_storage: SharedStorage) -> AsyncIterator[HistoryStore]:
    """The history store on the same file or table as `assistant_store`."""
    opened: HistoryStore
    if shared_storage.sqlite_path is not None:
        from chat_api.history.sqlite_store import SqliteHistoryStore

        opened = await SqliteHistoryStore.open(shared_storage.sqlite_path)
    else:
        from chat_api.history.table_store import TableHistoryStore

        opened = await TableHistoryStore.open(
            connection_string=shared_storage.connection_string,
            table_name=shared_storage.table_name,
        )
    try:
        yield opened
    finally:
        await opened.close()


# --- Usage: counters, the report, overrides and the audit log, beside the history -------

UsageOpener = Callable[[], Awaitable[UsageStore]]


@pytest.fixture
async def open_usage_store(shared_storage: SharedStorage) -> AsyncIterator[UsageOpener]:
    """Opens usage stores on the test's storage, each with its own connection or client, as
    several API instances would; closes them after the test."""
    opened: list[UsageStore] = []

    async def open_store() -> UsageStore:
        store: UsageStore
        if shared_storage.sqlite_path is not None:
            from chat_api.usage.sqlite_store import SqliteUsageStore

            store = await SqliteUsageStore.open(shared_storage.sqlite_path)
        else:
            from chat_api.usage.table_store import TableUsageStore

            store = await TableUsageStore.open(
                connection_string=shared_storage.connection_string,
                table_name=shared_storage.table_name,
            )
        opened.append(store)
        return store

    try:
        yield open_store
    finally:
        for store in opened:
            await store.close()


@pytest.fixture
async def usage_store(open_usage_store: UsageOpener) -> UsageStore:
    return await open_usage_store()
