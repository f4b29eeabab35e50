"""Custom assistants through the API over HTTP: who may see, change, share and feature what.

The session's API keeps them in SQLite, shared by every test of the session: each test
makes its own users, so what others left behind never matters.
"""

from __future__ import annotations

import uuid
from typing import Any

import httpx
import pytest
from starlette.testclient import TestClient

from chat_api.app import create_app
from tests.support.azurite import connection_string_for
from tests.support.principals import headers_for
from tools.devstack.processes import free_port

PROBLEM = "urn:chat-on-azure:problem:"
# The session API's model (AI_PROVIDER=mock) and its MAX_MESSAGE_CHARS (tests/conftest.py).
MODEL = "mock-gpt"
MAX_SYSTEM_CHARS = 20_000
WIRE_FIELDS = {
    "id",
    "name",
    "description",
    "system",
    "model",
    "temperature",
    "max_tokens",
    "starters",
    "visibility",
    "featured",
    "version",
    "owner_name",
    "mine",
    "created",
    "updated",
    "etag",
}
PROOFREADER = {
    "name": "Proofreader",
    "description": "Fixes spelling and grammar",
    "system": "You correct the user's English and explain each change briefly.",
    "model": MODEL,
    "temperature": 0.2,
    "max_tokens": 800,
    "starters": ["Check this paragraph", "Make it more formal"],
}


def a_user(admin: bool = False) -> dict[str, str]:
    user = uuid.uuid4().hex[:12]
    return headers_for(f"user-{user}", f"{user}@example.com", admin=admin)


def create(root: str, user: dict[str, str], **changes: Any) -> dict[str, Any]:
    response = httpx.post(f"{root}/api/assistants", json={**PROOFREADER, **changes}, headers=user)
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


def listed(root: str, user: dict[str, str], scope: str) -> list[dict[str, Any]]:
    response = httpx.get(f"{root}/api/assistants", params={"scope": scope}, headers=user)
    assert response.status_code == 200, response.text
    items: list[dict[str, Any]] = response.json()["items"]
    return items


def listed_ids(root: str, user: dict[str, str], scope: str) -> list[str]:
    return [item["id"] for item in listed(root, user, scope)]


