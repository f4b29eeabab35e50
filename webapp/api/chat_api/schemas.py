"""Request and response bodies, validated with pydantic straight from the JSON bytes."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError
from pydantic_core import ErrorDetails

from chat_api import problems
from chat_api.settings import Limits


class ChatMessage(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)

    role: Literal["user", "assistant"]
    content: str


class ChatRequest(BaseModel):
    """A conversation to answer: the messages so far, the last one the user's."""

    model_config = ConfigDict(extra="forbid", strict=True)

    messages: list[ChatMessage] = Field(min_length=1)
    system: str | None = None
    model: str | None = None
    temperature: float | None = Field(default=None, ge=0, le=2)
    max_tokens: int | None = Field(default=None, ge=1, le=1_000_000)


class ModelInfo(BaseModel):
    id: str
    reasoning: bool


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


def parse_chat_request(body: bytes, limits: Limits) -> ChatRequest:
    """Validate a chat body; a 400 or 413 Problem says exactly what is wrong."""
    try:
        request = ChatRequest.model_validate_json(body)
    except ValidationError as error:
        raise _invalid(error) from None
    if len(request.messages) > limits.max_messages:
        raise problems.payload_too_large(
            f"A conversation may carry at most {limits.max_messages} messages; "
            f"this one has {len(request.messages)}. Start a new chat."
        )
    for index, message in enumerate(request.messages):
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
    if request.system is not None and len(request.system) > limits.max_message_chars:
        raise problems.payload_too_large(
            f"The system prompt is longer than {limits.max_message_chars:,} characters."
        )
    if request.messages[-1].role != "user":
        raise problems.invalid_request(
            "The last message must be the user's.",
            [{"field": f"messages[{len(request.messages) - 1}].role", "message": "must be user"}],
        )
    return request


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
