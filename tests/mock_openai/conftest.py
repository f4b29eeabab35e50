"""One mock OpenAI server for this folder's tests, reset before each test."""

from __future__ import annotations

from collections.abc import Iterator

import openai
import pytest

from tools.mock_openai.control import MockControl


@pytest.fixture(scope="session")
def mock_openai_root(mock_root: str) -> str:
    """The session's mock server (tests/conftest.py), shared with the API tests."""
    return mock_root


@pytest.fixture(scope="session")
def mock_control(mock_openai_root: str) -> Iterator[MockControl]:
    with MockControl(mock_openai_root) as control:
        yield control


@pytest.fixture(autouse=True)
def _fresh_mock(mock_control: MockControl) -> None:
    mock_control.reset()


@pytest.fixture
def client(mock_openai_root: str) -> Iterator[openai.OpenAI]:
    with openai.OpenAI(
        base_url=f"{mock_openai_root}/v1", api_key="test", max_retries=0
    ) as sdk_client:
        yield sdk_client
