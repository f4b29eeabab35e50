"""What an assistant is: what its owner writes, and what the store keeps about it."""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from datetime import datetime
from enum import StrEnum


class Visibility(StrEnum):
    PRIVATE = "private"
    # Every invited user of the deployment sees it; only its owner changes it.
    ORGANISATION = "organisation"


class Scope(StrEnum):
    """The three lists a user can ask for."""

    MINE = "mine"
    ORGANISATION = "organisation"
    FEATURED = "featured"


# The most assistants one user may own, so that "mine" is always listed whole.
MAX_OWNED_PER_USER = 100
# The most a list returns. Above MAX_OWNED_PER_USER; the organisation's and the featured
# lists are cut here (featured first, then most recently edited).
LIST_LIMIT = 200


@dataclass(frozen=True)
class AssistantContent:
    """Everything the owner writes; an edit replaces all of it at once."""

    name: str
    description: str
    system_prompt: str
    model: str
    # None: the model's own default.
    temperature: float | None
    max_tokens: int | None
    starters: tuple[str, ...]
    visibility: Visibility


@dataclass(frozen=True)
class AssistantSummary:
    """An assistant as lists show it: all but its system prompt, which only a read of the
    one assistant returns (lists stay small whatever the prompts weigh)."""

    id: str
    # The SWA user id: an identity, never sent to anyone but its owner's own code paths.
    owner_id: str
    owner_name: str
    name: str
    description: str
    model: str
    temperature: float | None
    max_tokens: int | None
    starters: tuple[str, ...]
    visibility: Visibility
    featured: bool
    # 1 when created, one more with every edit of its content; featuring leaves it.
    version: int
    created: datetime
    # When its content last changed (featuring leaves it).
    updated: datetime
    # Opaque; changes on every write, featuring included.
    etag: str

    def visible_to(self, user_id: str) -> bool:
        return self.owner_id == user_id or self.visibility is Visibility.ORGANISATION


@dataclass(frozen=True)
class Assistant(AssistantSummary):
    system_prompt: str

    @property
    def content(self) -> AssistantContent:
        return AssistantContent(
            **{field.name: getattr(self, field.name) for field in fields(AssistantContent)}
        )

    def with_content(self, content: AssistantContent) -> Assistant:
        return replace(
            self, **{field.name: getattr(content, field.name) for field in fields(content)}
        )

    def summary(self) -> AssistantSummary:
        return AssistantSummary(
            **{field.name: getattr(self, field.name) for field in fields(AssistantSummary)}
        )
