"""A chat turn of a saved conversation: load it, save the user's message before the model
is called, fit the history into the context window, and save the answer however it ends.

Nothing here runs for temporary chats (`messages` in the request): those never touch the
store.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from chat_api import events, upstream_errors
from chat_api.answer_relay import AnswerOutcome
from chat_api.context_window import ConversationTooLong, fit_to_window
from chat_api.conversation_routes import DEFAULT_TITLE, new_conversation
from chat_api.history.models import (
    AssistantRef,
    Conversation,
    ConversationChanges,
    Message,
    MessageStatus,
    ModelSettings,
    Usage,
)
from chat_api.history.store import HistoryError, HistoryStore
from chat_api.history_problems import problem_for
from chat_api.model_profiles import ModelProfile
from chat_api.problems import Problem
from chat_api.schemas import ChatRequest
from chat_api.titles import TitleWriter

if TYPE_CHECKING:
    from openai.types.chat import ChatCompletionMessageParam

log = logging.getLogger("chat_api.saved_chat")


@dataclass
class SavedTurn:
    """One turn of a saved conversation, ready for the model."""

    store: HistoryStore
    user_id: str
    conversation: Conversation
    model_messages: list[ChatCompletionMessageParam]
    omitted: int
    user_message: Message
    answer_id: str
    first_answer: bool
    # What this turn is answered with: the request's settings, else the conversation's.
    model: ModelProfile
    settings: ModelSettings

    def answer(
        self, text: str, status: MessageStatus, model: str, usage: Usage | None = None
    ) -> Message:
        """The assistant's message of this turn, as it is saved."""
        return Message(
            id=self.answer_id,
            conversation_id=self.conversation.id,
            role="assistant",
            content=text,
            created=datetime.now(UTC),
            status=status,
            model=model,
            usage=usage,
        )

    def start_fields(self) -> dict[str, object]:
        return {
            "conversation_id": self.conversation.id,
            "user_message_id": self.user_message.id,
            "assistant_message_id": self.answer_id,
            "omitted_messages": self.omitted,
        }


async def prepare_turn(
    store: HistoryStore,
    user_id: str,
    request: ChatRequest,
    requested: ModelProfile | None,
    models: Sequence[ModelProfile],
    *,
    started_from: AssistantRef | None = None,
) -> SavedTurn:
    """Load (or create) the conversation and save the user's message before anything else.

    `requested` is the model the request named (already checked), or None to use the one
    the conversation remembers, or else the first of `models`.
    """
    settings = ModelSettings(
        model=request.model, temperature=request.temperature, max_tokens=request.max_tokens
    )
    if request.conversation_id is None:
        conversation = await store.create_conversation(
            user_id,
            replace(
                new_conversation(title=None, system=request.system, settings=settings),
                assistant=started_from,
            ),
        )
        history: list[Message] = []
    else:
        conversation = await store.get_conversation(user_id, request.conversation_id)
        history = await store.list_messages(user_id, conversation.id)
        conversation = await _remember_settings(
            store, user_id, conversation, request.system, _merged(request, conversation.settings)
        )

    if request.regenerate:
        if history and history[-1].role == "assistant":
            answer_id = history.pop().id  # the new answer replaces it
        else:
            answer_id = uuid.uuid4().hex
        if not history:
            raise Problem(
                "invalid-request", 400, "Nothing to answer", "This conversation has no message."
            )
        user_message = history[-1]
    elif request.edit_message_id is not None:
        assert request.message is not None  # checked by parse_chat_request
        user_message, history = await _edit(
            store, user_id, history, request.edit_message_id, request.message
        )
        answer_id = uuid.uuid4().hex
    else:
        assert request.message is not None  # checked by parse_chat_request
        user_message = Message(
            id=uuid.uuid4().hex,
            conversation_id=conversation.id,
            role="user",
            content=request.message,
            created=datetime.now(UTC),
        )
        # Saved before the model is called: whatever happens next, the message is kept.
        await store.save_message(user_id, user_message)
        history.append(user_message)
        answer_id = uuid.uuid4().hex

    effective = conversation.settings
    model = requested or _remembered_model(effective.model, models)
    try:
        fitted = fit_to_window(
            conversation.system_prompt or None,
            [(m.role, m.content) for m in history if m.content.strip()],
            context_tokens=model.context_tokens,
            answer_tokens=effective.max_tokens or model.answer_tokens,
        )
    except ConversationTooLong:
        raise upstream_errors.context_too_long() from None
    return SavedTurn(
        store=store,
        user_id=user_id,
        conversation=conversation,
        model_messages=fitted.messages,
        omitted=fitted.omitted,
        user_message=user_message,
        answer_id=answer_id,
        first_answer=conversation.title == DEFAULT_TITLE,
        model=model,
        settings=replace(effective, model=model.id),
    )


