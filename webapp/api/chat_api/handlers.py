"""The API's routes. Each handler checks the caller's role before anything else."""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import replace

from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse

from chat_api import events, problems, upstream_errors
from chat_api.answer_relay import answer_events
from chat_api.answer_stream import ModelCall, open_answer
from chat_api.app_state import caller, request_id_of
from chat_api.chat_presets import preset_for, with_preset
from chat_api.client_disconnect import ClientLeft, unless_client_leaves
from chat_api.context_window import ConversationTooLong, FittedConversation, fit_to_window
from chat_api.history.models import MessageStatus
from chat_api.model_profiles import ModelProfile
from chat_api.openapi import openapi_document
from chat_api.problems import Problem
from chat_api.request_body import read_json_body
from chat_api.saved_chat import SavedTurn, SavingFinisher, prepare_turn, save_unanswered
from chat_api.schemas import (
    ChatMessage,
    ChatRequest,
    LimitsInfo,
    Me,
    ModelInfo,
    parse_chat_request,
)
from chat_api.settings import Settings
from chat_api.titles import TitleWriter
from chat_api.usage.recording import (
    CallContext,
    UsageRecorder,
    UsageSink,
    prompt_estimate,
    record_call,
)

log = logging.getLogger("chat_api.handlers")

SSE_HEADERS = {
    "Cache-Control": "no-cache, no-transform",
    # Proxies (nginx, some Azure front ends) buffer unless told not to.
    "X-Accel-Buffering": "no",
}


async def chat(request: Request) -> Response:
    started = time.monotonic()
    state, principal = caller(request)
    settings = state.settings
    body = await read_json_body(request, settings.limits.max_request_bytes)
    chat_request = parse_chat_request(body, settings.limits)
    preset = await preset_for(state, principal.user_id, chat_request)
    chat_request = with_preset(chat_request, preset, settings.models)
    if state.admission is not None:
        # Before anything is saved or sent: over a limit, nothing happens but the 429.
        await state.admission.admit(principal.user_id)
    sink = state.usage.get if state.usage.enabled else None
    # An unknown model is refused before anything is saved.
    requested = None if chat_request.model is None else _choose_model(settings, chat_request.model)
    request_id = request_id_of(request)

    turn: SavedTurn | None = None
    if chat_request.messages is None:
        store = await state.history.get()
        turn = await prepare_turn(
            store,
            principal.user_id,
            chat_request,
            requested,
            settings.models,
            started_from=None if preset is None else preset.ref,
        )
        messages, start_fields = turn.model_messages, turn.start_fields()
        model, temperature, max_tokens = (
            turn.model,
            turn.settings.temperature,
            turn.settings.max_tokens,
        )
    else:
        model = requested or settings.default_model
        fitted = _fit_temporary_chat(chat_request, chat_request.messages, model)
        messages, start_fields = fitted.messages, {"omitted_messages": fitted.omitted}
        temperature, max_tokens = chat_request.temperature, chat_request.max_tokens
    call = ModelCall(
        model=model.id,
        messages=messages,
        sampling=model.sampling(temperature=temperature, max_tokens=max_tokens),
    )
    usage = CallContext(
        provider=settings.upstream.provider.value,
        user_id=principal.user_id,
        user_name=principal.name,
        conversation_id=None if turn is None else turn.conversation.id,
        model=model.id,
        started=started,
    )
    client = await state.upstream.get()
    try:
        opened = await unless_client_leaves(
            request, open_answer(client, call, settings.retry, request_id)
        )
    except (Problem, ClientLeft) as error:
        stopped = isinstance(error, ClientLeft)
        # No answer, so no tokens to count; the call still shows in the figures.
        await record_call(
            sink,
            usage,
            prompt_tokens=0,
            completion_tokens=0,
            status="stopped" if stopped else "failed",
        )
        if turn is not None:
            await save_unanswered(
                turn, model.id, MessageStatus.STOPPED if stopped else MessageStatus.FAILED
            )
            if isinstance(error, Problem):
                # The message is saved: say where, so Retry can regenerate in place.
                error.extensions.update(turn.start_fields())
        raise
    log.info(
        "chat started (request %s, user %s, model %s, %d messages, %d left out, attempt %d)",
        request_id,
        principal.user_id,
        model.id,
        len(messages),
        start_fields["omitted_messages"],
        opened.attempts,
    )
    saving = (
        None
        if turn is None
        else SavingFinisher(
            turn,
            model=model.id,
            request_id=request_id,
            titles=TitleWriter(state.upstream, model, on_usage=_title_usage(sink, usage)),
        )
    )
    finisher = UsageRecorder(sink, usage, prompt_estimate(messages), saving)
    return StreamingResponse(
        answer_events(
            opened,
            start=events.start(model.id, request_id, **start_fields),
            request_id=request_id,
            finisher=finisher,
        ),
        media_type="text/event-stream",
        headers=SSE_HEADERS,
    )


async def me(request: Request) -> Response:
    state, principal = caller(request)
    settings = state.settings
    body = Me(
        user_id=principal.user_id,
        name=principal.name,
        identity_provider=principal.identity_provider,
        roles=sorted(principal.roles),
        models=[
            ModelInfo(
                id=m.id,
                name=m.display_name,
                description=m.description,
                reasoning=m.reasoning,
                temperature=m.takes_temperature,
                context_tokens=m.context_tokens,
            )
            for m in settings.models
        ],
        limits=LimitsInfo(
            max_messages=settings.limits.max_messages,
            max_message_chars=settings.limits.max_message_chars,
            max_request_bytes=settings.limits.max_request_bytes,
        ),
        history=state.history.enabled,
        usage_note=settings.usage_note or None,
    )
    return JSONResponse(body.model_dump())


async def openapi(request: Request) -> Response:
    return JSONResponse(openapi_document())


def _title_usage(
    sink: Callable[[], Awaitable[UsageSink]] | None, context: CallContext
) -> Callable[[int, int, float], Awaitable[None]]:
    async def record(prompt_tokens: int, completion_tokens: int, seconds: float) -> None:
        await record_call(
            sink,
            replace(context, started=time.monotonic() - seconds),
            prompt_tokens=prompt_tokens,
            completion_tokens=completion_tokens,
            status="title",
        )

    return record


def _choose_model(settings: Settings, requested: str) -> ModelProfile:
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


def _fit_temporary_chat(
    chat_request: ChatRequest, messages: list[ChatMessage], model: ModelProfile
) -> FittedConversation:
    try:
        return fit_to_window(
            chat_request.system if chat_request.system and chat_request.system.strip() else None,
            [(m.role, m.content) for m in messages],
            context_tokens=model.context_tokens,
            answer_tokens=chat_request.max_tokens or model.answer_tokens,
        )
    except ConversationTooLong:
        raise upstream_errors.context_too_long() from None
