"""Reading a chat-completions request body the way the real services judge it.

Only the checks a client can plausibly get wrong are emulated, each with the status and
error JSON the real service sends, so the API's handling of them can be tested here.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from tools.mock_openai.wire import openai_error

# OpenAI's reasoning models (and Azure deployments named after them) refuse sampling
# parameters and the old `max_tokens`.
REASONING_MODEL_PREFIXES = ("o1", "o3", "o4", "gpt-5")
MESSAGE_ROLES = frozenset({"system", "developer", "user", "assistant", "tool", "function"})


def is_reasoning_model(model: str) -> bool:
    return model.lower().startswith(REASONING_MODEL_PREFIXES)


class InvalidChatRequest(Exception):
    """The request is refused with `status` and the OpenAI-style error JSON `body`."""

    def __init__(self, body: dict[str, Any], status: int = 400) -> None:
        super().__init__(body["error"]["message"])
        self.status = status
        self.body = body


@dataclass(frozen=True)
class ChatRequest:
    model: str
    messages: list[Any]
    stream: bool
    include_usage: bool
    # The tighter of `max_tokens` and `max_completion_tokens`, or None for no cap.
    max_tokens: int | None


def decode_body(raw: bytes) -> Any:
    try:
        return json.loads(raw)
    except (json.JSONDecodeError, UnicodeDecodeError):
        raise _unparseable() from None


def read_chat_request(body: Any, *, deployment: str | None = None) -> ChatRequest:
    """Validate a decoded body; `deployment` (Azure's classic path) takes the place of `model`."""
    if not isinstance(body, dict):
        raise _unparseable()
    messages = _read_messages(body.get("messages"))
    model = deployment if deployment is not None else body.get("model")
    if not isinstance(model, str) or not model:
        raise InvalidChatRequest(openai_error("you must provide a model parameter"))
    stream = _read_optional_bool(body, "stream")
    include_usage = _read_stream_options(body.get("stream_options"), stream=stream)
    max_tokens = _read_positive_int(body, "max_tokens")
    max_completion_tokens = _read_positive_int(body, "max_completion_tokens")
    if is_reasoning_model(model):
        _refuse_non_reasoning_parameters(body, max_tokens=max_tokens)
    caps = [cap for cap in (max_tokens, max_completion_tokens) if cap is not None]
    return ChatRequest(
        model=model,
        messages=messages,
        stream=stream,
        include_usage=include_usage,
        max_tokens=min(caps) if caps else None,
    )


def _unparseable() -> InvalidChatRequest:
    return InvalidChatRequest(
        openai_error(
            "We could not parse the JSON body of your request. (HINT: This likely means you "
            "aren't using your HTTP library correctly. The OpenAI API expects a JSON payload.)"
        )
    )


def _read_messages(messages: Any) -> list[Any]:
    if messages is None:
        raise InvalidChatRequest(
            openai_error(
                "Missing required parameter: 'messages'.",
                param="messages",
                code="missing_required_parameter",
            )
        )
    if not isinstance(messages, list):
        raise InvalidChatRequest(
            openai_error(
                "Invalid type for 'messages': expected an array.",
                param="messages",
                code="invalid_type",
            )
        )
    if not messages:
        raise InvalidChatRequest(
            openai_error(
                "Invalid 'messages': empty array. Expected an array with minimum length 1, "
                "but got an empty array instead.",
                param="messages",
                code="empty_array",
            )
        )
    for index, message in enumerate(messages):
        role = message.get("role") if isinstance(message, dict) else None
        if role not in MESSAGE_ROLES:
            raise InvalidChatRequest(
                openai_error(
                    f"Invalid value for 'messages[{index}].role': {json.dumps(role)}.",
                    param=f"messages[{index}].role",
                    code="invalid_value",
                )
            )
    return messages


def _read_optional_bool(body: dict[str, Any], name: str) -> bool:
    value = body.get(name)
    if value is None:
        return False
    if not isinstance(value, bool):
        raise InvalidChatRequest(
            openai_error(
                f"Invalid type for '{name}': expected a boolean.", param=name, code="invalid_type"
            )
        )
    return value


def _read_stream_options(options: Any, *, stream: bool) -> bool:
    if options is None:
        return False
    if not stream:
        raise InvalidChatRequest(
            openai_error(
                "The 'stream_options' parameter is only allowed when 'stream' is enabled.",
                param="stream_options",
            )
        )
    if not isinstance(options, dict):
        raise InvalidChatRequest(
            openai_error(
                "Invalid type for 'stream_options': expected an object.",
                param="stream_options",
                code="invalid_type",
            )
        )
    return options.get("include_usage") is True


def _read_positive_int(body: dict[str, Any], name: str) -> int | None:
    value = body.get(name)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidChatRequest(
            openai_error(
                f"Invalid type for '{name}': expected an integer.", param=name, code="invalid_type"
            )
        )
    if value < 1:
        raise InvalidChatRequest(
            openai_error(
                f"Invalid '{name}': integer below minimum value. Expected a value >= 1, "
                f"but got {value} instead.",
                param=name,
                code="integer_below_min_value",
            )
        )
    return value


def _refuse_non_reasoning_parameters(body: dict[str, Any], *, max_tokens: int | None) -> None:
    if max_tokens is not None:
        raise InvalidChatRequest(
            openai_error(
                "Unsupported parameter: 'max_tokens' is not supported with this model. "
                "Use 'max_completion_tokens' instead.",
                param="max_tokens",
                code="unsupported_parameter",
            )
        )
    temperature = body.get("temperature")
    if temperature is not None and temperature != 1:
        raise InvalidChatRequest(
            openai_error(
                f"Unsupported value: 'temperature' does not support {json.dumps(temperature)} "
                "with this model. Only the default (1) value is supported.",
                param="temperature",
                code="unsupported_value",
            )
        )
