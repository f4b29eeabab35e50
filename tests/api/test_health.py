"""GET /api/health: for probes without a principal; says whether the instance works and
never more than the provider's kind and the store's kind."""

from __future__ import annotations

import httpx

from tests.support.azurite import connection_string_for
from tests.support.servers import running_api
from tools.devstack.processes import free_port


def test_a_working_instance_is_ok_without_any_principal(api_root: str) -> None:
    response = httpx.get(f"{api_root}/api/health")
    assert response.status_code == 200
    assert response.headers["cache-control"] == "no-store"
    assert response.json() == {
        "status": "ok",
        "provider": "mock",
        "models": ["mock-gpt"],
        "store": {"kind": "sqlite", "reachable": True},
    }


def test_an_unreachable_store_is_degraded_and_names_no_account() -> None:
    env = {
        "AI_PROVIDER": "azure",
        "AZURE_OPENAI_ENDPOINT": "https://secret-resource.openai.azure.com",
        "AZURE_OPENAI_KEY": "SECRET-KEY",
        "AZURE_OPENAI_DEPLOYMENT_NAME": "chat",
        "HISTORY_STORE": "table",
        "HISTORY_STORAGE_CONNECTION_STRING": connection_string_for(free_port()),
    }
    with running_api(env, name="api_health_dead_store") as root:
        response = httpx.get(f"{root}/api/health", timeout=30)
    assert response.status_code == 503
    assert response.json()["status"] == "degraded"
    assert response.json()["store"] == {"kind": "table", "reachable": False}
    for secret in ("SECRET-KEY", "secret-resource", "devstoreaccount1", "Traceback"):
        assert secret not in response.text


def test_a_misconfigured_instance_says_so_and_nothing_else() -> None:
    with running_api({"AI_PROVIDER": "azure"}, name="api_health_misconfigured") as root:
        response = httpx.get(f"{root}/api/health")
    assert response.status_code == 503
    assert response.json() == {"status": "misconfigured"}
