"""The one interface both assistant backends implement, and the errors they add.

Failures are the history store's errors (the assistants live in the same storage, reached
the same way): NotFound, Conflict, TooLarge, StoreUnavailable. Isolation is the store's
job, as for history: every call that reads or changes an assistant for someone names that
someone, and a private assistant of another user is NotFound, exactly like one that does
not exist. Rules both backends keep: tests/history/test_assistant_contract.py.
"""

from __future__ import annotations

from typing import Protocol

from chat_api.assistants.models import (
    LIST_LIMIT,
    Assistant,
    AssistantContent,
    AssistantSummary,
    Scope,
)
from chat_api.history.store import HistoryError


class NotOwner(HistoryError):
    """The caller sees this assistant (it is shared) but is not its owner."""


class TooManyAssistants(HistoryError):
    """The owner already has the most assistants one user may own."""


class AssistantStore(Protocol):
    async def create_assistant(self, assistant: Assistant) -> Assistant:
        """Store a new assistant under the id the caller chose (ids are global: one that
        exists is Conflict). It starts unfeatured at version 1; returns it with an etag."""
        ...

    async def get_assistant(self, user_id: str, assistant_id: str) -> Assistant:
        """The assistant, when it is the user's own or shared; NotFound otherwise."""
        ...

    async def list_assistants(
        self, user_id: str, scope: Scope, *, limit: int = LIST_LIMIT
    ) -> list[AssistantSummary]:
        """At most `limit`: featured first, then most recently edited, then by id.

        MINE: the user's own, private and shared. ORGANISATION: every shared one, the
        user's own included. FEATURED: the shared ones an admin featured."""
        ...

    async def update_assistant(
        self,
        user_id: str,
        assistant_id: str,
        content: AssistantContent,
        *,
        if_match: str | None = None,
    ) -> Assistant:
        """Replace the content, one version up. Only the owner: NotOwner for a shared one
        of someone else. With `if_match`, Conflict unless the etag still matches. Making it
        private unfeatures it."""
        ...

    async def delete_assistant(
        self, user_id: str, assistant_id: str, *, as_admin: bool = False
    ) -> None:
        """The owner deletes their own; an admin (`as_admin`) also any shared one."""
        ...

    async def set_featured(self, assistant_id: str, featured: bool) -> Assistant:
        """Feature or unfeature a shared assistant (the caller must be an admin: the store
        does not know roles). A private one is NotFound: admins do not see them either.
        Neither `version` nor `updated` changes."""
        ...

    async def close(self) -> None: ...
