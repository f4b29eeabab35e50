"""The catalog the app serves: the built-in file, extended or replaced by an admin's."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Protocol, TypeVar

from chat_api.personas.catalog_file import CatalogFile, parse_catalog_file
from chat_api.personas.errors import PersonaCatalogError
from chat_api.personas.models import Persona, PersonaCatalog, PersonaGroup
from chat_api.settings import PersonaSettings

BUILT_IN_FILE = Path(__file__).with_name("personas.json")
BUILT_IN_LABEL = "personas.json"
# Far above any real catalog (the built-in one is under 100 KB); stops a wrong path (a log, a
# database) from being read whole into memory at start-up.
MAX_FILE_BYTES = 2_000_000


def load_catalog(source: PersonaSettings) -> PersonaCatalog:
    """The catalog for these settings, or PersonaCatalogError naming every bad entry."""
    if source.file is not None and source.mode == "replace":
        return _with_admin_file(source.file, built_in=None)
    built_in = _read(BUILT_IN_FILE, BUILT_IN_LABEL)
    if source.file is None:
        return _assemble(built_in.groups, built_in.personas, BUILT_IN_LABEL)
    return _with_admin_file(source.file, built_in)


def _with_admin_file(path: Path, built_in: CatalogFile | None) -> PersonaCatalog:
    """The admin's file alone (replace) or over the built-in one (extend). Its problems
    blame PERSONAS_FILE, which is what the admin must fix."""
    label = str(path)
    try:
        if built_in is None:
            admin = _read(path, label)
            return _assemble(admin.groups, admin.personas, label)
        admin = _read(path, label, inherited_groups=[g.id for g in built_in.groups])
        return _assemble(
            _replace_or_append(built_in.groups, admin.groups),
            _replace_or_append(built_in.personas, admin.personas),
            label,
        )
    except PersonaCatalogError as error:
        error.setting = "PERSONAS_FILE"
        raise


def _read(path: Path, label: str, *, inherited_groups: Sequence[str] = ()) -> CatalogFile:
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise PersonaCatalogError(
                [f"{label}: is {size:,} bytes; a catalog may be at most {MAX_FILE_BYTES:,}"]
            )
        raw = path.read_bytes()
    except FileNotFoundError:
        raise PersonaCatalogError([f"{label}: there is no such file"]) from None
    except IsADirectoryError:
        raise PersonaCatalogError([f"{label}: is a folder, not a file"]) from None
    except OSError as error:
        raise PersonaCatalogError([f"{label}: cannot be read ({error.strerror})"]) from None
    return parse_catalog_file(label, raw, inherited_groups=inherited_groups)


class _HasId(Protocol):
    @property
    def id(self) -> str: ...


Entry = TypeVar("Entry", bound=_HasId)


def _replace_or_append(built_in: Sequence[Entry], admin: Sequence[Entry]) -> list[Entry]:
    """An admin entry with a built-in id takes its place; the others follow in file order."""
    by_id = {entry.id: entry for entry in admin}
    merged = [by_id.pop(entry.id, entry) for entry in built_in]
    return merged + list(by_id.values())


def _assemble(
    groups: Sequence[PersonaGroup], personas: Sequence[Persona], label: str
) -> PersonaCatalog:
    order = {group.id: position for position, group in enumerate(groups)}
    empty = [group.id for group in groups if not any(p.group == group.id for p in personas)]
    if empty:
        raise PersonaCatalogError(
            [f'{label}: group "{group_id}" has no personas' for group_id in empty]
        )
    # Grouped in display order, so that a client lists them as they come.
    return PersonaCatalog(tuple(groups), tuple(sorted(personas, key=lambda p: order[p.group])))
