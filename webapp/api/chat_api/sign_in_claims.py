"""What the identity provider's claims say about a user who just signed in: their email
addresses and their Entra ID group object ids.

SWA passes the claims to the role function as `{"typ", "val"}` pairs, the long WS-Fed
names for some (Entra ID v1 mapping) and the short JWT names for others
(docs/access.md#what-swa-sends-the-role-function).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass

EMAIL_CLAIM_TYPES = frozenset(
    {
        "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress",
        "email",
        "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/upn",
        "upn",
        "preferred_username",
    }
)
GROUP_CLAIM_TYPES = frozenset(
    {"groups", "http://schemas.microsoft.com/ws/2008/06/identity/claims/groups"}
)
# Over 200 groups, Entra ID leaves the groups out of the token and says so instead:
# `_claim_names` {"groups": "src1"} (a pointer to Microsoft Graph), or `hasgroups` in the
# implicit flow. The role function never calls Graph (it reads no user data), so such a
# user can only be matched by address.
_OVERAGE_POINTER = "_claim_names"
_OVERAGE_FLAG = "hasgroups"


@dataclass(frozen=True)
class SignInIdentity:
    emails: frozenset[str]
    group_ids: frozenset[str]
    groups_left_out: bool

    @property
    def email_domains(self) -> frozenset[str]:
        return frozenset(email.rpartition("@")[2] for email in self.emails)


def identity_from_claims(
    user_details: str | None, claims: Iterable[tuple[str, str]]
) -> SignInIdentity:
    """Read the addresses and groups out of the claims; `user_details` is SWA's own pick
    of a user name, which for Entra ID is usually the address too."""
    addresses = [user_details or ""]
    groups: set[str] = set()
    groups_left_out = False
    for claim_type, value in claims:
        kind = claim_type.strip().lower()
        if kind in EMAIL_CLAIM_TYPES:
            addresses.append(value)
        elif kind in GROUP_CLAIM_TYPES:
            groups.add(value.strip().lower())
        elif kind == _OVERAGE_FLAG:
            groups_left_out = groups_left_out or value.strip().lower() == "true"
        elif kind == _OVERAGE_POINTER:
            groups_left_out = groups_left_out or _names_groups(value)
    emails = frozenset(e for e in map(normalise_email, addresses) if e is not None)
    return SignInIdentity(emails, frozenset(groups), groups_left_out)


def normalise_email(value: str) -> str | None:
    """The address in lower case, or None when it is not one `name@domain` address."""
    email = value.strip().lower()
    local, at, domain = email.partition("@")
    if not at or not local or not domain or "@" in domain or any(c.isspace() for c in email):
        return None
    return email


def _names_groups(value: str) -> bool:
    try:
        names = json.loads(value)
    except ValueError:
        return False
    return isinstance(names, dict) and "groups" in names
