"""The history operations as plain blocking functions on one SQLite connection.

SqliteHistoryStore runs them one at a time on its own thread. Every statement names the
user: a row of another user is, to these functions, a row that does not exist.
"""

from __future__ import annotations

import json
import sqlite3
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import replace
from datetime import UTC, datetime

from chat_api.history import search_text
from chat_api.history.models import (
    Conversation,
    ConversationChanges,
    ConversationPage,
    Message,
    SearchHit,
)
from chat_api.history.sqlite_codec import (
    CONVERSATION_COLUMNS,
    MESSAGE_COLUMNS,
    conversation_from_row,
    decode_continuation,
    encode_continuation,
    from_micros,
    message_from_row,
    to_micros,
)
from chat_api.history.store import Conflict, NotFound, TooLarge
from chat_api.sqlite_worker import writing

# Per text (a message, a title, a system prompt), in UTF-8 bytes. Far above any answer a
# model gives (a 128k-token answer is about 0.5 MiB), low enough that one request cannot
# bloat the file or hold the writer for long.
MAX_TEXT_BYTES = 4 * 1024 * 1024

# The only text ever put into SQL: these constants. Values always go in as parameters.
_SELECT_CONVERSATION = f"SELECT {CONVERSATION_COLUMNS} FROM conversations"  # noqa: S608
_SELECT_MESSAGE = f"SELECT {MESSAGE_COLUMNS} FROM messages"  # noqa: S608


def new_etag() -> str:
    return uuid.uuid4().hex


@contextmanager
def _reading(db: sqlite3.Connection) -> Iterator[None]:
    # One snapshot for several statements (WAL readers do not block writers).
    db.execute("BEGIN")
    try:
        yield
    finally:
        if db.in_transaction:
            db.execute("COMMIT")


def _check_size(*texts: str | None) -> None:
    for text in texts:
        # A character is at most 4 bytes in UTF-8: most texts need no encoding to check.
        if (
            text is not None
            and len(text) * 4 > MAX_TEXT_BYTES
            and len(text.encode("utf-8", "surrogatepass")) > MAX_TEXT_BYTES
        ):
            raise TooLarge(f"a text is larger than {MAX_TEXT_BYTES} bytes")


def _exists(db: sqlite3.Connection, user_id: str, conversation_id: str) -> bool:
    row = db.execute(
        "SELECT 1 FROM conversations WHERE user_id = ? AND id = ?", (user_id, conversation_id)
    ).fetchone()
    return row is not None


def _get(db: sqlite3.Connection, user_id: str, conversation_id: str) -> Conversation:
    row = db.execute(
        f"{_SELECT_CONVERSATION} WHERE user_id = ? AND id = ?", (user_id, conversation_id)
    ).fetchone()
    if row is None:
        raise NotFound(conversation_id)
    return conversation_from_row(row)


def create_conversation(
    db: sqlite3.Connection, user_id: str, conversation: Conversation
) -> Conversation:
    _check_size(conversation.title, conversation.system_prompt)
    stored = replace(
        conversation,
        created=from_micros(to_micros(conversation.created)),
        updated=from_micros(to_micros(conversation.updated)),
        etag=new_etag(),
    )
    with writing(db):
        try:
            db.execute(
                "INSERT INTO conversations (user_id, id, title, title_folded, created_us,"
                " updated_us, system_prompt, model, temperature, max_tokens, pinned, archived,"
                " etag, assistant) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    user_id,
                    stored.id,
                    stored.title,
                    search_text.fold(stored.title),
                    to_micros(stored.created),
                    to_micros(stored.updated),
                    stored.system_prompt,
                    stored.settings.model,
                    stored.settings.temperature,
                    stored.settings.max_tokens,
                    int(stored.pinned),
                    int(stored.archived),
                    stored.etag,
                    None if stored.assistant is None else stored.assistant.to_json(),
                ),
            )
        except sqlite3.IntegrityError as error:
            raise Conflict(f"conversation {stored.id!r} already exists") from error
    return stored


def get_conversation(db: sqlite3.Connection, user_id: str, conversation_id: str) -> Conversation:
    return _get(db, user_id, conversation_id)


