"""Which limits apply to a user, and which one, if any, a request would pass. Pure: the
stores read the counters, this decides, the same way for every backend."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from chat_api.usage.models import LimitKind, LimitOverride, LimitReached, UserLimits
from chat_api.usage.windows import next_day, next_minute, next_month


def effective_limits(defaults: UserLimits, override: LimitOverride | None) -> UserLimits:
    """The deployment's limits with an admin's override over them: each field the override
    sets replaces the default; `unlimited` lifts them all (not the global one, which the
    caller passes to admit on its own)."""
    if override is None:
        return defaults
    if override.unlimited:
        return UserLimits()
    return UserLimits(
        requests_per_minute=_first(override.requests_per_minute, defaults.requests_per_minute),
        tokens_per_day=_first(override.tokens_per_day, defaults.tokens_per_day),
        tokens_per_month=_first(override.tokens_per_month, defaults.tokens_per_month),
    )


def _first(given: int | None, default: int | None) -> int | None:
    return default if given is None else given


def counts_anything(limits: UserLimits, global_tokens_per_minute: int | None) -> bool:
    return limits != UserLimits() or global_tokens_per_minute is not None


@dataclass(frozen=True)
class WindowUsage:
    """What has been used in the windows a moment is in."""

    minute_requests: int = 0
    day_tokens: int = 0
    month_tokens: int = 0
    global_minute_tokens: int = 0


def reached(
    limits: UserLimits,
    global_tokens_per_minute: int | None,
    usage: WindowUsage,
    now: datetime,
) -> LimitReached | None:
    """The first limit that is full, longest window first: someone over their monthly
    limit must not be told to come back in a minute."""
    checks = (
        (LimitKind.TOKENS_PER_MONTH, limits.tokens_per_month, usage.month_tokens, next_month),
        (LimitKind.TOKENS_PER_DAY, limits.tokens_per_day, usage.day_tokens, next_day),
        (
            LimitKind.REQUESTS_PER_MINUTE,
            limits.requests_per_minute,
            usage.minute_requests,
            next_minute,
        ),
        (
            LimitKind.GLOBAL_TOKENS_PER_MINUTE,
            global_tokens_per_minute,
            usage.global_minute_tokens,
            next_minute,
        ),
    )
    for kind, limit, used, resets in checks:
        if limit is not None and used >= limit:
            return LimitReached(kind=kind, limit=limit, resets_at=resets(now))
    return None
