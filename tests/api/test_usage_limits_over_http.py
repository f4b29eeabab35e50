"""Limits on the chat path, through the real API and store: the 429 says which limit and
when it resets, parallel requests never pass a request limit, and what a user sees of
their usage matches what the model reported."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest

from tests.support.principals import headers_for
from tests.support.servers import running_api
from tests.support.sse import fold
from tools.mock_openai.control import MockControl

REQUESTS_PER_MINUTE = 4
TOKENS_PER_DAY = 400


@pytest.fixture(scope="module")
def limited_api(mock_root: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    env = {
        "AI_PROVIDER": "mock",
        "MOCK_OPENAI_URL": f"{mock_root}/v1",
        "HISTORY_SQLITE_PATH": str(tmp_path_factory.mktemp("limits") / "h.sqlite3"),
        "LIMIT_REQUESTS_PER_MINUTE": str(REQUESTS_PER_MINUTE),
        "LIMIT_TOKENS_PER_DAY": str(TOKENS_PER_DAY),
    }
    with running_api(env, name="api_limits") as root:
        yield root


def _user() -> dict[str, str]:
    return headers_for(f"limits-{uuid.uuid4().hex}", "Lim Iter")


def _chat(root: str, headers: dict[str, str], text: str = "hi") -> httpx.Response:
    body = {"messages": [{"role": "user", "content": text}]}
    return httpx.post(f"{root}/api/chat", json=body, headers=headers, timeout=30)


def test_over_the_request_limit_a_429_says_which_limit_and_when_it_resets(
    limited_api: str, mock: MockControl
) -> None:
    user = _user()
    mock.queue(*({"reply": "text", "text": "ok"} for _ in range(REQUESTS_PER_MINUTE)))
    for _ in range(REQUESTS_PER_MINUTE):
        assert _chat(limited_api, user).status_code == 200
    before = len(mock.requests())

    refused = _chat(limited_api, user)

    assert refused.status_code == 429
    assert refused.headers["content-type"] == "application/problem+json"
    problem = refused.json()
    assert problem["type"].endswith(":usage-limit")
    assert problem["limit"] == "requests-per-minute"
    assert f"your limit of {REQUESTS_PER_MINUTE} requests a minute" in problem["detail"]
    resets = datetime.fromisoformat(problem["resets_at"].replace("Z", "+00:00"))
    wait = int(refused.headers["retry-after"])
    assert 1 <= wait <= 60
    assert abs((resets - datetime.now(UTC)).total_seconds() - wait) < 3
    assert resets.second == 0 and resets.microsecond == 0, "a minute window ends on the minute"
    assert len(mock.requests()) == before, "a refused request never reaches the model"
    # Another user is not affected.
    mock.queue({"reply": "text", "text": "ok"})
    assert _chat(limited_api, _user()).status_code == 200


def test_parallel_requests_never_pass_the_request_limit(
    limited_api: str, mock: MockControl
) -> None:
    user = _user()
    attempts = 12
    mock.queue(*({"reply": "text", "text": "ok"} for _ in range(attempts)))
    with ThreadPoolExecutor(max_workers=attempts) as pool:
        statuses = list(pool.map(lambda _: _chat(limited_api, user).status_code, range(attempts)))
    assert statuses.count(200) == REQUESTS_PER_MINUTE, statuses
    assert statuses.count(429) == attempts - REQUESTS_PER_MINUTE


def test_my_usage_matches_what_the_model_reported_and_the_day_limit_holds(
    limited_api: str, mock: MockControl
) -> None:
    user_id = f"limits-{uuid.uuid4().hex}"
    user = headers_for(user_id, "Lim Iter")
    reported: list[dict[str, Any]] = []
    mock.queue(*({"reply": "text", "text": "word " * 60} for _ in range(3)))
    for _ in range(3):
        response = _chat(limited_api, user, "count my tokens " * 20)
        if response.status_code != 200:
            break
        usage = fold(response.text).usage
        assert usage is not None
        reported.append(usage)

    mine = httpx.get(f"{limited_api}/api/usage/me", headers=user).json()
    assert mine["today"]["prompt_tokens"] == sum(u["prompt_tokens"] for u in reported)
    assert mine["today"]["completion_tokens"] == sum(u["completion_tokens"] for u in reported)
    assert mine["today"]["requests"] == len(reported)
    assert mine["month"]["total_tokens"] == mine["today"]["total_tokens"]
    assert mine["limits"] == {
        "requests_per_minute": REQUESTS_PER_MINUTE,
        "tokens_per_day": TOKENS_PER_DAY,
        "tokens_per_month": None,
    }
    assert mine["today"]["resets_at"].endswith("T00:00:00Z")
    # The admin's report counts the same calls, from the same chats.
    admin = headers_for("limits-admin", "Ada Admin", admin=True)
    report = httpx.get(f"{limited_api}/api/admin/usage", headers=admin).json()
    row = next(r for r in report["by_user"] if r["user_id"] == user_id)
    assert (row["prompt_tokens"], row["completion_tokens"]) == (
        mine["today"]["prompt_tokens"],
        mine["today"]["completion_tokens"],
    )
    assert row["user_name"] == "Lim Iter"

    # Past the day's tokens (each call here is well over a third of them): refused until
    # midnight UTC, saying so.
    assert mine["today"]["total_tokens"] >= TOKENS_PER_DAY
    refused = _chat(limited_api, user)
    assert refused.status_code == 429
    assert refused.json()["limit"] == "tokens-per-day"
    assert "400 tokens a day" in refused.json()["detail"]
    assert refused.json()["resets_at"].endswith("T00:00:00Z")


def test_an_admins_override_lifts_a_users_limit_at_once(
    limited_api: str, mock: MockControl
) -> None:
    user_id = f"limits-{uuid.uuid4().hex}"
    user = headers_for(user_id, "Heavy User")
    mock.queue(*({"reply": "text", "text": "ok"} for _ in range(REQUESTS_PER_MINUTE + 2)))
    for _ in range(REQUESTS_PER_MINUTE):
        _chat(limited_api, user)
    assert _chat(limited_api, user).status_code == 429

    admin = headers_for("limits-admin", "Ada Admin", admin=True)
    lifted = httpx.put(
        f"{limited_api}/api/admin/limits/{user_id}", json={"unlimited": True}, headers=admin
    )
    assert lifted.status_code == 200, lifted.text

    assert _chat(limited_api, user).status_code == 200
    mine = httpx.get(f"{limited_api}/api/usage/me", headers=user).json()
    assert mine["limits"] == {
        "requests_per_minute": None,
        "tokens_per_day": None,
        "tokens_per_month": None,
    }
    audit = httpx.get(f"{limited_api}/api/admin/audit", headers=admin).json()
    assert json.dumps(audit).count(user_id) >= 1
