"""The assistants' table in the history's SQLite file, and opening a connection to it.

The file's `PRAGMA user_version` belongs to the history schema (history/sqlite_schema.py),
which migrates its own tables by it; this table never touches it. It is made with CREATE
TABLE IF NOT EXISTS, whichever of the two stores opens the file first, and changing it
later needs a version of its own (a row in a table of component versions), not
user_version.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from chat_api.history.sqlite_schema import BUSY_TIMEOUT_SECONDS
from chat_api.sqlite_worker import open_file

_SCHEMA = """
CREATE TABLE IF NOT EXISTS assistants (
    id TEXT NOT NULL PRIMARY KEY,
    owner_id TEXT NOT NULL,
    owner_name TEXT NOT NULL,
    name TEXT NOT NULL,
    description TEXT NOT NULL,
    system_prompt TEXT NOT NULL,
    model TEXT NOT NULL,
    temperature REAL,
    max_tokens INTEGER,
    starters TEXT NOT NULL,
    visibility TEXT NOT NULL CHECK (visibility IN ('private', 'organisation')),
    featured INTEGER NOT NULL CHECK (featured IN (0, 1)),
    version INTEGER NOT NULL,
    created_us INTEGER NOT NULL,
    updated_us INTEGER NOT NULL,
    etag TEXT NOT NULL,
    CHECK (featured = 0 OR visibility = 'organisation')
) WITHOUT ROWID;

-- Each list is one range of one index, already in its order.
CREATE INDEX IF NOT EXISTS assistants_mine
    ON assistants (owner_id, featured DESC, updated_us DESC, id);
CREATE INDEX IF NOT EXISTS assistants_shared
    ON assistants (visibility, featured DESC, updated_us DESC, id);
"""


def connect(path: Path) -> sqlite3.Connection:
    """Open (creating if need be) the file and the tables. Call from the thread that will
    use the connection."""
    return open_file(
        path, BUSY_TIMEOUT_SECONDS, lambda connection: connection.executescript(_SCHEMA)
    )
