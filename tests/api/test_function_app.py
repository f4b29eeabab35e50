"""The Functions wiring, in process: Core Tools cannot run here, so call what
function_app.py registers, as the Functions host would (docs/architecture.md)."""

from __future__ import annotations

import importlib
import json
import sys
from collections.abc import Iterator
from types import ModuleType
from typing import Any

import azure.functions as func
import pytest
from starlette.types import Message

from chat_api.app import create_app
from chat_api.hosting import build_function_app
from chat_api.settings import load_settings
from tests.support.principals import INVITED, UNINVITED
from tests.support.sse import PACED_REPLY, fold
from tools.mock_openai.control import MockControl

BODY = json.dumps({"messages": [{"role": "user", "content": "Hej, världen"}]}).encode()


def _import_function_app(monkeypatch: pytest.MonkeyPatch, env: dict[str, str]) -> ModuleType:
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    sys.modules.pop("function_app", None)
    return importlib.import_module("function_app")


@pytest.fixture
def mock_env(mock_root: str) -> dict[str, str]:
    return {"AI_PROVIDER": "mock", "MOCK_OPENAI_URL": f"{mock_root}/v1"}


@pytest.fixture(autouse=True)
def _forget_function_app() -> Iterator[None]:
    yield
    sys.modules.pop("function_app", None)


def test_buffered_mode_registers_one_anonymous_catch_all(
    monkeypatch: pytest.MonkeyPatch, mock_env: dict[str, str]
) -> None:
    module = _import_function_app(monkeypatch, {**mock_env, "CHAT_API_HOSTING": "buffered"})
    functions = module.app.get_functions()
    assert len(functions) == 1
    trigger = functions[0].get_bindings_dict()["bindings"][0]
    assert trigger["type"] == "httpTrigger"
    assert trigger["route"] == "/{*route}"
    assert str(trigger["authLevel"]).endswith("ANONYMOUS")


@pytest.mark.anyio
async def test_buffered_mode_answers_whole_with_the_same_events(
    monkeypatch: pytest.MonkeyPatch, mock_env: dict[str, str], mock: MockControl
) -> None:
    module = _import_function_app(monkeypatch, {**mock_env, "CHAT_API_HOSTING": "buffered"})
    handler = module.app.get_functions()[0].get_user_function()
    mock.queue({"reply": "echo"})
    request = func.HttpRequest(
        method="POST",
        url="http://localhost/api/chat",
        body=BODY,
        headers={**INVITED, "content-type": "application/json"},
    )
    response: func.HttpResponse = await handler(request, None)
    await _shut_down(module.app)
    assert response.status_code == 200
    assert response.mimetype == "text/event-stream" or "text/event-stream" in response.headers.get(
        "content-type", ""
    )
    answer = fold(response.get_body().decode())
    assert answer.text == "You said: Hej, världen"
    assert answer.finish_reason == "stop"


@pytest.mark.anyio
async def test_buffered_mode_refuses_an_uninvited_caller(
    monkeypatch: pytest.MonkeyPatch, mock_env: dict[str, str], mock: MockControl
) -> None:
    module = _import_function_app(monkeypatch, {**mock_env, "CHAT_API_HOSTING": "buffered"})
    handler = module.app.get_functions()[0].get_user_function()
    request = func.HttpRequest(
        method="GET", url="http://localhost/api/me", body=b"", headers=UNINVITED
    )
    response: func.HttpResponse = await handler(request, None)
    await _shut_down(module.app)
    assert response.status_code == 403
    assert json.loads(response.get_body())["type"].endswith("forbidden")


def test_streaming_mode_uses_the_streams_extension_types(
    monkeypatch: pytest.MonkeyPatch, mock_env: dict[str, str]
) -> None:
    module = _import_function_app(monkeypatch, {**mock_env, "CHAT_API_HOSTING": "streaming"})
    functions = module.app.get_functions()
    assert len(functions) == 1
    from azurefunctions.extensions.http.fastapi import Request, StreamingResponse

    # The worker matches these classes themselves, so they must not be strings.
    annotations = functions[0].get_user_function().__annotations__
    assert annotations["req"] is Request
    assert annotations["return"] is StreamingResponse


@pytest.mark.anyio
async def test_streaming_mode_sends_tokens_as_separate_chunks(
    mock_env: dict[str, str], mock: MockControl
) -> None:
    from azurefunctions.extensions.http.fastapi import Request  # noqa: F401 (registers types)
    from fastapi import Request as FastApiRequest
    from fastapi.responses import StreamingResponse as FastApiStreamingResponse

    asgi_app = create_app(load_settings(mock_env))
    function_app = build_function_app(asgi_app, "streaming")
    handler = function_app.get_functions()[0].get_user_function()
    mock.queue(PACED_REPLY)

    scope: dict[str, Any] = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": "/api/chat",
        "raw_path": b"/api/chat",
        "query_string": b"",
        "root_path": "",
        "server": ("127.0.0.1", 80),
        "client": ("127.0.0.1", 5000),
        "headers": [
            (b"content-type", b"application/json"),
            (b"x-ms-client-principal", INVITED["x-ms-client-principal"].encode()),
        ],
        # What the extension's own FastAPI router leaves in the scope:
        "path_params": {"path": "api/chat"},
        "router": object(),
        "endpoint": object(),
    }
    body_sent = False

    async def receive() -> Message:
        nonlocal body_sent
        if not body_sent:
            body_sent = True
            return {"type": "http.request", "body": BODY, "more_body": False}
        await _forever()
        return {"type": "http.disconnect"}

    sent: list[Message] = []

    async def send(message: Message) -> None:
        sent.append(message)

    response = await handler(FastApiRequest(scope, receive))
    assert isinstance(response, FastApiStreamingResponse), "the type the function declares"
    await response(scope, receive, send)
    await asgi_app.state.chat.upstream.close()

    assert sent[0]["type"] == "http.response.start"
    assert sent[0]["status"] == 200
    assert (b"content-type", b"text/event-stream; charset=utf-8") in sent[0]["headers"]
    bodies = [m["body"] for m in sent[1:] if m["type"] == "http.response.body"]
    assert sum(b"event: delta" in b for b in bodies) >= 3, "tokens were not sent one by one"
    answer = fold(b"".join(bodies).decode())
    assert answer.text == PACED_REPLY["text"]


async def _shut_down(app: func.AsgiFunctionApp) -> None:
    """Run the app's shutdown (closing its model client) as the host does on exit."""
    await app.middleware.notify_shutdown()  # type: ignore[no-untyped-call]
    # Otherwise AsgiFunctionApp.__del__ runs it again, with asyncio.run(), whenever the
    # garbage collector gets to it: inside some later test's event loop.
    app.startup_task_done = False


async def _forever() -> None:
    import anyio

    await anyio.sleep_forever()
