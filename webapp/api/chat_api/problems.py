"""RFC 9457 problem details: the one shape of every error the API returns.

`detail` is always a sentence written here for the user; an upstream's or a library's
error text never goes into it (it goes to the log, under the request id).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from starlette.responses import Response

PROBLEM_TYPE_PREFIX = "urn:chat-on-azure:problem:"
PROBLEM_CONTENT_TYPE = "application/problem+json"


@dataclass
class Problem(Exception):
    """Raise anywhere in a handler; the app turns it into a problem+json response."""

    slug: str
    status: int
    title: str
    detail: str
    retry_after: int | None = None
    errors: list[dict[str, str]] | None = None
    headers: dict[str, str] = field(default_factory=dict)
    # More members for the body (RFC 9457 extension members), e.g. the saved message's ids.
    extensions: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        super().__init__(self.detail)

    @property
    def type(self) -> str:
        return PROBLEM_TYPE_PREFIX + self.slug

    def body(self, request_id: str | None) -> dict[str, Any]:
        body: dict[str, Any] = {
            "type": self.type,
            "title": self.title,
            "status": self.status,
            "detail": self.detail,
        }
        if self.retry_after is not None:
            body["retry_after"] = self.retry_after
        if self.errors is not None:
            body["errors"] = self.errors
        body.update(self.extensions)
        if request_id is not None:
            body["request_id"] = request_id
        return body

    def to_response(self, request_id: str | None) -> Response:
        headers = dict(self.headers)
        if self.retry_after is not None:
            headers["Retry-After"] = str(self.retry_after)
        return Response(
            json.dumps(self.body(request_id), ensure_ascii=False),
            status_code=self.status,
            media_type=PROBLEM_CONTENT_TYPE,
            headers=headers,
        )


def unauthenticated() -> Problem:
    return Problem(
        "unauthenticated",
        401,
        "Sign-in required",
        "Sign in to use the chat.",
        headers={"WWW-Authenticate": 'SWA realm="chat"'},
    )


def forbidden() -> Problem:
    return Problem(
        "forbidden",
        403,
        "Not invited",
        "Your account has not been invited to use this chat. Ask your administrator.",
    )


def invalid_request(detail: str, errors: list[dict[str, str]] | None = None) -> Problem:
    return Problem("invalid-request", 400, "Invalid request", detail, errors=errors)


def payload_too_large(detail: str) -> Problem:
    return Problem("payload-too-large", 413, "Request too large", detail)


def not_found() -> Problem:
    return Problem("not-found", 404, "Not found", "There is nothing at this address.")


def method_not_allowed(allowed: str) -> Problem:
    return Problem(
        "method-not-allowed",
        405,
        "Method not allowed",
        "This address does not take that method.",
        headers={"Allow": allowed},
    )


def configuration_error(setting_problems: list[str]) -> Problem:
    return Problem(
        "configuration-error",
        500,
        "The chat service is not configured correctly",
        "An administrator must fix the app settings: " + "; ".join(setting_problems) + ".",
    )


def internal_error() -> Problem:
    return Problem(
        "internal-error",
        500,
        "Something went wrong",
        "Something went wrong on our side. Try again; if it keeps happening, tell your "
        "administrator the request id.",
    )
