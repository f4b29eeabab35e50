from __future__ import annotations

import base64

import pytest

from chat_api.auth import parse_principal, require_role
from chat_api.problems import Problem
from tests.support.principals import principal_header


def test_non_ascii_names_decode() -> None:
    principal = parse_principal(principal_header(name="Zoë Ångström 山田"))
    assert principal.name == "Zoë Ångström 山田"
    assert "invited" in principal.roles


def test_missing_padding_is_tolerated() -> None:
    header = principal_header().rstrip("=")
    assert parse_principal(header).user_id == "user-1"


@pytest.mark.parametrize(
    "header",
    [
        None,
        "",
        "%%% not base64 %%%",
        base64.b64encode(b"not json").decode(),
        base64.b64encode(b"[1, 2]").decode(),
        base64.b64encode(b'{"userRoles": ["invited"]}').decode(),
        base64.b64encode(b'{"userId": "u", "userRoles": "invited"}').decode(),
        base64.b64encode(b"\xff\xfe").decode(),
    ],
)
def test_missing_or_garbled_principal_is_401(header: str | None) -> None:
    with pytest.raises(Problem) as caught:
        parse_principal(header)
    assert caught.value.status == 401


def test_principal_without_allowed_role_is_403() -> None:
    header = principal_header(roles=("anonymous", "authenticated"))
    with pytest.raises(Problem) as caught:
        require_role(header, frozenset({"invited"}))
    assert caught.value.status == 403


def test_any_configured_role_is_enough() -> None:
    header = principal_header(roles=("authenticated", "staff"))
    assert require_role(header, frozenset({"invited", "staff"})).user_id == "user-1"
