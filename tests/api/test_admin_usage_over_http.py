"""The admin routes over HTTP: the admin role on every one, the usage report and its CSV,
limit overrides, and the audit log that every admin change writes to.

An API of this module's own (its own SQLite file, prices and limits), so that its audit
log holds only what these tests did. Usage is recorded with the store itself, in this
process, on the same file the API reads, as another instance of the API would.
"""

from __future__ import annotations

import asyncio
import csv
import io
import json
import logging
import uuid
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any, cast

import httpx
import pytest
from starlette.testclient import TestClient

from chat_api.app import ROUTES, create_app
from chat_api.history.store import StoreUnavailable
from chat_api.usage.factory import UsageStoreHolder
from chat_api.usage.models import AuditEntry, UsageRecord
from chat_api.usage.sqlite_store import SqliteUsageStore
from chat_api.usage.store import UsageStore
from tests.api.test_assistants_over_http import PROBLEM, problem_of
from tests.support.principals import headers_for, principal_header
from tests.support.servers import running_api

PRICES = {"gpt-5.4-mini": {"input": 0.4, "output": 1.6}, "o4-mini": {"input": 1.1, "output": 4.4}}
DEFAULTS = {"requests_per_minute": 30, "tokens_per_day": 200_000, "tokens_per_month": None}
ADA = headers_for("admin-ada", "ada@example.com", admin=True)
BO = headers_for("user-bo", "bo@example.com")
EVE = {"x-ms-client-principal": principal_header("user-eve", roles=("authenticated",))}
# Every admin route: (method, path, body). {user_id} is filled in by the tests.
ADMIN_ROUTES = [
    ("GET", "/api/admin/usage", None),
    ("GET", "/api/admin/usage.csv", None),
    ("GET", "/api/admin/limits", None),
    ("PUT", "/api/admin/limits/{user_id}", {"unlimited": True}),
    ("DELETE", "/api/admin/limits/{user_id}", None),
    ("GET", "/api/admin/audit", None),
]


@pytest.fixture(scope="module")
def usage_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("admin") / "history.sqlite3"


@pytest.fixture(scope="module")
def admin_api(mock_root: str, usage_db: Path) -> Iterator[str]:
    env = {
        "AI_PROVIDER": "mock",
        "MOCK_OPENAI_URL": f"{mock_root}/v1",
        "HISTORY_STORE": "sqlite",
        "HISTORY_SQLITE_PATH": str(usage_db),
        "MODEL_PRICES": json.dumps(PRICES),
        "LIMIT_REQUESTS_PER_MINUTE": "30",
        "LIMIT_TOKENS_PER_DAY": "200000",
        "LIMIT_GLOBAL_TOKENS_PER_MINUTE": "900000",
    }
    with running_api(env, name="admin_api") as root:
        yield root


def record(usage_db: Path, *calls: UsageRecord) -> None:
    """Record as another instance of the API would: its own store on the same file."""

    async def run() -> None:
        store = await SqliteUsageStore.open(usage_db)
        try:
            for call in calls:
                await store.record(call)
        finally:
            await store.close()

    asyncio.run(run())


def a_call(
    user: str, name: str, model: str, day: date, prompt: int, completion: int
) -> UsageRecord:
    return UsageRecord(
        user_id=user,
        user_name=name,
        conversation_id=None,
        model=model,
        prompt_tokens=prompt,
        completion_tokens=completion,
        latency_ms=500,
        status="complete",
        at=datetime(day.year, day.month, day.day, 12, tzinfo=UTC),
    )


def a_user_id() -> str:
    return f"user-{uuid.uuid4().hex[:10]}"


def get_json(root: str, path: str, **params: str) -> dict[str, Any]:
    response = httpx.get(f"{root}{path}", params=params, headers=ADA)
    assert response.status_code == 200, response.text
    assert response.headers["cache-control"] == "no-store"
    body: dict[str, Any] = response.json()
    return body


def audit_of(root: str, target: str) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = get_json(root, "/api/admin/audit", limit="200")["items"]
    return [item for item in items if item["target"] == target]


# --- Who may -------------------------------------------------------------------------------


