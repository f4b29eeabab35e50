"""Each template, and each resource in it, is valid against the published ARM schemas, at
the newest stable API version those schemas know."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from referencing.exceptions import Unresolvable

from tests.infrastructure.arm_schemas import (
    REGISTRY,
    UNPUBLISHED,
    api_versions,
    resource_errors,
    stale_api_versions,
    template_errors,
)
from tests.infrastructure.scenarios import TEMPLATES, load, templates_within
from tools.infra.schemas import SHARED_SCHEMAS, VENDORED_SCHEMAS, build_index, used_types


def _resources(template: dict[str, Any]) -> list[dict[str, Any]]:
    return [r for t in templates_within(template) for r in t["resources"]]


@pytest.mark.parametrize("file_name", TEMPLATES)
def test_template_is_valid_against_the_deployment_template_schema(file_name: str) -> None:
    for template in templates_within(load(file_name)):
        assert template_errors(template) == []


@pytest.mark.parametrize("file_name", TEMPLATES)
def test_every_resource_is_valid_against_its_published_schema(file_name: str) -> None:
    problems = {
        f"{r['type']} {r['name']}": errors
        for r in _resources(load(file_name))
        if (errors := resource_errors(r))
    }
    assert problems == {}


@pytest.mark.parametrize("file_name", TEMPLATES)
def test_every_resource_uses_the_newest_stable_api_version(file_name: str) -> None:
    assert stale_api_versions(load(file_name)) == {}


def _storage_account(template: dict[str, Any]) -> dict[str, Any]:
    return next(
        r for r in template["resources"] if r["type"] == "Microsoft.Storage/storageAccounts"
    )


def test_the_schema_check_catches_a_wrong_value_and_a_wrong_type() -> None:
    broken = copy.deepcopy(_storage_account(load(TEMPLATES[0])))
    broken["properties"]["minimumTlsVersion"] = "TLS1_9"
    broken["properties"]["supportsHttpsTrafficOnly"] = "yes"
    errors = " ".join(resource_errors(broken))
    assert "TLS1_9" in errors and "yes" in errors


def test_the_api_version_check_flags_an_older_version() -> None:
    template = copy.deepcopy(load(TEMPLATES[0]))
    storage = _storage_account(template)
    storage["apiVersion"] = "2025-06-01"
    assert stale_api_versions(template) == {
        "Microsoft.Storage/storageAccounts@2025-06-01": "2026-04-01"
    }
    assert "not held here" in resource_errors(storage)[0]


def test_schemas_come_only_from_the_local_copy() -> None:
    resolver = REGISTRY.resolver()
    with pytest.raises(Unresolvable):
        resolver.lookup("https://example.com/schemas/2024-11-01/Microsoft.Web.json#")


def test_only_the_documented_types_go_without_a_published_schema() -> None:
    used = {t for name in TEMPLATES for t, _ in used_types([load(name)])}
    assert used - set(api_versions()) == set(UNPUBLISHED)


@pytest.mark.skipif(not SHARED_SCHEMAS.is_dir(), reason="the published schemas are not here")
def test_the_schema_copy_is_the_published_one() -> None:
    for copied in VENDORED_SCHEMAS.glob("*/*.json"):
        original = SHARED_SCHEMAS / copied.relative_to(VENDORED_SCHEMAS)
        assert copied.read_bytes() == original.read_bytes(), copied.name
    full_index = build_index(SHARED_SCHEMAS)
    assert api_versions() == {t: full_index[t] for t in api_versions()}
