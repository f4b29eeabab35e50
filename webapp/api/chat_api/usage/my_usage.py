"""GET /api/usage/me: what the caller has used today and this month, against their limits.
Only their own figures: there is no user id to pass."""

from __future__ import annotations

from datetime import UTC, datetime

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from chat_api.app_state import caller
from chat_api.history.factory import HistoryDisabled
from chat_api.usage.models import UsageTotals
from chat_api.usage.store import effective_limits
from chat_api.usage.windows import next_day, next_month


def _totals(totals: UsageTotals) -> dict[str, int]:
    return {
        "requests": totals.requests,
        "prompt_tokens": totals.prompt_tokens,
        "completion_tokens": totals.completion_tokens,
        "total_tokens": totals.total_tokens,
    }


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


async def my_usage(request: Request) -> Response:
    state, principal = caller(request)
    if not state.usage.enabled:
        raise HistoryDisabled
    store = await state.usage.get()
    now = datetime.now(UTC)
    today, month = await store.user_totals(principal.user_id, now)
    limits = effective_limits(
        state.settings.usage.limits, await store.get_override(principal.user_id)
    )
    body = {
        "today": {**_totals(today), "resets_at": _iso(next_day(now))},
        "month": {**_totals(month), "resets_at": _iso(next_month(now))},
        "limits": {
            "requests_per_minute": limits.requests_per_minute,
            "tokens_per_day": limits.tokens_per_day,
            "tokens_per_month": limits.tokens_per_month,
        },
    }
    return JSONResponse(body, headers={"Cache-Control": "no-store"})
