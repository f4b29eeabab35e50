"""Refuse a chat request over a limit before the model is called: 429, which limit, and
when it resets. The counting happens in the usage store, shared by every instance."""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from math import ceil

from chat_api.history.store import HistoryError
from chat_api.problems import Problem
from chat_api.settings import UsageSettings
from chat_api.usage.models import LimitKind, LimitOverride, LimitReached, UserLimits
from chat_api.usage.store import UsageStore, effective_limits

_WHAT = {
    LimitKind.REQUESTS_PER_MINUTE: "{limit:,} requests a minute",
    LimitKind.TOKENS_PER_DAY: "{limit:,} tokens a day",
    LimitKind.TOKENS_PER_MONTH: "{limit:,} tokens a month",
}


def limit_problem(reached: LimitReached, now: datetime) -> Problem:
    wait = max(1, ceil((reached.resets_at - now).total_seconds()))
    when = reached.resets_at.astimezone(UTC)
    at = when.strftime("%H:%M UTC") if wait < 86_400 else f"{when.day} {when:%B %Y, %H:%M} UTC"
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


log = logging.getLogger("chat_api.usage")

# An admin's change to a user's limits reaches every instance within this long: reading
# the overrides on every chat would add a storage round trip to each first token.
OVERRIDES_TTL_SECONDS = 30.0


class Admission:
    """Admits or refuses each chat request, against the limits in force for its user."""

    def __init__(self, settings: UsageSettings, store: Callable[[], Awaitable[UsageStore]]):
        self._settings = settings
        self._store = store
        self._overrides: dict[str, LimitOverride] = {}
        self._overrides_read = -OVERRIDES_TTL_SECONDS

    async def admit(self, user_id: str) -> None:
        """Count the request, or raise the 429 Problem that says which limit and when.

        When the store cannot be reached the request goes ahead: an outage of the store
        must not stop every chat (temporary chats work without it). It is logged.
        """
        try:
            store = await self._store()
            overrides = await self._current_overrides(store)
            limits = effective_limits(self._settings.limits, overrides.get(user_id))
            global_limit = self._settings.global_tokens_per_minute
            if limits == UserLimits() and global_limit is None:
                return  # nothing to count against
            now = datetime.now(UTC)
            reached = await store.admit(user_id, limits, global_limit, now)
        except HistoryError as error:
            log.warning("limits not checked (user %s): %s", user_id, type(error).__name__)
            return
        if reached is not None:
            raise limit_problem(reached, now)

    def forget_overrides(self) -> None:
        """An admin changed one here: read them again on the next request."""
        self._overrides_read = -OVERRIDES_TTL_SECONDS

    async def _current_overrides(self, store: UsageStore) -> dict[str, LimitOverride]:
        if time.monotonic() - self._overrides_read >= OVERRIDES_TTL_SECONDS:
            self._overrides = await store.list_overrides()
            self._overrides_read = time.monotonic()
        return self._overrides
