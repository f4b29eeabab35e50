"""What only the SQLite backend has: a file that outlives the process, its schema version,
and other processes holding its write lock."""

from __future__ import annotations

import sqlite3
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest

from chat_api.history import sqlite_schema
from chat_api.history.models import AssistantRef, Conversation
from chat_api.history.sqlite_store import SqliteHistoryStore
from chat_api.history.store import InvalidContinuation, StoreUnavailable

pytestmark = pytest.mark.anyio

NOW = datetime(2026, 11, 21, 12, 0, tzinfo=UTC)


def _conversation(conversation_id: str = "c1") -> Conversation:
    return Conversation(id=conversation_id, title="Kept", created=NOW, updated=NOW)


async def test_history_outlives_the_process(tmp_path: Path) -> None:
    path = tmp_path / "nested" / "history.sqlite3"
    store = await SqliteHistoryStore.open(path)
    await store.create_conversation("u", _conversation())
    await store.close()
    reopened = await SqliteHistoryStore.open(path)
    try:
        assert (await reopened.get_conversation("u", "c1")).title == "Kept"
    finally:
        await reopened.close()


async def test_a_file_from_a_newer_version_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "history.sqlite3"
    await (await SqliteHistoryStore.open(path)).close()
    with sqlite3.connect(path) as db:
        db.execute(f"PRAGMA user_version = {sqlite_schema.SCHEMA_VERSION + 1}")
    with pytest.raises(sqlite_schema.SchemaTooNew):
        await SqliteHistoryStore.open(path)


async def test_a_version_1_file_is_upgraded_in_place_and_keeps_its_chats(
    tmp_path: Path,
) -> None:
    path = tmp_path / "history.sqlite3"
    # The schema as version 1 wrote it: the same, without the assistant column.
    version_1 = "\n".join(
        line for line in sqlite_schema._SCHEMA.splitlines() if "assistant" not in line
    )
    with sqlite3.connect(path) as db:
        db.executescript(version_1)
        db.execute(
            "INSERT INTO conversations (user_id, id, title, title_folded, created_us,"
            " updated_us, pinned, archived, etag) VALUES ('u', 'old', 'Old', 'old', 1, 1, 0, 0,"
            " 'e')"
        )
        db.execute("PRAGMA user_version = 1")

    store = await SqliteHistoryStore.open(path)
    try:
        assert (await store.get_conversation("u", "old")).assistant is None
        started = replace(
            _conversation("new"), assistant=AssistantRef("persona", "editor", "Editor", None)
        )
        await store.create_conversation("u", started)
        assert (await store.get_conversation("u", "new")).assistant == started.assistant
    finally:
        await store.close()
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA user_version").fetchone() == (sqlite_schema.SCHEMA_VERSION,)


async def test_a_write_lock_held_elsewhere_is_store_unavailable(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sqlite_schema, "BUSY_TIMEOUT_SECONDS", 0.2)
    path = tmp_path / "history.sqlite3"
    store = await SqliteHistoryStore.open(path)
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # another process is writing
    try:
        with pytest.raises(StoreUnavailable) as caught:
            await store.create_conversation("u", _conversation())
        assert caught.value.retry_after >= 1
    finally:
        other.execute("ROLLBACK")
        other.close()
        await store.close()


async def test_a_forged_continuation_is_refused(tmp_path: Path) -> None:
    store = await SqliteHistoryStore.open(tmp_path / "history.sqlite3")
    try:
        with pytest.raises(InvalidContinuation):
            await store.list_conversations("u", limit=10, continuation="not-ours")
    finally:
        await store.close()
