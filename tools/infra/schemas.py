"""The ARM schemas the tests validate the templates against, kept in the repository.

The published schemas (Azure/azure-resource-manager-schemas) sit in ../shared/arm-schemas
on the team's machines; a fresh clone in CI may not have that folder. So the files the
templates need are copied into tests/infrastructure/arm_schemas, with an index of every
resource type's stable API versions (to tell the newest):

    python -m tools.infra.schemas [SOURCE]    # default SOURCE: ../shared/arm-schemas

Run it after changing an API version in tools/infra/versions.py.
"""

from __future__ import annotations

import json
import shutil
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from tools.infra import REPO_ROOT

SHARED_SCHEMAS = REPO_ROOT.parent / "shared" / "arm-schemas"
VENDORED_SCHEMAS = REPO_ROOT / "tests" / "infrastructure" / "arm_schemas"
INDEX_NAME = "api-versions.json"
# The template language itself, and what every resource schema refers to.
ALWAYS = ("2019-04-01/deploymentTemplate.json", "common/definitions.json", "LICENSE")


def build_index(source: Path) -> dict[str, dict[str, str]]:
    """{resource type: {stable API version: "<file>#/resourceDefinitions/<key>"}}."""
    index: dict[str, dict[str, str]] = {}
    for path in sorted(source.glob("*/*.json")):
        relative = path.relative_to(source).as_posix()
        if relative in ALWAYS or "preview" in relative:
            continue
        version = path.parent.name
        schema = json.loads(path.read_text(encoding="utf-8"))
        for key, definition in schema.get("resourceDefinitions", {}).items():
            (resource_type,) = definition["properties"]["type"]["enum"]
            pointer = f"{relative}#/resourceDefinitions/{key}"
            index.setdefault(resource_type, {})[version] = pointer
    return {t: dict(sorted(v.items())) for t, v in sorted(index.items())}


def used_types(templates: Iterable[dict[str, Any]]) -> set[tuple[str, str]]:
    """(type, API version) of every resource: nested children and nested deployments'
    templates included."""
    found: set[tuple[str, str]] = set()

    def visit(resources: list[dict[str, Any]], parent_type: str) -> None:
        for resource in resources:
            full_type = f"{parent_type}/{resource['type']}" if parent_type else resource["type"]
            found.add((full_type, resource["apiVersion"]))
            visit(resource.get("resources", []), full_type)
            nested = resource.get("properties", {}).get("template")
            if isinstance(nested, dict):
                found.update(used_types([nested]))

    for template in templates:
        visit(template.get("resources", []), "")
    return found


def vendor(source: Path, templates: Iterable[dict[str, Any]], target: Path) -> list[str]:
    """Copy what validating `templates` needs from `source` to `target`; return the files."""
    index = build_index(source)
    used = used_types(templates)
    files = set(ALWAYS)
    for resource_type, version in used:
        pointer = index.get(resource_type, {}).get(version)
        if pointer is not None:
            files.add(pointer.split("#")[0])
    # Only the types the templates make: enough to tell whether each uses the newest version.
    used_index = {t: v for t, v in index.items() if t in {t for t, _ in used}}
    if target.exists():
        for old in target.glob("*/*.json"):
            old.unlink()
    for relative in sorted(files):
        (target / relative).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source / relative, target / relative)
    (target / INDEX_NAME).write_text(json.dumps(used_index, indent=1) + "\n", encoding="utf-8")
    return sorted(files)


def main(argv: list[str]) -> int:
    source = Path(argv[0]) if argv else SHARED_SCHEMAS
    templates = [
        json.loads(p.read_text(encoding="utf-8"))
        for p in sorted((REPO_ROOT / "infrastructure").glob("azuredeploy-*.json"))
    ]
    for relative in vendor(source, templates, VENDORED_SCHEMAS):
        print(f"copied {relative}")
    print(f"wrote {INDEX_NAME}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
