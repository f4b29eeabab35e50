"""Build the x-ms-client-principal header and cookie SWA would send."""

from __future__ import annotations

import base64
import json


def principal_header(
    user_id: str = "user-1",
    name: str = "zoe@example.com",
    roles: tuple[str, ...] = ("anonymous", "authenticated", "invited"),
    provider: str = "aad",
) -> str:
    data = {
        "identityProvider": provider,
        "userId": user_id,
        "userDetails": name,
        "userRoles": list(roles),
    }
    return base64.b64encode(json.dumps(data, ensure_ascii=False).encode("utf-8")).decode("ascii")


INVITED = {"x-ms-client-principal": principal_header()}
UNINVITED = {
    "x-ms-client-principal": principal_header(
        user_id="user-2", name="mallory@example.com", roles=("anonymous", "authenticated")
    )
}


def headers_for(user_id: str, name: str = "", *, admin: bool = False) -> dict[str, str]:
    """The header of an invited user; `admin` adds the role the role function gives admins."""
    roles = ("anonymous", "authenticated", "invited", *(("admin",) if admin else ()))
    return {"x-ms-client-principal": principal_header(user_id, name or user_id, roles)}
