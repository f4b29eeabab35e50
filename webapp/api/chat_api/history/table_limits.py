"""What one Table Storage entity can hold, and how long text is spread over properties to fit.

The service counts strings in UTF-16: a string property holds at most 64 KiB (32,768 code
units) and a whole entity at most 1 MiB (docs: PLATFORM.md, Storage). A long text (a
message, a system prompt, a title) is therefore stored as numbered parts `<name>_0`,
`<name>_1`, ... of at most 32,000 units each, with `<name>_parts` saying how many.

So the longest message is about 520,000 UTF-16 units (a character outside the Basic
Multilingual Plane, such as most emoji, takes two): roughly 500,000 characters of text, far
above the longest answer a model gives. Beyond that, saving raises TooLarge before anything
is sent. A service that counts differently answers EntityTooLarge, RequestBodyTooLarge or
413, which are TooLarge too. Azurite does: it measures the request's JSON, in which the SDK
escapes each non-ASCII UTF-16 unit to six bytes, so on Azurite mostly non-ASCII text stops
at about 170,000 characters. Cosmos DB for Table has limits of its own (2 MB per item).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from chat_api.history.store import TooLarge

MAX_ENTITY_BYTES = 1024 * 1024
MAX_PROPERTY_UNITS = 32 * 1024
# Below the property limit, so a part never reaches it whatever the service's rounding.
PART_UNITS = 32_000
# Every entity also carries the service's Timestamp: 8 bytes of overhead, a 9-character
# name and an 8-byte value.
_TIMESTAMP_BYTES = 8 + 2 * len("Timestamp") + 8


def utf16_units(text: str) -> int:
    # surrogatepass: a lone surrogate counts as the one unit it is, instead of failing.
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


def split_text(text: str) -> list[str]:
    """`text` cut into parts of at most PART_UNITS UTF-16 units, never inside a character.

    Python strings hold whole code points, so a cut between two of them never splits a
    surrogate pair; a code point above U+FFFF only makes its part shorter in characters.
    """
    parts: list[str] = []
    start = 0
    while start < len(text):
        end = min(len(text), start + PART_UNITS)
        while (units := utf16_units(text[start:end])) > PART_UNITS:
            # Each character dropped frees one or two units: drop at least half the excess.
            end -= (units - PART_UNITS + 1) // 2
        parts.append(text[start:end])
        start = end
    return parts


def put_text(entity: dict[str, Any], name: str, text: str | None) -> None:
    """Store `text` under `name` in parts; None stores nothing (read back as None)."""
    if text is None:
        return
    parts = split_text(text)
    entity[f"{name}_parts"] = len(parts)
    for number, part in enumerate(parts):
        entity[f"{name}_{number}"] = part


def read_text(entity: Mapping[str, Any], name: str) -> str | None:
    count = entity.get(f"{name}_parts")
    if count is None:
        return None
    return "".join(entity[f"{name}_{number}"] for number in range(int(count)))


def check_fits(entity: Mapping[str, Any]) -> None:
    """Raise TooLarge unless the service will accept `entity`.

    The size is the service's own formula: 4 bytes, the keys at 2 bytes per unit, and per
    property 8 bytes plus its name at 2 bytes per character plus its value, a string at
    2 bytes per unit plus 4 (learn.microsoft.com/rest/api/storageservices/
    understanding-the-table-service-data-model). Timestamp and every number are counted as
    8 bytes, which errs on the safe side.
    """
    size = 4 + _TIMESTAMP_BYTES
    for name, value in entity.items():
        if name in ("PartitionKey", "RowKey"):
            size += 2 * utf16_units(value)
            continue
        if isinstance(value, str) and utf16_units(value) > MAX_PROPERTY_UNITS:
            raise TooLarge(f"property {name!r} is longer than {MAX_PROPERTY_UNITS} UTF-16 units")
        size += 8 + 2 * len(name) + _value_bytes(value)
    if size > MAX_ENTITY_BYTES:
        raise TooLarge(f"entity of {size} bytes is over the {MAX_ENTITY_BYTES}-byte limit")


def _value_bytes(value: Any) -> int:
    if isinstance(value, tuple):
        # (value, EdmType): an explicitly typed number.
        value = value[0]
    if isinstance(value, str):
        return 4 + 2 * utf16_units(value)
    if isinstance(value, bool):
        return 1
    if isinstance(value, int | float | datetime):
        return 8
    return 0
