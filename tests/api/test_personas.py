"""GET /api/personas over real loopback HTTP, and a bad catalog as the admin and users see it."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import httpx

from chat_api.personas import load_catalog
from chat_api.personas.schemas import PersonaCatalogOut
from chat_api.settings import PersonaSettings
from tests.support.principals import INVITED, UNINVITED, principal_header
from tests.support.servers import log_path, running_api

PROBLEM = "urn:chat-on-azure:problem:"
# Just enough to start: the persona route never calls the model or the history store.
QUIET_ENV = {"AI_PROVIDER": "mock", "HISTORY_STORE": "none"}


def _get_personas(root: str, headers: dict[str, str] | None = None) -> httpx.Response:
    return httpx.get(f"{root}/api/personas", headers=headers or {}, timeout=10)


def _write(tmp_path: Path, document: dict[str, Any]) -> Path:
    path = tmp_path / "our-personas.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    return path


def _persona(persona_id: str, group: str, temperature: float = 0.3) -> dict[str, Any]:
    return {
        "id": persona_id,
        "name": "Claims handler",
        "group": group,
        "description": "Answers questions about our claims process.",
        "system": "You know our claims process. Answer in numbered steps.",
        "temperature": temperature,
        "starters": ["How do I open a claim?", "Which documents does a claim need?"],
    }


def test_the_catalog_needs_a_signed_in_caller(api_root: str) -> None:
    response = _get_personas(api_root)
    assert response.status_code == 401
    assert response.json()["type"] == PROBLEM + "unauthenticated"


def test_the_catalog_needs_an_allowed_role(api_root: str) -> None:
    response = _get_personas(api_root, UNINVITED)
    assert response.status_code == 403
    assert response.json()["type"] == PROBLEM + "forbidden"


def test_an_invited_caller_gets_the_whole_catalog_cacheable_for_five_minutes(
    api_root: str,
) -> None:
    response = _get_personas(api_root, INVITED)
    assert response.status_code == 200
    assert response.headers["cache-control"] == "private, max-age=300"
    body = response.json()
    PersonaCatalogOut.model_validate(body)
    assert set(body) == {"groups", "items"}
    shipped = load_catalog(PersonaSettings(file=None, mode="extend"))
    assert [g["id"] for g in body["groups"]] == [g.id for g in shipped.groups]
    assert [p["id"] for p in body["items"]] == [p.id for p in shipped.personas]
    assert len(body["items"]) >= 60
    reviewer = next(p for p in body["items"] if p["id"] == "code-reviewer")
    assert set(reviewer) == {
        "id",
        "name",
        "group",
        "description",
        "system",
        "temperature",
        "starters",
    }
    assert reviewer["group"] == "engineering"
    assert 2 <= len(reviewer["starters"]) <= 3


def test_any_allowed_role_will_do(api_root: str) -> None:
    admin = {"x-ms-client-principal": principal_header(roles=("authenticated", "invited", "admin"))}
    assert _get_personas(api_root, admin).status_code == 200


def test_the_route_is_in_the_openapi_document(api_root: str) -> None:
    document = httpx.get(f"{api_root}/api/openapi.json", timeout=10).json()
    operation = document["paths"]["/api/personas"]["get"]
    schema = operation["responses"]["200"]["content"]["application/json"]["schema"]
    assert schema == {"$ref": "#/components/schemas/PersonaCatalogOut"}
    assert {"401", "403"} <= set(operation["responses"])
    assert {"Persona", "PersonaGroup"} <= set(document["components"]["schemas"])


def test_an_admins_file_extends_the_served_catalog(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        {
            "groups": [{"id": "insurance", "name": "Insurance"}],
            "personas": [_persona("claims-handler", "insurance")],
        },
    )
    env = {**QUIET_ENV, "PERSONAS_FILE": str(path), "PERSONAS_MODE": "extend"}
    with running_api(env, name="api_personas_extended") as root:
        body = _get_personas(root, INVITED).json()
    assert body["groups"][-1] == {"id": "insurance", "name": "Insurance"}
    assert body["items"][-1]["id"] == "claims-handler"
    assert any(p["id"] == "code-reviewer" for p in body["items"])


def test_a_bad_personas_file_is_named_in_the_log_and_never_shown_to_users(
    tmp_path: Path,
) -> None:
    path = _write(
        tmp_path,
        {
            "groups": [{"id": "insurance", "name": "Insurance"}],
            "personas": [_persona("claims-handler", "insurance", temperature=3)],
        },
    )
    name = "api_bad_personas"
    with running_api({**QUIET_ENV, "PERSONAS_FILE": str(path)}, name=name) as root:
        responses = [_get_personas(root, INVITED), httpx.get(f"{root}/api/me", headers=INVITED)]
        time.sleep(0.2)  # let the server flush its log
        log = log_path(name).read_text(encoding="utf-8")
    for response in responses:
        assert response.status_code == 500
        assert response.headers["content-type"].startswith("application/problem+json")
        problem = response.json()
        assert problem["type"] == PROBLEM + "configuration-error"
        assert "PERSONAS_FILE" in problem["detail"]
        assert "cache-control" not in response.headers
        for leak in (str(tmp_path), "our-personas", "claims-handler", "Traceback", "Error"):
            assert leak not in response.text
    assert f'{path}: persona 1 ("claims-handler"): temperature must be between 0 and 2' in log
    assert "Traceback" not in log
