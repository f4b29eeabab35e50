"""OpenAI's chat-completions JSON, built as cheaply as possible.

A streamed token costs two byte concatenations: everything around the token's JSON string
is encoded once per request, and the token itself once per reply text (see
`replies.encoded_tokens`). Benchmarks run many streams against this server, and it must
never be the bottleneck they measure.
"""

from __future__ import annotations

import json
import secrets
import time
from typing import Any

DONE = b"data: [DONE]\n\n"

FILTER_CATEGORIES = ("hate", "self_harm", "sexual", "violence")


def new_completion_id() -> str:
    return f"chatcmpl-mock{secrets.token_hex(12)}"


def usage_json(prompt_tokens: int, completion_tokens: int) -> dict[str, int]:
    return {
        "prompt_tokens": prompt_tokens,
        "completion_tokens": completion_tokens,
        "total_tokens": prompt_tokens + completion_tokens,
    }


def content_filter_results(*, filtered: bool) -> dict[str, Any]:
    """Every category safe, or `hate` blamed when `filtered` (the mock needs one culprit)."""
    results: dict[str, Any] = {
        category: {"filtered": False, "severity": "safe"} for category in FILTER_CATEGORIES
    }
    if filtered:
        results["hate"] = {"filtered": True, "severity": "high"}
    return results


def _sse(payload: dict[str, Any]) -> bytes:
    return b"data: " + json.dumps(payload, separators=(",", ":")).encode() + b"\n\n"


class ChunkEncoder:
    """The `data: ...` lines of one streamed completion."""

    def __init__(self, *, completion_id: str, created: int, model: str) -> None:
        self._envelope: dict[str, Any] = {
            "id": completion_id,
            "object": "chat.completion.chunk",
            "created": created,
            "model": model,
            "system_fingerprint": "fp_mock",
        }
        head = json.dumps(self._envelope, separators=(",", ":"))[:-1]
        self._token_prefix = f'data: {head},"choices":[{{"index":0,"delta":{{"content":'.encode()
        self._token_suffix = b'},"logprobs":null,"finish_reason":null}]}\n\n'

    def token(self, encoded_token: bytes) -> bytes:
        """`encoded_token` is the token as a JSON string literal, quotes included."""
        return self._token_prefix + encoded_token + self._token_suffix

    def role(self) -> bytes:
        return self._chunk([self._choice({"role": "assistant", "content": ""}, None)])

    def finish(self, finish_reason: str) -> bytes:
        choice = self._choice({}, finish_reason)
        if finish_reason == "content_filter":
            # Azure says which category withheld the rest of the answer.
            choice["content_filter_results"] = content_filter_results(filtered=True)
        return self._chunk([choice])

    def usage(self, prompt_tokens: int, completion_tokens: int) -> bytes:
        return _sse(
            {**self._envelope, "choices": [], "usage": usage_json(prompt_tokens, completion_tokens)}
        )

    def _chunk(self, choices: list[dict[str, Any]]) -> bytes:
        return _sse({**self._envelope, "choices": choices})

    @staticmethod
    def _choice(delta: dict[str, Any], finish_reason: str | None) -> dict[str, Any]:
        return {"index": 0, "delta": delta, "logprobs": None, "finish_reason": finish_reason}


def azure_prompt_filter_chunk() -> bytes:
    """The chunk Azure sends before any other: no choices, just the prompt's filter verdict.

    Clients that assume every chunk has `choices[0]` break on it, so the mock sends it on
    the Azure paths just as Azure does.
    """
    return _sse(
        {
            "choices": [],
            "created": 0,
            "id": "",
            "model": "",
            "object": "",
            "prompt_filter_results": [
                {
                    "prompt_index": 0,
                    "content_filter_results": content_filter_results(filtered=False),
                }
            ],
        }
    )


def completion_json(
    *,
    completion_id: str,
    created: int,
    model: str,
    content: str,
    finish_reason: str,
    usage: dict[str, int] | None,
) -> dict[str, Any]:
    body: dict[str, Any] = {
        "id": completion_id,
        "object": "chat.completion",
        "created": created,
        "model": model,
        "system_fingerprint": "fp_mock",
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": content, "refusal": None},
                "logprobs": None,
                "finish_reason": finish_reason,
            }
        ],
    }
    if usage is not None:
        body["usage"] = usage
    return body


def now() -> int:
    return int(time.time())


# Error bodies, shaped like the real services' so that client error handling can be tested.


def openai_error(
    message: str,
    *,
    error_type: str | None = "invalid_request_error",
    param: str | None = None,
    code: str | None = None,
) -> dict[str, Any]:
    return {"error": {"message": message, "type": error_type, "param": param, "code": code}}


def rate_limit_error(retry_after: int) -> dict[str, Any]:
    return openai_error(
        f"Rate limit reached (mock). Please retry after {retry_after} seconds.",
        error_type="requests",
        code="429",
    )


def server_error() -> dict[str, Any]:
    return openai_error(
        "The server had an error while processing your request. Sorry about that! (mock)",
        error_type="server_error",
    )


def azure_not_found() -> dict[str, Any]:
    return {"error": {"code": "404", "message": "Resource not found"}}


def prompt_filter_error() -> dict[str, Any]:
    return {
        "error": {
            "message": (
                "The response was filtered due to the prompt triggering Azure OpenAI's content "
                "management policy. Please modify your prompt and retry. To learn more about "
                "our content filtering policies please read our documentation: "
                "https://go.microsoft.com/fwlink/?linkid=2198766"
            ),
            "type": None,
            "param": "prompt",
            "code": "content_filter",
            "status": 400,
            "innererror": {
                "code": "ResponsibleAIPolicyViolation",
                "content_filter_result": {
                    **content_filter_results(filtered=True),
                    "jailbreak": {"filtered": False, "detected": False},
                },
            },
        }
    }
