"""Validate templates against the published ARM schemas, offline.

The schema files live in tests/infrastructure/arm_schemas (copied from the published set
by `python -m tools.infra.schemas`). Every `$ref` to schema.management.azure.com resolves
to that folder; any other address fails rather than reaching the network.
"""

from __future__ import annotations

import copy
import json
from functools import cache
from pathlib import Path
from typing import Any

from jsonschema import Draft4Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4

from tools.infra.schemas import INDEX_NAME, VENDORED_SCHEMAS, used_types

PREFIX = "https://schema.management.azure.com/schemas/"
TEMPLATE_SCHEMA = PREFIX + "2019-04-01/deploymentTemplate.json"

# Resource types with no schema in the published snapshot, and the newest stable API
# version Microsoft's template reference lists for them (learn.microsoft.com/azure/
# templates/microsoft.authorization/roleassignments and .../microsoft.resources/
# deployments, "all versions"). Checked here with a minimal schema of their documented
# shape; the nested template of a deployment is validated as a template in its own right.
UNPUBLISHED: dict[str, tuple[str, dict[str, Any]]] = {
    "Microsoft.Authorization/roleAssignments": (
        "2022-04-01",
        {
            "type": "object",
            "required": ["scope", "properties"],
            "properties": {
                "properties": {
                    "type": "object",
                    "required": ["roleDefinitionId", "principalId"],
                    "properties": {
                        "principalType": {
                            "enum": ["User", "Group", "ServicePrincipal", "ForeignGroup", "Device"]
                        },
                    },
                },
            },
        },
    ),
    "Microsoft.Resources/deployments": (
        "2025-04-01",
        {
            "type": "object",
            "required": ["properties"],
            "properties": {
                "properties": {
                    "type": "object",
                    "required": ["mode", "template"],
                    "properties": {
                        "mode": {"enum": ["Incremental", "Complete"]},
                        "expressionEvaluationOptions": {
                            "properties": {"scope": {"enum": ["inner", "outer"]}}
                        },
                        "template": {"type": "object"},
                    },
                },
            },
        },
    ),
}


class SchemaNotOffline(Exception):
    pass


@cache
def _schema_file(relative: str) -> Any:
    path = VENDORED_SCHEMAS / relative
    if not path.is_file():
        raise SchemaNotOffline(
            f"{relative} is not in {VENDORED_SCHEMAS}: run python -m tools.infra.schemas"
        )
    return json.loads(path.read_text(encoding="utf-8"))


def _retrieve(uri: str) -> Resource[Any]:
    if not uri.startswith(PREFIX):
        # Never the network: a schema we do not hold is a failure, not a download.
        raise SchemaNotOffline(f"{uri} is not a schema.management.azure.com schema")
    return Resource.from_contents(_schema_file(uri[len(PREFIX) :]), default_specification=DRAFT4)


REGISTRY: Registry[Any] = Registry(retrieve=_retrieve)  # type: ignore[call-arg]


@cache
def api_versions() -> dict[str, dict[str, str]]:
    """{resource type: {stable API version: schema pointer}}, from the published set."""
    index: dict[str, dict[str, str]] = _schema_file(INDEX_NAME)
    return index


def newest_stable(resource_type: str) -> str | None:
    if resource_type in UNPUBLISHED:
        return UNPUBLISHED[resource_type][0]
    versions = api_versions().get(resource_type)
    return max(versions) if versions else None


def stale_api_versions(template: dict[str, Any]) -> dict[str, str | None]:
    """{type@version: the newest stable version} for every resource not at the newest."""
    return {
        f"{resource_type}@{version}": newest_stable(resource_type)
        for resource_type, version in used_types([template])
        if version != newest_stable(resource_type)
    }


@cache
def _template_validator() -> Draft4Validator:
    schema = copy.deepcopy(_schema_file("2019-04-01/deploymentTemplate.json"))
    # The template schema lists resources through a catalogue of every provider's schema,
    # most of them not held here; resources are validated one by one instead.
    schema["definitions"]["resource"] = {"type": "object"}
    return Draft4Validator(schema, registry=REGISTRY)


def template_errors(template: dict[str, Any]) -> list[str]:
    return [_describe(e) for e in _template_validator().iter_errors(template)]


def resource_errors(resource: dict[str, Any]) -> list[str]:
    resource_type, version = resource["type"], resource["apiVersion"]
    if resource_type in UNPUBLISHED:
        own_version, own_schema = UNPUBLISHED[resource_type]
        if version != own_version:
            return [f"{resource_type} has no schema here for {version}"]
        type_schema: dict[str, Any] = own_schema
    else:
        pointer = api_versions().get(resource_type, {}).get(version)
        if pointer is None:
            return [f"no published schema for {resource_type} at {version}"]
        if not (VENDORED_SCHEMAS / pointer.split("#")[0]).is_file():
            return [f"the schema of {version} is not held here: run python -m tools.infra.schemas"]
        type_schema = {"$ref": PREFIX + pointer}
    schema = {"allOf": [{"$ref": TEMPLATE_SCHEMA + "#/definitions/resourceBase"}, type_schema]}
    validator = Draft4Validator(schema, registry=REGISTRY)
    return [_describe(e) for e in validator.iter_errors(resource)]


def _describe(error: Any) -> str:
    message = str(error.message)
    return f"{error.json_path}: {message[:300]}"


def schema_folder() -> Path:
    return VENDORED_SCHEMAS
