"""The committed templates, and the ways an admin would fill in each one's form."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from tests.infrastructure.arm_deployment import Deployment
from tools.infra import REPO_ROOT

INFRASTRUCTURE = REPO_ROOT / "infrastructure"
NEW = "azuredeploy-new-azure-openai.json"
EXISTING = "azuredeploy-existing-azure-openai.json"
OPENAI = "azuredeploy-openai.json"
TEMPLATES = (NEW, EXISTING, OPENAI)

EXISTING_ENDPOINT = "https://contoso-ai.openai.azure.com/"
EXISTING_RESOURCE_ID = (
    "/subscriptions/99999999-0000-0000-0000-000000000001/resourceGroups/rg-ai"
    "/providers/Microsoft.CognitiveServices/accounts/contoso-ai"
)


@cache
def load(file_name: str) -> dict[str, Any]:
    template: dict[str, Any] = json.loads((INFRASTRUCTURE / file_name).read_text("utf-8"))
    return template


def templates_within(template: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """The template and the templates of its nested deployments (each its own scope)."""
    yield template
    for resource in template.get("resources", []):
        nested = resource.get("properties", {}).get("template")
        if isinstance(nested, dict):
            yield from templates_within(nested)


@dataclass(frozen=True)
class Scenario:
    file_name: str
    hosting: str
    provider: str  # the AI_PROVIDER the API should end up with
    parameters: dict[str, Any] = field(default_factory=dict)
    variant: str = ""

    @property
    def id(self) -> str:
        name = self.file_name.removeprefix("azuredeploy-").removesuffix(".json")
        return "-".join(part for part in (name, self.hosting, self.variant) if part)

    def deploy(self, **overrides: Any) -> Deployment:
        """The deployment of this form, with some answers changed. Evaluated once."""
        key = (self.id, json.dumps(overrides, sort_keys=True))
        if key not in _DEPLOYMENTS:
            parameters = {"apiHosting": self.hosting, **self.parameters, **overrides}
            _DEPLOYMENTS[key] = Deployment(load(self.file_name), parameters)
        return _DEPLOYMENTS[key]


_DEPLOYMENTS: dict[tuple[str, str], Deployment] = {}


def _existing(hosting: str) -> dict[str, Any]:
    parameters: dict[str, Any] = {
        "azureOpenAIEndpoint": EXISTING_ENDPOINT,
        "azureOpenAIDeploymentName": "chat-prod",
    }
    if hosting == "managed":
        parameters["azureOpenAIKey"] = "SECRET-existing-key"
    else:
        parameters["azureOpenAIResourceId"] = EXISTING_RESOURCE_ID
    return parameters


SCENARIOS: tuple[Scenario, ...] = (
    *(Scenario(NEW, hosting, "azure") for hosting in ("managed", "linked")),
    *(
        Scenario(EXISTING, hosting, "azure", _existing(hosting))
        for hosting in ("managed", "linked")
    ),
    *(
        Scenario(OPENAI, hosting, "openai", {"openAIApiKey": "SECRET-sk-proj"}, "openai")
        for hosting in ("managed", "linked")
    ),
    *(
        Scenario(
            OPENAI,
            hosting,
            "compatible",
            {
                "aiProvider": "compatible",
                "openAIBaseUrl": "https://llm.example.com/v1",
                "openAIModelName": "llama3.2",
            },
            "compatible",
        )
        for hosting in ("managed", "linked")
    ),
)
MANAGED = tuple(s for s in SCENARIOS if s.hosting == "managed")
LINKED = tuple(s for s in SCENARIOS if s.hosting == "linked")


def scenario(file_name: str, hosting: str, variant: str = "") -> Scenario:
    (found,) = (
        s
        for s in SCENARIOS
        if s.file_name == file_name and s.hosting == hosting and s.variant == variant
    )
    return found
