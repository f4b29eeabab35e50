"""Where each history row lives in the table: its PartitionKey and RowKey.

One user's data is one partition (PartitionKey = the user), so every query names a single
partition and none can reach another user's rows. Within a partition, the RowKeys are:

    c|<conversation>|c                      the conversation itself
    c|<conversation>|m|<message>            each of its messages
    i|<archived>|<pinned>|<time>|<conversation>   its row in the listing index

A conversation and its messages share the prefix `c|<conversation>|`, so one range query
reads a conversation with all its messages, and one deletes them. The index rows sort in
listing order (pinned first, then newest `updated` first, then id), so a page of the list
is one range query; `<time>` is `updated` inverted so that newer sorts first.

Keys may not contain `/ \\ # ?` or control characters and must stay under 1 KiB
(docs: PLATFORM.md, Storage; Cosmos DB for Table allows only 255 bytes of RowKey), while
ids may hold anything. So an id becomes `x` + the hex of its UTF-8 bytes: only [0-9a-f], no
separator inside, and ordered like the id itself (ties in the listing break by id, as in
the SQLite backend). Ids over 48 bytes (a UUID is 36) become `h` + their SHA-256 instead:
lookups only need equality, and the raw id is kept in a property. The longest RowKey, a
message's, is then 199 characters.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
from datetime import UTC, datetime, timedelta
from typing import Any

from chat_api.history.store import InvalidContinuation

SEPARATOR = "|"
# Every prefix ends with the separator; "}" is the next character after "|", so
# [prefix, prefix-with-"}") is exactly the rows that start with the prefix.
_AFTER_SEPARATOR = chr(ord(SEPARATOR) + 1)

_MAX_DIRECT_ID_BYTES = 48
_YEAR_ONE = datetime(1, 1, 1, tzinfo=UTC)
# Wider than the microseconds from year 1 to 9999 (3.2e17), so the number never overflows.
_TIME_DIGITS = 18
_TIME_CEILING = 10**_TIME_DIGITS - 1

CONVERSATIONS_PREFIX = "c" + SEPARATOR
INDEX_PREFIX = "i" + SEPARATOR


def id_key(value: str) -> str:
    """The key form of a user, conversation or message id."""
    raw = value.encode("utf-8", "surrogatepass")
    if len(raw) <= _MAX_DIRECT_ID_BYTES:
        return "x" + raw.hex()
    return "h" + hashlib.sha256(raw).hexdigest()


def conversation_prefix(conversation_key: str) -> str:
    """The prefix shared by a conversation's own row and its messages."""
    return f"{CONVERSATIONS_PREFIX}{conversation_key}{SEPARATOR}"


def conversation_row(conversation_key: str) -> str:
    return conversation_prefix(conversation_key) + "c"


def message_row(conversation_key: str, message_key: str) -> str:
    return f"{conversation_prefix(conversation_key)}m{SEPARATOR}{message_key}"


def messages_prefix(conversation_key: str) -> str:
    return f"{conversation_prefix(conversation_key)}m{SEPARATOR}"


def listing_prefix(*, archived: bool) -> str:
    return f"{INDEX_PREFIX}{int(archived)}{SEPARATOR}"


def index_row(conversation_key: str, *, archived: bool, pinned: bool, updated: datetime) -> str:
    # "0" sorts before "1": pinned conversations come first.
    pinned_flag = "0" if pinned else "1"
    micros = (updated - _YEAR_ONE) // timedelta(microseconds=1)
    inverted = str(_TIME_CEILING - micros).zfill(_TIME_DIGITS)
    return (
        f"{listing_prefix(archived=archived)}{pinned_flag}{SEPARATOR}"
        f"{inverted}{SEPARATOR}{conversation_key}"
    )


def is_conversation_row(row_key: str) -> bool:
    parts = row_key.split(SEPARATOR)
    return len(parts) == 3 and parts[0] == "c" and parts[2] == "c"


def conversation_key_of(row_key: str) -> str | None:
    """The conversation a row belongs to (its own row, a message, or its index row)."""
    parts = row_key.split(SEPARATOR)
    if parts[0] == "c" and len(parts) >= 3:
        return parts[1]
    if parts[0] == "i" and len(parts) == 5:
        return parts[4]
    return None


def prefix_range(prefix: str) -> tuple[str, str]:
    """(lowest, above highest) RowKey of the rows starting with `prefix` (which ends with
    the separator)."""
    return prefix, prefix[:-1] + _AFTER_SEPARATOR


def encode_continuation(last_index_row: str) -> str:
    """The index RowKey the page ended on: the next page starts right after it, so rows
    added in between neither repeat nor shift the page (an offset would)."""
    raw = json.dumps({"after": last_index_row}, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def decode_continuation(continuation: str, *, archived: bool) -> str:
    """The index RowKey to continue after; it must belong to the listing asked for."""
    try:
        padded = continuation + "=" * (-len(continuation) % 4)
        decoded: Any = json.loads(base64.urlsafe_b64decode(padded.encode("ascii")))
        after = decoded["after"]
    except (UnicodeError, binascii.Error, ValueError, TypeError, KeyError) as error:
        raise InvalidContinuation("not a continuation from this store") from error
    if not isinstance(after, str) or not after.startswith(listing_prefix(archived=archived)):
        raise InvalidContinuation("not a continuation for this listing")
    return after
