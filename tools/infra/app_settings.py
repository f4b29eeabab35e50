"""The app settings each hosting mode writes: every setting chat_api reads that applies in
Azure, and the few the platform itself needs.

Tunables (retries, limits, log level) are written with the API's own defaults so that an
admin finds every knob in the portal's list, not only in the README.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Literal

from chat_api.settings_catalog import SETTINGS
from tools.infra import arm, monitoring, names, storage

Hosting = Literal["managed", "linked"]
HOSTINGS: tuple[Hosting, ...] = ("managed", "linked")

# The model service's settings: each backend writes those its provider reads, no others.
UPSTREAM = frozenset(
    {
        "AI_PROVIDER",
        "AZURE_OPENAI_ENDPOINT",
        "AZURE_OPENAI_KEY",
        "AZURE_OPENAI_DEPLOYMENT_NAME",
        "OPENAI_API_KEY",
        "OPENAI_MODEL_NAME",
        "OPENAI_BASE_URL",
    }
)
# Only for a developer's machine: the mock model and the SQLite history.
LOCAL_ONLY = frozenset({"MOCK_OPENAI_URL", "HISTORY_SQLITE_PATH"})
# A key for managed functions (no identity there), an endpoint for a managed identity.
HISTORY_ACCESS = frozenset({"HISTORY_STORAGE_CONNECTION_STRING", "HISTORY_TABLES_ENDPOINT"})


def api_settings(upstream: Mapping[str, str], hosting: Hosting) -> dict[str, str]:
    """`upstream`: the backend's model settings, as template values."""
    if not upstream.keys() <= UPSTREAM:
        raise ValueError(f"not model settings: {sorted(upstream.keys() - UPSTREAM)}")
    history_access = (
        {"HISTORY_TABLES_ENDPOINT": arm.wrap(storage.tables_endpoint())}
        if hosting == "linked"
        else {"HISTORY_STORAGE_CONNECTION_STRING": arm.wrap(storage.connection_string())}
    )
    chosen = {
        **upstream,
        "MODEL_REASONING": arm.wrap(arm.param("modelReasoning")),
        "HISTORY_STORE": "table",
        **history_access,
        "HISTORY_TABLE_NAME": arm.wrap(names.HISTORY_TABLE),
        "CHAT_API_HOSTING": "streaming" if hosting == "linked" else "buffered",
    }
    settings: dict[str, str] = {}
    for doc in SETTINGS:
        if doc.name in chosen:
            settings[doc.name] = chosen[doc.name]
        elif doc.name not in UPSTREAM | LOCAL_ONLY | HISTORY_ACCESS:
            settings[doc.name] = doc.default
    if unknown := chosen.keys() - settings.keys():
        raise ValueError(f"the API does not read {sorted(unknown)}")
    return settings


def platform_settings(hosting: Hosting) -> dict[str, str]:
    """What Azure itself reads. SWA reserves the FUNCTIONS_, WEBSITE_ and AzureWeb prefixes
    in its own app settings, so managed hosting has only the telemetry connection."""
    telemetry = {"APPLICATIONINSIGHTS_CONNECTION_STRING": arm.wrap(monitoring.connection_string())}
    if hosting == "managed":
        return telemetry
    return {
        # The host's own storage, reached with the app's identity (no connection string).
        "AzureWebJobsStorage__accountName": arm.wrap(names.STORAGE_ACCOUNT),
        **telemetry,
        # HTTP streaming on Python before 3.13 (CHAT_API_HOSTING=streaming needs it).
        "PYTHON_ENABLE_INIT_INDEXING": "1",
    }


def all_settings(upstream: Mapping[str, str], hosting: Hosting) -> dict[str, str]:
    return {**api_settings(upstream, hosting), **platform_settings(hosting)}