def problem_of(response: httpx.Response, status: int, slug: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    body: dict[str, Any] = response.json()
    assert body["type"] == PROBLEM + slug
    return body


def test_an_assistant_is_created_read_listed_edited_and_deleted(api_root: str) -> None:
    owner = a_user()
    response = httpx.post(f"{api_root}/api/assistants", json=PROOFREADER, headers=owner)

    assert response.status_code == 201, response.text
    created = response.json()
    assert set(created) == WIRE_FIELDS, "never the owner's id, nothing unlisted"
    assert response.headers["location"] == f"/api/assistants/{created['id']}"
    assert response.headers["etag"] == f'"{created["etag"]}"'
    assert {key: created[key] for key in PROOFREADER} == PROOFREADER
    assert (created["visibility"], created["featured"], created["version"]) == (
        "private",
        False,
        1,
    )
    assert created["mine"] is True
    assert created["owner_name"].endswith("@example.com")

    read = httpx.get(f"{api_root}{response.headers['location']}", headers=owner)
    assert read.json() == created
    [item] = listed(api_root, owner, "mine")
    assert item == {key: value for key, value in created.items() if key != "system"}

    edit = httpx.patch(
        f"{api_root}/api/assistants/{created['id']}",
        json={"name": "Editor", "starters": []},
        headers=owner,
    )
    assert edit.status_code == 200, edit.text
    edited = edit.json()
    assert (edited["name"], edited["starters"], edited["version"]) == ("Editor", [], 2)
    assert edited["system"] == PROOFREADER["system"], "what the patch left out stays"
    assert edited["etag"] != created["etag"]

    deleted = httpx.delete(f"{api_root}/api/assistants/{created['id']}", headers=owner)
    assert deleted.status_code == 204
    gone = httpx.get(f"{api_root}/api/assistants/{created['id']}", headers=owner)
    problem_of(gone, 404, "not-found")
    assert listed(api_root, owner, "mine") == []


def test_sharing_shows_it_to_everyone_but_only_its_owner_changes_it(api_root: str) -> None:
    owner, colleague = a_user(), a_user()
    assistant = create(api_root, owner)
    address = f"{api_root}/api/assistants/{assistant['id']}"
    assert assistant["id"] not in listed_ids(api_root, colleague, "organisation")

    shared = httpx.patch(address, json={"visibility": "organisation"}, headers=owner).json()

    seen = httpx.get(address, headers=colleague).json()
    assert seen == {**shared, "mine": False}
    assert assistant["id"] in listed_ids(api_root, colleague, "organisation")
    assert assistant["id"] not in listed_ids(api_root, colleague, "mine")
    problem_of(httpx.patch(address, json={"name": "Hijacked"}, headers=colleague), 403, "not-owner")
    problem_of(httpx.delete(address, headers=colleague), 403, "not-owner")
    assert httpx.get(address, headers=owner).json() == shared

    httpx.patch(address, json={"visibility": "private"}, headers=owner)
    problem_of(httpx.get(address, headers=colleague), 404, "not-found")
    assert assistant["id"] not in listed_ids(api_root, colleague, "organisation")


def test_someone_elses_private_assistant_answers_like_one_that_does_not_exist(
    api_root: str,
) -> None:
    owner, admin = a_user(), a_user(admin=True)
    private = create(api_root, owner)["id"]

    def answers(assistant_id: str) -> list[tuple[int, str, str]]:
        address = f"{api_root}/api/assistants/{assistant_id}"
        responses = [
            httpx.get(address, headers=admin),
            httpx.patch(address, json={"name": "Mine"}, headers=admin),
            httpx.delete(address, headers=admin),
            httpx.put(f"{address}/featured", json={"featured": True}, headers=admin),
        ]
        return [(r.status_code, r.json()["type"], r.json()["detail"]) for r in responses]

    assert answers(private) == answers(uuid.uuid4().hex)
    assert {status for status, _, _ in answers(private)} == {404}
    assert httpx.get(f"{api_root}/api/assistants/{private}", headers=owner).status_code == 200


def test_only_admins_feature_and_featured_assistants_come_first(api_root: str) -> None:
    owner, admin = a_user(), a_user(admin=True)
    older = create(api_root, owner, visibility="organisation", name="Older")
    newer = create(api_root, owner, visibility="organisation", name="Newer")
    featured_address = f"{api_root}/api/assistants/{older['id']}/featured"

    refused = httpx.put(featured_address, json={"featured": True}, headers=owner)
    problem_of(refused, 403, "admin-only")

    response = httpx.put(featured_address, json={"featured": True}, headers=admin)
    assert response.status_code == 200, response.text
    featured = response.json()
    assert featured["featured"] is True
    assert (featured["version"], featured["updated"]) == (older["version"], older["updated"])
    assert featured["mine"] is False
    assert older["id"] in listed_ids(api_root, owner, "featured")
    assert newer["id"] not in listed_ids(api_root, owner, "featured")
    mine = listed_ids(api_root, owner, "mine")
    assert mine == [older["id"], newer["id"]], "featured first, though edited before"

    httpx.put(featured_address, json={"featured": False}, headers=admin)
    assert listed_ids(api_root, owner, "mine") == [newer["id"], older["id"]]


def test_an_admin_may_delete_a_shared_assistant_of_someone_else(api_root: str) -> None:
    owner, admin = a_user(), a_user(admin=True)
    shared = create(api_root, owner, visibility="organisation")

    response = httpx.delete(f"{api_root}/api/assistants/{shared['id']}", headers=admin)

    assert response.status_code == 204
    assert listed(api_root, owner, "mine") == []


def test_an_edit_with_a_stale_if_match_is_412_and_with_the_current_one_succeeds(
    api_root: str,
) -> None:
    owner = a_user()
    created = create(api_root, owner)
    address = f"{api_root}/api/assistants/{created['id']}"
    current = httpx.patch(address, json={"name": "Second"}, headers=owner).json()

    stale = httpx.patch(
        address, json={"name": "Lost"}, headers={**owner, "If-Match": f'"{created["etag"]}"'}
    )
    problem_of(stale, 412, "conflict")
    fresh = httpx.patch(
        address, json={"name": "Third"}, headers={**owner, "If-Match": f'W/"{current["etag"]}"'}
    )
    assert fresh.status_code == 200, fresh.text
    assert (fresh.json()["name"], fresh.json()["version"]) == ("Third", 3)


def test_null_sets_temperature_and_max_tokens_back_to_the_models_default(api_root: str) -> None:
    owner = a_user()
    address = f"{api_root}/api/assistants/{create(api_root, owner)['id']}"

    cleared = httpx.patch(address, json={"temperature": None, "max_tokens": None}, headers=owner)

    assert (cleared.json()["temperature"], cleared.json()["max_tokens"]) == (None, None)
    refused = httpx.patch(address, json={"name": None}, headers=owner)
    assert problem_of(refused, 400, "invalid-request")["errors"][0]["field"] == "name"


def test_a_model_left_out_is_the_default_and_an_unknown_one_is_refused(api_root: str) -> None:
    owner = a_user()
    without = {key: value for key, value in PROOFREADER.items() if key != "model"}
    created = httpx.post(f"{api_root}/api/assistants", json=without, headers=owner).json()
    assert created["model"] == MODEL

    for response in (
        httpx.post(
            f"{api_root}/api/assistants", json={**PROOFREADER, "model": "gpt-9"}, headers=owner
        ),
        httpx.patch(
            f"{api_root}/api/assistants/{created['id']}", json={"model": "gpt-9"}, headers=owner
        ),
    ):
        [error] = problem_of(response, 400, "invalid-request")["errors"]
        assert error["field"] == "model"
        assert MODEL in error["message"]
    assert httpx.get(f"{api_root}/api/assistants/{created['id']}", headers=owner).json() == created


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"name": None}, "name"),
        ({"name": "   "}, "name"),
        ({"name": "n" * 81}, "name"),
        ({"description": "d" * 301}, "description"),
        ({"system": "s" * (MAX_SYSTEM_CHARS + 1)}, "system"),
        ({"model": "m" * 201}, "model"),
        ({"starters": ["a", "b", "c", "d", "e"]}, "starters"),
        ({"starters": ["fine", "s" * 301]}, "starters[1]"),
        ({"starters": ["fine", " "]}, "starters[1]"),
        ({"starters": "one"}, "starters"),
        ({"temperature": 2.5}, "temperature"),
        ({"temperature": "0.5"}, "temperature"),
        ({"max_tokens": 0}, "max_tokens"),
        ({"max_tokens": 1_000_001}, "max_tokens"),
        ({"visibility": "public"}, "visibility"),
        ({"owner_id": "someone-else"}, "owner_id"),
        ({"featured": True}, "featured"),
    ],
)
def test_a_body_over_a_limit_is_400_naming_the_field(
    api_root: str, changes: dict[str, Any], field: str
) -> None:
    owner = a_user()
    body = {key: value for key, value in {**PROOFREADER, **changes}.items() if value is not None}
    response = httpx.post(f"{api_root}/api/assistants", json=body, headers=owner)

    problem = problem_of(response, 400, "invalid-request")
    assert problem["errors"][0]["field"] == field
    assert listed(api_root, owner, "mine") == []


