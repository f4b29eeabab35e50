"""Each template, in each hosting mode, writes exactly the settings the API reads, and the
API's own settings loader accepts them and picks the right provider. (The seed's OpenAI
template forgot AI_PROVIDER; nothing like that can ship now.)"""

from __future__ import annotations

import pytest

from chat_api.settings import Provider, load_settings
from chat_api.settings_catalog import SETTINGS
from tests.infrastructure.arm_deployment import SECRET, Deployment
from tests.infrastructure.scenarios import (
    EXISTING,
    EXISTING_ENDPOINT,
    LINKED,
    MANAGED,
    NEW,
    SCENARIOS,
    Scenario,
    scenario,
)

API_SETTINGS = {doc.name for doc in SETTINGS}
# Read by Azure rather than by the API, and needed there. (The API reads
# APPLICATIONINSIGHTS_CONNECTION_STRING too, for its own telemetry: it is an API setting.)
PLATFORM: dict[str, set[str]] = {
    "managed": set(),
    "linked": {
        # The Functions host's storage, reached with the managed identity.
        "AzureWebJobsStorage__accountName",
        # HTTP streaming on Python 3.11 (PLATFORM.md).
        "PYTHON_ENABLE_INIT_INDEXING",
    },
}
# Settings for a developer's machine only.
LOCAL_ONLY = {"MOCK_OPENAI_URL", "HISTORY_SQLITE_PATH"}
PROVIDER_SETTINGS = {
    "azure": {"AZURE_OPENAI_ENDPOINT", "AZURE_OPENAI_KEY", "AZURE_OPENAI_DEPLOYMENT_NAME"},
    "openai": {"OPENAI_API_KEY", "OPENAI_MODEL_NAME", "OPENAI_BASE_URL"},
    "compatible": {"OPENAI_API_KEY", "OPENAI_MODEL_NAME", "OPENAI_BASE_URL"},
}
# Without them the API cannot run in Azure at all, whatever its defaults.
REQUIRED = {
    "AI_PROVIDER",
    "HISTORY_STORE",
    "HISTORY_TABLE_NAME",
    "CHAT_API_HOSTING",
    "ALLOWED_ROLES",
}
# What SWA keeps for itself in a Static Web App's app settings (PLATFORM.md).
SWA_RESERVED_PREFIXES = ("FUNCTIONS_", "WEBSITE_", "AzureWeb")


def written_settings(deployment: Deployment, hosting: str) -> dict[str, str]:
    if hosting == "managed":
        assert not deployment.deployed("Microsoft.Web/sites")
        properties: dict[str, str] = deployment.one("Microsoft.Web/staticSites/config").value[
            "properties"
        ]
        return properties
    assert not deployment.deployed("Microsoft.Web/staticSites/config")
    site = deployment.one("Microsoft.Web/sites").value
    pairs = site["properties"]["siteConfig"]["appSettings"]
    names = [pair["name"] for pair in pairs]
    assert len(names) == len(set(names)), "a setting is written twice"
    return {pair["name"]: pair["value"] for pair in pairs}


def expected_api_settings(s: Scenario) -> set[str]:
    other_providers = set().union(*PROVIDER_SETTINGS.values()) - PROVIDER_SETTINGS[s.provider]
    if s.hosting == "managed":
        other_history = {"HISTORY_TABLES_ENDPOINT"}
        keys_left_out: set[str] = set()
    else:
        other_history = {"HISTORY_STORAGE_CONNECTION_STRING"}
        keys_left_out = {"AZURE_OPENAI_KEY"}  # the managed identity signs in instead
    return API_SETTINGS - LOCAL_ONLY - other_providers - other_history - keys_left_out


@pytest.mark.parametrize("s", SCENARIOS, ids=lambda s: s.id)
def test_settings_are_exactly_the_ones_the_api_reads_plus_the_platforms(s: Scenario) -> None:
    written = set(written_settings(s.deploy(), s.hosting))
    assert written - API_SETTINGS == PLATFORM[s.hosting]
    assert written & API_SETTINGS == expected_api_settings(s)
    assert written >= REQUIRED


