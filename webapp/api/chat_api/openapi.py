"""The OpenAPI 3.1 document, built from the same pydantic models that validate requests."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Any

from pydantic import BaseModel
from pydantic.json_schema import models_json_schema

from chat_api.assistants.schemas import (
    AssistantIn,
    AssistantList,
    AssistantOut,
    AssistantPatchIn,
    FeaturedIn,
)
from chat_api.conversation_schemas import (
    ConversationList,
    ConversationOut,
    ConversationPatchIn,
    ConversationWithMessages,
    DeletedCount,
    ExportedConversation,
    NewConversationIn,
    SearchResults,
)
from chat_api.personas.schemas import PersonaCatalogOut
from chat_api.schemas import ChatRequest, Me
from chat_api.usage.admin_schemas import (
    AuditListOut,
    LimitOverrideIn,
    LimitsListOut,
    OverrideOut,
    UsageReportOut,
)

_REF = "#/components/schemas/{model}"


class ProblemDetails(BaseModel):
    """RFC 9457 problem details, as every error is returned."""

    type: str
    title: str
    status: int
    detail: str
    retry_after: int | None = None
    errors: list[dict[str, str]] | None = None
    request_id: str | None = None


@dataclass(frozen=True)
class Operation:
    method: str
    path: str
    summary: str
    body: type[BaseModel] | None = None
    answer: type[BaseModel] | None = None
    status: int = 200
    errors: tuple[int, ...] = (400, 401, 403, 404, 503)
    answer_media: str = "application/json"
    query: tuple[str, ...] = ()


_CONVERSATION = "/api/conversations/{conversation_id}"
_ASSISTANT = "/api/assistants/{assistant_id}"
_USER_LIMITS = "/api/admin/limits/{user_id}"
OPERATIONS = (
    Operation(
        "post",
        "/api/chat",
        "Stream an answer (server-sent events: start, delta*, usage?, done or error, title?)",
        body=ChatRequest,
        answer_media="text/event-stream",
        errors=(400, 401, 403, 404, 413, 415, 429, 500, 502, 503, 504),
    ),
    Operation(
        "get",
        "/api/me",
        "Who the caller is, the models and the limits",
        answer=Me,
        errors=(401, 403),
    ),
    Operation(
        "get",
        "/api/personas",
        "The persona catalog: groups, and personas with their system prompt, suggested "
        "temperature and starter prompts (Cache-Control: private, max-age=300)",
        answer=PersonaCatalogOut,
        errors=(401, 403, 500),
    ),
    Operation(
        "get",
        "/api/conversations",
        "The caller's conversations, pinned then newest",
        answer=ConversationList,
        query=("limit", "continuation", "archived"),
    ),
    Operation(
        "post",
        "/api/conversations",
        "Start a conversation",
        body=NewConversationIn,
        answer=ConversationOut,
        status=201,
    ),
    Operation(
        "delete", "/api/conversations", "Delete all the caller's conversations", answer=DeletedCount
    ),
    Operation(
        "get",
        "/api/conversations/search",
        "Find conversations by words",
        answer=SearchResults,
        query=("q", "limit"),
    ),
    Operation(
        "post",
        "/api/conversations/import",
        "Import an exported conversation",
        body=ExportedConversation,
        answer=ConversationOut,
        status=201,
    ),
    Operation(
        "get", _CONVERSATION, "A conversation and its messages", answer=ConversationWithMessages
    ),
    Operation(
        "patch",
        _CONVERSATION,
        "Rename, pin, archive or change settings (If-Match)",
        body=ConversationPatchIn,
        answer=ConversationOut,
        errors=(400, 401, 403, 404, 412, 503),
    ),
    Operation("delete", _CONVERSATION, "Delete a conversation", status=204),
    Operation(
        "get",
        _CONVERSATION + "/export",
        "Export as JSON (imports back), Markdown or plain text (format=json|markdown|text)",
        answer=ExportedConversation,
        query=("format",),
    ),
    Operation(
        "get",
        "/api/assistants",
        "Assistants without their system prompts (scope=mine|organisation|featured): "
        "featured first, then most recently edited; at most 200",
        answer=AssistantList,
        query=("scope",),
    ),
    Operation(
        "post",
        "/api/assistants",
        "Create an assistant (Location: its address)",
        body=AssistantIn,
        answer=AssistantOut,
        status=201,
        errors=(400, 401, 403, 404, 409, 413, 415, 503),
    ),
    Operation(
        "get", _ASSISTANT, "An assistant: the caller's own, or a shared one", answer=AssistantOut
    ),
    Operation(
        "patch",
        _ASSISTANT,
        "Edit an assistant, one version up (its owner only; If-Match)",
        body=AssistantPatchIn,
        answer=AssistantOut,
        errors=(400, 401, 403, 404, 412, 413, 415, 503),
    ),
    Operation(
        "delete",
        _ASSISTANT,
        "Delete an assistant (its owner; an admin also any shared one)",
        status=204,
        errors=(401, 403, 404, 503),
    ),
    Operation(
        "put",
        _ASSISTANT + "/featured",
        "Feature or unfeature a shared assistant (admin role)",
        body=FeaturedIn,
        answer=AssistantOut,
        errors=(400, 401, 403, 404, 415, 503),
    ),
    Operation(
        "get",
        "/api/admin/usage",
        "Usage from..to (YYYY-MM-DD, inclusive; default this month, at most 366 days): "
        "totals, by user, model and day, top users, estimated cost (admin role)",
        answer=UsageReportOut,
        query=("from", "to"),
    ),
    Operation(
        "get",
        "/api/admin/usage.csv",
        "The same range as CSV, a row per day, user and model (admin role)",
        answer_media="text/csv",
        query=("from", "to"),
    ),
    Operation(
        "get",
        "/api/admin/limits",
        "The deployment's limits and every per-user override (admin role)",
        answer=LimitsListOut,
        errors=(401, 403, 404, 503),
    ),
    Operation(
        "put",
        _USER_LIMITS,
        "Set a user's limits over the defaults (admin role; audited)",
        body=LimitOverrideIn,
        answer=OverrideOut,
        errors=(400, 401, 403, 404, 413, 415, 503),
    ),
    Operation(
        "delete",
        _USER_LIMITS,
        "Remove a user's override: the defaults apply (admin role; audited)",
        status=204,
        errors=(400, 401, 403, 404, 503),
    ),
    Operation(
        "get",
        "/api/admin/audit",
        "What admins did, newest first; `before` from next_before pages on (admin role)",
        answer=AuditListOut,
        query=("limit", "before"),
    ),
)


@cache
def openapi_document() -> dict[str, Any]:
    models: set[type[BaseModel]] = {ProblemDetails}
    for op in OPERATIONS:
        models.update(m for m in (op.body, op.answer) if m is not None)
    _, schemas = models_json_schema(
        [(m, "validation") for m in sorted(models, key=lambda m: m.__name__)], ref_template=_REF
    )
    paths: dict[str, dict[str, Any]] = {
        "/api/openapi.json": {
            "get": {"summary": "This document", "responses": {"200": {"description": "OpenAPI"}}}
        },
        "/api/health": {
            "get": {
                "summary": "For probes, no role needed: ok (200), or degraded or "
                "misconfigured (503); the provider's and the store's kind, nothing more",
                "responses": {"200": {"description": "ok"}, "503": {"description": "not ok"}},
            }
        },
        "/api/GetRoles": {
            "post": {
                "summary": "Roles for a user who just signed in (called by Static Web Apps "
                "custom authentication, not by the app; docs/access.md)",
                "responses": {"200": {"description": '{"roles": [...]}'}},
            }
        },
    }
    for op in OPERATIONS:
        paths.setdefault(op.path, {})[op.method] = _operation(op)
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Chat on Azure API",
            "version": "1",
            "description": "Every route but this document, health and GetRoles needs an allowed "
            "SWA role (x-ms-client-principal). The answer stream is described in "
            "docs/http_protocol.md.",
        },
        "paths": paths,
        "components": {"schemas": schemas["$defs"]},
    }


def _operation(op: Operation) -> dict[str, Any]:
    success: dict[str, Any] = {"description": op.summary}
    if op.answer is not None:
        success["content"] = {op.answer_media: {"schema": _ref(op.answer)}}
    elif op.answer_media != "application/json":
        success["content"] = {op.answer_media: {"schema": {"type": "string"}}}
    operation: dict[str, Any] = {
        "summary": op.summary,
        "responses": {str(op.status): success, **_problems(op.errors)},
    }
    parameters = [
        {"name": name, "in": "query", "required": name == "q", "schema": {"type": "string"}}
        for name in op.query
    ]
    for name in re.findall(r"\{(\w+)\}", op.path):
        parameters.append(
            {"name": name, "in": "path", "required": True, "schema": {"type": "string"}}
        )
    if parameters:
        operation["parameters"] = parameters
    if op.body is not None:
        operation["requestBody"] = {
            "required": True,
            "content": {"application/json": {"schema": _ref(op.body)}},
        }
    return operation


def _ref(model: type[BaseModel]) -> dict[str, str]:
    return {"$ref": _REF.format(model=model.__name__)}


def _problems(statuses: tuple[int, ...]) -> dict[str, Any]:
    return {
        str(status): {
            "description": "Problem details (docs/http_protocol.md#errors)",
            "content": {"application/problem+json": {"schema": _ref(ProblemDetails)}},
        }
        for status in statuses
    }
