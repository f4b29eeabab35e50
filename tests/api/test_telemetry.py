"""Application Insights through a real exporter to a local ingestion endpoint: requests,
model calls and exceptions arrive, and no message content ever does."""

from __future__ import annotations

import gzip
import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, ClassVar

import httpx
import pytest

from tests.support.principals import INVITED
from tests.support.servers import running_api
from tests.support.sse import fold
from tools.mock_openai.control import MockControl

SECRET_WORDS = "zebra-telemetry-canary"


class _Ingestion(BaseHTTPRequestHandler):
    received: ClassVar[list[dict[str, Any]]] = []

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers.get("content-length", 0)))
        if self.headers.get("content-encoding") == "gzip":
            body = gzip.decompress(body)
        text = body.decode("utf-8")
        items = (
            json.loads(text)
            if text.startswith("[")
            else [json.loads(x) for x in text.split("\n") if x]
        )
        type(self).received.extend(items)
        reply = json.dumps({"itemsReceived": len(items), "itemsAccepted": len(items), "errors": []})
        self.send_response(200)
        self.send_header("content-type", "application/json")
        self.end_headers()
        self.wfile.write(reply.encode())

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def ingestion() -> Iterator[tuple[str, list[dict[str, Any]]]]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Ingestion)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/", _Ingestion.received
    finally:
        server.shutdown()


@pytest.fixture(scope="module")
def telemetry_api(
    ingestion: tuple[str, list[dict[str, Any]]],
    mock_root: str,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[str]:
    endpoint, _ = ingestion
    env = {
        "AI_PROVIDER": "mock",
        "MOCK_OPENAI_URL": f"{mock_root}/v1",
        "HISTORY_SQLITE_PATH": str(tmp_path_factory.mktemp("telemetry") / "h.sqlite3"),
        "APPLICATIONINSIGHTS_CONNECTION_STRING": (
            f"InstrumentationKey=00000000-0000-0000-0000-000000000000;IngestionEndpoint={endpoint}"
        ),
        # Export at once instead of every few seconds, and never to Microsoft's endpoints.
        "OTEL_BSP_SCHEDULE_DELAY": "100",
        "OTEL_BLRP_SCHEDULE_DELAY": "100",
        "APPLICATIONINSIGHTS_STATSBEAT_DISABLED_ALL": "true",
        "OTEL_TRACES_SAMPLER": "always_on",
    }
    with running_api(env, name="api_telemetry") as root:
        yield root


def _wait_for(
    received: list[dict[str, Any]], check: Any, timeout: float = 20
) -> list[dict[str, Any]]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = [item for item in list(received) if check(item)]
        if found:
            return found
        time.sleep(0.1)
    kinds = sorted({item.get("name", "?") for item in received})
    raise AssertionError(f"not exported in {timeout} s; got {kinds}")


def _data(item: dict[str, Any]) -> dict[str, Any]:
    base: dict[str, Any] = item.get("data", {}).get("baseData", {})
    return base


def test_requests_and_model_calls_arrive_without_any_message_text(
    telemetry_api: str, ingestion: tuple[str, list[dict[str, Any]]], mock: MockControl
) -> None:
    _, received = ingestion
    mock.queue(
        {"reply": "text", "text": f"Answer about {SECRET_WORDS}."}, {"reply": "text", "text": "T"}
    )
    answer = fold(
        httpx.post(
            f"{telemetry_api}/api/chat",
            json={"message": f"Tell me about {SECRET_WORDS}"},
            headers=INVITED,
            timeout=20,
        ).text
    )
    assert answer.finish_reason == "stop"
    search = httpx.get(
        f"{telemetry_api}/api/conversations/search", params={"q": SECRET_WORDS}, headers=INVITED
    )
    assert search.status_code == 200

    chat = _wait_for(received, lambda i: _data(i).get("name") == "POST /api/chat")
    assert chat[0]["name"].endswith("Request")
    assert _data(chat[0])["responseCode"] == "200"
    searched = _wait_for(
        received, lambda i: _data(i).get("name") == "GET /api/conversations/search"
    )
    assert SECRET_WORDS not in _data(searched[0]).get("url", "")
    calls = _wait_for(
        received,
        lambda i: (
            i.get("name", "").endswith("RemoteDependency")
            and "mock-gpt" in str(_data(i).get("name"))
        ),
    )
    properties = _data(calls[0]).get("properties", {})
    assert properties.get("gen_ai.request.model") == "mock-gpt"
    assert int(properties.get("gen_ai.usage.output_tokens", 0)) > 0

    everything = json.dumps(received)
    assert SECRET_WORDS not in everything, "message text or search words reached telemetry"
    assert "Tell me about" not in everything


def test_the_apis_warnings_arrive_as_traces_without_content(
    telemetry_api: str, ingestion: tuple[str, list[dict[str, Any]]], mock: MockControl
) -> None:
    _, received = ingestion
    mock.queue({"fault": "cut", "text": f"Half about {SECRET_WORDS} and then", "after_tokens": 3})
    body = {"messages": [{"role": "user", "content": f"Cut {SECRET_WORDS}"}]}
    cut = fold(httpx.post(f"{telemetry_api}/api/chat", json=body, headers=INVITED, timeout=20).text)
    assert cut.error is not None
    traces = _wait_for(
        received, lambda i: "upstream stream broke" in str(_data(i).get("message", ""))
    )
    assert _data(traces[0]).get("severityLevel") == 2, "Warning"
    failed = _wait_for(
        received,
        lambda i: (
            i.get("name", "").endswith("RemoteDependency")
            and _data(i).get("properties", {}).get("chat.outcome") == "interrupted"
        ),
    )
    assert _data(failed[0])["success"] is False
    assert SECRET_WORDS not in json.dumps(received)
