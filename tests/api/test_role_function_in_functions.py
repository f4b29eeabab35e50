"""The role function through both Azure Functions hosting modes, in process (Core Tools
cannot run here): SWA must reach /api/GetRoles whichever way the API is hosted. The
seed's role function was never registered with the host."""

from __future__ import annotations

import importlib
import json
import sys
from collections.abc import Iterator
from typing import Any

import azure.functions as func
import pytest
from starlette.types import Message

from chat_api.app import create_app
from chat_api.hosting import build_function_app
from chat_api.settings import load_settings

ENV = {
    "AI_PROVIDER": "mock",
    "HISTORY_STORE": "none",
    "ROLE_INVITED_EMAIL_DOMAINS": "contoso.com",
    "ROLE_ADMIN_EMAILS": "boss@contoso.com",
}
SIGN_IN = json.dumps(
    {
        "identityProvider": "aad",
        "userId": "u-1",
        "userDetails": "boss@contoso.com",
        "claims": [{"typ": "preferred_username", "val": "boss@contoso.com"}],
    }
).encode()


@pytest.fixture(autouse=True)
def _forget_function_app() -> Iterator[None]:
    yield
    sys.modules.pop("function_app", None)


@pytest.mark.anyio
async def test_buffered_mode_answers_swas_roles_call(monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in {**ENV, "CHAT_API_HOSTING": "buffered"}.items():
        monkeypatch.setenv(name, value)
    sys.modules.pop("function_app", None)
    function_app: func.AsgiFunctionApp = importlib.import_module("function_app").app
    handler = function_app.get_functions()[0].get_user_function()
    # As SWA calls it: no x-ms-client-principal, the user has no role yet.
    request = func.HttpRequest(
        method="POST",
        url="http://localhost/api/GetRoles",
        body=SIGN_IN,
        headers={"content-type": "application/json"},
    )
    response: func.HttpResponse = await handler(request, None)
    await function_app.middleware.notify_shutdown()  # type: ignore[no-untyped-call]
    # Or AsgiFunctionApp.__del__ runs the shutdown again inside a later test's loop.
    function_app.startup_task_done = False
    assert response.status_code == 200
    assert json.loads(response.get_body()) == {"roles": ["admin", "invited"]}


@pytest.mark.anyio
async def test_streaming_mode_answers_swas_roles_call() -> None:
    from azurefunctions.extensions.http.fastapi import Request  # noqa: F401 (registers types)
    from fastapi import Request as FastApiRequest

    asgi_app = create_app(load_settings(ENV))
    handler = build_function_app(asgi_app, "streaming").get_functions()[0].get_user_function()
    # A bare ASGI scope, with what the extension's own router leaves in it (path_params).
    scope: dict[str, Any] = {
        "type": "http",
        "method": "POST",
        "path": "/api/GetRoles",
        "headers": [(b"content-type", b"application/json")],
        "path_params": {"path": "api/GetRoles"},
    }
    messages = [{"type": "http.request", "body": SIGN_IN, "more_body": False}]

    async def receive() -> Message:
        return messages.pop(0) if messages else {"type": "http.disconnect"}

    sent: list[Message] = []

    async def send(message: Message) -> None:
        sent.append(message)

    response = await handler(FastApiRequest(scope, receive))
    await response(scope, receive, send)
    await asgi_app.state.chat.upstream.close()
    assert sent[0]["status"] == 200
    body = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
    assert json.loads(body) == {"roles": ["admin", "invited"]}
