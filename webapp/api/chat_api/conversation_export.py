"""A conversation as a file (JSON that imports back, Markdown or plain text to read), and back."""

from __future__ import annotations

import uuid
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime, timedelta

from chat_api.conversation_schemas import (
    ExportedConversation,
    ExportedMessage,
    ModelSettingsBody,
)
from chat_api.history.models import Conversation, Message, MessageStatus


def export_json(conversation: Conversation, messages: Sequence[Message]) -> ExportedConversation:
    settings = conversation.settings
    return ExportedConversation(
        title=conversation.title,
        system=conversation.system_prompt,
        settings=ModelSettingsBody(
            model=settings.model, temperature=settings.temperature, max_tokens=settings.max_tokens
        ),
        created=conversation.created,
        messages=[
            ExportedMessage(
                role="assistant" if m.role == "assistant" else "user",
                content=m.content,
                created=m.created,
                status=m.status.value,
                model=m.model,
            )
            for m in messages
        ],
    )


def export_markdown(conversation: Conversation, messages: Sequence[Message]) -> str:
    lines = [f"# {conversation.title}", ""]
    if conversation.system_prompt:
        lines += ["> **System prompt:** " + conversation.system_prompt.replace("\n", "\n> "), ""]
    for message in messages:
        lines += [f"## {_speaker_line(message)}", "", message.content, ""]
    return "\n".join(lines)


def export_text(conversation: Conversation, messages: Sequence[Message]) -> str:
    """For reading anywhere: no markup of its own; the messages' text exactly as written."""
    lines = [conversation.title, ""]
    if conversation.system_prompt:
        lines += ["System prompt:", conversation.system_prompt, ""]
    for message in messages:
        lines += [f"{_speaker_line(message)}:", message.content, ""]
    return "\n".join(lines)


def _speaker_line(message: Message) -> str:
    """`You, 2026-06-10 12:00 UTC`, with how the answer ended when it did not complete."""
    who = "You" if message.role == "user" else "Assistant"
    when = message.created.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")
    note = "" if message.status is MessageStatus.COMPLETE else f" ({message.status.value})"
    return f"{who}, {when}{note}"


def imported_messages(conversation_id: str, exported: ExportedConversation) -> Iterator[Message]:
    """The export's messages with new ids, in order (missing times are spaced 1 ms apart)."""
    start = datetime.now(UTC)
    for index, message in enumerate(exported.messages):
        yield Message(
            id=uuid.uuid4().hex,
            conversation_id=conversation_id,
            role=message.role,
            content=message.content,
            created=message.created or start + timedelta(milliseconds=index),
            status=MessageStatus(message.status),
            model=message.model,
        )
