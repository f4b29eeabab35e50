"""The OpenAPI 3.1 document, built from the same pydantic models that validate requests."""

from __future__ import annotations

from functools import cache
from typing import Any

from pydantic import BaseModel
from pydantic.json_schema import models_json_schema

from chat_api.schemas import ChatRequest, Me

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


def _problem_responses(*statuses: int) -> dict[str, Any]:
    return {
        str(status): {
            "description": "Problem details (docs/http_protocol.md#errors)",
            "content": {
                "application/problem+json": {
                    "schema": {"$ref": _REF.format(model="ProblemDetails")}
                }
            },
        }
        for status in statuses
    }


@cache
def openapi_document() -> dict[str, Any]:
    _, schemas = models_json_schema(
        [(m, "validation") for m in (ChatRequest, Me, ProblemDetails)], ref_template=_REF
    )
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Chat on Azure API",
            "version": "1",
            "description": "Every route but this document needs an allowed SWA role "
            "(x-ms-client-principal). The answer stream is described in "
            "docs/http_protocol.md.",
        },
        "paths": {
            "/api/chat": {
                "post": {
                    "summary": "Stream an answer to a conversation",
                    "operationId": "chat",
                    "requestBody": {
                        "required": True,
                        "content": {
                            "application/json": {
                                "schema": {"$ref": _REF.format(model="ChatRequest")}
                            }
                        },
                    },
                    "responses": {
                        "200": {
                            "description": "Server-sent events: start, delta*, usage?, "
                            "then done or error",
                            "content": {"text/event-stream": {"schema": {"type": "string"}}},
                        },
                        **_problem_responses(400, 401, 403, 413, 415, 429, 500, 502, 504),
                    },
                }
            },
            "/api/me": {
                "get": {
                    "summary": "Who the caller is, and the models they may use",
                    "operationId": "me",
                    "responses": {
                        "200": {
                            "description": "The caller",
                            "content": {
                                "application/json": {"schema": {"$ref": _REF.format(model="Me")}}
                            },
                        },
                        **_problem_responses(401, 403),
                    },
                }
            },
            "/api/openapi.json": {
                "get": {
                    "summary": "This document",
                    "operationId": "openapi",
                    "responses": {"200": {"description": "OpenAPI 3.1"}},
                }
            },
        },
        "components": {"schemas": schemas["$defs"]},
    }
