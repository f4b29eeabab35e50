"""The /api/assistants routes.

Every handler starts with `caller()` (the invited role), then passes the caller's user id
to the store, which decides what they may see and change (store.py); featuring also needs
the `admin` role. Store errors become problems here (problems.py), so that a missing
assistant is not worded as a missing conversation.
"""

from __future__ import annotations

import functools
import logging
import uuid
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from chat_api import problems
from chat_api.app_state import AppState, caller, request_id_of
from chat_api.assistants.models import Assistant, AssistantContent, Scope, Visibility
from chat_api.assistants.problems import admins_only, problem_for, unknown_model
from chat_api.assistants.schemas import (
    AssistantIn,
    AssistantList,
    AssistantOut,
    AssistantPatchIn,
    AssistantSummaryOut,
    FeaturedIn,
    check_limits,
)
from chat_api.assistants.store import AssistantStore
from chat_api.auth import Principal
from chat_api.history.factory import HistoryDisabled
from chat_api.history.store import Conflict, HistoryError, StoreUnavailable
from chat_api.request_body import read_json_body
from chat_api.role_rules import ADMIN
from chat_api.schemas import validate_json
from chat_api.usage.audit import audit

log = logging.getLogger("chat_api.assistants")

_Handler = Callable[[Request], Awaitable[Response]]
# A PATCH without If-Match is read, merged and written conditionally; when someone writes
# in between, it is merged again from what they wrote, this many times at most.
_MERGE_ATTEMPTS = 3


def _answering_store_errors(handler: _Handler) -> _Handler:
    @functools.wraps(handler)
    async def handle(request: Request) -> Response:
        try:
            return await handler(request)
        except (HistoryError, HistoryDisabled) as error:
            if isinstance(error, StoreUnavailable):
                log.warning("assistant store unavailable (request %s)", request_id_of(request))
            raise problem_for(error) from error

    return handle


@_answering_store_errors
async def list_assistants(request: Request) -> Response:
    state, principal = caller(request)
    raw = request.query_params.get("scope", Scope.MINE.value)
    if raw not in {scope.value for scope in Scope}:
        raise problems.invalid_request(
            "List mine, organisation or featured.",
            [{"field": "scope", "message": "must be mine, organisation or featured"}],
        )
    store = await state.assistants.get()
    found = await store.list_assistants(principal.user_id, Scope(raw))
    body = AssistantList(items=[AssistantSummaryOut.of(a, principal.user_id) for a in found])
    return _json(body.model_dump(mode="json"))


@_answering_store_errors
async def create_assistant(request: Request) -> Response:
    state, principal = caller(request)
    incoming = validate_json(
        AssistantIn, await read_json_body(request, state.settings.limits.max_request_bytes)
    )
    content = AssistantContent(
        name=incoming.name.strip(),
        description=incoming.description,
        system_prompt=incoming.system,
        model=incoming.model or state.settings.default_model.id,
        temperature=incoming.temperature,
        max_tokens=incoming.max_tokens,
        starters=tuple(incoming.starters),
        visibility=Visibility(incoming.visibility),
    )
    _check(state, content, model_given=incoming.model is not None)
    store = await state.assistants.get()
    now = datetime.now(UTC)
    created = await store.create_assistant(
        Assistant(
            id=uuid.uuid4().hex,
            owner_id=principal.user_id,
            owner_name=principal.name,
            created=now,
            updated=now,
            featured=False,
            version=1,
            etag="",
            **vars(content),
        )
    )
    return _one(created, principal, status=201, location=f"/api/assistants/{created.id}")


@_answering_store_errors
async def get_assistant(request: Request) -> Response:
    state, principal = caller(request)
    store = await state.assistants.get()
    found = await store.get_assistant(principal.user_id, request.path_params["assistant_id"])
    return _one(found, principal)


