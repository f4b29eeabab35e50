"""`POST /api/GetRoles`: SWA's role function (`auth.rolesSource`), called by SWA itself
right after each sign-in with the user's identity and claims, answering
`{"roles": [...]}` (docs/access.md).

It is the one route without the API's role check: SWA calls it before the user holds
any role. What makes that safe: it reads nothing but the body it is given (no history,
no model, no user data), so a caller learns only which roles those claims would earn;
and SWA refuses outside requests to a configured rolesSource path, while a linked
Function App only takes requests from its Static Web App.
"""

from __future__ import annotations

import logging

from pydantic import BaseModel, ConfigDict, Field
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from chat_api.app_state import app_state, request_id_of
from chat_api.request_body import read_json_body
from chat_api.schemas import validate_json
from chat_api.sign_in_claims import identity_from_claims

log = logging.getLogger("chat_api.roles")


class Claim(BaseModel):
    model_config = ConfigDict(extra="ignore", strict=True)

    typ: str
    # Always a string from SWA; the SWA CLI emulator also sends booleans and numbers
    # (e.g. email_verified). Only strings can match a rule.
    val: str | bool | int | float | None = None


class SignInRequest(BaseModel):
    """What SWA posts. `accessToken` is deliberately not read: the rules need no token."""

    model_config = ConfigDict(extra="ignore", strict=True)

    identity_provider: str = Field(alias="identityProvider")
    # Absent from the SWA CLI emulator's call, so not required.
    user_id: str | None = Field(default=None, alias="userId")
    user_details: str | None = Field(default=None, alias="userDetails")
    claims: list[Claim]


class RolesAnswer(BaseModel):
    roles: list[str]


async def get_roles(request: Request) -> Response:
    settings = app_state(request).settings
    body = await read_json_body(request, settings.limits.max_request_bytes)
    sign_in = validate_json(SignInRequest, body)
    identity = identity_from_claims(
        sign_in.user_details,
        ((claim.typ, claim.val) for claim in sign_in.claims if isinstance(claim.val, str)),
    )
    rules = settings.role_rules
    roles = rules.roles_for(identity)
    request_id = request_id_of(request)
    log.info(
        "sign-in roles (request %s, user %s, provider %s): %s",
        request_id,
        sign_in.user_id or "-",
        sign_in.identity_provider,
        ", ".join(roles) or "none",
    )
    if not roles and rules.uses_groups and identity.groups_left_out:
        log.warning(
            "sign-in roles (request %s): the token left the user's groups out (over 200); "
            "ROLE_INVITED_GROUP_IDS cannot match them (docs/access.md#group-overage)",
            request_id,
        )
    return JSONResponse(RolesAnswer(roles=roles).model_dump())
