"""The API's routes. Each handler checks the caller's role before anything else."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse

from chat_api import problems
from chat_api.answer_stream import ModelCall, answer_events, open_answer
from chat_api.app_state import app_state, request_id_of
from chat_api.auth import PRINCIPAL_HEADER, Principal, require_role
from chat_api.client_disconnect import unless_client_leaves
from chat_api.model_profiles import ModelProfile
from chat_api.openapi import openapi_document
from chat_api.request_body import read_json_body
from chat_api.schemas import ChatRequest, LimitsInfo, Me, ModelInfo, parse_chat_request
from chat_api.settings import Settings

if TYPE_CHECKING:
    from openai.types.chat import ChatCompletionMessageParam

log = logging.getLogger("chat_api.handlers")

SSE_HEADERS = {
    "Cache-Control": "no-cache, no-transform",
    # Proxies (nginx, some Azure front ends) buffer unless told not to.
    "X-Accel-Buffering": "no",
}


def _authorise(request: Request, settings: Settings) -> Principal:
    return require_role(request.headers.get(PRINCIPAL_HEADER), settings.allowed_roles)


async def chat(request: Request) -> Response:
    state = app_state(request)
    settings = state.settings
    principal = _authorise(request, settings)
    body = await read_json_body(request, settings.limits.max_request_bytes)
    chat_request = parse_chat_request(body, settings.limits)
    model = _choose_model(settings, chat_request.model)
    call = ModelCall(
        model=model.id,
        messages=_model_messages(chat_request),
        sampling=model.sampling(
            temperature=chat_request.temperature, max_tokens=chat_request.max_tokens
        ),
    )
    request_id = request_id_of(request)
    client = await state.upstream.get()
    opened = await unless_client_leaves(
        request, open_answer(client, call, settings.retry, request_id)
    )
    log.info(
        "chat started (request %s, user %s, model %s, %d messages, attempt %d)",
        request_id,
        principal.user_id,
        model.id,
        len(call.messages),
        opened.attempts,
    )
    return StreamingResponse(
        answer_events(opened, model=model.id, request_id=request_id),
        media_type="text/event-stream",
        headers=SSE_HEADERS,
    )


async def me(request: Request) -> Response:
    settings = app_state(request).settings
    principal = _authorise(request, settings)
    body = Me(
        user_id=principal.user_id,
        name=principal.name,
        identity_provider=principal.identity_provider,
        roles=sorted(principal.roles),
        models=[ModelInfo(id=m.id, reasoning=m.reasoning) for m in settings.models],
        limits=LimitsInfo(
            max_messages=settings.limits.max_messages,
            max_message_chars=settings.limits.max_message_chars,
            max_request_bytes=settings.limits.max_request_bytes,
        ),
    )
    return JSONResponse(body.model_dump())


async def openapi(request: Request) -> Response:
    return JSONResponse(openapi_document())


def _choose_model(settings: Settings, requested: str | None) -> ModelProfile:
    if requested is None:
        return settings.default_model
    for model in settings.models:
        if model.id == requested:
            return model
    raise problems.invalid_request(
        "That model is not available here.",
        [
            {
                "field": "model",
                "message": "must be one of " + ", ".join(m.id for m in settings.models),
            }
        ],
    )


def _model_messages(chat_request: ChatRequest) -> list[ChatCompletionMessageParam]:
    messages: list[ChatCompletionMessageParam] = []
    if chat_request.system and chat_request.system.strip():
        messages.append({"role": "system", "content": chat_request.system})
    for message in chat_request.messages:
        if message.role == "user":
            messages.append({"role": "user", "content": message.content})
        else:
            messages.append({"role": "assistant", "content": message.content})
    return messages
