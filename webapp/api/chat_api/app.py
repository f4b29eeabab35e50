"""Build the Starlette app: routes, error handling, and the clients it keeps for its life."""

from __future__ import annotations

import logging
import os
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from chat_api import conversation_routes as conversations
from chat_api import handlers, problems, role_assignment, telemetry
from chat_api.app_state import AppState, MisconfiguredState, request_id_of
from chat_api.assistants import routes as assistants
from chat_api.assistants.factory import AssistantStoreHolder
from chat_api.client_disconnect import ClientLeft
from chat_api.health import health
from chat_api.history.factory import HistoryDisabled, HistoryStoreHolder
from chat_api.history.store import HistoryError, StoreUnavailable
from chat_api.history_problems import problem_for
from chat_api.personas import PersonaCatalogError, load_catalog
from chat_api.personas.routes import list_personas
from chat_api.settings import Settings, SettingsError, load_settings
from chat_api.telemetry import RequestTelemetry
from chat_api.upstream_client import UpstreamClient
from chat_api.usage import admin_routes as admin
from chat_api.usage.enforcement import Admission
from chat_api.usage.factory import UsageStoreHolder
from chat_api.usage.my_usage import my_usage

log = logging.getLogger("chat_api")

_CONVERSATION = "/api/conversations/{conversation_id}"
_ASSISTANT = "/api/assistants/{assistant_id}"
_USER_LIMITS = "/api/admin/limits/{user_id}"
ROUTES = [
    Route("/api/chat", handlers.chat, methods=["POST"]),
    Route("/api/me", handlers.me, methods=["GET"]),
    Route("/api/personas", list_personas, methods=["GET"]),
    Route("/api/openapi.json", handlers.openapi, methods=["GET"]),
    # For probes, which carry no principal: says whether this instance works, nothing more.
    Route("/api/health", health, methods=["GET"]),
    # SWA's role function (auth.rolesSource): no role check, SWA calls it before there is one.
    Route("/api/GetRoles", role_assignment.get_roles, methods=["POST"]),
    Route("/api/conversations", conversations.list_conversations, methods=["GET"]),
    Route("/api/conversations", conversations.create_conversation, methods=["POST"]),
    Route("/api/conversations", conversations.delete_all_conversations, methods=["DELETE"]),
    # Before the {conversation_id} routes, which would otherwise take these names as ids.
    Route("/api/conversations/search", conversations.search_conversations, methods=["GET"]),
    Route("/api/conversations/import", conversations.import_conversation, methods=["POST"]),
    Route(_CONVERSATION, conversations.get_conversation, methods=["GET"]),
    Route(_CONVERSATION, conversations.update_conversation, methods=["PATCH"]),
    Route(_CONVERSATION, conversations.delete_conversation, methods=["DELETE"]),
    Route(_CONVERSATION + "/export", conversations.export_conversation, methods=["GET"]),
    Route("/api/assistants", assistants.list_assistants, methods=["GET"]),
    Route("/api/assistants", assistants.create_assistant, methods=["POST"]),
    Route(_ASSISTANT, assistants.get_assistant, methods=["GET"]),
    Route(_ASSISTANT, assistants.update_assistant, methods=["PATCH"]),
    Route(_ASSISTANT, assistants.delete_assistant, methods=["DELETE"]),
    Route(_ASSISTANT + "/featured", assistants.set_featured, methods=["PUT"]),
    Route("/api/usage/me", my_usage, methods=["GET"]),
    Route("/api/admin/usage", admin.usage_report, methods=["GET"]),
    Route("/api/admin/usage.csv", admin.usage_csv_export, methods=["GET"]),
    Route("/api/admin/limits", admin.list_limits, methods=["GET"]),
    Route(_USER_LIMITS, admin.set_limits, methods=["PUT"]),
    Route(_USER_LIMITS, admin.clear_limits, methods=["DELETE"]),
    Route("/api/admin/audit", admin.list_audit, methods=["GET"]),
]


def create_app(
    settings: Settings | None = None, environ: Mapping[str, str] | None = None
) -> Starlette:
    """The app, from explicit settings (tests) or from the environment (every host)."""
    state: AppState | MisconfiguredState
    if settings is None:
        try:
            settings = load_settings(os.environ if environ is None else environ)
        except SettingsError as error:
            # Start anyway: every request then says which setting to fix, instead of the
            # host showing a stack trace or no functions at all.
            log.error("invalid settings: %s", "; ".join(error.problems))
            state = MisconfiguredState(error.problems)
    if settings is not None:
        _configure_logging(settings.log_level)
        try:
            personas = load_catalog(settings.personas)
        except PersonaCatalogError as error:
            # A bad catalog is a bad setting: the log names the entry (and the file, which
            # users must not see); every request says an administrator must fix it.
            log.error("invalid persona catalog: %s", "; ".join(error.problems))
            state, settings = MisconfiguredState([error.summary]), None
    if settings is not None:
        usage = UsageStoreHolder(settings.history)
        state = AppState(
            settings=settings,
            upstream=UpstreamClient(settings.upstream, idle_timeout=settings.retry.idle_timeout),
            history=HistoryStoreHolder(settings.history),
            assistants=AssistantStoreHolder(settings.history),
            personas=personas,
            usage=usage,
            admission=Admission(settings.usage, usage.get) if usage.enabled else None,
        )

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        yield
        if isinstance(state, AppState):
            await state.upstream.close()
            await state.history.close()
            await state.assistants.close()
            await state.usage.close()

    middleware = (
        [Middleware(RequestTelemetry, routes=ROUTES)]
        if telemetry.configure(os.environ if environ is None else environ)
        else []
    )
    app = Starlette(
        routes=ROUTES,
        middleware=middleware,
        lifespan=lifespan,
        exception_handlers={
            problems.Problem: _problem_response,
            HTTPException: _http_exception_response,
            ClientLeft: _client_left_response,
            HistoryError: _history_error_response,
            HistoryDisabled: _history_error_response,
            Exception: _unexpected_error_response,
        },
    )
    app.state.chat = state
    return app


def _configure_logging(level: str) -> None:
    # The Functions host has set up the root logger already (basicConfig then does
    # nothing); under uvicorn this sends the API's own logs to stderr.
    logging.basicConfig(format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("chat_api").setLevel(level)


async def _problem_response(request: Request, error: Exception) -> Response:
    assert isinstance(error, problems.Problem)
    return error.to_response(request_id_of(request))


async def _http_exception_response(request: Request, error: Exception) -> Response:
    assert isinstance(error, HTTPException)
    if error.status_code == 405:
        allowed = (error.headers or {}).get("Allow", "")
        return problems.method_not_allowed(allowed).to_response(request_id_of(request))
    return problems.not_found().to_response(request_id_of(request))


async def _history_error_response(request: Request, error: Exception) -> Response:
    assert isinstance(error, HistoryError | HistoryDisabled)
    if isinstance(error, StoreUnavailable):
        log.warning("history store unavailable (request %s)", request_id_of(request))
    return problem_for(error).to_response(request_id_of(request))


async def _client_left_response(request: Request, error: Exception) -> Response:
    log.info("client left before the first token (request %s)", request_id_of(request))
    # 499 "client closed request" (nginx's convention): nobody will read it, but logs will.
    return Response(status_code=499)


async def _unexpected_error_response(request: Request, error: Exception) -> Response:
    request_id = request_id_of(request)
    log.exception("unexpected error (request %s)", request_id)
    return problems.internal_error().to_response(request_id)
