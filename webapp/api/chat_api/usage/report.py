"""The admin's usage report from the store's rows: totals, by user, by model, by day, the
top users, and the estimated cost of each (MODEL_PRICES, per million tokens)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import date, timedelta
from typing import TypeVar

from chat_api.settings import ModelPrice
from chat_api.usage.admin_schemas import (
    DayUsageOut,
    ModelUsageOut,
    TotalsOut,
    UsageReportOut,
    UserUsageOut,
)
from chat_api.usage.models import UsageRow, UsageTotals
from chat_api.usage.windows import plus

TOP_USERS = 10
_PER = 1_000_000
# Below a millionth of a currency unit is noise from adding floats.
_COST_DIGITS = 6

K = TypeVar("K")


def row_cost(row: UsageRow, prices: Mapping[str, ModelPrice]) -> float | None:
    """The estimated cost of one row; None when its model has no price."""
    price = prices.get(row.model)
    if price is None:
        return None
    totals = row.totals
    cost = (
        totals.prompt_tokens * price.input / _PER + totals.completion_tokens * price.output / _PER
    )
    return round(cost, _COST_DIGITS)


def summarise(
    rows: list[UsageRow], start: date, end: date, prices: Mapping[str, ModelPrice]
) -> UsageReportOut:
    def totals_of(group: Iterable[UsageRow]) -> TotalsOut:
        return _totals_out(group, prices)

    by_user_rows = _grouped(rows, lambda row: row.user_id)
    by_user = [
        UserUsageOut(
            user_id=user_id,
            # The rows come by day: the last is the name most recently seen.
            user_name=group[-1].user_name,
            **totals_of(group).model_dump(),
        )
        for user_id, group in by_user_rows.items()
    ]
    by_user.sort(key=lambda user: (-user.total_tokens, user.user_id))
    by_model = [
        ModelUsageOut(model=model, **totals_of(group).model_dump())
        for model, group in _grouped(rows, lambda row: row.model).items()
    ]
    by_model.sort(key=lambda model: (-model.total_tokens, model.model))
    by_day_rows = _grouped(rows, lambda row: row.day)
    days = [start + timedelta(days=n) for n in range((end - start).days + 1)]
    by_day = [
        DayUsageOut(day=day, **totals_of(by_day_rows.get(day, [])).model_dump()) for day in days
    ]
    return UsageReportOut(
        start=start,
        end=end,
        totals=totals_of(rows),
        by_user=by_user,
        by_model=by_model,
        by_day=by_day,
        top_users=by_user[:TOP_USERS],
    )


def _grouped(rows: Iterable[UsageRow], key: Callable[[UsageRow], K]) -> dict[K, list[UsageRow]]:
    groups: dict[K, list[UsageRow]] = {}
    for row in rows:
        groups.setdefault(key(row), []).append(row)
    return groups


def _totals_out(rows: Iterable[UsageRow], prices: Mapping[str, ModelPrice]) -> TotalsOut:
    totals = UsageTotals()
    cost: float | None = None
    unpriced = 0
    for row in rows:
        totals = plus(totals, row.totals)
        priced = row_cost(row, prices)
        if priced is None:
            unpriced += row.totals.total_tokens
        else:
            cost = (cost or 0.0) + priced
    return TotalsOut(
        requests=totals.requests,
        prompt_tokens=totals.prompt_tokens,
        completion_tokens=totals.completion_tokens,
        total_tokens=totals.total_tokens,
        cost=None if cost is None else round(cost, _COST_DIGITS),
        unpriced_tokens=unpriced,
    )
