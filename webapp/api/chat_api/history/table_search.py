"""Search over one user's partition: the service cannot match text, so every conversation
and message row is read and matched here, by the shared rule in search_text.py.

Cost: one pass over the user's whole partition (except the index rows), about one request
per 1,000 rows, with all of their text: a user with 1,000 conversations of 20 messages
reads 21,000 rows in some 21 requests. Only the messages that hold a term are kept in
memory, and nothing depends on the order rows arrive in (Cosmos DB for Table does not sort).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import AsyncIterable, Sequence
from typing import TYPE_CHECKING

from chat_api.history.models import Conversation, SearchHit
from chat_api.history.search_text import TextMatch, contains_any, fold, match_conversation
from chat_api.history.table_entities import (
    MessageRow,
    conversation_from_entity,
    message_from_entity,
)
from chat_api.history.table_keys import conversation_key_of, is_conversation_row

if TYPE_CHECKING:
    from azure.data.tables import TableEntity


async def search_rows(
    rows: AsyncIterable[TableEntity], terms: Sequence[str], *, limit: int
) -> list[SearchHit]:
    """Matches among `rows`, newest `updated` first, at most `limit`."""
    conversations: dict[str, Conversation] = {}
    candidates: defaultdict[str, list[MessageRow]] = defaultdict(list)
    async for row in rows:
        key = conversation_key_of(row["RowKey"]) or ""
        if is_conversation_row(row["RowKey"]):
            conversations[key] = conversation_from_entity(row).conversation
            continue
        message = message_from_entity(row)
        # A message without any term changes neither the match nor the excerpt.
        if contains_any(terms, fold(message.message.content)):
            candidates[key].append(message)

    found: list[tuple[Conversation, TextMatch]] = []
    for key, conversation in conversations.items():
        messages = sorted(candidates.get(key, []), key=lambda row: row.order)
        match = match_conversation(
            terms, conversation.title, ((m.message.id, m.message.content) for m in messages)
        )
        if match is not None:
            found.append((conversation, match))
    # Newest first; equal times by id, as the SQLite backend orders them.
    found.sort(key=lambda item: item[0].id)
    found.sort(key=lambda item: item[0].updated, reverse=True)
    return [
        SearchHit(conversation=c, snippet=m.snippet, message_id=m.message_id)
        for c, m in found[:limit]
    ]
