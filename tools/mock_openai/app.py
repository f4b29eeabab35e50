"""The mock's routes: three chat-completions URL styles, model lists, and `/_mock` controls."""

from __future__ import annotations

import json
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from starlette.applications import Starlette
from starlette.datastructures import Headers
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from tools.mock_openai.behaviours import (
    Behaviour,
    BehaviourError,
    BehaviourQueue,
    parse_behaviour_header,
    parse_behaviours,
)
from tools.mock_openai.chat_request import InvalidChatRequest, decode_body, read_chat_request
from tools.mock_openai.config import MockConfig
from tools.mock_openai.delivery import AnswerSender, HideExpectedTracebacks, WatchedResponse
from tools.mock_openai.plan import AnswerPlan, plan_answer
from tools.mock_openai.request_log import Authorization, RequestLog, RequestRecord
from tools.mock_openai.wire import (
    azure_not_found,
    new_completion_id,
    now,
    openai_error,
    prompt_filter_error,
    rate_limit_error,
    server_error,
)

MODEL_IDS = ("gpt-4.1-mini", "gpt-5-mini")
BEHAVIOUR_HEADER = "x-mock-behaviour"


def authorization_kind(headers: Headers) -> Authorization | None:
    if "api-key" in headers:
        return "api-key"
    if headers.get("authorization", "").lower().startswith("bearer "):
        return "bearer"
    return None


class MockServer:
    """The state shared by all requests: settings, the behaviour queue and the request log."""

    def __init__(self, config: MockConfig) -> None:
        self.config = config
        self.queue = BehaviourQueue()
        self.log = RequestLog()

    def routes(self) -> list[Route]:
        return [
            Route("/v1/chat/completions", self.chat, methods=["POST"]),
            Route("/openai/v1/chat/completions", self.chat, methods=["POST"]),
            Route("/openai/deployments/{deployment}/chat/completions", self.chat, methods=["POST"]),
            Route("/v1/models", self.models, methods=["GET"]),
            Route("/openai/v1/models", self.models, methods=["GET"]),
            Route("/_mock/health", self.health, methods=["GET"]),
            Route("/_mock/behaviours", self.queue_behaviours, methods=["POST"]),
            Route("/_mock/behaviours", self.pending_behaviours, methods=["GET"]),
            Route("/_mock/behaviours", self.reset, methods=["DELETE"]),
            Route("/_mock/reset", self.reset, methods=["POST"]),
            Route("/_mock/requests", self.requests, methods=["GET"]),
        ]

    def _key_accepted(self, headers: Headers) -> bool:
        key = self.config.api_key
        if key is None:
            return True
        authorization = headers.get("authorization", "")
        bearer_ok = authorization[:7].lower() == "bearer " and authorization[7:] == key
        return bearer_ok or headers.get("api-key") == key

    @staticmethod
    def _unauthorised() -> JSONResponse:
        return JSONResponse(
            openai_error(
                "Incorrect or missing API key (the mock server was started with --api-key).",
                code="invalid_api_key",
            ),
            status_code=401,
        )

    async def chat(self, request: Request) -> Response:
        deployment: str | None = request.path_params.get("deployment")
        record = self.log.add(
            RequestRecord(
                path=request.url.path,
                authorization=authorization_kind(request.headers),
                client_port=request.client.port if request.client else None,
            )
        )
        if deployment is not None:
            record.model = deployment
            if "api-version" not in request.query_params:
                return _refuse(record, azure_not_found(), 404)
        if not self._key_accepted(request.headers):
            record.outcome = "rejected"
            return self._unauthorised()
        raw = await request.body()
        try:
            body = decode_body(raw)
        except InvalidChatRequest as error:
            record.body = raw.decode("utf-8", errors="replace")
            return _refuse(record, error.body, error.status)
        record.body = body
        try:
            chat = read_chat_request(body, deployment=deployment)
        except InvalidChatRequest as error:
            if isinstance(body, dict):
                record.model = record.model or _str_or_none(body.get("model"))
                record.stream = body.get("stream") is True
            return _refuse(record, error.body, error.status)
        record.model, record.stream = chat.model, chat.stream
        try:
            behaviour = self._behaviour_for(request.headers)
        except BehaviourError as error:
            return _refuse(record, openai_error(str(error), code="invalid_mock_behaviour"), 400)
        record.behaviour = behaviour.as_json() if behaviour is not None else None
        plan = plan_answer(self.config, chat, behaviour)
        refusal = _fault_before_answer(plan, record)
        if refusal is not None:
            return refusal
        sender = AnswerSender(
            plan=plan,
            record=record,
            completion_id=new_completion_id(),
            created=now(),
            model=chat.model,
            azure=request.url.path.startswith("/openai/"),
        )
        return WatchedResponse(sender.stream if chat.stream else sender.whole, record)

    def _behaviour_for(self, headers: Headers) -> Behaviour | None:
        # The header wins and leaves the queue alone, so that benchmark traffic cannot
        # consume behaviours a test queued.
        header = headers.get(BEHAVIOUR_HEADER)
        if header is not None:
            return parse_behaviour_header(header)
        return self.queue.take()

    async def models(self, request: Request) -> Response:
        if not self._key_accepted(request.headers):
            return self._unauthorised()
        return JSONResponse(
            {
                "object": "list",
                "data": [
                    {"id": model, "object": "model", "created": 1_700_000_000, "owned_by": "mock"}
                    for model in MODEL_IDS
                ],
            }
        )

    async def health(self, request: Request) -> Response:
        return JSONResponse({"status": "ok"})

    async def queue_behaviours(self, request: Request) -> Response:
        try:
            behaviours = parse_behaviours(json.loads(await request.body()))
        except json.JSONDecodeError as error:
            return JSONResponse(openai_error(f"body is not JSON: {error}"), status_code=400)
        except BehaviourError as error:
            return JSONResponse(openai_error(str(error)), status_code=400)
        pending = self.queue.extend(behaviours)
        return JSONResponse({"queued": len(behaviours), "pending": pending})

    async def pending_behaviours(self, request: Request) -> Response:
        return JSONResponse([behaviour.as_json() for behaviour in self.queue.pending()])

    async def reset(self, request: Request) -> Response:
        self.queue.clear()
        self.log.clear()
        return JSONResponse({"status": "reset"})

    async def requests(self, request: Request) -> Response:
        return JSONResponse(self.log.as_json())