def _merged(request: ChatRequest, remembered: ModelSettings) -> ModelSettings:
    """What the request sets, over what the conversation remembers."""
    return ModelSettings(
        model=request.model or remembered.model,
        temperature=request.temperature
        if request.temperature is not None
        else remembered.temperature,
        max_tokens=request.max_tokens if request.max_tokens is not None else remembered.max_tokens,
    )


def _remembered_model(model_id: str | None, models: Sequence[ModelProfile]) -> ModelProfile:
    # A model the admin has since removed is not the user's fault: use the default.
    return next((m for m in models if m.id == model_id), models[0])


async def _edit(
    store: HistoryStore, user_id: str, history: list[Message], message_id: str, text: str
) -> tuple[Message, list[Message]]:
    """Replace a user message's text and drop the turns after it; returns the edited
    message and the history up to it."""
    place = next((i for i, m in enumerate(history) if m.id == message_id), None)
    if place is None or history[place].role != "user":
        raise Problem(
            "not-found",
            404,
            "Message not found",
            "That message is not in this conversation (it may have been edited elsewhere).",
        )
    # It keeps its id and time, so it stays in its place; the new text is saved before the
    # old turns go, so a failure in between loses nothing the user wrote.
    edited = replace(history[place], content=text, status=MessageStatus.COMPLETE)
    await store.save_message(user_id, edited)
    later = [m.id for m in history[place + 1 :]]
    if later:
        await store.delete_messages(user_id, edited.conversation_id, later)
    return edited, [*history[:place], edited]


async def _remember_settings(
    store: HistoryStore,
    user_id: str,
    conversation: Conversation,
    system: str | None,
    settings: ModelSettings,
) -> Conversation:
    """A request that sets a system prompt or model settings changes the conversation's."""
    changes = ConversationChanges(
        system_prompt=system
        if system is not None and system != conversation.system_prompt
        else None,
        settings=settings if settings != conversation.settings else None,
    )
    if changes == ConversationChanges():
        return conversation
    return await store.update_conversation(user_id, conversation.id, changes)


class SavingFinisher:
    """Saves the answer when it ends, and names a new conversation after its first answer."""

    def __init__(
        self, turn: SavedTurn, *, model: str, request_id: str, titles: TitleWriter
    ) -> None:
        self._turn = turn
        self._model = model
        self._request_id = request_id
        self._titles = titles

    async def save(self, outcome: AnswerOutcome) -> bytes | None:
        turn = self._turn
        usage = outcome.usage
        try:
            await turn.store.save_message(
                turn.user_id,
                turn.answer(
                    outcome.text,
                    outcome.status,
                    self._model,
                    usage=None
                    if usage is None
                    else Usage(
                        prompt_tokens=int(usage.get("prompt_tokens", 0)),
                        completion_tokens=int(usage.get("completion_tokens", 0)),
                        total_tokens=int(usage.get("total_tokens", 0)),
                    ),
                ),
            )
        except HistoryError as error:
            log.warning("answer not saved (request %s): %s", self._request_id, type(error).__name__)
            problem = problem_for(error)
            problem.detail = "The answer above could not be saved to your history. " + (
                problem.detail
            )
            return events.error(problem.body(self._request_id))
        return None

    async def after_done(self, outcome: AnswerOutcome) -> bytes:
        turn = self._turn
        if not turn.first_answer or outcome.status is not MessageStatus.COMPLETE:
            return b""
        title = await self._titles.write(turn.user_message.content, outcome.text)
        try:
            await turn.store.update_conversation(
                turn.user_id, turn.conversation.id, ConversationChanges(title=title)
            )
        except HistoryError:
            return b""
        return events.title(turn.conversation.id, title)


async def save_unanswered(turn: SavedTurn, model: str, status: MessageStatus) -> None:
    """No token came (the model failed, or the user left first): record that, with no text."""
    try:
        await turn.store.save_message(turn.user_id, turn.answer("", status, model))
    except HistoryError:
        log.warning("unanswered turn not recorded (conversation %s)", turn.conversation.id)
