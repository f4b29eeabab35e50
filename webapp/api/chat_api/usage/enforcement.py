"""Refuse a chat request over a limit before the model is called: 429, which limit, and
when it resets. The counting happens in the usage store, shared by every instance."""

from __future__ import annotations

from datetime import UTC, datetime
from math import ceil

from chat_api.problems import Problem
from chat_api.usage.models import LimitKind, LimitReached

_WHAT = {
    LimitKind.REQUESTS_PER_MINUTE: "{limit:,} requests a minute",
    LimitKind.TOKENS_PER_DAY: "{limit:,} tokens a day",
    LimitKind.TOKENS_PER_MONTH: "{limit:,} tokens a month",
}


def limit_problem(reached: LimitReached, now: datetime) -> Problem:
    wait = max(1, ceil((reached.resets_at - now).total_seconds()))
    when = reached.resets_at.astimezone(UTC)
    at = when.strftime("%H:%M UTC") if wait < 86_400 else when.strftime("%d %B %Y, %H:%M UTC")
    if reached.kind is LimitKind.GLOBAL_TOKENS_PER_MINUTE:
        detail = (
            "Everyone together has used this deployment's tokens for this minute. "
            f"Try again at {at}."
        )
    else:
        what = _WHAT[reached.kind].format(limit=reached.limit)
        detail = f"You have reached your limit of {what}. It resets at {at}."
    problem = Problem("usage-limit", 429, "Usage limit reached", detail, retry_after=wait)
    problem.extensions.update(
        {"limit": reached.kind.value, "resets_at": when.isoformat().replace("+00:00", "Z")}
    )
    return problem
