"""Every history test runs against both backends: SQLite and Table Storage (Azurite)."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

from chat_api.history.store import HistoryStore
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