def list_conversations(
    db: sqlite3.Connection,
    user_id: str,
    *,
    limit: int,
    continuation: str | None,
    archived: bool,
) -> ConversationPage:
    if limit < 1:
        raise ValueError("limit must be at least 1")
    order = "ORDER BY pinned DESC, updated_us DESC, id LIMIT :limit"
    # One more than asked: whether it exists says whether there is a next page.
    params: dict[str, object] = {"user": user_id, "archived": int(archived), "limit": limit + 1}
    if continuation is None:
        sql = f"{_SELECT_CONVERSATION} WHERE user_id = :user AND archived = :archived {order}"
    else:
        pinned, updated, last_id = decode_continuation(continuation)
        params.update(pinned=pinned, updated=updated, last_id=last_id)
        sql = (
            f"{_SELECT_CONVERSATION} WHERE user_id = :user AND archived = :archived"
            " AND (pinned < :pinned OR (pinned = :pinned AND (updated_us < :updated"
            " OR (updated_us = :updated AND id > :last_id)))) "
            f"{order}"
        )
    items = [conversation_from_row(row) for row in db.execute(sql, params)]
    if len(items) <= limit:
        return ConversationPage(items=items, continuation=None)
    items = items[:limit]
    return ConversationPage(items=items, continuation=encode_continuation(items[-1]))


def update_conversation(
    db: sqlite3.Connection,
    user_id: str,
    conversation_id: str,
    changes: ConversationChanges,
    *,
    if_match: str | None,
) -> Conversation:
    _check_size(changes.title, changes.system_prompt)
    settings = changes.settings
    params = {
        "user": user_id,
        "id": conversation_id,
        "if_match": if_match,
        "etag": new_etag(),
        "title": changes.title,
        "title_folded": None if changes.title is None else search_text.fold(changes.title),
        "system_prompt": changes.system_prompt,
        # Settings are replaced as a whole: ModelSettings(model=None) clears the model.
        "set_settings": settings is not None,
        "model": None if settings is None else settings.model,
        "temperature": None if settings is None else settings.temperature,
        "max_tokens": None if settings is None else settings.max_tokens,
        "pinned": None if changes.pinned is None else int(changes.pinned),
        "archived": None if changes.archived is None else int(changes.archived),
    }
    with writing(db):
        # The etag test is in the UPDATE itself, so nothing can slip in between check and write.
        changed = db.execute(
            "UPDATE conversations SET"
            " title = COALESCE(:title, title),"
            " title_folded = COALESCE(:title_folded, title_folded),"
            " system_prompt = COALESCE(:system_prompt, system_prompt),"
            " model = CASE WHEN :set_settings THEN :model ELSE model END,"
            " temperature = CASE WHEN :set_settings THEN :temperature ELSE temperature END,"
            " max_tokens = CASE WHEN :set_settings THEN :max_tokens ELSE max_tokens END,"
            " pinned = COALESCE(:pinned, pinned),"
            " archived = COALESCE(:archived, archived),"
            " etag = :etag"
            " WHERE user_id = :user AND id = :id AND (:if_match IS NULL OR etag = :if_match)",
            params,
        ).rowcount
        if changed == 0:
            if _exists(db, user_id, conversation_id):
                raise Conflict(f"conversation {conversation_id!r} has changed")
            raise NotFound(conversation_id)
        return _get(db, user_id, conversation_id)


def delete_conversation(db: sqlite3.Connection, user_id: str, conversation_id: str) -> None:
    with writing(db):
        # Messages go with it: ON DELETE CASCADE.
        deleted = db.execute(
            "DELETE FROM conversations WHERE user_id = ? AND id = ?", (user_id, conversation_id)
        ).rowcount
        if deleted == 0:
            raise NotFound(conversation_id)


def delete_all_conversations(db: sqlite3.Connection, user_id: str) -> int:
    with writing(db):
        # rowcount counts the conversations only, not the cascaded messages.
        return db.execute("DELETE FROM conversations WHERE user_id = ?", (user_id,)).rowcount


def list_messages(db: sqlite3.Connection, user_id: str, conversation_id: str) -> list[Message]:
    with _reading(db):
        if not _exists(db, user_id, conversation_id):
            raise NotFound(conversation_id)
        rows = db.execute(
            f"{_SELECT_MESSAGE} WHERE user_id = ? AND conversation_id = ? ORDER BY created_us, seq",
            (user_id, conversation_id),
        )
        return [message_from_row(row) for row in rows]


