"""What history holds: conversations and their messages, always within one user's space."""

from __future__ import annotations

import json
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
class AssistantRef:
    """The persona or custom assistant a conversation was started with, as it was then:
    its settings were copied into the conversation, so a later edit does not change it."""

    kind: str  # "persona" or "assistant"
    id: str
    name: str
    version: int | None = None

    def to_json(self) -> str:
        return json.dumps(
            {"kind": self.kind, "id": self.id, "name": self.name, "version": self.version},
            ensure_ascii=False,
        )

    @classmethod
    def from_json(cls, raw: str | None) -> AssistantRef | None:
        """None for no reference, and for one this version cannot read (never an error:
        the conversation itself is intact)."""
        if not raw:
            return None
        try:
            data = json.loads(raw)
            version = data.get("version")
            return cls(
                kind=str(data["kind"]),
                id=str(data["id"]),
                name=str(data["name"]),
                version=version if isinstance(version, int) else None,
            )
        except (ValueError, TypeError, KeyError, AttributeError):
            return None


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
    # Set when the conversation starts; never changed afterwards.
    assistant: AssistantRef | None = None


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
