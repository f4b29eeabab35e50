"""The SQLite history file: its tables, and opening a connection to it.

Times are integer microseconds since the Unix epoch, UTC: exact for Python datetimes and
ordered as numbers. `title_folded` and `content_folded` are casefolded copies kept for
search (see search_text.py); they roughly double the text stored, which for chat history is
cheap, and they let a search run in SQL without depending on FTS5 being compiled in.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from chat_api.sqlite_worker import open_file

SCHEMA_VERSION = 2

# How long a writer waits for another process's write lock before giving up (then the
# store raises StoreUnavailable).
BUSY_TIMEOUT_SECONDS = 5.0

_SCHEMA = """
CREATE TABLE IF NOT EXISTS conversations (
    user_id TEXT NOT NULL,
    id TEXT NOT NULL,
    title TEXT NOT NULL,
    title_folded TEXT NOT NULL,
    created_us INTEGER NOT NULL,
    updated_us INTEGER NOT NULL,
    system_prompt TEXT,
    model TEXT,
    temperature REAL,
    max_tokens INTEGER,
    pinned INTEGER NOT NULL CHECK (pinned IN (0, 1)),
    archived INTEGER NOT NULL CHECK (archived IN (0, 1)),
    etag TEXT NOT NULL,
    -- The persona or assistant it was started with (AssistantRef as JSON), or NULL.
    assistant TEXT,
    PRIMARY KEY (user_id, id)
) WITHOUT ROWID;

CREATE INDEX IF NOT EXISTS conversations_listing
    ON conversations (user_id, archived, pinned DESC, updated_us DESC, id);

-- Search walks a user's conversations newest first, pinned or not.
CREATE INDEX IF NOT EXISTS conversations_recent
    ON conversations (user_id, updated_us DESC, id);

CREATE TABLE IF NOT EXISTS messages (
    user_id TEXT NOT NULL,
    conversation_id TEXT NOT NULL,
    id TEXT NOT NULL,
    -- Order of first save: breaks ties between messages created in the same microsecond.
    seq INTEGER NOT NULL,
    created_us INTEGER NOT NULL,
    role TEXT NOT NULL,
    content TEXT NOT NULL,
    content_folded TEXT NOT NULL,
    status TEXT NOT NULL,
    model TEXT,
    prompt_tokens INTEGER,
    completion_tokens INTEGER,
    total_tokens INTEGER,
    PRIMARY KEY (user_id, conversation_id, id),
    FOREIGN KEY (user_id, conversation_id)
        REFERENCES conversations (user_id, id) ON DELETE CASCADE
);

CREATE INDEX IF NOT EXISTS messages_in_order
    ON messages (user_id, conversation_id, created_us, seq);
"""


# What takes a file of version N-1 to version N. A new file gets _SCHEMA whole instead.
_UPGRADES: dict[int, tuple[str, ...]] = {
    2: ("ALTER TABLE conversations ADD COLUMN assistant TEXT",),
}


class SchemaTooNew(Exception):
    """The file was written by a newer version of this app; refuse rather than corrupt it."""


def connect(path: Path) -> sqlite3.Connection:
    """Open (creating if need be) the history file. Call from the thread that will use it."""
    return open_file(path, BUSY_TIMEOUT_SECONDS, _prepare)


def _prepare(connection: sqlite3.Connection) -> None:
    connection.execute("PRAGMA foreign_keys = ON")
    _migrate(connection)


def _migrate(connection: sqlite3.Connection) -> None:
    connection.execute("BEGIN IMMEDIATE")
    try:
        (version,) = connection.execute("PRAGMA user_version").fetchone()
        if version > SCHEMA_VERSION:
            raise SchemaTooNew(f"history schema {version} is newer than {SCHEMA_VERSION}")
        if version == 0:
            for statement in _SCHEMA.split(";"):
                if statement.strip():
                    connection.execute(statement)
        else:
            for step in range(version + 1, SCHEMA_VERSION + 1):
                for statement in _UPGRADES[step]:
                    connection.execute(statement)
        if version < SCHEMA_VERSION:
            # PRAGMA takes no parameters; the value is our own integer constant.
            connection.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        connection.execute("COMMIT")
    except BaseException:
        connection.execute("ROLLBACK")
        raise