def _str_or_none(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def _refuse(record: RequestRecord, body: dict[str, Any], status: int) -> JSONResponse:
    record.outcome = "rejected"
    return JSONResponse(body, status_code=status)


def _fault_before_answer(plan: AnswerPlan, record: RequestRecord) -> JSONResponse | None:
    """The faults that replace the answer with an error status, before any streaming."""
    if plan.fault == "rate_limit":
        record.outcome = "rate_limited"
        headers = {"retry-after": str(plan.retry_after)}
        if plan.retry_after_ms is not None:
            headers["retry-after-ms"] = str(plan.retry_after_ms)
        return JSONResponse(rate_limit_error(plan.retry_after), status_code=429, headers=headers)
    if plan.fault == "server_error":
        record.outcome = "server_error"
        return JSONResponse(server_error(), status_code=500)
    if plan.fault == "prompt_filter":
        record.outcome = "prompt_filtered"
        return JSONResponse(prompt_filter_error(), status_code=400)
    return None


async def _openai_style_http_error(request: Request, exc: Exception) -> Response:
    # Unknown URLs and wrong methods answer in the same JSON shape as everything else, so
    # a client pointed at the wrong base URL gets a readable error from the SDK.
    assert isinstance(exc, HTTPException)
    return JSONResponse(
        openai_error(
            f"Unknown request URL: {request.method} {request.url.path}. (mock: {exc.detail})",
            code="unknown_url",
        ),
        status_code=exc.status_code,
        headers=exc.headers,
    )


@asynccontextmanager
async def _quiet_expected_tracebacks(app: Starlette) -> AsyncIterator[None]:
    # Installed at startup because the server configures its loggers before that.
    server_log = logging.getLogger("uvicorn.error")
    if not any(isinstance(f, HideExpectedTracebacks) for f in server_log.filters):
        server_log.addFilter(HideExpectedTracebacks())
    yield


def create_app(config: MockConfig) -> Starlette:
    server = MockServer(config)
    app = Starlette(
        routes=server.routes(),
        exception_handlers={404: _openai_style_http_error, 405: _openai_style_http_error},
        lifespan=_quiet_expected_tracebacks,
    )
    app.state.mock = server
    return app
