"""The usage tables in the history's SQLite file, and opening a connection to them.

Like the assistants' table: made with CREATE TABLE IF NOT EXISTS whichever store opens the
file first, never reading or setting the history's `PRAGMA user_version`; a later change
needs a version of its own (docs/assistants.md, "Coexistence").
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from chat_api.history.sqlite_schema import BUSY_TIMEOUT_SECONDS
from chat_api.sqlite_worker import open_file

_SCHEMA = """
-- Rolling counters (windows.py): one row per user and kind, whose period (window) moves on.
-- owner is the user id; everyone's minute has kind 'everyone-minute' (and owner '').
CREATE TABLE IF NOT EXISTS usage_counters (
    owner TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('minute', 'day', 'month', 'everyone-minute')),
    period TEXT NOT NULL,
    requests INTEGER NOT NULL,
    prompt_tokens INTEGER NOT NULL,
    completion_tokens INTEGER NOT NULL,
    PRIMARY KEY (owner, kind)
) WITHOUT ROWID;

-- The report: a user's use of a model on a day (UTC).
CREATE TABLE IF NOT EXISTS usage_daily (
    day TEXT NOT NULL,
    user_id TEXT NOT NULL,
    model TEXT NOT NULL,
    user_name TEXT NOT NULL,
    requests INTEGER NOT NULL,
    prompt_tokens INTEGER NOT NULL,
    completion_tokens INTEGER NOT NULL,
    PRIMARY KEY (day, user_id, model)
) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS usage_overrides (
    user_id TEXT NOT NULL PRIMARY KEY,
    requests_per_minute INTEGER,
    tokens_per_day INTEGER,
    tokens_per_month INTEGER,
    unlimited INTEGER NOT NULL CHECK (unlimited IN (0, 1))
) WITHOUT ROWID;

-- id breaks ties between entries of the same microsecond (the order they were added).
CREATE TABLE IF NOT EXISTS usage_audit (
    id INTEGER PRIMARY KEY,
    at_us INTEGER NOT NULL,
    actor_id TEXT NOT NULL,
    actor_name TEXT NOT NULL,
    action TEXT NOT NULL,
    target TEXT NOT NULL,
    detail TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS usage_audit_newest ON usage_audit (at_us, id);
"""


def connect(path: Path) -> sqlite3.Connection:
    """Open (creating if need be) the file and the tables. Call from the thread that will
    use the connection."""
    return open_file(
        path, BUSY_TIMEOUT_SECONDS, lambda connection: connection.executescript(_SCHEMA)
    )