def test_the_routes_tested_here_are_every_admin_route_of_the_app_and_of_openapi(
    admin_api: str,
) -> None:
    in_app = {
        (method, route.path)
        for route in ROUTES
        if route.path.startswith("/api/admin")
        for method in route.methods or ()
        if method != "HEAD"
    }
    tested = {(method, path) for method, path, _ in ADMIN_ROUTES}
    assert in_app == tested
    document = httpx.get(f"{admin_api}/api/openapi.json").json()
    documented = {
        (method.upper(), path)
        for path, operations in document["paths"].items()
        if path.startswith("/api/admin")
        for method in operations
    }
    assert documented == tested


@pytest.mark.parametrize(("method", "path", "body"), ADMIN_ROUTES)
def test_every_admin_route_refuses_anyone_without_the_admin_role(
    admin_api: str, method: str, path: str, body: dict[str, Any] | None
) -> None:
    target = a_user_id()
    address = admin_api + path.format(user_id=target)
    not_admin = httpx.request(method, address, json=body, headers=BO)
    assert "administrator" in problem_of(not_admin, 403, "admin-only")["detail"]
    problem_of(httpx.request(method, address, json=body, headers=EVE), 403, "forbidden")
    problem_of(httpx.request(method, address, json=body), 401, "unauthenticated")
    # Refused means nothing was done, and nothing was written down as done.
    assert target not in {
        o["user_id"] for o in get_json(admin_api, "/api/admin/limits")["overrides"]
    }
    assert audit_of(admin_api, target) == []


# --- The report ----------------------------------------------------------------------------


def test_the_report_adds_up_what_was_recorded_with_costs_from_the_prices(
    admin_api: str, usage_db: Path
) -> None:
    first, last = date(2011, 3, 1), date(2011, 3, 31)
    zoe, max_ = a_user_id(), a_user_id()
    record(
        usage_db,
        a_call(zoe, "Zoë", "gpt-5.4-mini", first, 1_000_000, 500_000),
        a_call(zoe, "Zoë Ångström", "gpt-5.4-mini", last, 2_000, 1_000),
        a_call(zoe, "Zoë Ångström", "local-llama", last, 7, 3),
        a_call(max_, "Max", "o4-mini", date(2011, 3, 15), 100_000, 10_000),
        # Outside the range, on either side.
        a_call(zoe, "Zoë", "gpt-5.4-mini", first - timedelta(days=1), 9, 9),
        a_call(max_, "Max", "o4-mini", last + timedelta(days=1), 9, 9),
    )

    report = get_json(admin_api, "/api/admin/usage", **{"from": "2011-03-01", "to": "2011-03-31"})

    assert (report["from"], report["to"]) == ("2011-03-01", "2011-03-31")
    zoe_cost = 1.0 * 0.4 + 0.5 * 1.6 + (0.002 * 0.4 + 0.001 * 1.6)
    max_cost = 0.1 * 1.1 + 0.01 * 4.4
    assert report["totals"] == {
        "requests": 4,
        "prompt_tokens": 1_102_007,
        "completion_tokens": 511_003,
        "total_tokens": 1_613_010,
        "cost": pytest.approx(zoe_cost + max_cost),
        "unpriced_tokens": 10,
    }
    assert [(u["user_id"], u["user_name"], u["total_tokens"]) for u in report["by_user"]] == [
        (zoe, "Zoë Ångström", 1_503_010),
        (max_, "Max", 110_000),
    ]
    assert report["by_user"][0]["cost"] == pytest.approx(zoe_cost)
    assert report["top_users"] == report["by_user"]
    by_model = {m["model"]: m for m in report["by_model"]}
    assert list(by_model) == ["gpt-5.4-mini", "o4-mini", "local-llama"]
    assert by_model["local-llama"]["cost"] is None
    assert by_model["local-llama"]["unpriced_tokens"] == 10
    assert by_model["o4-mini"]["cost"] == pytest.approx(max_cost)
    assert [d["day"] for d in report["by_day"]] == [
        (first + timedelta(days=n)).isoformat() for n in range(31)
    ]
    assert report["by_day"][1] == {
        "day": "2011-03-02",
        "requests": 0,
        "prompt_tokens": 0,
        "completion_tokens": 0,
        "total_tokens": 0,
        "cost": None,
        "unpriced_tokens": 0,
    }
    assert report["by_day"][30]["requests"] == 2


