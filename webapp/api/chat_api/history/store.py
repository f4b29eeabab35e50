"""The one interface both history backends implement, and the errors they raise.

Every operation takes the user id first: a backend keeps each user's data apart (one
partition per user) and never returns or changes anything outside it. An id that exists
for another user is, for this user, NotFound.

Rules both backends keep (tests/history/test_store_contract.py holds them to it):
creating an id that exists raises Conflict; renaming, pinning or archiving does not move a
conversation in the listing (only a new message does: `updated` becomes max(updated, now));
search includes archived conversations and a blank query finds nothing; each backend has
its own size limit behind TooLarge.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from chat_api.history.models import (
    Conversation,
    ConversationChanges,
    ConversationPage,
    Message,
    SearchHit,
)


class HistoryError(Exception):
    """Base of the store's errors."""


class NotFound(HistoryError):
    """No such conversation or message for this user."""


class Conflict(HistoryError):
    """The conversation changed since the caller read it (its etag no longer matches)."""


class TooLarge(HistoryError):
    """The item is larger than the store can hold."""


class InvalidContinuation(HistoryError, ValueError):
    """A continuation this store did not issue (forged, garbled, or from another listing)."""


class StoreUnavailable(HistoryError):
    """The store could not be reached or is throttling; try again after `retry_after`."""

    def __init__(self, retry_after: int = 5) -> None:
        super().__init__(f"history store unavailable; retry after {retry_after} s")
        self.retry_after = retry_after


class HistoryStore(Protocol):
    async def create_conversation(self, user_id: str, conversation: Conversation) -> Conversation:
        """Store a new conversation (its id chosen by the caller); returns it with an etag."""
        ...

    async def get_conversation(self, user_id: str, conversation_id: str) -> Conversation: ...

    async def list_conversations(
        self,
        user_id: str,
        *,
        limit: int,
        continuation: str | None = None,
        archived: bool = False,
    ) -> ConversationPage:
        """Pinned first, then newest `updated` first."""
        ...

    async def update_conversation(
        self,
        user_id: str,
        conversation_id: str,
        changes: ConversationChanges,
        *,
        if_match: str | None = None,
    ) -> Conversation:
        """Apply `changes`; with `if_match`, raise Conflict unless the etag still matches."""
        ...

    async def delete_conversation(self, user_id: str, conversation_id: str) -> None:
        """Delete the conversation and all its messages."""
        ...

    async def delete_all_conversations(self, user_id: str) -> int:
        """Delete every conversation of the user; returns how many."""
        ...

    async def list_messages(self, user_id: str, conversation_id: str) -> list[Message]:
        """Oldest first."""
        ...

    async def save_message(self, user_id: str, message: Message) -> Message:
        """Insert or replace the message with this id, and mark the conversation updated.

        Saving the same id twice never duplicates it; messages written by two writers to
        one conversation are both kept.
        """
        ...

    async def delete_messages(
        self, user_id: str, conversation_id: str, message_ids: Sequence[str]
    ) -> None:
        """Delete these messages of the conversation (an edit drops the turns after it).

        Ids that are not there are skipped; the conversation's etag changes; its place in
        the listing does not.
        """
        ...

    async def search(self, user_id: str, query: str, *, limit: int = 20) -> list[SearchHit]:
        """Conversations whose title or message text contains every word of `query`,
        case-insensitively, newest first."""
        ...

    async def close(self) -> None: ...
