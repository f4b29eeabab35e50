"""Each provider mode the API supports, against the mock server's matching endpoint."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from chat_api.settings import load_settings
from chat_api.upstream_client import AZURE_SCOPE, UpstreamClient
from tests.support.principals import INVITED
from tests.support.servers import running_api, running_mock_openai
from tests.support.sse import fold
from tools.mock_openai.control import MockControl

ASK = {"messages": [{"role": "user", "content": "ping"}], "temperature": 0.5, "max_tokens": 40}


def _chat(root: str) -> httpx.Response:
    return httpx.post(f"{root}/api/chat", json=ASK, headers=INVITED, timeout=20)


@pytest.fixture(scope="module")
def keyed_mock_root() -> Iterator[str]:
    with running_mock_openai("mock_openai_keyed", "--api-key", "right-key") as root:
        yield root


def test_azure_with_a_key_uses_the_v1_endpoint(mock_root: str, mock: MockControl) -> None:
    env = {
        "AI_PROVIDER": "azure",
        "AZURE_OPENAI_ENDPOINT": mock_root,
        "AZURE_OPENAI_KEY": "k",
        "AZURE_OPENAI_DEPLOYMENT_NAME": "chat-deployment",
    }
    with running_api(env, name="api_azure") as root:
        mock.queue({"reply": "echo"})
        answer = fold(_chat(root).text)
    assert answer.text == "You said: ping"
    assert answer.model == "chat-deployment"
    seen = mock.requests()[-1]
    assert seen["path"] == "/openai/v1/chat/completions"
    assert seen["model"] == "chat-deployment"


def test_reasoning_deployment_gets_max_completion_tokens(mock_root: str, mock: MockControl) -> None:
    # The mock refuses temperature and max_tokens for gpt-5 models, as Azure does.
    env = {
        "AI_PROVIDER": "azure",
        "AZURE_OPENAI_ENDPOINT": mock_root,
        "AZURE_OPENAI_KEY": "k",
        "AZURE_OPENAI_DEPLOYMENT_NAME": "gpt-5.4-mini",
    }
    with running_api(env, name="api_reasoning") as root:
        response = _chat(root)
    assert response.status_code == 200, response.text
    assert fold(response.text).finish_reason in ("stop", "length")
    body = mock.requests()[-1]["body"]
    assert isinstance(body, dict)
    assert body["max_completion_tokens"] == 40
    assert "temperature" not in body and "max_tokens" not in body


def test_openai_provider_with_base_url(mock_root: str, mock: MockControl) -> None:
    env = {
        "AI_PROVIDER": "openai",
        "OPENAI_API_KEY": "sk-test",
        "OPENAI_BASE_URL": f"{mock_root}/v1",
        "OPENAI_MODEL_NAME": "gpt-4.1-mini",
    }
    with running_api(env, name="api_openai") as root:
        assert _chat(root).status_code == 200
    seen = mock.requests()[-1]
    assert seen["path"] == "/v1/chat/completions"
    assert seen["authorization"] == "bearer"


def test_compatible_server_without_a_key(mock_root: str, mock: MockControl) -> None:
    env = {
        "AI_PROVIDER": "compatible",
        "OPENAI_BASE_URL": f"{mock_root}/v1",
        "OPENAI_MODEL_NAME": "llama3.2",
    }
    with running_api(env, name="api_compatible") as root:
        mock.queue({"reply": "text", "text": "local model here"})
        assert fold(_chat(root).text).text == "local model here"
    assert mock.requests()[-1]["model"] == "llama3.2"


def test_wrong_key_is_reported_as_misconfiguration(keyed_mock_root: str) -> None:
    env = {
        "AI_PROVIDER": "azure",
        "AZURE_OPENAI_ENDPOINT": keyed_mock_root,
        "AZURE_OPENAI_KEY": "wrong-key",
        "AZURE_OPENAI_DEPLOYMENT_NAME": "chat",
    }
    with running_api(env, name="api_wrong_key") as root:
        response = _chat(root)
    assert response.status_code == 502
    body = response.json()
    assert body["type"].endswith("upstream-misconfigured")
    assert "wrong-key" not in response.text
    assert "administrator" in body["detail"]


def test_invalid_settings_answer_every_request_with_what_to_fix() -> None:
    env = {"AI_PROVIDER": "azure", "AZURE_OPENAI_KEY": "super-secret"}
    with running_api(env, name="api_misconfigured") as root:
        response = _chat(root)
    assert response.status_code == 500
    body = response.json()
    assert body["type"].endswith("configuration-error")
    assert "AZURE_OPENAI_ENDPOINT" in body["detail"]
    assert "super-secret" not in response.text


class FakeEntraCredential:
    """Stands in for Entra ID, the one part of this path that cannot run here."""

    def __init__(self) -> None:
        self.scopes: list[str] = []
        self.closed = False

    async def get_token(self, *scopes: str, **_: Any) -> Any:
        from azure.core.credentials import AccessToken

        self.scopes.extend(scopes)
        return AccessToken("entra-token", 4_102_444_800)

    async def get_token_info(self, *scopes: str, **_: Any) -> Any:
        from azure.core.credentials import AccessTokenInfo

        self.scopes.extend(scopes)
        return AccessTokenInfo("entra-token", 4_102_444_800)

    async def close(self) -> None:
        self.closed = True


@pytest.mark.anyio
async def test_keyless_azure_sends_an_entra_token(
    mock_root: str, mock: MockControl, monkeypatch: pytest.MonkeyPatch
) -> None:
    import azure.identity.aio

    credential = FakeEntraCredential()
    monkeypatch.setattr(azure.identity.aio, "DefaultAzureCredential", lambda: credential)
    settings = load_settings(
        {
            "AI_PROVIDER": "azure",
            "AZURE_OPENAI_ENDPOINT": mock_root,
            "AZURE_OPENAI_DEPLOYMENT_NAME": "chat",
        }
    )
    upstream = UpstreamClient(settings.upstream, idle_timeout=5)
    client = await upstream.get()
    completion = await client.chat.completions.create(
        model="chat", messages=[{"role": "user", "content": "hi"}]
    )
    await upstream.close()
    assert completion.choices[0].message.content
    assert credential.scopes == [AZURE_SCOPE]
    assert credential.closed
    assert mock.requests()[-1]["authorization"] == "bearer"
