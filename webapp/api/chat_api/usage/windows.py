"""Fixed windows of time, named by their start in UTC: the minute "2026-11-21T08:41", the
day "2026-11-21", the month "2026-11". A name says exactly when its window ends, so a
refusal can say when its limit resets; names of one kind sort in time order as text.

Every counter is one rolling row per user and kind (and a few for everyone): it holds the
totals of the latest window written to it, and the next window overwrites it. Storage
therefore never grows with time, and a counter of an older window counts as zero.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from chat_api.usage.models import UsageTotals


def utc(moment: datetime) -> datetime:
    """A naive datetime is taken to be UTC already, as the history stores do."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def minute_of(moment: datetime) -> str:
    return utc(moment).strftime("%Y-%m-%dT%H:%M")


def day_of(moment: datetime) -> str:
    return utc(moment).strftime("%Y-%m-%d")


def month_of(moment: datetime) -> str:
    return utc(moment).strftime("%Y-%m")


def next_minute(moment: datetime) -> datetime:
    start = utc(moment).replace(second=0, microsecond=0)
    return start + timedelta(minutes=1)


def next_day(moment: datetime) -> datetime:
    start = utc(moment).replace(hour=0, minute=0, second=0, microsecond=0)
    return start + timedelta(days=1)


def next_month(moment: datetime) -> datetime:
    start = utc(moment).replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    if start.month == 12:
        return start.replace(year=start.year + 1, month=1)
    return start.replace(month=start.month + 1)


def plus(a: UsageTotals, b: UsageTotals) -> UsageTotals:
    return UsageTotals(
        requests=a.requests + b.requests,
        prompt_tokens=a.prompt_tokens + b.prompt_tokens,
        completion_tokens=a.completion_tokens + b.completion_tokens,
    )


@dataclass(frozen=True)
class WindowCount:
    """What a rolling counter holds: the window last written to it, and its totals."""

    window: str
    totals: UsageTotals


def count_in(stored: WindowCount | None, window: str) -> UsageTotals:
    """The totals of `window`. A counter of an older window is zero; one of a newer window
    (another instance's clock is a little ahead) is the freshest count there is."""
    if stored is None or stored.window < window:
        return UsageTotals()
    return stored.totals


def added(stored: WindowCount | None, window: str, totals: UsageTotals) -> WindowCount | None:
    """The counter with `totals` of `window` added; None when it has already moved on to a
    later window: that call came late, its window is over (the report still counts it)."""
    if stored is None or stored.window < window:
        return WindowCount(window, totals)
    if stored.window > window:
        return None
    return WindowCount(window, plus(stored.totals, totals))


ONE_REQUEST = UsageTotals(requests=1)


def one_more_request(stored: WindowCount | None, minute: str) -> WindowCount:
    """The minute counter with this request added, in the newest window it knows."""
    counted = added(stored, max(minute, stored.window if stored else minute), ONE_REQUEST)
    assert counted is not None  # the window is never older than the stored one
    return counted
