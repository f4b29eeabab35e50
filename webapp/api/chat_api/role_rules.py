"""Who gets which SWA role at sign-in: the allow-lists behind the role function.

Beyond 25 users, SWA's invitations cannot hand out custom roles; SWA custom
authentication then asks the role function (role_assignment.py) after every sign-in.
Nothing configured grants nothing: a mistyped setting must lock people out, not let
everyone in.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass

from chat_api.sign_in_claims import SignInIdentity, normalise_email

# The role staticwebapp.config.json requires for every page and /api route.
INVITED = "invited"
ADMIN = "admin"

_LABEL = r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?"
_DOMAIN = re.compile(rf"{_LABEL}(?:\.{_LABEL})+")
_SEPARATORS = re.compile(r"[,;\s]+")


@dataclass(frozen=True)
class RoleRules:
    invited_domains: frozenset[str] = frozenset()
    invited_emails: frozenset[str] = frozenset()
    invited_group_ids: frozenset[str] = frozenset()
    admin_emails: frozenset[str] = frozenset()

    @property
    def uses_groups(self) -> bool:
        return bool(self.invited_group_ids)

    def roles_for(self, identity: SignInIdentity) -> list[str]:
        """The custom roles for this user, sorted; admins are invited too."""
        if identity.emails & self.admin_emails:
            return [ADMIN, INVITED]
        if (
            identity.emails & self.invited_emails
            or identity.email_domains & self.invited_domains
            or identity.group_ids & self.invited_group_ids
        ):
            return [INVITED]
        return []


def read_role_rules(text: Callable[[str], str], problems: list[str]) -> RoleRules:
    """The rules from the ROLE_* settings (`text` reads one); each malformed entry adds a
    problem that names its setting."""
    return RoleRules(
        invited_domains=_entries(text, problems, "ROLE_INVITED_EMAIL_DOMAINS", _domain),
        invited_emails=_entries(text, problems, "ROLE_INVITED_EMAILS", _email),
        invited_group_ids=_entries(text, problems, "ROLE_INVITED_GROUP_IDS", _group_id),
        admin_emails=_entries(text, problems, "ROLE_ADMIN_EMAILS", _email),
    )


def _entries(
    text: Callable[[str], str],
    problems: list[str],
    name: str,
    parse: Callable[[str], str | None],
) -> frozenset[str]:
    raw = [entry for entry in _SEPARATORS.split(text(name)) if entry]
    parsed = [parse(entry) for entry in raw]
    if None in parsed:
        problems.append(f"{name} must list {_EXPECTED[name]}, separated by commas")
    return frozenset(entry for entry in parsed if entry is not None)


def _domain(entry: str) -> str | None:
    domain = entry.lower().removeprefix("@")
    return domain if _DOMAIN.fullmatch(domain) else None


def _email(entry: str) -> str | None:
    email = normalise_email(entry)
    return email if email is not None and _domain(email.rpartition("@")[2]) else None


def _group_id(entry: str) -> str | None:
    try:
        return str(uuid.UUID(entry))
    except ValueError:
        return None


_EXPECTED = {
    "ROLE_INVITED_EMAIL_DOMAINS": "email domains such as contoso.com",
    "ROLE_INVITED_EMAILS": "email addresses",
    "ROLE_INVITED_GROUP_IDS": "Entra ID group object ids (GUIDs)",
    "ROLE_ADMIN_EMAILS": "email addresses",
}
