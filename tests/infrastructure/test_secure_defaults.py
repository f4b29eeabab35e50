"""What an admin gets without touching a setting: keys kept secret, TLS 1.2, HTTPS only,
nothing public, and with linked hosting an identity with exactly its roles and no keys."""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.infrastructure.arm_deployment import PRINCIPAL_ID, SECRET, Deployment
from tests.infrastructure.scenarios import (
    EXISTING,
    EXISTING_RESOURCE_ID,
    LINKED,
    NEW,
    OPENAI,
    SCENARIOS,
    TEMPLATES,
    Scenario,
    load,
    scenario,
)
from tools.infra.backends import DEFAULT_MODEL, DEFAULT_MODEL_VERSION

# Built-in role ids, as Microsoft publishes them.
OPENAI_USER = "5e0bd9bd-7b93-4f28-af87-19fc36ad61bd"
TABLE_DATA_CONTRIBUTOR = "0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3"
BLOB_DATA_OWNER = "b7e6dc6d-f1e8-4753-8033-0f276bb0955b"
SECRET_NAME = re.compile(r"key|secret|password|token", re.IGNORECASE)


@pytest.mark.parametrize("file_name", TEMPLATES)
def test_every_parameter_that_holds_a_secret_is_a_secure_string(file_name: str) -> None:
    parameters = load(file_name)["parameters"]
    insecure = [
        name
        for name, definition in parameters.items()
        if SECRET_NAME.search(name) and definition["type"] != "securestring"
    ]
    assert insecure == []
    assert any(d["type"] == "securestring" for d in parameters.values()) is (file_name != NEW)


@pytest.mark.parametrize("file_name", TEMPLATES)
def test_outputs_never_use_a_secure_parameter_or_list_keys(file_name: str) -> None:
    template = load(file_name)
    secure = [n for n, d in template["parameters"].items() if d["type"] == "securestring"]
    for name, output in template["outputs"].items():
        text = str(output["value"])
        assert "listKeys" not in text and "listSecrets" not in text, name
        assert not any(f"parameters('{p}')" in text for p in secure), name


@pytest.mark.parametrize("s", SCENARIOS, ids=lambda s: s.id)
def test_no_secret_reaches_the_outputs(s: Scenario) -> None:
    # Every key the fake ARM hands out, and every secure parameter here, contains SECRET.
    outputs = s.deploy().outputs
    assert [name for name, value in outputs.items() if SECRET in str(value)] == []
    assert outputs["appUrl"].startswith("https://")
    assert "invited" in outputs["nextSteps"]


@pytest.mark.parametrize("s", SCENARIOS, ids=lambda s: s.id)
def test_storage_takes_only_https_and_tls_1_2_and_nothing_is_public(s: Scenario) -> None:
    account = s.deploy().one("Microsoft.Storage/storageAccounts").value["properties"]
    assert account["minimumTlsVersion"] == "TLS1_2"
    assert account["supportsHttpsTrafficOnly"] is True
    assert account["allowBlobPublicAccess"] is False
    # Keys exist only where something needs one: managed functions, which have no identity.
    assert account["allowSharedKeyAccess"] is (s.hosting == "managed")
    for container in s.deploy().deployed(
        "Microsoft.Storage/storageAccounts/blobServices/containers"
    ):
        assert container.value["properties"]["publicAccess"] == "None"


@pytest.mark.parametrize("s", LINKED, ids=lambda s: s.id)
def test_the_function_app_is_https_only_on_tls_1_2_without_ftp_or_passwords(
    s: Scenario,
) -> None:
    deployment = s.deploy()
    site = deployment.one("Microsoft.Web/sites").value
    assert site["identity"] == {"type": "SystemAssigned"}
    assert site["properties"]["httpsOnly"] is True
    config = site["properties"]["siteConfig"]
    assert config["minTlsVersion"] == "1.2" and config["scmMinTlsVersion"] == "1.2"
    assert config["ftpsState"] == "Disabled"
    runtime = site["properties"]["functionAppConfig"]["runtime"]
    assert runtime == {"name": "python", "version": "3.11"}
    policies = deployment.deployed("Microsoft.Web/sites/basicPublishingCredentialsPolicies")
    assert {p.name.split("/")[-1]: p.value["properties"]["allow"] for p in policies} == {
        "ftp": False,
        "scm": False,
    }
    plan = deployment.one("Microsoft.Web/serverfarms").value
    assert plan["sku"] == {"name": "FC1", "tier": "FlexConsumption"}


def _grants(deployment: Deployment) -> set[tuple[str, str]]:
    """(role id, scope) of every role assignment, nested deployments' included."""
    found = set()
    for assignment in deployment.deployed("Microsoft.Authorization/roleAssignments"):
        properties = assignment.value["properties"]
        assert properties["principalId"] == PRINCIPAL_ID
        assert properties["principalType"] == "ServicePrincipal"
        role = properties["roleDefinitionId"].rsplit("/", 1)[-1]
        found.add((role, assignment.value["scope"]))
    for nested in deployment.deployed("Microsoft.Resources/deployments"):
        assert nested.nested is not None
        found |= _grants(nested.nested)
    return found


