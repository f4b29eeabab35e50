"""The history routes: a user's own conversations, and nobody else's.

Every handler starts with `caller()` (the role check) and passes the caller's user id to
the store, which keeps each user's data in a partition of its own.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from datetime import UTC, datetime

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from chat_api import problems
from chat_api.app_state import caller
from chat_api.conversation_export import (
    export_json,
    export_markdown,
    export_text,
    imported_messages,
)
from chat_api.conversation_schemas import (
    ConversationList,
    ConversationOut,
    ConversationPatchIn,
    ConversationWithMessages,
    DeletedCount,
    ExportedConversation,
    MessageOut,
    ModelSettingsBody,
    NewConversationIn,
    SearchHitOut,
    SearchResults,
)
from chat_api.history.models import Conversation, ConversationChanges, Message, ModelSettings
from chat_api.request_body import read_json_body
from chat_api.schemas import validate_json

DEFAULT_TITLE = "New chat"
PAGE_SIZE_DEFAULT = 50
PAGE_SIZE_MAX = 200


async def list_conversations(request: Request) -> Response:
    state, principal = caller(request)
    store = await state.history.get()
    page = await store.list_conversations(
        principal.user_id,
        limit=_int_query(request, "limit", PAGE_SIZE_DEFAULT, 1, PAGE_SIZE_MAX),
        continuation=request.query_params.get("continuation") or None,
        archived=request.query_params.get("archived", "false").lower() == "true",
    )
    body = ConversationList(
        items=[ConversationOut.of(c) for c in page.items], continuation=page.continuation
    )
    return _json(body.model_dump(mode="json"))


async def create_conversation(request: Request) -> Response:
    state, principal = caller(request)
    incoming = validate_json(
        NewConversationIn, await read_json_body(request, state.settings.limits.max_request_bytes)
    )
    store = await state.history.get()
    created = await store.create_conversation(
        principal.user_id,
        new_conversation(
            title=incoming.title,
            system=incoming.system,
            settings=_settings(incoming.settings),
        ),
    )
    return _json(ConversationOut.of(created).model_dump(mode="json"), status=201)


async def get_conversation(request: Request) -> Response:
    conversation, messages = await _conversation_with_messages(request)
    body = ConversationWithMessages(
        conversation=ConversationOut.of(conversation),
        messages=[MessageOut.of(m) for m in messages],
    )
    return _json(body.model_dump(mode="json"))


async def update_conversation(request: Request) -> Response:
    state, principal = caller(request)
    patch = validate_json(
        ConversationPatchIn, await read_json_body(request, state.settings.limits.max_request_bytes)
    )
    store = await state.history.get()
    updated = await store.update_conversation(
        principal.user_id,
        request.path_params["conversation_id"],
        ConversationChanges(
            title=patch.title.strip() if patch.title else None,
            system_prompt=patch.system,
            settings=_settings(patch.settings) if patch.settings else None,
            pinned=patch.pinned,
            archived=patch.archived,
        ),
        if_match=_etag(request.headers.get("if-match")),
    )
    return _json(ConversationOut.of(updated).model_dump(mode="json"))


async def delete_conversation(request: Request) -> Response:
    state, principal = caller(request)
    store = await state.history.get()
    await store.delete_conversation(principal.user_id, request.path_params["conversation_id"])
    return Response(status_code=204)


async def delete_all_conversations(request: Request) -> Response:
    state, principal = caller(request)
    store = await state.history.get()
    deleted = await store.delete_all_conversations(principal.user_id)
    return _json(DeletedCount(deleted=deleted).model_dump())


async def search_conversations(request: Request) -> Response:
    state, principal = caller(request)
    query = request.query_params.get("q", "").strip()
    if not query:
        raise problems.invalid_request(
            "Say what to search for.", [{"field": "q", "message": "is required"}]
        )
    if len(query) > 200:
        raise problems.invalid_request(
            "The search is too long.", [{"field": "q", "message": "must be at most 200 characters"}]
        )
    store = await state.history.get()
    hits = await store.search(
        principal.user_id, query, limit=_int_query(request, "limit", 20, 1, 100)
    )
    body = SearchResults(
        items=[
            SearchHitOut(
                conversation=ConversationOut.of(h.conversation),
                snippet=h.snippet,
                message_id=h.message_id,
            )
            for h in hits
        ]
    )
    return _json(body.model_dump(mode="json"))


_TextExport = Callable[[Conversation, Sequence[Message]], str]
# format → (renderer, media type, file extension); json is the one that imports back.
_TEXT_EXPORTS: dict[str, tuple[_TextExport, str, str]] = {
    "markdown": (export_markdown, "text/markdown; charset=utf-8", "md"),
    "text": (export_text, "text/plain; charset=utf-8", "txt"),
}


async def export_conversation(request: Request) -> Response:
    conversation, messages = await _conversation_with_messages(request)
    kind = request.query_params.get("format", "json")
    if kind in _TEXT_EXPORTS:
        render, media_type, extension = _TEXT_EXPORTS[kind]
        return Response(
            render(conversation, messages),
            media_type=media_type,
            # The file holds the user's chat: no cache along the way may keep a copy.
            headers={"Cache-Control": "no-store", **_attachment(conversation, extension)},
        )
    if kind != "json":
        raise problems.invalid_request(
            "Export as json, markdown or text.",
            [{"field": "format", "message": "must be json, markdown or text"}],
        )
    return _json(
        export_json(conversation, messages).model_dump(mode="json"),
        headers=_attachment(conversation, "json"),
    )


async def import_conversation(request: Request) -> Response:
    state, principal = caller(request)
    exported = validate_json(
        ExportedConversation,
        await read_json_body(request, state.settings.limits.max_request_bytes),
    )
    store = await state.history.get()
    conversation = await store.create_conversation(
        principal.user_id,
        new_conversation(
            title=exported.title,
            system=exported.system,
            settings=_settings(exported.settings),
        ),
    )
    # New ids throughout: an import never touches an existing conversation, anyone's.
    for message in imported_messages(conversation.id, exported):
        await store.save_message(principal.user_id, message)
    imported = await store.get_conversation(principal.user_id, conversation.id)
    return _json(ConversationOut.of(imported).model_dump(mode="json"), status=201)


async def _conversation_with_messages(request: Request) -> tuple[Conversation, list[Message]]:
    state, principal = caller(request)
    store = await state.history.get()
    conversation_id = request.path_params["conversation_id"]
    conversation = await store.get_conversation(principal.user_id, conversation_id)
    return conversation, await store.list_messages(principal.user_id, conversation_id)


def new_conversation(
    *, title: str | None, system: str | None, settings: ModelSettings
) -> Conversation:
    now = datetime.now(UTC)
    return Conversation(
        id=uuid.uuid4().hex,
        title=(title or "").strip() or DEFAULT_TITLE,
        created=now,
        updated=now,
        system_prompt=system,
        settings=settings,
    )


def _etag(if_match: str | None) -> str | None:
    """The etag of an If-Match header, bare or in HTTP's quoted (and weak) forms."""
    if if_match is None or if_match.strip() == "*":
        return None
    return if_match.strip().removeprefix("W/").strip('"')


def _settings(body: ModelSettingsBody | None) -> ModelSettings:
    if body is None:
        return ModelSettings()
    return ModelSettings(model=body.model, temperature=body.temperature, max_tokens=body.max_tokens)


def _int_query(request: Request, name: str, default: int, low: int, high: int) -> int:
    raw = request.query_params.get(name)
    if raw is None:
        return default
    if not raw.isdigit() or not low <= int(raw) <= high:
        raise problems.invalid_request(
            f"{name} must be a whole number from {low} to {high}.",
            [{"field": name, "message": f"must be from {low} to {high}"}],
        )
    return int(raw)


def _attachment(conversation: Conversation, extension: str) -> dict[str, str]:
    # ASCII-only file name (the title can hold anything); the id keeps it unique.
    safe = "".join(ch if ch.isascii() and ch.isalnum() else "-" for ch in conversation.title)
    name = "-".join(part for part in safe.split("-") if part)[:60] or "conversation"
    return {"Content-Disposition": f'attachment; filename="{name}.{extension}"'}


def _json(body: object, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    return JSONResponse(
        body, status_code=status, headers={"Cache-Control": "no-store", **(headers or {})}
    )
