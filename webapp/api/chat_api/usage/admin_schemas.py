"""The admin routes' bodies (docs/http_protocol.md#admin): the usage report, limits and
overrides, the audit log. pydantic checks the override's types and ranges; what a body
must not combine is checked in `LimitOverrideIn.to_override`, with our own wording."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, ConfigDict, Field

from chat_api.usage.admin_queries import invalid_field
from chat_api.usage.models import AuditEntry, LimitOverride, UserLimits

# The settings' own ceiling for a limit (settings.py, LIMIT_*).
MAX_LIMIT = 1_000_000_000_000


class TotalsOut(BaseModel):
    requests: int
    prompt_tokens: int
    completion_tokens: int
    total_tokens: int
    # Estimated from MODEL_PRICES, in their currency; null when no model in it has a price.
    cost: float | None
    # Tokens of models without a price: not in `cost`.
    unpriced_tokens: int


class UserUsageOut(TotalsOut):
    user_id: str
    user_name: str


class ModelUsageOut(TotalsOut):
    model: str


class DayUsageOut(TotalsOut):
    day: date


class UsageReportOut(BaseModel):
    model_config = ConfigDict(populate_by_name=True)

    # "from" and "to" on the wire, as in the query (Python cannot name a field "from").
    start: date = Field(validation_alias="from", serialization_alias="from")
    end: date = Field(validation_alias="to", serialization_alias="to")
    totals: TotalsOut
    # Most tokens first.
    by_user: list[UserUsageOut]
    by_model: list[ModelUsageOut]
    # Every day of the range, oldest first, days without use included.
    by_day: list[DayUsageOut]
    # The users with the most tokens, at most TOP_USERS.
    top_users: list[UserUsageOut]


class LimitsOut(BaseModel):
    """null: no limit of that kind."""

    requests_per_minute: int | None
    tokens_per_day: int | None
    tokens_per_month: int | None

    @classmethod
    def of(cls, limits: UserLimits) -> LimitsOut:
        return cls(**vars(limits))


class DefaultLimitsOut(LimitsOut):
    # Shared by everyone; an override never changes it.
    global_tokens_per_minute: int | None


class LimitOverrideIn(BaseModel):
    """An admin's limits for one user: a field left out or null keeps the deployment's
    limit; `unlimited` lifts every per-user limit (not the global one)."""

    model_config = ConfigDict(extra="forbid", strict=True)

    requests_per_minute: int | None = Field(default=None, ge=1, le=MAX_LIMIT)
    tokens_per_day: int | None = Field(default=None, ge=1, le=MAX_LIMIT)
    tokens_per_month: int | None = Field(default=None, ge=1, le=MAX_LIMIT)
    unlimited: bool = False

    def to_override(self) -> LimitOverride:
        limits = (self.requests_per_minute, self.tokens_per_day, self.tokens_per_month)
        given = [limit for limit in limits if limit is not None]
        if self.unlimited and given:
            raise invalid_field("unlimited", "must not be combined with limits")
        if not self.unlimited and not given:
            raise invalid_field(
                "unlimited",
                "set a limit or unlimited (DELETE removes the override)",
            )
        return LimitOverride(*limits, unlimited=self.unlimited)


class OverrideOut(BaseModel):
    user_id: str
    requests_per_minute: int | None
    tokens_per_day: int | None
    tokens_per_month: int | None
    unlimited: bool
    # What applies to the user: the defaults with this override over them.
    effective: LimitsOut

    @classmethod
    def of(cls, user_id: str, override: LimitOverride, effective: UserLimits) -> OverrideOut:
        return cls(user_id=user_id, **vars(override), effective=LimitsOut.of(effective))


class LimitsListOut(BaseModel):
    defaults: DefaultLimitsOut
    # By user id.
    overrides: list[OverrideOut]


class AuditEntryOut(BaseModel):
    at: datetime
    actor_id: str
    actor_name: str
    # limits.set, limits.clear, assistant.feature, assistant.unfeature, assistant.delete
    action: str
    target: str
    detail: str

    @classmethod
    def of(cls, entry: AuditEntry) -> AuditEntryOut:
        return cls(**vars(entry))


class AuditListOut(BaseModel):
    # Newest first.
    items: list[AuditEntryOut]
    # Pass as `before` for the next page; null when this page is the last.
    next_before: datetime | None
