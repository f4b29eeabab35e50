"""What usage tracking keeps and decides. Shared by the chat path (which checks limits and
records calls), the stores (SQLite, Table Storage) and the admin routes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum


class LimitKind(StrEnum):
    """Each limit by name; the 429 says which one was reached."""

    REQUESTS_PER_MINUTE = "requests-per-minute"
    TOKENS_PER_DAY = "tokens-per-day"
    TOKENS_PER_MONTH = "tokens-per-month"
    # Shared by everyone: it protects the deployment's own tokens-per-minute quota.
    GLOBAL_TOKENS_PER_MINUTE = "global-tokens-per-minute"


@dataclass(frozen=True)
class UserLimits:
    """None: no limit of that kind. Times are UTC: a day and a month start at 00:00 UTC."""

    requests_per_minute: int | None = None
    tokens_per_day: int | None = None
    tokens_per_month: int | None = None


@dataclass(frozen=True)
class LimitOverride:
    """An admin's limits for one user; a None field keeps the deployment's limit.
    `unlimited` lifts every per-user limit (the global one still applies)."""

    requests_per_minute: int | None = None
    tokens_per_day: int | None = None
    tokens_per_month: int | None = None
    unlimited: bool = False


@dataclass(frozen=True)
class LimitReached:
    kind: LimitKind
    limit: int
    # When the window that is full ends (UTC); Retry-After is counted to it.
    resets_at: datetime


@dataclass(frozen=True)
class UsageRecord:
    """One model call. Never any message content: temporary chats are recorded too."""

    user_id: str
    user_name: str
    # None for a temporary chat, and for calls that belong to no conversation.
    conversation_id: str | None
    model: str
    prompt_tokens: int
    completion_tokens: int
    latency_ms: int
    # complete, stopped, interrupted, failed, or "title" for a conversation's title.
    status: str
    at: datetime

    @property
    def total_tokens(self) -> int:
        return self.prompt_tokens + self.completion_tokens


@dataclass(frozen=True)
class UsageTotals:
    requests: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0

    @property
    def total_tokens(self) -> int:
        return self.prompt_tokens + self.completion_tokens


@dataclass(frozen=True)
class UserUsage:
    """A user's own figures against their limits (what /api/usage/me shows)."""

    today: UsageTotals
    this_month: UsageTotals
    limits: UserLimits


@dataclass(frozen=True)
class UsageRow:
    """One line of the admin's report: a user's use of a model on a day."""

    day: date
    user_id: str
    user_name: str
    model: str
    totals: UsageTotals


@dataclass(frozen=True)
class AuditEntry:
    at: datetime
    actor_id: str
    actor_name: str
    # e.g. "limits.set", "limits.clear", "assistant.feature", "assistant.delete"
    action: str
    # What it was done to (a user id, an assistant id), and details as plain text.
    target: str
    detail: str
