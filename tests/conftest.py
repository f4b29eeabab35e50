"""Session-wide servers: the mock OpenAI server and the API in front of it."""

from __future__ import annotations

from collections.abc import Iterator, Mapping

import httpx
import pytest

from tests.support.servers import running_api, running_mock_openai


@pytest.fixture(scope="session")
def mock_root() -> Iterator[str]:
    with running_mock_openai() as root:
        yield root


@pytest.fixture
def mock(mock_root: str) -> MockControl:
    control = MockControl(mock_root)
    control.reset()
    return control


@pytest.fixture(scope="session")
def api_root(mock_root: str) -> Iterator[str]:
    env = {
        "AI_PROVIDER": "mock",
        "MOCK_OPENAI_URL": f"{mock_root}/v1",
        # Short so the time-out tests stay quick; production defaults are in settings.py.
        "UPSTREAM_FIRST_TOKEN_TIMEOUT_SECONDS": "1.5",
        "UPSTREAM_IDLE_TIMEOUT_SECONDS": "1.5",
        "UPSTREAM_MAX_RETRY_WAIT_SECONDS": "2",
        "MAX_MESSAGES": "50",
        "MAX_MESSAGE_CHARS": "20000",
        "MAX_REQUEST_BYTES": "200000",
    }
    with running_api(env) as root:
        yield root


class MockControl:
    """Queue behaviours on the mock OpenAI server and read what it received."""

    def __init__(self, root: str) -> None:
        self.root = root

    def reset(self) -> None:
        httpx.post(f"{self.root}/_mock/reset").raise_for_status()

    def queue(self, *behaviours: Mapping[str, object]) -> None:
        httpx.post(f"{self.root}/_mock/behaviours", json=list(behaviours)).raise_for_status()

    def requests(self) -> list[dict[str, object]]:
        response = httpx.get(f"{self.root}/_mock/requests")
        response.raise_for_status()
        result: list[dict[str, object]] = response.json()
        return result


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"
