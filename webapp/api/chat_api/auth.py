"""Who is calling: the principal SWA forwards in `x-ms-client-principal`.

SWA already enforces roles with staticwebapp.config.json; the API checks again because a
linked Function App can be reached without SWA and a route rule can be mistyped.
"""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass

from chat_api import problems

PRINCIPAL_HEADER = "x-ms-client-principal"


@dataclass(frozen=True)
class Principal:
    identity_provider: str
    user_id: str
    name: str
    roles: frozenset[str]


def parse_principal(header: str | None) -> Principal:
    """Decode the header, or raise a 401 Problem when it is missing or garbled."""
    if not header:
        raise problems.unauthenticated()
    try:
        # SWA may drop base64 padding; restore it rather than refuse a valid principal.
        raw = base64.b64decode(header + "=" * (-len(header) % 4), validate=True)
        data = json.loads(raw.decode("utf-8"))
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raise problems.unauthenticated() from None
    if not isinstance(data, dict):
        raise problems.unauthenticated()
    user_id = data.get("userId")
    roles = data.get("userRoles", [])
    if not isinstance(user_id, str) or not user_id or not isinstance(roles, list):
        raise problems.unauthenticated()
    details = data.get("userDetails")
    provider = data.get("identityProvider")
    return Principal(
        identity_provider=provider if isinstance(provider, str) else "",
        user_id=user_id,
        name=details if isinstance(details, str) else "",
        roles=frozenset(role for role in roles if isinstance(role, str)),
    )


def require_role(header: str | None, allowed_roles: frozenset[str]) -> Principal:
    principal = parse_principal(header)
    if principal.roles.isdisjoint(allowed_roles):
        raise problems.forbidden()
    return principal
