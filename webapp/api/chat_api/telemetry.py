"""Application Insights, when APPLICATIONINSIGHTS_CONNECTION_STRING is set: requests,
model calls and storage calls as dependencies, and the API's own warnings and exceptions.

Never any message content. So requests are named by their route template, not their
address (a search's words are in its query string, a conversation's id in its path), and
a model call carries its model, token counts and outcome only. Nothing here is imported
when the setting is empty: a cold start without telemetry pays nothing for it.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Mapping
from typing import Any

from starlette.routing import Match, Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

log = logging.getLogger("chat_api.telemetry")

CONNECTION_SETTING = "APPLICATIONINSIGHTS_CONNECTION_STRING"
_enabled = False

# What configure_azure_monitor would otherwise instrument: frameworks this app does not use,
# and the generic HTTP clients, whose spans would carry full URLs.
_NOT_INSTRUMENTED = ("django", "fastapi", "flask", "psycopg2", "requests", "urllib", "urllib3")


def configure(environ: Mapping[str, str]) -> bool:
    """Start exporting when the connection string is set; True when it is."""
    global _enabled
    connection_string = environ.get(CONNECTION_SETTING, "").strip()
    if not connection_string or _enabled:
        return _enabled
    from azure.monitor.opentelemetry import configure_azure_monitor

    configure_azure_monitor(
        connection_string=connection_string,
        logger_name="chat_api",
        instrumentation_options={name: {"enabled": False} for name in _NOT_INSTRUMENTED},
    )
    _enabled = True
    return True


def enabled() -> bool:
    return _enabled


def _tracer() -> Any:
    from opentelemetry import trace

    return trace.get_tracer("chat_api")


def model_call(
    *,
    provider: str,
    model: str,
    status: str,
    prompt_tokens: int,
    completion_tokens: int,
    latency_ms: int,
) -> None:
    """One model call as a dependency, timed from the request's start to the answer's end."""
    if not _enabled:
        return
    from opentelemetry.trace import SpanKind, Status, StatusCode

    end = time.time_ns()
    span = _tracer().start_span(
        f"chat {model}",
        kind=SpanKind.CLIENT,
        start_time=end - latency_ms * 1_000_000,
        attributes={
            "gen_ai.system": provider,
            "gen_ai.request.model": model,
            "gen_ai.usage.input_tokens": prompt_tokens,
            "gen_ai.usage.output_tokens": completion_tokens,
            "chat.outcome": status,
        },
    )
    if status in ("failed", "interrupted"):
        span.set_status(Status(StatusCode.ERROR, status))
    span.end(end_time=end)


class RequestTelemetry:
    """ASGI middleware: one request span per API call, named by its route template."""

    def __init__(self, app: ASGIApp, routes: list[Route]) -> None:
        self._app = app
        self._routes = routes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not _enabled:
            await self._app(scope, receive, send)
            return
        from opentelemetry.trace import SpanKind, Status, StatusCode

        method = scope["method"]
        route = self._template(scope)
        status_code = 500
        with _tracer().start_as_current_span(
            f"{method} {route}",
            kind=SpanKind.SERVER,
            attributes={"http.request.method": method, "http.route": route, "url.path": route},
        ) as span:

            async def send_and_note(message: Message) -> None:
                nonlocal status_code
                if message["type"] == "http.response.start":
                    status_code = message["status"]
                await send(message)

            try:
                await self._app(scope, receive, send_and_note)
            finally:
                span.set_attribute("http.response.status_code", status_code)
                if status_code >= 500:
                    span.set_status(Status(StatusCode.ERROR))

    def _template(self, scope: Scope) -> str:
        for route in self._routes:
            match, _ = route.matches(scope)
            if match is Match.FULL:
                return route.path
        return "(no route)"
