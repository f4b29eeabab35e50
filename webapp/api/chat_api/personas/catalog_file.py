"""One catalog file, parsed and checked. Every problem names the file and the entry, so
that an admin can go straight to the line: `personas.json: persona 12 ("accountant"):
temperature must be between 0 and 2`. All problems are collected before raising."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Collection
from dataclasses import dataclass
from functools import partial
from typing import Any, TypeVar

from chat_api.personas.errors import PersonaCatalogError
from chat_api.personas.models import Persona, PersonaGroup

ID_PATTERN = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
MAX_ID_CHARS = 40
MAX_GROUP_NAME_CHARS = 40
MAX_NAME_CHARS = 60
MAX_DESCRIPTION_CHARS = 200
MAX_SYSTEM_CHARS = 8_000
MAX_STARTER_CHARS = 400
MIN_STARTERS, MAX_STARTERS = 2, 3
MIN_TEMPERATURE, MAX_TEMPERATURE = 0.0, 2.0
MAX_GROUPS = 50
MAX_PERSONAS = 500

FILE_FIELDS = ("groups", "personas")
GROUP_FIELDS = ("id", "name")
PERSONA_FIELDS = ("id", "name", "group", "description", "system", "temperature", "starters")


@dataclass(frozen=True)
class CatalogFile:
    groups: tuple[PersonaGroup, ...]
    personas: tuple[Persona, ...]


def parse_catalog_file(
    label: str, raw: bytes, *, inherited_groups: Collection[str] = ()
) -> CatalogFile:
    """Parse `raw`; `label` is how problems name the file. A persona may use the file's
    own groups or `inherited_groups` (the built-in ones, when an admin file extends them)."""
    problems = _Problems(label)
    document = _decode(raw, problems)
    if not isinstance(document, dict):
        if not problems.found:
            problems.add(None, 'must be a JSON object with "groups" and "personas"')
        raise PersonaCatalogError(problems.found)
    _refuse_unknown_fields(document, FILE_FIELDS, None, problems)
    groups = _read_entries(document.get("groups", []), "group", MAX_GROUPS, _read_group, problems)
    known_groups = [*inherited_groups, *(g.id for g in groups if g.id not in inherited_groups)]
    personas = _read_entries(
        document.get("personas"),
        "persona",
        MAX_PERSONAS,
        partial(_read_persona, known_groups=known_groups),
        problems,
    )
    if document.get("personas") == []:
        problems.add(None, '"personas" must list at least one persona')
    if problems.found:
        raise PersonaCatalogError(problems.found)
    return CatalogFile(tuple(groups), tuple(personas))


class _Problems:
    def __init__(self, label: str) -> None:
        self._label = label
        self.found: list[str] = []

    def add(self, where: str | None, message: str) -> None:
        self.found.append(
            f"{self._label}: {where}: {message}" if where else f"{self._label}: {message}"
        )


def _decode(raw: bytes, problems: _Problems) -> Any:
    try:
        # utf-8-sig: Windows editors often save JSON with a byte-order mark.
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        problems.add(None, f"is not UTF-8 text (byte {error.start + 1} cannot be decoded)")
        return None
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        problems.add(
            None, f"is not valid JSON (line {error.lineno}, column {error.colno}: {error.msg})"
        )
        return None


Entry = TypeVar("Entry", PersonaGroup, Persona)


def _read_entries(
    raw: Any,
    kind: str,
    max_count: int,
    read_one: Callable[[dict[str, Any], str, _Problems], Entry],
    problems: _Problems,
) -> list[Entry]:
    """A list of groups or personas: each an object, ids unique, at most `max_count`."""
    if not isinstance(raw, list):
        problems.add(None, f'"{kind}s" must be a list')
        return []
    if len(raw) > max_count:
        problems.add(None, f"has {len(raw)} {kind}s; at most {max_count} are allowed")
    entries: list[Entry] = []
    first_index: dict[str, int] = {}
    for index, item in enumerate(raw, start=1):
        where = _entry_name(kind, index, item)
        if not isinstance(item, dict):
            problems.add(where, "must be an object")
            continue
        entry = read_one(item, where, problems)
        if entry.id in first_index:
            problems.add(
                where, f'id "{entry.id}" is already used by {kind} {first_index[entry.id]}'
            )
        elif entry.id:
            first_index[entry.id] = index
            entries.append(entry)
    return entries


def _read_group(entry: dict[str, Any], where: str, problems: _Problems) -> PersonaGroup:
    group_id = _read_id(entry, where, problems)
    name = _read_text(entry, "name", where, problems, max_chars=MAX_GROUP_NAME_CHARS)
    _refuse_unknown_fields(entry, GROUP_FIELDS, where, problems)
    return PersonaGroup(group_id, name)


def _read_persona(
    entry: dict[str, Any], where: str, problems: _Problems, *, known_groups: list[str]
) -> Persona:
    # Fields are read in the file's order, so that problems come out in the order they are met.
    persona_id = _read_id(entry, where, problems)
    name = _read_text(entry, "name", where, problems, max_chars=MAX_NAME_CHARS)
    group = _read_text(entry, "group", where, problems, max_chars=MAX_ID_CHARS)
    if group and group not in known_groups:
        problems.add(where, f'group "{group}" is not one of the groups: ' + ", ".join(known_groups))
    description = _read_text(entry, "description", where, problems, max_chars=MAX_DESCRIPTION_CHARS)
    system = _read_text(
        entry, "system", where, problems, max_chars=MAX_SYSTEM_CHARS, one_line=False
    )
    temperature = _read_temperature(entry, where, problems)
    starters = _read_starters(entry, where, problems)
    _refuse_unknown_fields(entry, PERSONA_FIELDS, where, problems)
    return Persona(persona_id, name, group, description, system, temperature, starters)


def _entry_name(kind: str, index: int, entry: Any) -> str:
    """`persona 12 ("accountant")`: the position (from 1) finds it, the id confirms it."""
    entry_id = entry.get("id") if isinstance(entry, dict) else None
    if isinstance(entry_id, str) and entry_id.strip():
        return f"{kind} {index} ({json.dumps(entry_id.strip()[:MAX_ID_CHARS], ensure_ascii=False)})"
    return f"{kind} {index}"


def _refuse_unknown_fields(
    entry: dict[str, Any], allowed: tuple[str, ...], where: str | None, problems: _Problems
) -> None:
    # A misspelt field ("temprature") would otherwise be dropped without a word.
    for key in entry:
        if key not in allowed:
            problems.add(where, f'unknown field "{key}" (the fields are {", ".join(allowed)})')


def _read_id(entry: dict[str, Any], where: str, problems: _Problems) -> str:
    value = _read_text(entry, "id", where, problems, max_chars=MAX_ID_CHARS)
    if value and not ID_PATTERN.fullmatch(value):
        problems.add(
            where,
            'id must be lowercase letters and digits, joined by single hyphens: "code-reviewer"',
        )
        return ""
    return value


def _read_text(
    entry: dict[str, Any],
    key: str,
    where: str,
    problems: _Problems,
    *,
    max_chars: int,
    one_line: bool = True,
) -> str:
    value = entry.get(key)
    if value is None:
        problems.add(where, f"{key} is missing")
        return ""
    if not isinstance(value, str):
        problems.add(where, f"{key} must be a string")
        return ""
    value = value.strip()
    if not value:
        problems.add(where, f"{key} must not be empty")
    elif len(value) > max_chars:
        problems.add(
            where, f"{key} must be at most {max_chars:,} characters (it has {len(value):,})"
        )
    elif one_line and "\n" in value:
        problems.add(where, f"{key} must be one line")
    return value


def _read_temperature(entry: dict[str, Any], where: str, problems: _Problems) -> float:
    value = entry.get("temperature")
    if value is None:
        problems.add(where, "temperature is missing")
        return 0.0
    # bool is an int in Python, but `true` is no temperature.
    if isinstance(value, bool) or not isinstance(value, int | float):
        problems.add(where, "temperature must be a number")
        return 0.0
    if not MIN_TEMPERATURE <= value <= MAX_TEMPERATURE:
        problems.add(
            where, f"temperature must be between {MIN_TEMPERATURE:g} and {MAX_TEMPERATURE:g}"
        )
    return float(value)


def _read_starters(entry: dict[str, Any], where: str, problems: _Problems) -> tuple[str, ...]:
    value = entry.get("starters")
    if value is None:
        problems.add(where, "starters is missing")
        return ()
    if not isinstance(value, list) or not MIN_STARTERS <= len(value) <= MAX_STARTERS:
        held = f" (it holds {len(value)})" if isinstance(value, list) else ""
        problems.add(
            where, f"starters must be a list of {MIN_STARTERS} or {MAX_STARTERS} prompts{held}"
        )
        return ()
    numbers: dict[str, int] = {}
    for number, starter in enumerate(value, start=1):
        if not isinstance(starter, str) or not starter.strip():
            problems.add(where, f"starter {number} must be a non-empty string")
            continue
        text = starter.strip()
        if len(text) > MAX_STARTER_CHARS:
            problems.add(
                where,
                f"starter {number} must be at most {MAX_STARTER_CHARS:,} characters "
                f"(it has {len(text):,})",
            )
        elif text in numbers:
            problems.add(where, f"starter {number} repeats starter {numbers[text]}")
        numbers.setdefault(text, number)
    return tuple(numbers)