def test_top_users_are_the_ten_with_the_most_tokens(admin_api: str, usage_db: Path) -> None:
    day = date(2012, 6, 6)
    users = [a_user_id() for _ in range(12)]
    record(
        usage_db,
        *(
            a_call(user, user, "gpt-5.4-mini", day, 100 * (12 - n), 0)
            for n, user in enumerate(users)
        ),
    )
    report = get_json(admin_api, "/api/admin/usage", **{"from": "2012-06-06", "to": "2012-06-06"})
    assert [u["user_id"] for u in report["top_users"]] == users[:10]
    assert len(report["by_user"]) == 12


def test_the_report_is_this_month_by_default_and_to_alone_starts_its_month(
    admin_api: str,
) -> None:
    today = datetime.now(UTC).date()
    report = get_json(admin_api, "/api/admin/usage")
    assert (report["from"], report["to"]) in {
        (day.replace(day=1).isoformat(), day.isoformat())
        for day in (today, datetime.now(UTC).date())
    }
    report = get_json(admin_api, "/api/admin/usage", to="2028-02-29")
    assert (report["from"], len(report["by_day"])) == ("2028-02-01", 29)
    whole_leap_year = get_json(
        admin_api, "/api/admin/usage", **{"from": "2028-01-01", "to": "2028-12-31"}
    )
    assert len(whole_leap_year["by_day"]) == 366


@pytest.mark.parametrize("path", ["/api/admin/usage", "/api/admin/usage.csv"])
@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"from": "2026-11-02", "to": "2026-11-01"}, "from"),
        ({"from": "2028-01-01", "to": "2029-01-01"}, "from"),
        ({"from": "2026-13-01"}, "from"),
        ({"to": "20261121"}, "to"),
        ({"to": "2026-11-21T00:00"}, "to"),
        ({"from": ""}, "from"),
    ],
)
def test_a_wrong_range_is_400_naming_the_field(
    admin_api: str, path: str, params: dict[str, str], field: str
) -> None:
    response = httpx.get(f"{admin_api}{path}", params=params, headers=ADA)
    assert problem_of(response, 400, "invalid-request")["errors"][0]["field"] == field


# --- CSV -----------------------------------------------------------------------------------


def test_the_csv_has_a_row_per_day_user_and_model_and_never_a_formula(
    admin_api: str, usage_db: Path
) -> None:
    day = date(2013, 1, 31)
    user = a_user_id()
    names = ['=HYPERLINK("http://evil")', "+1", "-2", "@SUM(A1)", 'Quote " and, comma\nline']
    record(
        usage_db,
        *(
            a_call(f"{user}-{n}", name, "gpt-5.4-mini", day, n, 1)
            for n, name in enumerate(names, 1)
        ),
        a_call(f"{user}-1", names[0], "=cmd|' /C calc'!A0", day, 5, 5),
    )

    response = httpx.get(
        f"{admin_api}/api/admin/usage.csv",
        params={"from": "2013-01-31", "to": "2013-01-31"},
        headers=ADA,
    )

    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    assert response.headers["content-disposition"] == (
        'attachment; filename="usage-2013-01-31-2013-01-31.csv"'
    )
    text = response.content.decode("utf-8-sig")
    assert text.endswith("\r\n") and "\r\n" in text.split('"', 1)[0]
    header, *rows = list(csv.reader(io.StringIO(text, newline="")))
    assert header == [
        "day",
        "user_id",
        "user_name",
        "model",
        "requests",
        "prompt_tokens",
        "completion_tokens",
        "total_tokens",
        "estimated_cost",
    ]
    assert [(r[1], r[2], r[3]) for r in rows] == [
        (f"{user}-1", '\'=HYPERLINK("http://evil")', "'=cmd|' /C calc'!A0"),
        (f"{user}-1", '\'=HYPERLINK("http://evil")', "gpt-5.4-mini"),
        (f"{user}-2", "'+1", "gpt-5.4-mini"),
        (f"{user}-3", "'-2", "gpt-5.4-mini"),
        (f"{user}-4", "'@SUM(A1)", "gpt-5.4-mini"),
        (f"{user}-5", 'Quote " and, comma\nline', "gpt-5.4-mini"),
    ]
    assert rows[0][4:] == ["1", "5", "5", "10", ""], "a model without a price has no cost"
    assert rows[1][0] == "2013-01-31"
    assert rows[1][4:] == ["1", "1", "1", "2", f"{(0.4 + 1.6) / 1_000_000:.6f}"]


