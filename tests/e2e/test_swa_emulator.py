"""Through the official SWA emulator: its auth cookie, our staticwebapp.config.json, the API."""

from __future__ import annotations

import httpx
import pytest

from tests.e2e.conftest import auth_cookie
from tests.support.sse import PACED_REPLY, assert_streamed, fold, read_with_arrival_times
from tools.mock_openai.control import MockControl

pytestmark = pytest.mark.e2e

ASK = {"messages": [{"role": "user", "content": "Hello through SWA"}]}
COOKIE = "StaticWebAppsAuthCookie"


def _client(swa_root: str, roles: list[str] | None) -> httpx.Client:
    cookies = {COOKIE: auth_cookie(roles)} if roles is not None else {}
    return httpx.Client(base_url=swa_root, cookies=cookies, timeout=20)


def test_anonymous_visitor_is_sent_to_the_sign_in_page(swa_root: str) -> None:
    with _client(swa_root, None) as client:
        for path in ("/", "/index.html", "/some/deep/link", "/api/me"):
            response = client.get(path)
            assert response.status_code == 302, path
            assert response.headers["location"] == "/login.html"
        assert client.get("/login.html").status_code == 200
        assert client.get("/unauthorized.html").status_code == 200


def test_invited_user_gets_the_app_and_the_api(swa_root: str) -> None:
    with _client(swa_root, ["invited"]) as client:
        page = client.get("/")
        assert page.status_code == 200
        assert "<script" in page.text
        deep_link = client.get("/c/some-conversation")
        assert deep_link.status_code == 200, "SPA routes fall back to index.html"
        me = client.get("/api/me")
        assert me.status_code == 200
        assert me.json()["user_id"] == "e2e-user"
        assert me.json()["name"] == "Zoë"


def test_signed_in_but_uninvited_user_is_refused(swa_root: str, mock: MockControl) -> None:
    with _client(swa_root, []) as client:
        assert client.get("/").status_code in (302, 403)
        api = client.post("/api/chat", json=ASK)
        assert api.status_code in (302, 401, 403)
        assert "event: delta" not in api.text
    assert mock.requests() == []


def test_only_microsoft_sign_in_is_offered(swa_root: str) -> None:
    with _client(swa_root, None) as client:
        assert client.get("/.auth/login/github").status_code == 404
        assert client.get("/.auth/login/aad").status_code == 200


def test_pages_carry_strict_security_headers(swa_root: str) -> None:
    with _client(swa_root, ["invited"]) as client:
        headers = client.get("/").headers
    csp = headers["content-security-policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] == "no-referrer"
    assert "max-age" in headers["strict-transport-security"]


def test_answer_streams_through_the_emulator(swa_root: str, mock: MockControl) -> None:
    mock.queue(PACED_REPLY)
    with (
        _client(swa_root, ["invited"]) as client,
        client.stream("POST", "/api/chat", json=ASK) as response,
    ):
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/event-stream")
        body, arrivals = read_with_arrival_times(response.iter_text())
    assert fold(body).text == PACED_REPLY["text"]
    assert_streamed(arrivals)
