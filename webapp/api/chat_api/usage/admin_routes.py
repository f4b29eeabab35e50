"""/api/admin/…: the usage report and its CSV, limits and per-user overrides, the audit log.

Every route needs the `admin` role, checked here (SWA's route rules only ask for
`invited` on /api/*, and a linked Function App can be reached without SWA). Every change
adds an audit entry. Store failures are the app's usual problems (503 with Retry-After;
404 history-disabled when HISTORY_STORE=none).
"""

from __future__ import annotations

from datetime import UTC, datetime

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from chat_api.app_state import AppState, caller
from chat_api.auth import Principal
from chat_api.problems import Problem
from chat_api.request_body import read_json_body
from chat_api.role_rules import ADMIN
from chat_api.schemas import validate_json
from chat_api.usage import admin_queries
from chat_api.usage.admin_queries import invalid_field
from chat_api.usage.admin_schemas import (
    AuditEntryOut,
    AuditListOut,
    DefaultLimitsOut,
    LimitOverrideIn,
    LimitsListOut,
    OverrideOut,
)
from chat_api.usage.audit import audit
from chat_api.usage.csv_export import usage_csv
from chat_api.usage.limits import effective_limits
from chat_api.usage.models import LimitOverride
from chat_api.usage.report import summarise

# SWA user ids are 32 hex digits; this leaves room for other identity providers.
MAX_USER_ID_CHARS = 256


def admin_caller(request: Request) -> tuple[AppState, Principal]:
    """caller() (401, or 403 `forbidden` without an allowed role), then 403 `admin-only`
    without the admin role."""
    state, principal = caller(request)
    if ADMIN not in principal.roles:
        raise Problem(
            "admin-only",
            403,
            "Admins only",
            "Only an administrator can see usage, change limits or read the audit log.",
        )
    return state, principal


async def usage_report(request: Request) -> Response:
    state, _ = admin_caller(request)
    start, end = admin_queries.report_range(request, datetime.now(UTC).date())
    store = await state.usage.get()
    rows = await store.report(start, end)
    report = summarise(rows, start, end, state.settings.usage.prices)
    return _json(report.model_dump(mode="json", by_alias=True))


async def usage_csv_export(request: Request) -> Response:
    state, _ = admin_caller(request)
    start, end = admin_queries.report_range(request, datetime.now(UTC).date())
    store = await state.usage.get()
    rows = await store.report(start, end)
    name = f"usage-{start.isoformat()}-{end.isoformat()}.csv"
    return Response(
        usage_csv(rows, state.settings.usage.prices),
        media_type="text/csv; charset=utf-8",
        headers={
            "Cache-Control": "no-store",
            "Content-Disposition": f'attachment; filename="{name}"',
        },
    )


async def list_limits(request: Request) -> Response:
    state, _ = admin_caller(request)
    usage = state.settings.usage
    store = await state.usage.get()
    overrides = await store.list_overrides()
    body = LimitsListOut(
        defaults=DefaultLimitsOut(
            **vars(usage.limits), global_tokens_per_minute=usage.global_tokens_per_minute
        ),
        overrides=[
            OverrideOut.of(user_id, override, effective_limits(usage.limits, override))
            for user_id, override in sorted(overrides.items())
        ],
    )
    return _json(body.model_dump(mode="json"))


async def set_limits(request: Request) -> Response:
    state, principal = admin_caller(request)
    user_id = _user_id(request)
    incoming = validate_json(
        LimitOverrideIn, await read_json_body(request, state.settings.limits.max_request_bytes)
    )
    override = incoming.to_override()
    store = await state.usage.get()
    before = await store.get_override(user_id)
    await store.set_override(user_id, override)
    _apply_now(state)
    detail = f"{_describe(override)} (was: {_describe(before)})"
    await audit(state.usage, principal, "limits.set", user_id, detail)
    effective = effective_limits(state.settings.usage.limits, override)
    return _json(OverrideOut.of(user_id, override, effective).model_dump(mode="json"))


async def clear_limits(request: Request) -> Response:
    state, principal = admin_caller(request)
    user_id = _user_id(request)
    store = await state.usage.get()
    before = await store.get_override(user_id)
    await store.set_override(user_id, None)
    _apply_now(state)
    detail = f"back to the defaults (was: {_describe(before)})"
    await audit(state.usage, principal, "limits.clear", user_id, detail)
    return Response(status_code=204)


def _apply_now(state: AppState) -> None:
    # This instance applies the change at once; the others within OVERRIDES_TTL_SECONDS.
    if state.admission is not None:
        state.admission.forget_overrides()


async def list_audit(request: Request) -> Response:
    state, _ = admin_caller(request)
    limit = admin_queries.page_size(request)
    older_than = admin_queries.before(request)
    store = await state.usage.get()
    entries = await store.list_audit(limit, older_than)
    body = AuditListOut(
        items=[AuditEntryOut.of(entry) for entry in entries],
        next_before=entries[-1].at if len(entries) == limit else None,
    )
    return _json(body.model_dump(mode="json"))


def _user_id(request: Request) -> str:
    user_id: str = request.path_params["user_id"]
    if not user_id.strip() or len(user_id) > MAX_USER_ID_CHARS:
        raise invalid_field("user_id", f"must be 1 to {MAX_USER_ID_CHARS} characters")
    return user_id


def _describe(override: LimitOverride | None) -> str:
    if override is None:
        return "no override"
    if override.unlimited:
        return "unlimited"

    def shown(limit: int | None) -> str:
        return "default" if limit is None else f"{limit:,}"

    return (
        f"requests per minute {shown(override.requests_per_minute)}, "
        f"tokens per day {shown(override.tokens_per_day)}, "
        f"tokens per month {shown(override.tokens_per_month)}"
    )


def _json(body: object) -> Response:
    # Who used what is not for any cache along the way.
    return JSONResponse(body, headers={"Cache-Control": "no-store"})