# --- Limits and overrides -----------------------------------------------------------------


def test_an_override_is_set_listed_and_cleared_and_each_change_is_audited(
    admin_api: str,
) -> None:
    target = a_user_id()
    address = f"{admin_api}/api/admin/limits/{target}"
    limits = get_json(admin_api, "/api/admin/limits")
    assert limits["defaults"] == {**DEFAULTS, "global_tokens_per_minute": 900_000}

    response = httpx.put(
        address, json={"tokens_per_day": 5_000, "tokens_per_month": 1}, headers=ADA
    )

    assert response.status_code == 200, response.text
    assert response.json() == {
        "user_id": target,
        "requests_per_minute": None,
        "tokens_per_day": 5_000,
        "tokens_per_month": 1,
        "unlimited": False,
        "effective": {"requests_per_minute": 30, "tokens_per_day": 5_000, "tokens_per_month": 1},
    }
    listed = get_json(admin_api, "/api/admin/limits")["overrides"]
    assert response.json() in listed
    unlimited = httpx.put(address, json={"unlimited": True}, headers=ADA).json()
    assert unlimited["effective"] == {
        "requests_per_minute": None,
        "tokens_per_day": None,
        "tokens_per_month": None,
    }
    assert httpx.delete(address, headers=ADA).status_code == 204
    assert target not in {
        o["user_id"] for o in get_json(admin_api, "/api/admin/limits")["overrides"]
    }

    entries = audit_of(admin_api, target)
    assert [(e["action"], e["actor_id"], e["actor_name"]) for e in entries] == [
        ("limits.clear", "admin-ada", "ada@example.com"),
        ("limits.set", "admin-ada", "ada@example.com"),
        ("limits.set", "admin-ada", "ada@example.com"),
    ]
    assert [e["detail"] for e in entries] == [
        "back to the defaults (was: unlimited)",
        "unlimited (was: requests per minute default, tokens per day 5,000, tokens per month 1)",
        "requests per minute default, tokens per day 5,000, tokens per month 1 (was: no override)",
    ]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "unlimited"),
        ({"requests_per_minute": None}, "unlimited"),
        ({"unlimited": True, "tokens_per_day": 5}, "unlimited"),
        ({"requests_per_minute": 0}, "requests_per_minute"),
        ({"tokens_per_month": 10**13}, "tokens_per_month"),
        ({"tokens_per_day": "5000"}, "tokens_per_day"),
        ({"unlimited": "yes"}, "unlimited"),
        ({"tokens_per_week": 5}, "tokens_per_week"),
    ],
)
def test_a_wrong_override_is_400_naming_the_field_and_changes_nothing(
    admin_api: str, body: dict[str, Any], field: str
) -> None:
    target = a_user_id()
    response = httpx.put(f"{admin_api}/api/admin/limits/{target}", json=body, headers=ADA)
    assert problem_of(response, 400, "invalid-request")["errors"][0]["field"] == field
    assert audit_of(admin_api, target) == []


def test_a_user_id_longer_than_any_identity_providers_is_400(admin_api: str) -> None:
    response = httpx.put(
        f"{admin_api}/api/admin/limits/{'x' * 257}", json={"unlimited": True}, headers=ADA
    )
    assert problem_of(response, 400, "invalid-request")["errors"][0]["field"] == "user_id"


# --- The audit log ------------------------------------------------------------------------


def test_the_audit_log_pages_newest_first(admin_api: str) -> None:
    targets = [a_user_id() for _ in range(3)]
    for target in targets:
        put = httpx.put(
            f"{admin_api}/api/admin/limits/{target}", json={"unlimited": True}, headers=ADA
        )
        assert put.status_code == 200
    first = get_json(admin_api, "/api/admin/audit", limit="2")
    assert [item["target"] for item in first["items"]] == targets[:0:-1]
    rest = get_json(admin_api, "/api/admin/audit", limit="2", before=first["next_before"])
    assert rest["items"][0]["target"] == targets[0]
    every = get_json(admin_api, "/api/admin/audit", limit="200")
    times = [item["at"] for item in every["items"]]
    assert times == sorted(times, reverse=True)
    if len(every["items"]) < 200:
        assert every["next_before"] is None


