"""The admin page through the SWA emulator (issue 7): usage of chats made in the test, its
CSV, a user's limits set and cleared, the audit log; and nobody but an admin gets in."""

from __future__ import annotations

import csv
import io
import re
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.sync_api import BrowserContext, Page, expect

from tests.e2e.conftest import auth_cookie
from tests.support.sse import fold
from tools.devstack.processes import REPO_ROOT
from tools.mock_openai.control import MockControl

pytestmark = pytest.mark.e2e

COOKIE = "StaticWebAppsAuthCookie"
CSV_HEADER = [
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
ADMIN_ROUTES = ["/api/admin/usage", "/api/admin/usage.csv", "/api/admin/limits", "/api/admin/audit"]


@dataclass(frozen=True)
class Chatter:
    user_id: str
    name: str
    requests: int
    total_tokens: int


def _chat_as_a_new_user(swa_root: str, mock: MockControl) -> Chatter:
    """Two temporary chats (one model call each, no title call) by a user of the test's own,
    through the emulator; returns what the model reported for them."""
    tag = uuid.uuid4().hex[:8]
    chatter = Chatter(uuid.uuid4().hex, f"Usage Tester {tag}", 0, 0)
    mock.queue({"reply": "text", "text": "First answer."}, {"reply": "text", "text": "Second."})
    cookie = auth_cookie(["invited"], user_id=chatter.user_id, name=chatter.name)
    tokens = 0
    with httpx.Client(base_url=swa_root, cookies={COOKIE: cookie}, timeout=20) as client:
        for question in ("How much do I use?", "And now?"):
            body = {"temporary": True, "messages": [{"role": "user", "content": question}]}
            response = client.post("/api/chat", json=body)
            assert response.status_code == 200
            usage = fold(response.text).usage
            assert usage is not None, "the mock reports usage when asked for it"
            tokens += usage["total_tokens"]
    return Chatter(chatter.user_id, chatter.name, 2, tokens)


def _own_usage(swa_root: str, chatter: Chatter) -> dict[str, Any]:
    cookie = auth_cookie(["invited"], user_id=chatter.user_id, name=chatter.name)
    with httpx.Client(base_url=swa_root, cookies={COOKIE: cookie}, timeout=20) as client:
        response = client.get("/api/usage/me")
    assert response.status_code == 200
    body: dict[str, Any] = response.json()
    return body


def _admin_page(context: BrowserContext, swa_root: str) -> Page:
    tag = uuid.uuid4().hex[:6]
    cookie = auth_cookie(["invited", "admin"], user_id=uuid.uuid4().hex, name=f"Admin {tag}")
    context.add_cookies([{"name": COOKIE, "value": cookie, "url": swa_root}])
    page = context.new_page()
    page.goto(swa_root + "/admin")
    expect(page.get_by_role("heading", name="Usage and limits", level=1)).to_be_visible()
    return page


def _number(text: str) -> int:
    return int(re.sub(r"[^\d]", "", text))


def test_an_admin_sees_the_chats_just_made_and_downloads_them_as_csv(
    context: BrowserContext, swa_root: str, mock: MockControl
) -> None:
    chatter = _chat_as_a_new_user(swa_root, mock)
    page = _admin_page(context, swa_root)
    expect(page).to_have_url(re.compile(r"/admin$"))

    users = page.get_by_role("table", name="Usage by user")
    row = users.get_by_role("row").filter(has_text=chatter.user_id)
    expect(row).to_have_count(1)
    expect(row.get_by_role("rowheader")).to_contain_text(chatter.name)
    cells = row.get_by_role("cell")
    expect(cells.nth(0)).to_have_text("2")
    # Formatted for people: thousands separators as the browser's language writes them.
    expect(cells.nth(3)).to_have_text(f"{chatter.total_tokens:,}")
    expect(cells.nth(4)).to_have_text("no price set")

    # The totals are the API's own, and hold the chats of this test.
    report = page.request.get(swa_root + "/api/admin/usage").json()
    total = page.locator('[data-field="total-tokens"] dd')
    expect(total).to_have_text(f"{report['totals']['total_tokens']:,}")
    assert _number(total.inner_text()) >= chatter.total_tokens
    expect(page.locator('[data-field="cost"] dd')).to_have_text("no price set")
    top = page.get_by_role("list", name="Top users")
    expect(top).to_be_visible()
    expect(page.get_by_role("list", name="Usage by day").get_by_role("listitem")).to_have_count(
        datetime.now(UTC).day
    )

    with page.expect_download() as download_info:
        page.get_by_role("link", name=re.compile("^Download CSV")).click()
    download = download_info.value
    today = datetime.now(UTC).date()
    assert download.suggested_filename == f"usage-{today.replace(day=1)}-{today}.csv"
    text = Path(download.path()).read_text(encoding="utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == CSV_HEADER
    lines = [dict(zip(CSV_HEADER, values, strict=True)) for values in rows[1:]]
    mine = [line for line in lines if line["user_id"] == chatter.user_id]
    assert mine and all(line["user_name"] == chatter.name for line in mine)
    assert sum(int(line["requests"]) for line in mine) == chatter.requests
    assert sum(int(line["total_tokens"]) for line in mine) == chatter.total_tokens


def test_an_admin_sets_a_users_limits_and_the_audit_log_says_so(
    context: BrowserContext, swa_root: str, mock: MockControl
) -> None:
    chatter = _chat_as_a_new_user(swa_root, mock)
    page = _admin_page(context, swa_root)

    page.get_by_role("button", name=f"Set limits for {chatter.name}").click()
    dialog = page.get_by_role("dialog", name=f"Limits for {chatter.name}")
    tokens_per_day = dialog.get_by_label("Tokens per day (UTC)")
    expect(page.get_by_role("textbox", name="Requests per minute")).to_be_focused()
    tokens_per_day.fill("0")
    dialog.get_by_role("button", name="Save limits").click()
    expect(tokens_per_day).to_have_attribute("aria-invalid", "true")
    expect(tokens_per_day).to_have_accessible_description(re.compile("Enter at least 1"))
    tokens_per_day.fill("123456")
    dialog.get_by_role("button", name="Save limits").click()
    expect(dialog).to_have_count(0)
    expect(page.get_by_role("status").filter(has_text="Limits saved")).to_have_text(
        f"Limits saved for {chatter.name}."
    )

    overrides = page.get_by_role("table", name="Users with limits of their own")
    row = overrides.get_by_role("row").filter(has_text=chatter.user_id)
    expect(row).to_contain_text("123,456")
    expect(row).to_contain_text("default (no limit)")
    audit = page.get_by_role("table", name=re.compile("^Audit log"))
    newest = audit.get_by_role("row").nth(1)
    expect(newest).to_contain_text("Set limits")
    expect(newest).to_contain_text(chatter.name)
    expect(newest).to_contain_text("tokens per day 123,456")
    expect(newest).to_contain_text("(was: no override)")
    # The API agrees, and the user's own usage shows the new limit at once.
    limits = page.request.get(swa_root + "/api/admin/limits").json()
    mine = [item for item in limits["overrides"] if item["user_id"] == chatter.user_id]
    assert mine and mine[0]["tokens_per_day"] == 123_456
    assert _own_usage(swa_root, chatter)["limits"]["tokens_per_day"] == 123_456

    row.get_by_role("button", name=f"Clear limits of {chatter.name}").click()
    confirm = page.get_by_role("dialog", name="Clear these limits?")
    expect(confirm.get_by_role("button", name="Cancel")).to_be_focused()
    confirm.get_by_role("button", name="Clear limits").click()
    expect(overrides.get_by_role("row").filter(has_text=chatter.user_id)).to_have_count(0)
    expect(audit.get_by_role("row").nth(1)).to_contain_text("Cleared limits")
    assert _own_usage(swa_root, chatter)["limits"]["tokens_per_day"] is None, "the default again"


def test_the_admin_page_keeps_its_range_and_refuses_a_wrong_one(
    context: BrowserContext, swa_root: str
) -> None:
    page = _admin_page(context, swa_root)
    page.get_by_label("From", exact=True).fill("2026-03-10")
    page.get_by_label("To", exact=True).fill("2026-03-01")
    page.get_by_role("button", name="Show usage").click()
    expect(page.get_by_label("From", exact=True)).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_label("From", exact=True)).to_be_focused()
    page.get_by_label("From", exact=True).fill("2026-02-01")
    page.get_by_role("button", name="Show usage").click()
    expect(page).to_have_url(re.compile(r"/admin\?from=2026-02-01&to=2026-03-01$"))
    expect(page.get_by_role("link", name=re.compile("^Download CSV"))).to_have_attribute(
        "href", "/api/admin/usage.csv?from=2026-02-01&to=2026-03-01"
    )
    expect(page.get_by_role("list", name="Usage by day").get_by_role("listitem")).to_have_count(29)
    page.reload()
    expect(page.get_by_label("From", exact=True)).to_have_value("2026-02-01")


def test_an_invited_user_who_is_not_an_admin_cannot_open_the_admin_page(
    context: BrowserContext, swa_root: str
) -> None:
    cookie = auth_cookie(["invited"], user_id=uuid.uuid4().hex, name="Not An Admin")
    with httpx.Client(base_url=swa_root, cookies={COOKIE: cookie}, timeout=20) as client:
        built = (REPO_ROOT / "webapp" / "dist" / "admin.html").read_text(encoding="utf-8")
        admin_entry = re.search(r'src="(/assets/admin-[^"]+\.js)"', built)
        assert admin_entry is not None
        for path in ("/admin", "/admin.html"):
            response = client.get(path)
            # Azure answers a signed-in user without the role 403 with the not-authorised
            # page; the emulator answers 401 for any missing role, i.e. the sign-in page.
            assert response.status_code in (302, 403), path
            if response.status_code == 302:
                assert response.headers["location"] == "/login.html"
            else:
                assert "Waiting for an invitation" in response.text
        # Azure matches routes whatever their case; the emulator does not, and serves the
        # chat for these. Either way the admin page itself never goes out.
        for path in ("/admin", "/admin.html", "/Admin", "/ADMIN.HTML", "/admin/"):
            assert admin_entry.group(1) not in client.get(path).text, path
        for route in ADMIN_ROUTES:
            api = client.get(route)
            assert api.status_code == 403, route
            assert api.json()["type"] == "urn:chat-on-azure:problem:admin-only"

    context.add_cookies([{"name": COOKIE, "value": cookie, "url": swa_root}])
    page = context.new_page()
    page.goto(swa_root + "/admin")
    expect(page).not_to_have_url(re.compile(r"/admin"))
    expect(page.get_by_role("heading", name="Usage and limits")).to_have_count(0)