@pytest.mark.parametrize("s", SCENARIOS, ids=lambda s: s.id)
def test_every_setting_is_a_string(s: Scenario) -> None:
    settings = written_settings(s.deploy(), s.hosting)
    assert {k: v for k, v in settings.items() if not isinstance(v, str)} == {}


@pytest.mark.parametrize("s", SCENARIOS, ids=lambda s: s.id)
def test_the_api_accepts_the_settings_and_talks_to_the_chosen_backend(s: Scenario) -> None:
    written = written_settings(s.deploy(), s.hosting)
    settings = load_settings({k: v for k, v in written.items() if k in API_SETTINGS})
    assert settings.upstream.provider is Provider(s.provider)
    assert written["AI_PROVIDER"] == s.provider  # explicit, never inferred
    assert settings.hosting == ("streaming" if s.hosting == "linked" else "buffered")
    assert settings.history.store == "table"
    assert settings.history.table_name == "chathistory"
    if s.hosting == "linked":
        assert settings.history.connection_string is None
        assert settings.history.tables_endpoint == (
            f"https://{s.deploy().variable('storageAccountName')}.table.core.windows.net/"
        )
    else:
        assert settings.history.connection_string is not None
        assert "AccountKey=SECRET" in settings.history.connection_string
    assert settings.allowed_roles == frozenset({"invited"})


@pytest.mark.parametrize("hosting", ["managed", "linked"])
def test_a_new_resource_is_reached_at_its_v1_endpoint_with_the_default_reasoning_model(
    hosting: str,
) -> None:
    deployment = scenario(NEW, hosting).deploy()
    settings = load_settings(
        {k: v for k, v in written_settings(deployment, hosting).items() if k in API_SETTINGS}
    )
    account = deployment.variable("openAIAccountName")
    assert settings.upstream.base_url == f"https://{account}.openai.azure.com/openai/v1/"
    assert settings.default_model.id == "gpt-5.4-mini"
    assert settings.default_model.reasoning  # auto: the deployment is named after the model
    assert settings.upstream.keyless_azure is (hosting == "linked")


def test_an_existing_resource_is_reached_with_its_key_only_with_managed_hosting() -> None:
    managed = written_settings(scenario(EXISTING, "managed").deploy(), "managed")
    linked = written_settings(scenario(EXISTING, "linked").deploy(), "linked")
    assert managed["AZURE_OPENAI_KEY"] == "SECRET-existing-key"
    assert "AZURE_OPENAI_KEY" not in linked
    for settings in (managed, linked):
        assert settings["AZURE_OPENAI_ENDPOINT"] == EXISTING_ENDPOINT
        assert settings["AZURE_OPENAI_DEPLOYMENT_NAME"] == "chat-prod"


def test_a_compatible_server_gets_its_base_url_and_model() -> None:
    s = scenario("azuredeploy-openai.json", "linked", "compatible")
    settings = load_settings(
        {k: v for k, v in written_settings(s.deploy(), "linked").items() if k in API_SETTINGS}
    )
    assert settings.upstream.base_url == "https://llm.example.com/v1"
    assert settings.default_model.id == "llama3.2"
    assert not settings.default_model.reasoning


@pytest.mark.parametrize("s", MANAGED, ids=lambda s: s.id)
def test_managed_settings_avoid_the_prefixes_static_web_apps_reserves(s: Scenario) -> None:
    reserved = [
        name
        for name in written_settings(s.deploy(), "managed")
        if name.startswith(SWA_RESERVED_PREFIXES)
    ]
    assert reserved == []


@pytest.mark.parametrize("s", LINKED, ids=lambda s: s.id)
def test_linked_hosting_stores_no_azure_key(s: Scenario) -> None:
    settings = written_settings(s.deploy(), "linked")
    # OpenAI's own API has no managed identity: its key is the one that stays.
    with_secrets = {k for k, v in settings.items() if SECRET in v} - {"OPENAI_API_KEY"}
    assert with_secrets == set()
    assert settings["PYTHON_ENABLE_INIT_INDEXING"] == "1"
    assert settings["AzureWebJobsStorage__accountName"] == s.deploy().variable("storageAccountName")
