"""The assistant operations as plain blocking functions on one SQLite connection.

SqliteAssistantStore runs them one at a time on its own thread. Every write takes the
write lock first (BEGIN IMMEDIATE), so the permission and etag checks it reads cannot be
overtaken by another process before it writes.
"""

from __future__ import annotations

import json
import sqlite3
import uuid
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

from chat_api.assistants.models import (
    Assistant,
    AssistantContent,
    AssistantSummary,
    Scope,
    Visibility,
)
from chat_api.assistants.store import NotOwner, TooManyAssistants
from chat_api.history.sqlite_codec import from_micros, to_micros
from chat_api.history.store import Conflict, NotFound, TooLarge
from chat_api.sqlite_worker import writing

# Per text, in UTF-8 bytes: the history's limit for a system prompt (docs/history.md).
MAX_TEXT_BYTES = 4 * 1024 * 1024

_SUMMARY_COLUMNS = (
    "id, owner_id, owner_name, name, description, model, temperature, max_tokens, starters,"
    " visibility, featured, version, created_us, updated_us, etag"
)
# The only text ever put into SQL: these constants. Values always go in as parameters.
_SELECT_SUMMARY = f"SELECT {_SUMMARY_COLUMNS} FROM assistants"  # noqa: S608
_SELECT_ASSISTANT = f"SELECT {_SUMMARY_COLUMNS}, system_prompt FROM assistants"  # noqa: S608
_ORDER = " ORDER BY featured DESC, updated_us DESC, id LIMIT :limit"
_LISTS = {
    Scope.MINE: f"{_SELECT_SUMMARY} WHERE owner_id = :user{_ORDER}",
    Scope.ORGANISATION: f"{_SELECT_SUMMARY} WHERE visibility = 'organisation'{_ORDER}",
    Scope.FEATURED: f"{_SELECT_SUMMARY} WHERE visibility = 'organisation' AND featured = 1{_ORDER}",
}
_CONTENT_COLUMNS = (
    "name = :name, description = :description, system_prompt = :system_prompt,"
    " model = :model, temperature = :temperature, max_tokens = :max_tokens,"
    " starters = :starters, visibility = :visibility"
)


def new_etag() -> str:
    return uuid.uuid4().hex


def create_assistant(db: sqlite3.Connection, assistant: Assistant, *, max_owned: int) -> Assistant:
    _check_size(assistant.content)
    stored = replace(
        assistant,
        featured=False,
        version=1,
        created=from_micros(to_micros(assistant.created)),
        updated=from_micros(to_micros(assistant.updated)),
        etag=new_etag(),
    )
    with writing(db):
        (owned,) = db.execute(
            "SELECT count(*) FROM assistants WHERE owner_id = ?", (stored.owner_id,)
        ).fetchone()
        if owned >= max_owned:
            raise TooManyAssistants(f"{owned} assistants already")
        try:
            db.execute(
                "INSERT INTO assistants (id, owner_id, owner_name, name, description,"
                " system_prompt, model, temperature, max_tokens, starters, visibility, featured,"
                " version, created_us, updated_us, etag) VALUES (:id, :owner_id, :owner_name,"
                " :name, :description, :system_prompt, :model, :temperature, :max_tokens,"
                " :starters, :visibility, 0, 1, :created, :updated, :etag)",
                {
                    **_content_params(stored.content),
                    "id": stored.id,
                    "owner_id": stored.owner_id,
                    "owner_name": stored.owner_name,
                    "created": to_micros(stored.created),
                    "updated": to_micros(stored.updated),
                    "etag": stored.etag,
                },
            )
        except sqlite3.IntegrityError as error:
            raise Conflict(f"assistant {stored.id!r} already exists") from error
    return stored


def get_assistant(db: sqlite3.Connection, user_id: str, assistant_id: str) -> Assistant:
    assistant = _get(db, assistant_id)
    if assistant is None or not assistant.visible_to(user_id):
        raise NotFound(assistant_id)
    return assistant


def list_assistants(
    db: sqlite3.Connection, user_id: str, scope: Scope, *, limit: int
) -> list[AssistantSummary]:
    rows = db.execute(_LISTS[scope], {"user": user_id, "limit": limit})
    return [_summary_from_row(row) for row in rows]