@pytest.mark.parametrize(
    ("params", "field"),
    [({"limit": "0"}, "limit"), ({"limit": "201"}, "limit"), ({"before": "yesterday"}, "before")],
)
def test_a_wrong_audit_query_is_400_naming_the_field(
    admin_api: str, params: dict[str, str], field: str
) -> None:
    response = httpx.get(f"{admin_api}/api/admin/audit", params=params, headers=ADA)
    assert problem_of(response, 400, "invalid-request")["errors"][0]["field"] == field


def test_featuring_unfeaturing_and_deleting_someone_elses_assistant_are_audited(
    admin_api: str,
) -> None:
    owner = headers_for(a_user_id(), "olga@example.com")
    body = {"name": "Proofreader", "system": "Fix my English.", "visibility": "organisation"}
    created = httpx.post(f"{admin_api}/api/assistants", json=body, headers=owner).json()
    address = f"{admin_api}/api/assistants/{created['id']}"
    for featured in (True, False):
        response = httpx.put(f"{address}/featured", json={"featured": featured}, headers=ADA)
        assert response.status_code == 200, response.text
    assert httpx.delete(address, headers=ADA).status_code == 204
    mine = httpx.post(f"{admin_api}/api/assistants", json=body, headers=ADA).json()
    assert httpx.delete(f"{admin_api}/api/assistants/{mine['id']}", headers=ADA).status_code == 204

    entries = audit_of(admin_api, created["id"])
    assert [(e["action"], e["actor_id"]) for e in entries] == [
        ("assistant.delete", "admin-ada"),
        ("assistant.unfeature", "admin-ada"),
        ("assistant.feature", "admin-ada"),
    ]
    assert {e["detail"] for e in entries} == {'"Proofreader" of olga@example.com'}
    assert audit_of(admin_api, mine["id"]) == [], "an admin's own assistant is theirs to delete"


# --- Without a store ----------------------------------------------------------------------


def test_without_history_every_admin_route_is_history_disabled() -> None:
    app = create_app(environ={"AI_PROVIDER": "mock", "HISTORY_STORE": "none"})
    with TestClient(app) as client:
        for method, path, body in ADMIN_ROUTES:
            response = client.request(method, path.format(user_id="u1"), json=body, headers=ADA)
            assert response.status_code == 404, (method, path, response.text)
            assert response.json()["type"] == PROBLEM + "history-disabled"


def test_limits_without_a_store_are_a_settings_problem_that_names_them() -> None:
    app = create_app(
        environ={
            "AI_PROVIDER": "mock",
            "HISTORY_STORE": "none",
            "LIMIT_TOKENS_PER_DAY": "1000",
            "LIMIT_GLOBAL_TOKENS_PER_MINUTE": "5000",
        }
    )
    with TestClient(app) as client:
        response = client.get("/api/me", headers=BO)
    assert response.status_code == 500
    assert response.json()["type"] == PROBLEM + "configuration-error"
    detail = response.json()["detail"]
    assert "LIMIT_TOKENS_PER_DAY, LIMIT_GLOBAL_TOKENS_PER_MINUTE need HISTORY_STORE" in detail


class _AuditDown:
    """The app's usage store, except that its audit log cannot be written."""

    def __init__(self, holder: UsageStoreHolder) -> None:
        self._holder = holder
        self._store: UsageStore | None = None

    async def get(self) -> _AuditDown:
        self._store = await self._holder.get()
        return self

    async def close(self) -> None:
        await self._holder.close()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._store, name)

    async def add_audit(self, entry: AuditEntry) -> None:
        raise StoreUnavailable(retry_after=1)


def test_an_admin_change_stays_done_when_its_audit_entry_cannot_be_written(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "history.sqlite3"
    app = create_app(environ={"AI_PROVIDER": "mock", "HISTORY_SQLITE_PATH": str(path)})
    app.state.chat.usage = cast("UsageStoreHolder", _AuditDown(app.state.chat.usage))
    with TestClient(app) as client, caplog.at_level(logging.ERROR, logger="chat_api"):
        response = client.put("/api/admin/limits/u1", json={"unlimited": True}, headers=ADA)
        assert response.status_code == 200, response.text
        overrides = client.get("/api/admin/limits", headers=ADA).json()["overrides"]
    assert [override["user_id"] for override in overrides] == ["u1"]
    assert "audit entry not stored (StoreUnavailable)" in caplog.text
    assert "actor=admin-ada (ada@example.com) action=limits.set target='u1'" in caplog.text
