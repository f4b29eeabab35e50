"""MODEL_CATALOG: several models, each with its own budget; bad entries named."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from chat_api.settings import SettingsError, load_settings
from tests.support.principals import INVITED
from tests.support.servers import running_api
from tests.support.sse import fold
from tools.mock_openai.control import MockControl

CATALOG = [
    {"id": "fast-model", "name": "Fast", "description": "Quick answers", "context_tokens": 4000},
    {"id": "o4-mini", "name": "Reasoning", "context_tokens": 200000, "answer_tokens": 50000},
    {"id": "big-model", "name": "Strong", "reasoning": False, "context_tokens": 1_000_000},
]


def _settings(catalog: Any) -> Any:
    raw = catalog if isinstance(catalog, str) else json.dumps(catalog)
    return load_settings({"AI_PROVIDER": "mock", "MODEL_CATALOG": raw})


def test_the_catalog_gives_each_model_its_name_budget_and_parameters() -> None:
    models = _settings(CATALOG).models
    assert [m.id for m in models] == ["fast-model", "o4-mini", "big-model"]
    assert [m.display_name for m in models] == ["Fast", "Reasoning", "Strong"]
    assert models[0].context_tokens == 4000
    assert models[0].answer_tokens == 1000, "a quarter of a small window"
    assert models[2].answer_tokens == 4096, "MODEL_ANSWER_TOKENS is the default"
    assert models[1].reasoning, "told from the name"
    assert not models[1].takes_temperature
    assert not models[2].reasoning


def test_azure_needs_no_deployment_name_when_a_catalog_names_the_models() -> None:
    settings = load_settings(
        {
            "AI_PROVIDER": "azure",
            "AZURE_OPENAI_ENDPOINT": "https://x.openai.azure.com",
            "MODEL_CATALOG": json.dumps(CATALOG),
        }
    )
    assert settings.default_model.id == "fast-model"


@pytest.mark.parametrize(
    ("catalog", "message"),
    [
        ("[{", "MODEL_CATALOG is not valid JSON (line 1, column 3)"),
        ("{}", "MODEL_CATALOG must be a JSON list with at least one model"),
        ("[]", "MODEL_CATALOG must be a JSON list with at least one model"),
        ([{"id": "a"}, "b"], "MODEL_CATALOG entry 2: must be an object"),
        ([{"id": "a"}, {"name": "No id"}], "MODEL_CATALOG entry 2: id is required"),
        ([{"id": "a", "colour": "red"}], "MODEL_CATALOG entry 1 (\"a\"): unknown field 'colour'"),
        (
            [{"id": "a"}, {"id": "b", "context_tokens": "lots"}],
            'MODEL_CATALOG entry 2 ("b"): context_tokens must be a whole number from 1,024',
        ),
        (
            [{"id": "a", "context_tokens": 2000, "answer_tokens": 3000}],
            'entry 1 ("a"): answer_tokens must be smaller than context_tokens',
        ),
        ([{"id": "a", "reasoning": "yes"}], 'entry 1 ("a"): reasoning must be true or false'),
        ([{"id": "a"}, {"id": "a"}], 'MODEL_CATALOG entry 2 ("a"): the id "a" is listed twice'),
        ([{"id": "a", "name": "n" * 61}], "name must be text of at most 60 characters"),
        ([{"id": f"m{i}"} for i in range(21)], "MODEL_CATALOG may list at most 20 models"),
    ],
)
def test_a_wrong_catalog_names_the_entry_and_what_is_wrong(catalog: Any, message: str) -> None:
    with pytest.raises(SettingsError) as raised:
        _settings(catalog)
    assert message in str(raised.value)


@pytest.fixture(scope="module")
def catalog_api(mock_root: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    env = {
        "AI_PROVIDER": "mock",
        "MOCK_OPENAI_URL": f"{mock_root}/v1",
        "HISTORY_SQLITE_PATH": str(tmp_path_factory.mktemp("catalog") / "h.sqlite3"),
        "MODEL_CATALOG": json.dumps(CATALOG),
    }
    with running_api(env, name="api_catalog") as root:
        yield root


def _chat(root: str, body: dict[str, Any]) -> httpx.Response:
    return httpx.post(f"{root}/api/chat", json=body, headers=INVITED, timeout=20)


def test_users_see_the_catalog_and_each_chat_goes_to_the_model_chosen(
    catalog_api: str, mock: MockControl
) -> None:
    me = httpx.get(f"{catalog_api}/api/me", headers=INVITED).json()
    assert [(m["id"], m["name"], m["temperature"]) for m in me["models"]] == [
        ("fast-model", "Fast", True),
        ("o4-mini", "Reasoning", False),
        ("big-model", "Strong", True),
    ]
    assert me["models"][0]["description"] == "Quick answers"

    mock.queue({"reply": "text", "text": "ok"}, {"reply": "text", "text": "ok"})
    temporary = {"messages": [{"role": "user", "content": "hi"}], "temperature": 0.5}
    fold(_chat(catalog_api, temporary).text)
    assert mock.requests()[-1]["body"]["model"] == "fast-model", "the first is the default"
    fold(_chat(catalog_api, {**temporary, "model": "o4-mini"}).text)
    sent = mock.requests()[-1]["body"]
    assert sent["model"] == "o4-mini"
    assert "temperature" not in sent, "a reasoning model takes no temperature"


def test_a_model_outside_the_catalog_is_refused_before_anything_is_saved(
    catalog_api: str, mock: MockControl
) -> None:
    refused = _chat(catalog_api, {"message": "hello", "model": "gpt-4o"})
    assert refused.status_code == 400
    assert refused.json()["errors"] == [
        {"field": "model", "message": "must be one of fast-model, o4-mini, big-model"}
    ]
    assert mock.requests() == []
    listed = httpx.get(f"{catalog_api}/api/conversations", headers=INVITED).json()
    assert listed["items"] == []


def test_each_model_trims_the_history_to_its_own_context_window(
    catalog_api: str, mock: MockControl
) -> None:
    # ~2,000 tokens per old turn (6,000 bytes at 3 bytes a token): the 4,000-token model
    # keeps none of them, the 1,000,000-token one keeps all.
    old = [
        {"role": role, "content": ("word " * 1200)}
        for _ in range(3)
        for role in ("user", "assistant")
    ]
    messages = [*old, {"role": "user", "content": "the question"}]
    mock.queue({"reply": "text", "text": "a"}, {"reply": "text", "text": "b"})
    small = fold(_chat(catalog_api, {"messages": messages, "max_tokens": 500}).text)
    large = fold(_chat(catalog_api, {"messages": messages, "model": "big-model"}).text)
    assert small.events[0][1]["omitted_messages"] == 6
    assert large.events[0][1]["omitted_messages"] == 0
    assert len(mock.requests()[-2]["body"]["messages"]) == 1
    assert len(mock.requests()[-1]["body"]["messages"]) == 7
