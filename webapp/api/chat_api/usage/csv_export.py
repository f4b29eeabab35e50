"""The usage report as CSV (RFC 4180): one row per day, user and model.

User names and model names come from outside. A spreadsheet runs a cell that starts with
= + - @ (or a tab or carriage return, which some treat the same) as a formula, so such a
text gets a leading apostrophe: shown as text, never run (OWASP, "CSV injection").
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping

from chat_api.settings import ModelPrice
from chat_api.usage.models import UsageRow
from chat_api.usage.report import row_cost

COLUMNS = (
    "day",
    "user_id",
    "user_name",
    "model",
    "requests",
    "prompt_tokens",
    "completion_tokens",
    "total_tokens",
    "estimated_cost",
)
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# Excel reads a CSV file as the machine's legacy code page unless it starts with a BOM;
# with it, names such as "Zoë" open right. Other readers skip it (utf-8-sig).
BOM = "\ufeff"


def usage_csv(rows: Iterable[UsageRow], prices: Mapping[str, ModelPrice]) -> str:
    out = io.StringIO()
    # The csv module quotes as RFC 4180 says (fields with a comma, quote or line break) and
    # ends lines with CRLF.
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for row in rows:
        cost = row_cost(row, prices)
        writer.writerow(
            (
                row.day.isoformat(),
                inert(row.user_id),
                inert(row.user_name),
                inert(row.model),
                row.totals.requests,
                row.totals.prompt_tokens,
                row.totals.completion_tokens,
                row.totals.total_tokens,
                "" if cost is None else f"{cost:.6f}",
            )
        )
    return BOM + out.getvalue()


def inert(text: str) -> str:
    """The text as a spreadsheet shows it without running it."""
    return "'" + text if text.startswith(_FORMULA_STARTS) else text
