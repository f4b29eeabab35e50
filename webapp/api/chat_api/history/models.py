"""What history holds: conversations and their messages, always within one user's space."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum


class MessageStatus(StrEnum):
    COMPLETE = "complete"
    # The user pressed Stop: the text so far is the answer.
    STOPPED = "stopped"
    # The model refused or failed before answering; content may be empty.
    FAILED = "failed"
    # The answer broke off mid-way (connection, upstream error): the text so far is kept.
    INTERRUPTED = "interrupted"


@dataclass(frozen=True)
class Usage:
    prompt_tokens: int
    completion_tokens: int
    total_tokens: int


@dataclass(frozen=True)
class ModelSettings:
    model: str | None = None
    temperature: float | None = None
    max_tokens: int | None = None


@dataclass(frozen=True)
class Message:
    id: str
    conversation_id: str
    role: str  # "user" or "assistant"
    content: str
    created: datetime
    status: MessageStatus = MessageStatus.COMPLETE
    model: str | None = None
    usage: Usage | None = None


@dataclass(frozen=True)
class Conversation:
    id: str
    title: str
    created: datetime
    updated: datetime
    system_prompt: str | None = None
    settings: ModelSettings = field(default_factory=ModelSettings)
    pinned: bool = False
    archived: bool = False
    # Opaque version for optimistic concurrency; changes on every write.
    etag: str = ""


@dataclass(frozen=True)
class ConversationChanges:
    """A partial update: None leaves a field as it is."""

    title: str | None = None
    system_prompt: str | None = None
    settings: ModelSettings | None = None
    pinned: bool | None = None
    archived: bool | None = None


@dataclass(frozen=True)
class ConversationPage:
    items: list[Conversation]
    # Pass back to get the next page; None on the last page.
    continuation: str | None


@dataclass(frozen=True)
class SearchHit:
    conversation: Conversation
    # A short excerpt around the first match (title or message text).
    snippet: str
    message_id: str | None = None
