"""Session-wide servers: the mock OpenAI server and the API in front of it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.servers import running_api, running_mock_openai
from tools.mock_openai.control import MockControl


@pytest.fixture(scope="session")
def mock_root() -> Iterator[str]:
    with running_mock_openai() as root:
        yield root


@pytest.fixture(scope="session")
def _mock_control(mock_root: str) -> Iterator[MockControl]:
    with MockControl(mock_root) as control:
        yield control


@pytest.fixture
def mock(_mock_control: MockControl) -> MockControl:
    """The session's mock OpenAI server, with an empty queue and request log."""
    _mock_control.reset()
    return _mock_control


@pytest.fixture(scope="session")
def history_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The SQLite file behind the session's API."""
    return tmp_path_factory.mktemp("history") / "history.sqlite3"


USAGE_NOTE_SETTING = "For work only: no customer data.\\nPolicy: https://intranet.example/ai-policy"
USAGE_NOTE_SHOWN = "For work only: no customer data.\nPolicy: https://intranet.example/ai-policy"


@pytest.fixture(scope="session")
def api_root(mock_root: str, history_db: Path) -> Iterator[str]:
    history = history_db
    env = {
        "HISTORY_STORE": "sqlite",
        "HISTORY_SQLITE_PATH": str(history),
        "AI_PROVIDER": "mock",
        "MOCK_OPENAI_URL": f"{mock_root}/v1",
        # Short so the time-out tests stay quick; production defaults are in settings.py.
        "UPSTREAM_FIRST_TOKEN_TIMEOUT_SECONDS": "1.5",
        "UPSTREAM_IDLE_TIMEOUT_SECONDS": "1.5",
        "UPSTREAM_MAX_RETRY_WAIT_SECONDS": "2",
        "MAX_MESSAGES": "50",
        "MAX_MESSAGE_CHARS": "20000",
        "MAX_REQUEST_BYTES": "200000",
        # As an admin types it in the portal: one line, `\n` for a line break.
        "USAGE_NOTE": USAGE_NOTE_SETTING,
    }
    with running_api(env) as root:
        yield root


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"