def update_assistant(
    db: sqlite3.Connection,
    user_id: str,
    assistant_id: str,
    content: AssistantContent,
    *,
    if_match: str | None,
) -> Assistant:
    _check_size(content)
    with writing(db):
        current = _owned(db, user_id, assistant_id)
        if if_match is not None and if_match != current.etag:
            raise Conflict(f"assistant {assistant_id!r} has changed")
        db.execute(
            f"UPDATE assistants SET {_CONTENT_COLUMNS}, version = version + 1,"  # noqa: S608
            " featured = featured AND :visibility = 'organisation',"
            " updated_us = max(updated_us, :now), etag = :etag WHERE id = :id",
            {
                **_content_params(content),
                "now": to_micros(datetime.now(UTC)),
                "etag": new_etag(),
                "id": assistant_id,
            },
        )
        return _must_get(db, assistant_id)


def delete_assistant(
    db: sqlite3.Connection, user_id: str, assistant_id: str, *, as_admin: bool
) -> None:
    with writing(db):
        current = _get(db, assistant_id)
        if current is None or not current.visible_to(user_id):
            raise NotFound(assistant_id)
        if current.owner_id != user_id and not as_admin:
            raise NotOwner(assistant_id)
        db.execute("DELETE FROM assistants WHERE id = ?", (assistant_id,))


def set_featured(db: sqlite3.Connection, assistant_id: str, featured: bool) -> Assistant:
    with writing(db):
        current = _get(db, assistant_id)
        if current is None or current.visibility is not Visibility.ORGANISATION:
            raise NotFound(assistant_id)
        if current.featured == featured:
            return current
        db.execute(
            "UPDATE assistants SET featured = ?, etag = ? WHERE id = ?",
            (int(featured), new_etag(), assistant_id),
        )
        return _must_get(db, assistant_id)


def _owned(db: sqlite3.Connection, user_id: str, assistant_id: str) -> Assistant:
    """The assistant the user may change; NotFound if they cannot see it, NotOwner if they
    see it without owning it."""
    current = _get(db, assistant_id)
    if current is None or not current.visible_to(user_id):
        raise NotFound(assistant_id)
    if current.owner_id != user_id:
        raise NotOwner(assistant_id)
    return current


def _get(db: sqlite3.Connection, assistant_id: str) -> Assistant | None:
    row = db.execute(f"{_SELECT_ASSISTANT} WHERE id = ?", (assistant_id,)).fetchone()
    if row is None:
        return None
    summary = _summary_from_row(row)
    return Assistant(**vars(summary), system_prompt=row["system_prompt"])


def _must_get(db: sqlite3.Connection, assistant_id: str) -> Assistant:
    assistant = _get(db, assistant_id)
    if assistant is None:
        raise NotFound(assistant_id)
    return assistant


def _summary_from_row(row: sqlite3.Row) -> AssistantSummary:
    return AssistantSummary(
        id=row["id"],
        owner_id=row["owner_id"],
        owner_name=row["owner_name"],
        name=row["name"],
        description=row["description"],
        model=row["model"],
        temperature=row["temperature"],
        max_tokens=row["max_tokens"],
        starters=tuple(json.loads(row["starters"])),
        visibility=Visibility(row["visibility"]),
        featured=bool(row["featured"]),
        version=row["version"],
        created=from_micros(row["created_us"]),
        updated=from_micros(row["updated_us"]),
        etag=row["etag"],
    )


def _content_params(content: AssistantContent) -> dict[str, Any]:
    return {
        "name": content.name,
        "description": content.description,
        "system_prompt": content.system_prompt,
        "model": content.model,
        "temperature": content.temperature,
        "max_tokens": content.max_tokens,
        "starters": json.dumps(list(content.starters), ensure_ascii=False),
        "visibility": content.visibility.value,
    }


def _check_size(content: AssistantContent) -> None:
    texts = (content.name, content.description, content.system_prompt, content.model)
    for text in (*texts, *content.starters):
        # A character is at most 4 bytes in UTF-8: most texts need no encoding to check.
        if (
            len(text) * 4 > MAX_TEXT_BYTES
            and len(text.encode("utf-8", "surrogatepass")) > MAX_TEXT_BYTES
        ):
            raise TooLarge(f"a text is larger than {MAX_TEXT_BYTES} bytes")
