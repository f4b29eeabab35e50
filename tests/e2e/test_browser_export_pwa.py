"""Export as text, print to PDF and the installable app, in Chromium through the SWA emulator.

Needs the production build in webapp/dist (`cd webapp && npm run build`): the service worker
and its manifest of shell files exist only there.
"""

from __future__ import annotations

import json
import re
import struct
import uuid
from typing import Any

import httpx
import pytest
from playwright.sync_api import BrowserContext, Page, expect

from tests.e2e.conftest import ask, auth_cookie, page_for_new_user
from tools.mock_openai.control import MockControl

pytestmark = pytest.mark.e2e

COOKIE = "StaticWebAppsAuthCookie"
LONG_LINE = "x = [" + ", ".join(f"'item-{n}'" for n in range(60)) + "]"
ANSWER = f"Here is the list:\n\n```python\n{LONG_LINE}\nprint(len(x))\n```\n\nThat is all."

# Collects Content-Security-Policy violations from the first moment of every page (init
# scripts run outside the page's CSP).
CSP_LISTENER = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', (event) => {
  window.__cspViolations.push(event.violatedDirective + ' ' + event.blockedURI);
});
"""

# Every URL stored in the page's Cache Storage, by cache.
CACHED_URLS = """async () => {
  const out = {};
  for (const name of await caches.keys()) {
    const cache = await caches.open(name);
    out[name] = (await cache.keys()).map((request) => new URL(request.url).pathname);
  }
  return out;
}"""


def _sign_in(context: BrowserContext, swa_root: str, user_id: str, name: str) -> None:
    cookie = auth_cookie(["invited"], user_id=user_id, name=name)
    context.add_cookies([{"name": COOKIE, "value": cookie, "url": swa_root}])


def _page_for_new_user(context: BrowserContext, swa_root: str) -> Page:
    context.add_init_script(CSP_LISTENER)
    return page_for_new_user(context, swa_root, name="PWA Tester")


def _menu_item(page: Page, title: str, item: str) -> None:
    page.get_by_role("button", name=f"Options for {title}").click()
    page.get_by_role("menu").get_by_role("menuitem", name=item).click()


def _assert_no_csp_violations(page: Page) -> None:
    assert page.evaluate("window.__cspViolations") == []


def _png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


# ---- the manifest and icons ---------------------------------------------------------------


def test_the_manifest_and_its_icons_are_served_without_signing_in(swa_root: str) -> None:
    # Browsers fetch the manifest without cookies: it must not need a role.
    with httpx.Client(base_url=swa_root, timeout=20) as anonymous:
        response = anonymous.get("/manifest.webmanifest")
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("application/manifest+json")
        manifest: dict[str, Any] = json.loads(response.text)
        assert (manifest["name"], manifest["short_name"]) == ("Chat on Azure", "Chat")
        assert (manifest["start_url"], manifest["display"]) == ("/", "standalone")
        assert re.fullmatch(r"#[0-9a-f]{6}", manifest["theme_color"])
        purposes = set()
        for icon in manifest["icons"]:
            image = anonymous.get(icon["src"])
            assert image.status_code == 200, icon["src"]
            assert image.headers["content-type"].startswith(icon["type"]), icon["src"]
            if icon["type"] == "image/png":
                width, height = _png_size(image.content)
                assert f"{width}x{height}" == icon["sizes"], icon["src"]
            purposes.add(icon["purpose"])
        assert {"any", "maskable"} <= purposes
        sizes = {icon["sizes"] for icon in manifest["icons"]}
        assert {"192x192", "512x512"} <= sizes
        touch = anonymous.get("/icons/apple-touch-icon.png")
        assert touch.status_code == 200 and _png_size(touch.content) == (180, 180)
        assert 'rel="manifest"' in anonymous.get("/login.html").text
        # Only those files are public: the worker and the offline page need the role.
        for private in ("/sw.js", "/offline.html", "/icons/", "/index.html"):
            assert anonymous.get(private).status_code == 302, private


def test_chromium_finds_the_app_installable(context: BrowserContext, swa_root: str) -> None:
    page = _page_for_new_user(context, swa_root)
    page.evaluate("navigator.serviceWorker.ready")
    page.wait_for_function("navigator.serviceWorker.controller !== null")
    cdp = context.new_cdp_session(page)
    manifest = cdp.send("Page.getAppManifest")
    assert manifest["url"] == swa_root + "/manifest.webmanifest"
    assert manifest["errors"] == []
    assert json.loads(manifest["data"])["name"] == "Chat on Azure"
    # Test contexts are incognito windows, where nothing installs; nothing else may be missing.
    errors = cdp.send("Page.getInstallabilityErrors")["installabilityErrors"]
    assert [error["errorId"] for error in errors] in ([], ["in-incognito"])
    _assert_no_csp_violations(page)


# ---- the service worker --------------------------------------------------------------------


def test_the_service_worker_caches_the_shell_and_never_api_data(
    context: BrowserContext, swa_root: str
) -> None:
    user_id = uuid.uuid4().hex
    _sign_in(context, swa_root, user_id, "Before")
    context.add_init_script(CSP_LISTENER)
    page = context.new_page()
    page.goto(swa_root + "/")
    scope = page.evaluate("navigator.serviceWorker.ready.then((r) => r.scope)")
    assert scope == swa_root + "/"
    # It claims the page it was installed from.
    page.wait_for_function("navigator.serviceWorker.controller !== null")
    page.reload()
    expect(page.get_by_label("Message", exact=True)).to_be_visible()
    first = page.evaluate("fetch('/api/me').then((r) => r.json())")
    assert first["name"] == "Before"

    # The server's answer changes (the signed-in name): the page must see the new one.
    _sign_in(context, swa_root, user_id, "After")
    second = page.evaluate("fetch('/api/me').then((r) => r.json())")
    assert second["name"] == "After"

    cached = page.evaluate(CACHED_URLS)
    assert len(cached) == 1, cached
    ((name, urls),) = cached.items()
    assert name.startswith("chat-on-azure-shell-")
    assert "/offline.html" in urls
    index_html = httpx.get(
        swa_root + "/", cookies={COOKIE: auth_cookie(["invited"], user_id=user_id)}
    ).text
    for asset in re.findall(r'(?:src|href)="(/assets/[^"]+)"', index_html):
        assert asset in urls, f"{asset} is not in the shell cache"
    assert all(url.startswith("/assets/") or url == "/offline.html" for url in urls), urls
    _assert_no_csp_violations(page)


def test_signed_out_pages_still_go_to_sign_in_and_offline_pages_say_so(
    context: BrowserContext, swa_root: str
) -> None:
    page = _page_for_new_user(context, swa_root)
    page.evaluate("navigator.serviceWorker.ready")
    page.wait_for_function("navigator.serviceWorker.controller !== null")

    context.set_offline(True)
    page.goto(swa_root + "/c/some-conversation")
    expect(page.get_by_role("heading", name=re.compile("offline"))).to_be_visible()
    expect(page).to_have_url(swa_root + "/c/some-conversation")
    expect(page.get_by_role("link", name="Try again")).to_have_attribute("href", "")
    # Back online, the page the user was opening loads by itself.
    context.set_offline(False)
    expect(page.get_by_label("Message", exact=True)).to_be_visible()

    # Signed out, the worker must not stand in for the app: SWA's redirect goes through.
    # (A new address: the browser's HTTP cache may keep a page for 30 s, worker or not.)
    context.clear_cookies()
    signed_out = context.new_page()
    signed_out.goto(swa_root + f"/c/{uuid.uuid4().hex}")
    expect(signed_out).to_have_url(swa_root + "/login.html")
    assert signed_out.evaluate("navigator.serviceWorker.controller !== null"), "it went through"


# ---- export and print ----------------------------------------------------------------------


def test_export_as_text_downloads_the_conversation(
    context: BrowserContext, swa_root: str, mock: MockControl
) -> None:
    page = _page_for_new_user(context, swa_root)
    mock.queue({"reply": "text", "text": ANSWER}, {"reply": "text", "text": "Text export"})
    ask(page, "Give me a list")
    with page.expect_download() as download_info:
        _menu_item(page, "Text export", "Export as text")
    download = download_info.value
    assert download.suggested_filename == "Text-export.txt"
    path = download.path()
    text = path.read_text(encoding="utf-8")
    assert text.startswith("Text export\n\n")
    assert re.search(r"^You, \d{4}-\d\d-\d\d \d\d:\d\d UTC:\nGive me a list\n", text, re.M)
    assert re.search(r"^Assistant, [^\n]+ UTC:\nHere is the list:", text, re.M)
    assert LONG_LINE in text


def test_print_opens_the_conversation_and_prints_only_it(
    context: BrowserContext, swa_root: str, mock: MockControl
) -> None:
    page = _page_for_new_user(context, swa_root)
    mock.queue({"reply": "text", "text": ANSWER}, {"reply": "text", "text": "Printable chat"})
    ask(page, "Give me a list to print")
    expect(page).to_have_url(re.compile(r"/c/[0-9a-f]+$"))
    conversation_url = page.url
    page.get_by_role("button", name="New chat").click()
    expect(page.locator("article")).to_have_count(0)
    # The real dialog would block the test: count the calls instead.
    page.evaluate("window.__printed = 0; window.print = () => { window.__printed += 1; };")

    _menu_item(page, "Printable chat", "Print or save as PDF")
    page.wait_for_function("window.__printed === 1")
    # page.url follows history.pushState a little later: wait for it, do not read it once.
    expect(page, "it opened the conversation to print it").to_have_url(conversation_url)

    page.emulate_media(media="print", color_scheme="dark")
    for hidden in ("#sidebar", ".app-header", ".app-footer", "button"):
        expect(page.locator(hidden).first).to_be_hidden()
    expect(page.get_by_label("Message", exact=True)).to_be_hidden()
    expect(page.locator("h1.print-title")).to_have_text("Printable chat")
    expect(page.locator("h1.print-title")).to_be_visible()
    articles = page.locator("article[data-role]")
    expect(articles).to_have_count(2)
    expect(articles.nth(0)).to_be_visible()
    expect(articles.nth(1)).to_contain_text("That is all.")
    labels = page.evaluate(
        "[...document.querySelectorAll('article[data-role]')]"
        ".map((a) => getComputedStyle(a, '::before').content)"
    )
    assert labels == ['"You"', '"Assistant"']
    colours = page.evaluate(
        """() => {
          const answer = document.querySelector('article[data-role="assistant"] p');
          return [getComputedStyle(document.body).backgroundColor, getComputedStyle(answer).color];
        }"""
    )
    assert colours == ["rgb(255, 255, 255)", "rgb(0, 0, 0)"], "black on white, dark theme or not"
    code = page.evaluate(
        """() => {
          const pre = document.querySelector('article[data-role="assistant"] pre');
          return {
            whiteSpace: getComputedStyle(pre.querySelector('code')).whiteSpace,
            breakInside: getComputedStyle(pre).breakInside,
            overflows: pre.scrollWidth > pre.clientWidth + 1,
          };
        }"""
    )
    assert code == {"whiteSpace": "pre-wrap", "breakInside": "avoid", "overflows": False}

    pdf = page.pdf(format="A4")
    assert pdf.startswith(b"%PDF-") and len(pdf) > 2_000
    _assert_no_csp_violations(page)
