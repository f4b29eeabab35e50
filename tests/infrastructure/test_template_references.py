"""Every expression parses, names only what its template declares, and every declared
parameter and variable is used: ARM rejects a template with a bad reference only when
someone deploys it."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from tests.infrastructure.arm_deployment import Deployment, EvaluationError
from tests.infrastructure.arm_expressions import (
    Call,
    Literal,
    is_expression,
    parse,
    template_strings,
    walk,
)
from tests.infrastructure.scenarios import (
    NEW,
    SCENARIOS,
    TEMPLATES,
    Scenario,
    load,
    scenario,
    templates_within,
)


def _own_strings(template: dict[str, Any]) -> list[str]:
    """The template's strings, without those of nested templates (each its own scope)."""
    pruned = copy.deepcopy(template)
    for resource in pruned.get("resources", []):
        resource.get("properties", {}).pop("template", None)
    return list(template_strings(pruned))


def _references(template: dict[str, Any], function: str) -> set[str]:
    names = set()
    for text in _own_strings(template):
        if not is_expression(text):
            continue
        for node in walk(parse(text[1:-1])):
            if isinstance(node, Call) and node.name == function:
                (argument,) = node.args
                assert isinstance(argument, Literal), f"{function}() of a computed name: {text}"
                names.add(str(argument.value))
    return names


def _scopes() -> list[tuple[str, int, dict[str, Any]]]:
    return [
        (name, depth, template)
        for name in TEMPLATES
        for depth, template in enumerate(templates_within(load(name)))
    ]


SCOPES = _scopes()
SCOPE_IDS = [f"{name}-scope{depth}" for name, depth, _ in SCOPES]


@pytest.mark.parametrize(("name", "depth", "template"), SCOPES, ids=SCOPE_IDS)
def test_every_parameter_referenced_is_declared_and_every_one_declared_is_used(
    name: str, depth: int, template: dict[str, Any]
) -> None:
    assert _references(template, "parameters") == set(template.get("parameters", {}))


@pytest.mark.parametrize(("name", "depth", "template"), SCOPES, ids=SCOPE_IDS)
def test_every_variable_referenced_is_declared_and_every_one_declared_is_used(
    name: str, depth: int, template: dict[str, Any]
) -> None:
    assert _references(template, "variables") == set(template.get("variables", {}))


def test_a_misspelt_reference_is_caught() -> None:
    template = copy.deepcopy(load(NEW))
    template["variables"]["suffix"] = "[uniqueString(parameters('appname'))]"
    assert "appname" in _references(template, "parameters") - set(template["parameters"])


@pytest.mark.parametrize("s", SCENARIOS, ids=lambda s: s.id)
def test_every_dependency_is_a_resource_of_the_same_template(s: Scenario) -> None:
    deployment = s.deploy()
    made = {r.id.lower() for r in deployment.resources}
    for resource in deployment.resources:
        for dependency in resource.value.get("dependsOn", []):
            assert dependency.lower() in made, f"{resource.type} depends on {dependency}"


@pytest.mark.parametrize("s", SCENARIOS, ids=lambda s: s.id)
def test_runtime_functions_reach_only_deployed_resources_at_their_api_version(
    s: Scenario,
) -> None:
    # Deploying evaluates every resource, deployed or not, and every output; the fake
    # ARM refuses an unguarded reference() or listKeys() where ARM would fail at deploy
    # time. Reaching this line is the proof; the count shows something was evaluated.
    assert len(s.deploy().resources) >= 10


def test_list_keys_unguarded_in_a_resource_not_deployed_is_caught() -> None:
    template = copy.deepcopy(load(NEW))
    site = next(r for r in template["resources"] if r["type"] == "Microsoft.Web/sites")
    site["properties"]["siteConfig"]["appSettings"].append(
        {
            "name": "AZURE_OPENAI_KEY",
            "value": "[listKeys(resourceId('Microsoft.CognitiveServices/accounts', "
            "variables('openAIAccountName')), '2026-05-01').key1]",
        }
    )
    with pytest.raises(EvaluationError, match="not deployed: guard it"):
        Deployment(template, {"apiHosting": "managed"})


def test_a_reference_to_a_resource_not_deployed_is_caught() -> None:
    template = copy.deepcopy(load(NEW))
    template["outputs"]["functionAppPrincipalId"].pop("condition")
    template["outputs"]["functionAppPrincipalId"]["value"] = (
        "[reference(resourceId('Microsoft.Web/sites', variables('functionAppName')), "
        "'2024-11-01', 'Full').identity.principalId]"
    )
    with pytest.raises(EvaluationError, match="which is not deployed"):
        Deployment(template, {"apiHosting": "managed"})
    Deployment(template, {"apiHosting": "linked"})


def test_a_reference_at_another_api_version_is_caught() -> None:
    template = copy.deepcopy(load(NEW))
    template["outputs"]["appUrl"]["value"] = (
        "[reference(resourceId('Microsoft.Web/staticSites', variables('staticWebAppName')), "
        "'2023-01-01').defaultHostname]"
    )
    with pytest.raises(EvaluationError, match="deployed at 2024-11-01"):
        Deployment(template, scenario(NEW, "managed").parameters)