def save_message(db: sqlite3.Connection, user_id: str, message: Message) -> Message:
    _check_size(message.content)
    stored = replace(message, created=from_micros(to_micros(message.created)))
    usage = stored.usage
    now = to_micros(datetime.now(UTC))
    with writing(db):
        # Never backwards: a conversation created with a future time keeps it.
        touched = db.execute(
            "UPDATE conversations SET updated_us = max(updated_us, ?), etag = ?"
            " WHERE user_id = ? AND id = ?",
            (now, new_etag(), user_id, stored.conversation_id),
        ).rowcount
        if touched == 0:
            raise NotFound(stored.conversation_id)
        db.execute(
            "INSERT INTO messages (user_id, conversation_id, id, seq, created_us, role, content,"
            " content_folded, status, model, prompt_tokens, completion_tokens, total_tokens)"
            " VALUES (:user, :conversation, :id,"
            " (SELECT COALESCE(MAX(seq), 0) + 1 FROM messages"
            "  WHERE user_id = :user AND conversation_id = :conversation),"
            " :created, :role, :content, :folded, :status, :model, :prompt, :completion, :total)"
            # A replaced message keeps its seq: its place among equal-time messages holds.
            " ON CONFLICT (user_id, conversation_id, id) DO UPDATE SET"
            " created_us = excluded.created_us, role = excluded.role,"
            " content = excluded.content, content_folded = excluded.content_folded,"
            " status = excluded.status, model = excluded.model,"
            " prompt_tokens = excluded.prompt_tokens,"
            " completion_tokens = excluded.completion_tokens,"
            " total_tokens = excluded.total_tokens",
            {
                "user": user_id,
                "conversation": stored.conversation_id,
                "id": stored.id,
                "created": to_micros(stored.created),
                "role": stored.role,
                "content": stored.content,
                "folded": search_text.fold(stored.content),
                "status": stored.status.value,
                "model": stored.model,
                "prompt": None if usage is None else usage.prompt_tokens,
                "completion": None if usage is None else usage.completion_tokens,
                "total": None if usage is None else usage.total_tokens,
            },
        )
    return stored


def delete_messages(
    db: sqlite3.Connection, user_id: str, conversation_id: str, message_ids: Sequence[str]
) -> None:
    with writing(db):
        touched = db.execute(
            "UPDATE conversations SET etag = ? WHERE user_id = ? AND id = ?",
            (new_etag(), user_id, conversation_id),
        ).rowcount
        if touched == 0:
            raise NotFound(conversation_id)
        db.executemany(
            "DELETE FROM messages WHERE user_id = ? AND conversation_id = ? AND id = ?",
            [(user_id, conversation_id, message_id) for message_id in message_ids],
        )


# Every term must occur in the title or in some message. json_each turns the term list into
# rows, so the statement stays the same whatever the number of terms.
_SEARCH = (
    f"{_SELECT_CONVERSATION} AS c WHERE c.user_id = :user AND NOT EXISTS ("  # noqa: S608
    " SELECT 1 FROM json_each(:terms) AS t"
    " WHERE instr(c.title_folded, t.value) = 0 AND NOT EXISTS ("
    "  SELECT 1 FROM messages AS m WHERE m.user_id = c.user_id AND m.conversation_id = c.id"
    "  AND instr(m.content_folded, t.value) > 0))"
    " ORDER BY c.updated_us DESC, c.id LIMIT :limit"
)
_MESSAGE_WITH_ALL_TERMS = (
    "SELECT id, content FROM messages AS m WHERE m.user_id = :user"
    " AND m.conversation_id = :conversation AND NOT EXISTS ("
    " SELECT 1 FROM json_each(:terms) AS t WHERE instr(m.content_folded, t.value) = 0)"
    " ORDER BY m.created_us, m.seq LIMIT 1"
)
_MESSAGE_WITH_ANY_TERM = (
    "SELECT id, content FROM messages AS m WHERE m.user_id = :user"
    " AND m.conversation_id = :conversation AND EXISTS ("
    " SELECT 1 FROM json_each(:terms) AS t WHERE instr(m.content_folded, t.value) > 0)"
    " ORDER BY m.created_us, m.seq LIMIT 1"
)


def search(db: sqlite3.Connection, user_id: str, query: str, *, limit: int) -> list[SearchHit]:
    """A scan of the user's rows, matched in SQL on the casefolded copies (search_text.py
    has the rule). instr(), not LIKE: no wildcards to escape, and it is an exact substring
    test like Python's `in`, so both backends agree on every query."""
    terms = search_text.query_terms(query)
    if not terms or limit < 1:
        return []
    terms_json = json.dumps(terms)
    params = {"user": user_id, "terms": terms_json, "limit": limit}
    with _reading(db):
        found = [conversation_from_row(row) for row in db.execute(_SEARCH, params)]
        return [_hit(db, user_id, conversation, terms, terms_json) for conversation in found]


def _hit(
    db: sqlite3.Connection,
    user_id: str,
    conversation: Conversation,
    terms: list[str],
    terms_json: str,
) -> SearchHit:
    message_params = {"user": user_id, "conversation": conversation.id, "terms": terms_json}
    row = db.execute(_MESSAGE_WITH_ALL_TERMS, message_params).fetchone()
    if row is None:
        row = db.execute(_MESSAGE_WITH_ANY_TERM, message_params).fetchone()
    if row is None:
        return SearchHit(conversation, search_text.snippet(conversation.title, terms), None)
    return SearchHit(conversation, search_text.snippet(row["content"], terms), row["id"])