@pytest.mark.parametrize("s", LINKED, ids=lambda s: s.id)
def test_linked_hosting_grants_the_identity_exactly_its_roles(s: Scenario) -> None:
    deployment = s.deploy()
    storage = f"Microsoft.Storage/storageAccounts/{deployment.variable('storageAccountName')}"
    expected = {(TABLE_DATA_CONTRIBUTOR, storage), (BLOB_DATA_OWNER, storage)}
    if s.file_name == NEW:
        account = deployment.variable("openAIAccountName")
        expected.add((OPENAI_USER, f"Microsoft.CognitiveServices/accounts/{account}"))
    if s.file_name == EXISTING:
        expected.add((OPENAI_USER, "Microsoft.CognitiveServices/accounts/contoso-ai"))
    assert _grants(deployment) == expected


@pytest.mark.parametrize("s", [s for s in SCENARIOS if s.hosting == "managed"], ids=lambda s: s.id)
def test_managed_hosting_grants_no_role_and_creates_no_function_app(s: Scenario) -> None:
    deployment = s.deploy()
    assert _grants(deployment) == set()
    assert not deployment.deployed("Microsoft.Web/sites")
    assert not deployment.deployed("Microsoft.Web/staticSites/linkedBackends")


def test_an_existing_resource_gets_its_role_in_its_own_subscription_and_group() -> None:
    (nested,) = scenario(EXISTING, "linked").deploy().deployed("Microsoft.Resources/deployments")
    _, subscription, _, group, *_ = EXISTING_RESOURCE_ID.strip("/").split("/")
    assert (nested.value["subscriptionId"], nested.value["resourceGroup"]) == (subscription, group)


def test_without_the_resource_id_the_next_steps_say_whom_to_grant_the_role() -> None:
    deployment = scenario(EXISTING, "linked").deploy(azureOpenAIResourceId="")
    assert not deployment.deployed("Microsoft.Resources/deployments")
    assert PRINCIPAL_ID in deployment.outputs["nextSteps"]
    assert "Cognitive Services OpenAI User" in deployment.outputs["nextSteps"]


def test_managed_hosting_without_a_key_says_the_key_is_missing() -> None:
    deployment = scenario(EXISTING, "managed").deploy(azureOpenAIKey="")
    assert "set AZURE_OPENAI_KEY" in deployment.outputs["nextSteps"]
    assert "AZURE_OPENAI_KEY" not in scenario(EXISTING, "managed").deploy().outputs["nextSteps"]


def test_openai_without_a_key_says_the_key_is_missing() -> None:
    deployment = scenario(OPENAI, "managed", "openai").deploy(openAIApiKey="")
    assert "set OPENAI_API_KEY" in deployment.outputs["nextSteps"]


@pytest.mark.parametrize("file_name", TEMPLATES)
def test_linked_hosting_links_the_function_app_on_the_standard_plan(file_name: str) -> None:
    deployment = next(s for s in LINKED if s.file_name == file_name).deploy(staticWebAppSku="Free")
    site = deployment.one("Microsoft.Web/staticSites").value
    assert site["sku"] == {"name": "Standard", "tier": "Standard"}  # Free was asked for
    backend = deployment.one("Microsoft.Web/staticSites/linkedBackends").value
    assert backend["properties"]["backendResourceId"] == deployment.one("Microsoft.Web/sites").id


@pytest.mark.parametrize("sku", ["Free", "Standard"])
def test_managed_hosting_keeps_the_plan_chosen(sku: str) -> None:
    deployment = scenario(NEW, "managed").deploy(staticWebAppSku=sku)
    assert deployment.one("Microsoft.Web/staticSites").value["sku"]["name"] == sku


@pytest.mark.parametrize("hosting", ["managed", "linked"])
def test_a_new_azure_openai_resource_turns_keys_off_when_nothing_needs_them(hosting: str) -> None:
    account = scenario(NEW, hosting).deploy().one("Microsoft.CognitiveServices/accounts")
    assert account.value["properties"]["disableLocalAuth"] is (hosting == "linked")
    assert account.value["properties"]["customSubDomainName"] == account.name


@pytest.mark.parametrize(
    ("ranges", "action", "rules"),
    [
        ([], "Allow", []),
        (["203.0.113.0/24", "198.51.100.7"], "Deny", ["203.0.113.0/24", "198.51.100.7"]),
    ],
)
def test_allowed_ip_ranges_lock_the_new_azure_openai_resource(
    ranges: list[str], action: str, rules: list[str]
) -> None:
    deployment = scenario(NEW, "linked").deploy(openAIAllowedIpRanges=ranges)
    acls: dict[str, Any] = deployment.one("Microsoft.CognitiveServices/accounts").value[
        "properties"
    ]["networkAcls"]
    assert acls["defaultAction"] == action
    assert acls["ipRules"] == [{"value": r} for r in rules]


def test_the_model_defaults_to_one_azure_still_offers() -> None:
    parameters = load(NEW)["parameters"]
    assert (DEFAULT_MODEL, DEFAULT_MODEL_VERSION) == ("gpt-5.4-mini", "2026-03-17")
    assert parameters["modelName"]["defaultValue"] == DEFAULT_MODEL
    assert parameters["modelVersion"]["defaultValue"] == DEFAULT_MODEL_VERSION
    # Retiring in 2026 (PLATFORM.md): never a default again.
    assert not DEFAULT_MODEL.startswith(("gpt-4o", "gpt-4.1", "gpt-35"))
    deployment = scenario(NEW, "managed").deploy(modelName="gpt-5.4", modelCapacity=200)
    model = deployment.one("Microsoft.CognitiveServices/accounts/deployments").value
    assert model["properties"]["model"]["name"] == "gpt-5.4"
    assert model["sku"] == {"name": "GlobalStandard", "capacity": 200}
