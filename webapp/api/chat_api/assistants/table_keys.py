"""Where each assistant row lives in the history's table.

History partitions are users: their PartitionKey is `id_key(user)`, which always starts
with `x` or `h` (history/table_keys.py). Every assistant row is in one partition of its
own, `assistants`, which starts with neither, so no user id can ever name it, and no
history query (each names one user's partition) can reach an assistant row, nor the other
way round. One partition means every change of an assistant is one entity-group
transaction, however many lists it appears in. Within it:

    a|<assistant>                                 the assistant itself (a point read)
    m|<owner>|<featured>|<time>|<assistant>       a copy in its owner's list
    o|<featured>|<time>|<assistant>               a copy in the organisation's list
    f|<time>|<assistant>                          a copy in the featured list

The copies sort in list order, so each list is one range query read from its start:
`<featured>` is `0` for featured (first), `<time>` is `updated` inverted so newer sorts
first, and ties break by the assistant's key, ordered like its id. Ids become keys with the
history's `id_key` (hex of UTF-8; hashed beyond 48 bytes), so any id is a valid key.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from chat_api.assistants.models import Scope, Visibility
from chat_api.history.table_keys import SEPARATOR, id_key, prefix_range

PARTITION = "assistants"

_YEAR_ONE = datetime(1, 1, 1, tzinfo=UTC)
_TIME_DIGITS = 18
_TIME_CEILING = 10**_TIME_DIGITS - 1

_ASSISTANT = "a"
_MINE = "m"
_ORGANISATION = "o"
_FEATURED = "f"


def assistant_row(assistant_id: str) -> str:
    return f"{_ASSISTANT}{SEPARATOR}{id_key(assistant_id)}"


def listed_rows(
    *,
    assistant_id: str,
    owner_id: str,
    visibility: Visibility,
    featured: bool,
    updated: datetime,
) -> list[str]:
    """The RowKeys of the assistant's copies: one per list it belongs in."""
    key = id_key(assistant_id)
    flag = "0" if featured else "1"
    time = _inverted(updated)
    rows = [f"{mine_prefix(owner_id)}{flag}{SEPARATOR}{time}{SEPARATOR}{key}"]
    if visibility is Visibility.ORGANISATION:
        rows.append(f"{_ORGANISATION}{SEPARATOR}{flag}{SEPARATOR}{time}{SEPARATOR}{key}")
        if featured:
            rows.append(f"{_FEATURED}{SEPARATOR}{time}{SEPARATOR}{key}")
    return rows


def mine_prefix(owner_id: str) -> str:
    return f"{_MINE}{SEPARATOR}{id_key(owner_id)}{SEPARATOR}"


def list_range(scope: Scope, user_id: str) -> tuple[str, str]:
    """[low, high) of the RowKeys of the list's copies."""
    if scope is Scope.MINE:
        return prefix_range(mine_prefix(user_id))
    return prefix_range((_ORGANISATION if scope is Scope.ORGANISATION else _FEATURED) + SEPARATOR)


def _inverted(updated: datetime) -> str:
    micros = (updated - _YEAR_ONE) // timedelta(microseconds=1)
    return str(_TIME_CEILING - micros).zfill(_TIME_DIGITS)
