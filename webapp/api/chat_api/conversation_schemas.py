"""The conversation routes' bodies: what goes over the wire for history."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from chat_api.history.models import Conversation, Message


class ModelSettingsBody(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)

    model: str | None = None
    temperature: float | None = Field(default=None, ge=0, le=2)
    max_tokens: int | None = Field(default=None, ge=1, le=1_000_000)


class AssistantRefOut(BaseModel):
    """The persona or assistant a conversation started with (its version then)."""

    kind: Literal["persona", "assistant"]
    id: str
    name: str
    version: int | None


class ConversationOut(BaseModel):
    id: str
    title: str
    created: datetime
    updated: datetime
    system: str | None
    settings: ModelSettingsBody
    pinned: bool
    archived: bool
    etag: str
    assistant: AssistantRefOut | None

    @classmethod
    def of(cls, conversation: Conversation) -> ConversationOut:
        settings = conversation.settings
        ref = conversation.assistant
        return cls(
            id=conversation.id,
            title=conversation.title,
            created=conversation.created,
            updated=conversation.updated,
            system=conversation.system_prompt,
            settings=ModelSettingsBody(
                model=settings.model,
                temperature=settings.temperature,
                max_tokens=settings.max_tokens,
            ),
            pinned=conversation.pinned,
            archived=conversation.archived,
            etag=conversation.etag,
            assistant=None
            if ref is None or ref.kind not in ("persona", "assistant")
            else AssistantRefOut(
                kind="persona" if ref.kind == "persona" else "assistant",
                id=ref.id,
                name=ref.name,
                version=ref.version,
            ),
        )


class UsageOut(BaseModel):
    prompt_tokens: int
    completion_tokens: int
    total_tokens: int


class MessageOut(BaseModel):
    id: str
    role: Literal["user", "assistant"]
    content: str
    created: datetime
    status: Literal["complete", "stopped", "failed", "interrupted"]
    model: str | None
    usage: UsageOut | None

    @classmethod
    def of(cls, message: Message) -> MessageOut:
        usage = message.usage
        return cls(
            id=message.id,
            role="assistant" if message.role == "assistant" else "user",
            content=message.content,
            created=message.created,
            status=message.status.value,
            model=message.model,
            usage=None
            if usage is None
            else UsageOut(
                prompt_tokens=usage.prompt_tokens,
                completion_tokens=usage.completion_tokens,
                total_tokens=usage.total_tokens,
            ),
        )


class ConversationList(BaseModel):
    items: list[ConversationOut]
    continuation: str | None


class ConversationWithMessages(BaseModel):
    conversation: ConversationOut
    messages: list[MessageOut]


class SearchHitOut(BaseModel):
    conversation: ConversationOut
    snippet: str
    message_id: str | None


class SearchResults(BaseModel):
    items: list[SearchHitOut]


class NewConversationIn(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)

    title: str | None = Field(default=None, max_length=200)
    system: str | None = None
    settings: ModelSettingsBody | None = None


class ConversationPatchIn(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)

    title: str | None = Field(default=None, min_length=1, max_length=200)
    system: str | None = None
    settings: ModelSettingsBody | None = None
    pinned: bool | None = None
    archived: bool | None = None


class ExportedMessage(BaseModel):
    model_config = ConfigDict(extra="ignore")

    role: Literal["user", "assistant"]
    content: str
    created: datetime | None = None
    status: Literal["complete", "stopped", "failed", "interrupted"] = "complete"
    model: str | None = None


class ExportedConversation(BaseModel):
    """The JSON export, and what import takes back."""

    model_config = ConfigDict(extra="ignore")

    format: Literal["chat-on-azure/conversation"] = "chat-on-azure/conversation"
    version: Literal[1] = 1
    title: str = Field(max_length=200)
    system: str | None = None
    settings: ModelSettingsBody = Field(default_factory=ModelSettingsBody)
    created: datetime | None = None
    messages: list[ExportedMessage]


class DeletedCount(BaseModel):
    deleted: int
