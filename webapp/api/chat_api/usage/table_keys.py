"""Where each usage row lives in the history's table.

History partitions are users (`x…` or `h…`, history/table_keys.py) and the assistants have
one called `assistants`; every usage partition starts with `usage|`, so none can meet
theirs, and no history or assistant query can reach a usage row. Partitions are chosen so
that the rows written together are together, and what everyone writes is spread:

    usage|u|<user>      the user's rolling counters: `minute` (requests), `day`, `month`
                        (tokens): one query reads all three, one transaction writes them
    usage|g             everyone's minute, spread over GLOBAL_SHARDS rows `minute|<n>`,
                        each rolling: the one hot partition (docs/usage.md)
    usage|d|<day>       the report: `<user>|<model>` per user and model with use that day
    usage|limits        the overrides, `<user>`
    usage|audit         the audit log, `<time inverted>|<random>`: newest first

`<user>` and `<model>` are the history's id_key (hex of UTF-8, or a hash beyond 48 bytes),
so any id makes a valid key and none can end another's prefix.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

from chat_api.history.table_keys import SEPARATOR, id_key
from chat_api.usage.windows import utc

# Writers of everyone's minute pick a row at random: with N rows, N of them can write at
# once without meeting, and admit reads all N in the one query it makes anyway.
GLOBAL_SHARDS = 8

GLOBAL_PARTITION = f"usage{SEPARATOR}g"
LIMITS_PARTITION = f"usage{SEPARATOR}limits"
AUDIT_PARTITION = f"usage{SEPARATOR}audit"
MINUTE_ROW, DAY_ROW, MONTH_ROW = "minute", "day", "month"

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_TIME_DIGITS = 18
_TIME_CEILING = 10**_TIME_DIGITS - 1


def user_partition(user_id: str) -> str:
    return f"usage{SEPARATOR}u{SEPARATOR}{id_key(user_id)}"


def global_row(shard: int) -> str:
    return f"minute{SEPARATOR}{shard}"


def day_partition(day: str) -> str:
    return f"usage{SEPARATOR}d{SEPARATOR}{day}"


def report_row(user_id: str, model: str) -> str:
    return f"{id_key(user_id)}{SEPARATOR}{id_key(model)}"


def override_row(user_id: str) -> str:
    return id_key(user_id)


def audit_row(at: datetime) -> str:
    # Random after the time: two entries of one microsecond (two instances) both stay.
    return f"{audit_time(at)}{SEPARATOR}{uuid.uuid4().hex}"


def audit_time(at: datetime) -> str:
    """Microseconds since 1970 subtracted from a ceiling, zero-padded: newer sorts first."""
    micros = (utc(at) - _EPOCH) // timedelta(microseconds=1)
    return str(_TIME_CEILING - micros).zfill(_TIME_DIGITS)


def audit_rows_before(before: datetime) -> str:
    """The lowest RowKey of an entry older than `before`."""
    return str(int(audit_time(before)) + 1).zfill(_TIME_DIGITS)