@_answering_store_errors
async def update_assistant(request: Request) -> Response:
    state, principal = caller(request)
    patch = validate_json(
        AssistantPatchIn, await read_json_body(request, state.settings.limits.max_request_bytes)
    )
    if not patch.model_fields_set:
        raise problems.invalid_request("Say what to change.")
    assistant_id = request.path_params["assistant_id"]
    if_match = _etag(request.headers.get("if-match"))
    store = await state.assistants.get()
    for _ in range(_MERGE_ATTEMPTS):
        updated = await _merge(state, store, principal, assistant_id, patch, if_match)
        if updated is not None:
            return _one(updated, principal)
    raise StoreUnavailable(retry_after=1)


@_answering_store_errors
async def delete_assistant(request: Request) -> Response:
    state, principal = caller(request)
    assistant_id = request.path_params["assistant_id"]
    store = await state.assistants.get()
    admin = ADMIN in principal.roles
    # Read first, so that the audit log can say whose assistant an admin deleted.
    deleted = await store.get_assistant(principal.user_id, assistant_id) if admin else None
    await store.delete_assistant(principal.user_id, assistant_id, as_admin=admin)
    if admin:
        # An admin may delete others' shared assistants: keep a trace of who did.
        log.info("assistant %s deleted by admin %s", assistant_id, principal.user_id)
    if deleted is not None and deleted.owner_id != principal.user_id:
        await audit(state.usage, principal, "assistant.delete", assistant_id, _named(deleted))
    return Response(status_code=204)


@_answering_store_errors
async def set_featured(request: Request) -> Response:
    state, principal = caller(request)
    if ADMIN not in principal.roles:
        raise admins_only()
    incoming = validate_json(
        FeaturedIn, await read_json_body(request, state.settings.limits.max_request_bytes)
    )
    store = await state.assistants.get()
    changed = await store.set_featured(request.path_params["assistant_id"], incoming.featured)
    action = "assistant.feature" if incoming.featured else "assistant.unfeature"
    await audit(state.usage, principal, action, changed.id, _named(changed))
    return _one(changed, principal)


async def _merge(
    state: AppState,
    store: AssistantStore,
    principal: Principal,
    assistant_id: str,
    patch: AssistantPatchIn,
    if_match: str | None,
) -> Assistant | None:
    """The patch written over the assistant as read; None when someone else wrote in
    between and the caller sent no If-Match (then merge again)."""
    current = await store.get_assistant(principal.user_id, assistant_id)
    content = patch.applied_to(current.content)
    _check(state, content, model_given="model" in patch.model_fields_set)
    try:
        return await store.update_assistant(
            principal.user_id, assistant_id, content, if_match=if_match or current.etag
        )
    except Conflict:
        if if_match is not None:
            raise
        return None


def _check(state: AppState, content: AssistantContent, *, model_given: bool) -> None:
    check_limits(content, max_system_chars=state.settings.limits.max_message_chars)
    known = [model.id for model in state.settings.models]
    # Only a model the caller names is checked: one the admin has since removed from the
    # catalog must not stop its owner renaming the assistant.
    if model_given and content.model not in known:
        raise unknown_model(known)


def _named(assistant: Assistant) -> str:
    return f'"{assistant.name}" of {assistant.owner_name}'


def _etag(if_match: str | None) -> str | None:
    """The etag of an If-Match header, bare or in HTTP's quoted (and weak) forms."""
    if if_match is None or if_match.strip() == "*":
        return None
    return if_match.strip().removeprefix("W/").strip('"')


def _one(
    assistant: Assistant, principal: Principal, *, status: int = 200, location: str | None = None
) -> Response:
    headers = {"ETag": f'"{assistant.etag}"'}
    if location is not None:
        headers["Location"] = location
    body = AssistantOut.of_assistant(assistant, principal.user_id)
    return _json(body.model_dump(mode="json"), status=status, headers=headers)


def _json(body: object, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    return JSONResponse(
        body, status_code=status, headers={"Cache-Control": "no-store", **(headers or {})}
    )
