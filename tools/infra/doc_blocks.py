"""Blocks of Markdown the generator keeps in step with the templates: the buttons and the
parameter tables. Each sits between two HTML comments in its document."""

from __future__ import annotations

import re
from typing import Any

from tools.infra.arm import Json
from tools.infra.backends import Backend


def replace_block(document: str, name: str, block: str) -> str:
    """`document` with the text between `name`'s markers replaced by `block`."""
    begin = f"<!-- {name}:begin (written by python -m tools.infra.generate) -->"
    end = f"<!-- {name}:end -->"
    start, stop = document.find(begin), document.find(end)
    if start < 0 or stop < start:
        raise ValueError(f"the markers {begin!r} and {end!r} are missing")
    return document[: start + len(begin)] + "\n" + block + "\n" + document[stop:]


def parameters_tables(templates: list[tuple[Backend, Json]]) -> str:
    """One table of the parameters every template has, then one per template."""
    shared = set.intersection(*(set(t["parameters"]) for _, t in templates))
    first = templates[0][1]["parameters"]
    sections = ["**Every template**\n\n" + _table({n: d for n, d in first.items() if n in shared})]
    for backend, template in templates:
        own = {n: d for n, d in template["parameters"].items() if n not in shared}
        sections.append(f"**{backend.title}** (`{backend.file_name}`)\n\n" + _table(own))
    return "\n\n".join(sections)


def _table(parameters: dict[str, Json]) -> str:
    rows = ["| parameter | default | what to choose |", "|---|---|---|"]
    for name, definition in parameters.items():
        allowed = definition.get("allowedValues")
        choices = f" One of {', '.join(f'`{v}`' for v in allowed)}." if allowed else ""
        secure = " A secure parameter: the portal hides it." if _is_secure(definition) else ""
        description = definition["metadata"]["description"]
        rows.append(f"| `{name}` | {_default(definition)} | {description}{choices}{secure} |")
    return "\n".join(rows)


def _default(definition: Json) -> str:
    if "defaultValue" not in definition:
        return "(required)"
    value: Any = definition["defaultValue"]
    if value in ("", []):
        return "(empty)"
    if value == "[resourceGroup().location]":
        return "the resource group's region"
    if isinstance(value, str) and (other := re.fullmatch(r"\[parameters\('(\w+)'\)\]", value)):
        return f"`{other.group(1)}`"
    return f"`{value}`"


def _is_secure(definition: Json) -> bool:
    return str(definition["type"]).lower() in ("securestring", "secureobject")
