"""The admin routes' query parameters, each refused with a 400 that names it."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

from starlette.requests import Request

from chat_api import problems

# A year and a day: a whole leap year, or any twelve months with their ends.
MAX_REPORT_DAYS = 366
AUDIT_PAGE = 50
MAX_AUDIT_PAGE = 200
_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def report_range(request: Request, today: date) -> tuple[date, date]:
    """`from` and `to`, inclusive; by default the month so far. `to` alone starts at the
    first of its month."""
    end = _day(request, "to") or today
    start = _day(request, "from") or end.replace(day=1)
    if start > end:
        raise invalid_field("from", "must not be after to")
    if end - start >= timedelta(days=MAX_REPORT_DAYS):
        raise invalid_field("from", f"must be at most {MAX_REPORT_DAYS} days before to")
    return start, end


def page_size(request: Request) -> int:
    raw = request.query_params.get("limit")
    if raw is None:
        return AUDIT_PAGE
    if not raw.isdigit() or not 1 <= int(raw) <= MAX_AUDIT_PAGE:
        raise invalid_field("limit", f"must be a whole number from 1 to {MAX_AUDIT_PAGE}")
    return int(raw)


def before(request: Request) -> datetime | None:
    raw = request.query_params.get("before")
    if raw is None:
        return None
    try:
        moment = datetime.fromisoformat(raw)
    except ValueError:
        raise invalid_field("before", "must be a date and time (ISO 8601)") from None
    # Without a zone it is UTC, as every time this API sends.
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment


def _day(request: Request, name: str) -> date | None:
    raw = request.query_params.get(name)
    if raw is None:
        return None
    # fromisoformat alone would also take 20261121 and 2026-W47-6.
    try:
        if not _DAY.fullmatch(raw):
            raise ValueError(raw)
        return date.fromisoformat(raw)
    except ValueError:
        raise invalid_field(name, "must be a day as YYYY-MM-DD") from None


def invalid_field(field: str, message: str) -> problems.Problem:
    """A 400 naming the field, as schemas.validate_json words its own."""
    return problems.invalid_request(
        f"The request is not valid ({field}): {message}.", [{"field": field, "message": message}]
    )
