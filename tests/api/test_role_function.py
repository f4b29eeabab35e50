"""SWA's role function, /api/GetRoles (docs/access.md): who gets `invited` and `admin` at
sign-in, over HTTP against the real app; and that it is the only route without the
API's own role check."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from starlette.testclient import TestClient

from chat_api.app import ROUTES, create_app
from chat_api.settings import SettingsError, load_settings
from tests.support.principals import INVITED, UNINVITED
from tests.support.servers import log_path, running_api

EMAIL = "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress"
ENGINEERING = "6b0b2fff-53e9-4cff-914f-dd97a13bfbd6"
ROLE_SETTINGS = {
    "ROLE_INVITED_EMAIL_DOMAINS": "Contoso.com, @fabrikam.example",
    "ROLE_INVITED_EMAILS": "Guest.User@Partner.org",
    "ROLE_INVITED_GROUP_IDS": ENGINEERING.upper(),
    "ROLE_ADMIN_EMAILS": "boss@contoso.com; it-admin@partner.org",
}
BASE_ENV = {"AI_PROVIDER": "mock", "HISTORY_STORE": "none"}
# The routes that answer without an allowed role, and why: SWA calls GetRoles before the
# user has a role; the OpenAPI document and the health probe hold nothing about anyone.
OPEN_ROUTES = {
    ("POST", "/api/GetRoles"),
    ("GET", "/api/openapi.json"),
    ("GET", "/api/health"),
}


@pytest.fixture(scope="module")
def roles_api() -> Iterator[str]:
    with running_api({**BASE_ENV, **ROLE_SETTINGS}, name="roles_api") as root:
        yield root


@pytest.fixture(scope="module")
def unconfigured_api() -> Iterator[str]:
    with running_api(BASE_ENV, name="roles_api_unconfigured") as root:
        yield root


def sign_in(
    *claims: tuple[str, str], user_details: str = "someone", provider: str = "aad"
) -> dict[str, Any]:
    """The body SWA posts after a sign-in (the shape in Microsoft's docs)."""
    return {
        "identityProvider": provider,
        "userId": "72137ad3-ae00-42b5-8d54-aacb38576d76",
        "userDetails": user_details,
        "claims": [{"typ": typ, "val": val} for typ, val in claims],
        "accessToken": "eyJ0eXAiOiJKV1QiLCJub3QiOiJyZWFsIn0",
    }


def roles(root: str, body: dict[str, Any], headers: dict[str, str] | None = None) -> list[str]:
    response = httpx.post(f"{root}/api/GetRoles", json=body, headers=headers or {})
    assert response.status_code == 200, response.text
    answer = response.json()
    assert set(answer) == {"roles"}, "the answer must carry roles and nothing else"
    roles: list[str] = answer["roles"]
    return roles


def test_microsofts_example_payload_is_invited_by_its_domain(roles_api: str) -> None:
    body = sign_in(
        (EMAIL, "ellen@contoso.com"),
        ("name", "Ellen Contoso"),
        ("http://schemas.microsoft.com/identity/claims/tenantid", "3856f5f5-4bae-464a"),
        ("ver", "1.0"),
        user_details="ellen@contoso.com",
    )
    assert roles(roles_api, body) == ["invited"]


@pytest.mark.parametrize(
    ("claim_type", "address"),
    [
        (EMAIL, "ellen@contoso.com"),
        ("email", "ellen@contoso.com"),
        ("preferred_username", "ellen@contoso.com"),
        ("upn", "ellen@fabrikam.example"),
        ("http://schemas.xmlsoap.org/ws/2005/05/identity/claims/upn", "ellen@contoso.com"),
    ],
)
def test_an_address_in_an_allowed_domain_is_invited_whichever_claim_carries_it(
    roles_api: str, claim_type: str, address: str
) -> None:
    assert roles(roles_api, sign_in((claim_type, address))) == ["invited"]


@pytest.mark.parametrize(
    "address",
    [
        "mallory@contoso.com.evil.example",
        "mallory@evilcontoso.com",
        "mallory@sales.contoso.com",
        "contoso.com@evil.example",
        "mallory@contoso.com@evil.example",
    ],
)
def test_lookalike_domains_are_not_invited(roles_api: str, address: str) -> None:
    assert roles(roles_api, sign_in((EMAIL, address), user_details=address)) == []


def test_a_listed_address_is_invited_but_not_the_rest_of_its_domain(roles_api: str) -> None:
    assert roles(roles_api, sign_in(("preferred_username", "guest.user@partner.org"))) == [
        "invited"
    ]
    assert roles(roles_api, sign_in(("preferred_username", "other@partner.org"))) == []


def test_members_of_an_allowed_group_are_invited(roles_api: str) -> None:
    outsider = ("preferred_username", "someone@elsewhere.example")
    sales = ("groups", "00000000-0000-0000-0000-000000000001")
    assert roles(roles_api, sign_in(outsider, sales, ("groups", ENGINEERING))) == ["invited"]
    assert roles(roles_api, sign_in(outsider, sales)) == []


def test_listed_admins_are_admin_and_invited(roles_api: str) -> None:
    assert roles(roles_api, sign_in((EMAIL, "boss@contoso.com"))) == ["admin", "invited"]
    # An admin from outside the invited domains is still let in.
    assert roles(roles_api, sign_in(("upn", "it-admin@partner.org"))) == ["admin", "invited"]


def test_case_does_not_matter_in_addresses_domains_or_group_ids(roles_api: str) -> None:
    assert roles(roles_api, sign_in(user_details="ELLEN@CONTOSO.COM")) == ["invited"]
    assert roles(roles_api, sign_in(("email", "Guest.USER@partner.ORG"))) == ["invited"]
    assert roles(roles_api, sign_in(("email", "Boss@Contoso.Com"))) == ["admin", "invited"]
    assert roles(roles_api, sign_in(("groups", ENGINEERING.upper()))) == ["invited"]


def test_nobody_gets_a_role_when_nothing_is_configured(unconfigured_api: str) -> None:
    for body in (
        sign_in((EMAIL, "boss@contoso.com"), ("groups", ENGINEERING)),
        sign_in(user_details="ellen@contoso.com"),
    ):
        assert roles(unconfigured_api, body) == []


def test_the_swa_cli_emulators_call_is_understood(roles_api: str) -> None:
    # What the SWA CLI (2.0.x) posts after a custom-auth sign-in: no userId, userRoles,
    # and claim values that are not strings.
    body = {
        "identityProvider": "aad",
        "userDetails": "ellen@contoso.com",
        "claims": [
            {"typ": "iss", "val": "https://login.microsoftonline.com/x/v2.0"},
            {"typ": EMAIL, "val": "ellen@contoso.com"},
            {"typ": "email_verified", "val": True},
        ],
        "userRoles": ["authenticated", "anonymous"],
    }
    assert roles(roles_api, body) == ["invited"]


def test_swa_gets_its_answer_with_or_without_a_principal_header(roles_api: str) -> None:
    body = sign_in((EMAIL, "ellen@contoso.com"))
    assert roles(roles_api, body) == ["invited"]
    assert roles(roles_api, body, headers=UNINVITED) == ["invited"]
    assert roles(roles_api, body, headers=INVITED) == ["invited"]


@pytest.mark.parametrize(
    ("content", "field"),
    [
        (b"not json", None),
        (b"[]", None),
        (b'{"identityProvider": "aad"}', "claims"),
        (b'{"identityProvider": "aad", "claims": "groups"}', "claims"),
        (b'{"identityProvider": "aad", "claims": [{"val": "x@contoso.com"}]}', "claims[0].typ"),
        (b'{"identityProvider": "aad", "claims": [{"typ": 7, "val": "x"}]}', "claims[0].typ"),
        (b'{"identityProvider": "aad", "claims": ["email"]}', "claims[0]"),
        (b'{"claims": []}', "identityProvider"),
        (b'{"identityProvider": "aad", "userDetails": 5, "claims": []}', "userDetails"),
    ],
)
def test_malformed_bodies_are_refused_with_a_problem(
    roles_api: str, content: bytes, field: str | None
) -> None:
    response = httpx.post(
        f"{roles_api}/api/GetRoles",
        content=content,
        headers={"content-type": "application/json"},
    )
    assert response.status_code == 400
    assert response.headers["content-type"] == "application/problem+json"
    problem = response.json()
    assert problem["type"].endswith(":invalid-request")
    if field is not None:
        assert field in {error["field"] for error in problem["errors"]}


def test_only_post_is_accepted(roles_api: str) -> None:
    response = httpx.get(f"{roles_api}/api/GetRoles")
    assert response.status_code == 405
    assert response.headers["allow"] == "POST"


def test_every_other_route_refuses_callers_without_an_allowed_role(roles_api: str) -> None:
    checked = 0
    for route in ROUTES:
        path = re.sub(r"\{[^}]+\}", "some-id", route.path)
        for method in sorted((route.methods or set()) - {"HEAD"}):
            if (method, route.path) in OPEN_ROUTES:
                continue
            anonymous = httpx.request(method, f"{roles_api}{path}")
            uninvited = httpx.request(method, f"{roles_api}{path}", headers=UNINVITED)
            assert anonymous.status_code == 401, (method, route.path)
            assert uninvited.status_code == 403, (method, route.path)
            checked += 1
    assert checked >= 10, "the sweep found too few routes to be meaningful"


def test_the_access_token_is_never_logged(roles_api: str) -> None:
    token = "eyJ-secret-access-token-zebra"
    body = {**sign_in((EMAIL, "ellen@contoso.com")), "accessToken": token}
    assert roles(roles_api, body) == ["invited"]
    log = _log_after_flush("roles_api")
    assert "sign-in roles" in log, "each decision should be logged for the administrator"
    assert token not in log


def test_a_token_without_its_groups_is_reported_in_the_log(roles_api: str) -> None:
    body = sign_in(
        ("preferred_username", "someone@elsewhere.example"),
        ("_claim_names", '{"groups": "src1"}'),
    )
    assert roles(roles_api, body) == []
    assert "left the user's groups out" in _log_after_flush("roles_api")


@pytest.mark.parametrize(
    ("setting", "value"),
    [
        ("ROLE_INVITED_EMAIL_DOMAINS", "*.contoso.com"),
        ("ROLE_INVITED_EMAIL_DOMAINS", "contoso"),
        ("ROLE_INVITED_EMAILS", "ellen"),
        ("ROLE_ADMIN_EMAILS", "boss@contoso.com, boss"),
        ("ROLE_INVITED_GROUP_IDS", "Engineering"),
    ],
)
def test_a_malformed_role_setting_is_named(setting: str, value: str) -> None:
    with pytest.raises(SettingsError) as caught:
        load_settings({**BASE_ENV, setting: value})
    assert [problem for problem in caught.value.problems if problem.startswith(setting)]


def test_a_malformed_role_setting_leaves_everyone_without_a_role() -> None:
    app = create_app(environ={**BASE_ENV, "ROLE_INVITED_GROUP_IDS": "Engineering"})
    with TestClient(app) as client:
        response = client.post("/api/GetRoles", json=sign_in((EMAIL, "boss@contoso.com")))
    assert response.status_code == 500
    problem = response.json()
    assert problem["type"].endswith(":configuration-error")
    assert "ROLE_INVITED_GROUP_IDS" in problem["detail"]
    assert "roles" not in problem


def _log_after_flush(name: str) -> str:
    time.sleep(0.2)  # let the server flush its log
    return log_path(name).read_text(encoding="utf-8")
