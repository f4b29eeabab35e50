"""The whole local stack for end-to-end tests: mock model → API → SWA emulator."""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator

import pytest

from tests.support.servers import running_swa_emulator

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="session")
def swa_root(api_root: str) -> Iterator[str]:
    with running_swa_emulator(api_root) as root:
        yield root


def auth_cookie(roles: list[str], user_id: str = "e2e-user", name: str = "Zoë") -> str:
    """SWA's auth cookie as the emulator reads it: base64 of the client principal."""
    principal = {
        "identityProvider": "aad",
        "userId": user_id,
        "userDetails": name,
        "userRoles": ["anonymous", "authenticated", *roles],
    }
    return base64.b64encode(json.dumps(principal).encode("utf-8")).decode("ascii")
