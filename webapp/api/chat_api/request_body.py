"""Read a request body without ever holding more than the configured limit."""

from __future__ import annotations

from starlette.requests import Request

from chat_api import problems


async def read_json_body(request: Request, limit: int) -> bytes:
    content_type = request.headers.get("content-type", "application/json")
    if content_type.split(";")[0].strip().lower() not in ("application/json", ""):
        raise problems.Problem(
            "unsupported-media-type", 415, "Unsupported media type", "Send the request as JSON."
        )
    too_large = problems.payload_too_large(
        f"The request is larger than the limit of {limit:,} bytes."
    )
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise too_large
    received = bytearray()
    async for chunk in request.stream():
        received += chunk
        if len(received) > limit:
            raise too_large
    return bytes(received)