def test_the_longest_system_prompt_allowed_is_kept_whole(api_root: str) -> None:
    owner = a_user()
    system = ("Réponds en français 🇫🇷. " * 1_000)[:MAX_SYSTEM_CHARS]

    created = create(api_root, owner, system=system)

    read = httpx.get(f"{api_root}/api/assistants/{created['id']}", headers=owner).json()
    assert read["system"] == system


def test_an_empty_patch_an_unknown_scope_and_a_bad_featured_body_are_400(api_root: str) -> None:
    owner, admin = a_user(), a_user(admin=True)
    shared = create(api_root, owner, visibility="organisation")
    address = f"{api_root}/api/assistants/{shared['id']}"

    problem_of(httpx.patch(address, json={}, headers=owner), 400, "invalid-request")
    scope = httpx.get(f"{api_root}/api/assistants", params={"scope": "all"}, headers=owner)
    assert problem_of(scope, 400, "invalid-request")["errors"][0]["field"] == "scope"
    featured = httpx.put(f"{address}/featured", json={"featured": "yes"}, headers=admin)
    assert problem_of(featured, 400, "invalid-request")["errors"][0]["field"] == "featured"


def test_without_history_every_assistant_route_is_history_disabled() -> None:
    app = create_app(environ={"AI_PROVIDER": "mock", "HISTORY_STORE": "none"})
    admin = a_user(admin=True)
    with TestClient(app) as client:
        responses = [
            client.get("/api/assistants", headers=admin),
            client.post("/api/assistants", json=PROOFREADER, headers=admin),
            client.get("/api/assistants/a1", headers=admin),
            client.patch("/api/assistants/a1", json={"name": "x"}, headers=admin),
            client.delete("/api/assistants/a1", headers=admin),
            client.put("/api/assistants/a1/featured", json={"featured": True}, headers=admin),
        ]
    for response in responses:
        assert response.status_code == 404, response.text
        assert response.json()["type"] == PROBLEM + "history-disabled"


def test_an_unreachable_table_is_503_with_retry_after_and_no_account_named() -> None:
    dead_store = connection_string_for(free_port())  # nothing listens there
    app = create_app(
        environ={
            "AI_PROVIDER": "mock",
            "HISTORY_STORE": "table",
            "HISTORY_STORAGE_CONNECTION_STRING": dead_store,
        }
    )
    with TestClient(app) as client:
        response = client.get("/api/assistants", headers=a_user())
    assert response.status_code == 503, response.text
    assert response.json()["type"] == PROBLEM + "history-unavailable"
    assert int(response.headers["retry-after"]) > 0
    assert "devstoreaccount1" not in response.text
