"""Request and response bodies, validated with pydantic straight from the JSON bytes."""

from __future__ import annotations

from typing import Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError
from pydantic_core import ErrorDetails

from chat_api import problems
from chat_api.settings import Limits


class ChatMessage(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)

    role: Literal["user", "assistant"]
    content: str


class ChatRequest(BaseModel):
    """What to answer. Either `messages` (the whole conversation, nothing is saved: a
    temporary chat) or `message` (the next user message of a saved conversation, which
    the API loads, and creates when `conversation_id` is absent)."""

    model_config = ConfigDict(extra="forbid", strict=True)

    messages: list[ChatMessage] | None = Field(default=None, min_length=1)
    message: str | None = None
    conversation_id: str | None = Field(default=None, min_length=1, max_length=200)
    # Answer the last user message again, replacing the last answer.
    regenerate: bool = False
    # Replace this user message with `message` and drop everything after it.
    edit_message_id: str | None = Field(default=None, min_length=1, max_length=200)
    # Start from a persona of the catalog or a custom assistant (a new or temporary chat).
    persona_id: str | None = Field(default=None, min_length=1, max_length=200)
    assistant_id: str | None = Field(default=None, min_length=1, max_length=200)
    temporary: bool = False
    system: str | None = None
    model: str | None = None
    temperature: float | None = Field(default=None, ge=0, le=2)
    max_tokens: int | None = Field(default=None, ge=1, le=1_000_000)


class ModelInfo(BaseModel):
    id: str
    name: str
    description: str
    reasoning: bool
    # Reasoning models choose their own temperature.
    temperature: bool
    context_tokens: int


class LimitsInfo(BaseModel):
    """What a chat request may carry, so the client can stay inside it."""

    max_messages: int
    max_message_chars: int
    max_request_bytes: int


class Me(BaseModel):
    """The signed-in caller, as the API sees them."""

    user_id: str
    name: str
    identity_provider: str
    roles: list[str]
    models: list[ModelInfo]
    limits: LimitsInfo
    # False when HISTORY_STORE=none: every chat is then temporary.
    history: bool
    # The organisation's usage note (USAGE_NOTE), plain text; null when there is none.
    usage_note: str | None


M = TypeVar("M", bound=BaseModel)


def validate_json(model: type[M], body: bytes) -> M:
    """Validate a JSON body; a 400 Problem names the field and says what is wrong."""
    try:
        # pydantic's JSON parser also refuses lone UTF-16 surrogates ("\ud800"), which
        # storage could not encode: they never get past this point.
        return model.model_validate_json(body)
    except ValidationError as error:
        raise _invalid(error) from None


def parse_chat_request(body: bytes, limits: Limits) -> ChatRequest:
    """Validate a chat body; a 400 or 413 Problem says exactly what is wrong."""
    request = validate_json(ChatRequest, body)
    if request.persona_id is not None and request.assistant_id is not None:
        raise _conflicting("assistant_id", "Start from a persona or an assistant, not both.")
    if (request.persona_id or request.assistant_id) and request.conversation_id is not None:
        # A conversation keeps what it started with; its settings change with PATCH.
        raise _conflicting(
            "persona_id" if request.persona_id else "assistant_id",
            "Only a new chat starts from a persona or an assistant.",
        )
    if request.system is not None and len(request.system) > limits.max_message_chars:
        raise problems.payload_too_large(
            f"The system prompt is longer than {limits.max_message_chars:,} characters."
        )
    if request.messages is None:
        _check_saved_chat(request, limits)
    else:
        _check_temporary_chat(request, request.messages, limits)
    return request


def _check_saved_chat(request: ChatRequest, limits: Limits) -> None:
    if request.temporary:
        raise _conflicting("temporary", "A temporary chat sends its messages, not a message.")
    if request.regenerate:
        if request.message is not None:
            raise _conflicting("message", "Regenerate takes no new message.")
        if request.edit_message_id is not None:
            raise _conflicting("edit_message_id", "Regenerate edits no message.")
        if request.conversation_id is None:
            raise _conflicting("conversation_id", "Regenerate needs the conversation.")
        return
    if request.edit_message_id is not None and request.conversation_id is None:
        raise _conflicting("conversation_id", "Editing a message needs the conversation.")
    if request.message is None:
        raise problems.invalid_request(
            "Send the next message (message) or a whole temporary chat (messages).",
            [{"field": "message", "message": "is required"}],
        )
    if not request.message.strip():
        raise problems.invalid_request(
            "Messages must not be empty.", [{"field": "message", "message": "is empty"}]
        )
    if len(request.message) > limits.max_message_chars:
        raise problems.payload_too_large(
            f"The message is {len(request.message):,} characters long; "
            f"the limit is {limits.max_message_chars:,}."
        )


def _conflicting(field: str, detail: str) -> problems.Problem:
    return problems.invalid_request(detail, [{"field": field, "message": detail}])


def _check_temporary_chat(
    request: ChatRequest, messages: list[ChatMessage], limits: Limits
) -> None:
    for field in ("message", "conversation_id", "edit_message_id"):
        if getattr(request, field) is not None:
            raise _conflicting(field, "Send either messages or message, not both.")
    if request.regenerate:
        raise _conflicting("regenerate", "A temporary chat regenerates by sending its messages.")
    if len(messages) > limits.max_messages:
        raise problems.payload_too_large(
            f"A conversation may carry at most {limits.max_messages} messages; "
            f"this one has {len(messages)}. Start a new chat."
        )
    for index, message in enumerate(messages):
        if not message.content.strip():
            raise problems.invalid_request(
                "Messages must not be empty.",
                [{"field": f"messages[{index}].content", "message": "is empty"}],
            )
        if len(message.content) > limits.max_message_chars:
            raise problems.payload_too_large(
                f"Message {index + 1} is {len(message.content):,} characters long; "
                f"the limit is {limits.max_message_chars:,}."
            )
    if messages[-1].role != "user":
        raise problems.invalid_request(
            "The last message must be the user's.",
            [{"field": f"messages[{len(messages) - 1}].role", "message": "must be user"}],
        )


# Our own wording for pydantic's error types: a dependency's text never reaches the user.
_MESSAGES = {
    "missing": "is required",
    "extra_forbidden": "is not a known field",
    "literal_error": "must be one of {expected}",
    "string_type": "must be a string",
    "float_type": "must be a number",
    "int_type": "must be a whole number",
    "bool_type": "must be true or false",
    "list_type": "must be a list",
    "model_type": "must be an object",
    "model_attributes_type": "must be an object",
    "too_short": "must not be empty",
    "greater_than_equal": "must be at least {ge}",
    "less_than_equal": "must be at most {le}",
}


def _message(detail: ErrorDetails) -> str:
    template = _MESSAGES.get(detail["type"], "has a value that is not allowed")
    context = detail.get("ctx", {})
    return template.format(**{key: context.get(key, "") for key in ("expected", "ge", "le")})


def _invalid(error: ValidationError) -> problems.Problem:
    details = error.errors(include_url=False, include_input=False)
    if any(detail["type"] == "json_invalid" for detail in details):
        return problems.invalid_request("The request body is not valid JSON.")
    fields = [{"field": _field_path(d["loc"]), "message": _message(d)} for d in details]
    first = fields[0]
    where = f" ({first['field']})" if first["field"] else ""
    return problems.invalid_request(f"The request is not valid{where}: {first['message']}.", fields)


def _field_path(location: tuple[int | str, ...]) -> str:
    path = ""
    for part in location:
        path += f"[{part}]" if isinstance(part, int) else (f".{part}" if path else str(part))
    return path
