"""The chat screen in headless Chromium against the local stack (mock → API → SWA emulator).

`python -m bench.ui [--quick] [--json PATH]`

1. First load: a fresh browser context loads `/`; the JS and CSS it fetches, per file, as
   transferred (Resource Timing `encodedBodySize`; the emulator's `content-encoding` is
   recorded) and gzipped at level 9 by this script from the bytes served. Target ≤ 80 KB
   gzipped. The lazy chunks (highlight.js, KaTeX) are reported apart.
2. Long stream: a 20,000-token Markdown answer (`--quick`: 2,000) at 100 tokens/s; a
   buffered `longtask` PerformanceObserver; long tasks from Send to `data-status="complete"`.
   Target: none over 50 ms.
3. Open a 300-message conversation (imported through the API): from navigation start to a
   frame after the 300th article has its body (rAF, then a task: after that frame's paint);
   by a full navigation to `/c/<id>` and by a click in the sidebar. Target ≤ 500 ms.

See docs/ui_benchmarks.md.
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any

from playwright.sync_api import Browser, BrowserContext, Page, Response, sync_playwright

from bench import REPO_ROOT
from bench.report import table, write_json
from bench.stats import median
from bench.ui_text import conversation_export, long_answer
from tests.e2e.conftest import auth_cookie
from tests.support.servers import running_api, running_mock_openai, running_swa_emulator
from tools.mock_openai.control import MockControl

RESULTS = REPO_ROOT / "bench" / "results" / "ui.json"
DIST = REPO_ROOT / "webapp" / "dist"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]

TARGET_FIRST_LOAD_KB = 80.0
TARGET_LONG_TASK_MS = 50.0
TARGET_OPEN_MS = 500.0
LIBRECHAT_OPEN_MS = 2909.0

STREAM_TOKENS = 20_000
STREAM_TOKENS_QUICK = 2_000
TOKENS_PER_SECOND = 100
OPEN_MESSAGES = 300
OPEN_REPEATS = 8
OPEN_REPEATS_QUICK = 3
LAZY_CHUNKS = ("highlight", "katex")

# Waits for `count` articles, the last with a rendered body, then for the frame that shows
# them: rAF runs just before that frame's paint, the task it posts just after it.
PAGE_HELPERS = """
(() => {
  window.__longTasks = [];
  try {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) {
        window.__longTasks.push({ start: e.startTime, duration: e.duration });
      }
    }).observe({ type: "longtask", buffered: true });
  } catch (e) { window.__longTaskError = String(e); }
  window.__waitForArticles = (count) => new Promise((resolve) => {
    const done = () => {
      const all = document.querySelectorAll("article[data-role]");
      if (all.length < count) return false;
      const body = all[all.length - 1].querySelector(".message__body");
      return body !== null && body.childNodes.length > 0;
    };
    const finish = () => requestAnimationFrame(() => setTimeout(() => resolve({
      end: performance.now(),
      articles: document.querySelectorAll("article[data-role]").length,
      pendingCode: document.querySelectorAll(".md-code-pending").length,
    }), 0));
    if (done()) { finish(); return; }
    const observer = new MutationObserver(() => {
      if (done()) { observer.disconnect(); finish(); }
    });
    observer.observe(document, { childList: true, subtree: true });
  });
  const wanted = Number(sessionStorage.getItem("__benchWaitArticles") || "0");
  if (wanted > 0) window.__openResult = window.__waitForArticles(wanted);
})();
"""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--quick", action="store_true", help="2,000-token stream, 3 opens")
    parser.add_argument("--json", type=Path, default=None, help=f"default: {RESULTS}")
    args = parser.parse_args(argv)
    quick: bool = args.quick
    # A quick run writes JSON only when asked, so it never replaces the full run's figures.
    out: Path | None = args.json or (None if quick else RESULTS)

    if not (DIST / "index.html").exists():
        print("webapp/dist is missing: run `npm --prefix webapp run build`", file=sys.stderr)
        return 2

    stream_tokens = STREAM_TOKENS_QUICK if quick else STREAM_TOKENS
    repeats = OPEN_REPEATS_QUICK if quick else OPEN_REPEATS
    results: dict[str, Any] = {"quick": quick}
    with stack() as (swa, mock), sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        results["chromium"] = browser.version
        user = f"bench-ui-{uuid.uuid4().hex[:12]}"
        with signed_in(browser, swa, user) as context:
            results["first_load"] = first_load(context, swa)
        with signed_in(browser, swa, user) as context:
            results["stream"] = long_stream(context, swa, mock, stream_tokens)
        with signed_in(browser, swa, user) as context:
            results["open"] = open_conversation(context, swa, repeats)
        browser.close()
    results["lazy_chunks"] = lazy_chunks()
    print(summary_table(results))
    if out is not None:
        write_json(out, results)
        print(f"\nwritten {out}")
    return 0


@contextmanager
def stack() -> Iterator[tuple[str, str]]:
    """Mock → API (SQLite history in a temporary file) → SWA emulator; yields (swa, mock)."""
    with ExitStack() as stack, tempfile.TemporaryDirectory(prefix="bench-ui-") as tmp:
        mock = stack.enter_context(running_mock_openai("bench_ui_mock", "--reply", "echo"))
        env = {
            "HISTORY_STORE": "sqlite",
            "HISTORY_SQLITE_PATH": str(Path(tmp) / "history.sqlite3"),
            "AI_PROVIDER": "mock",
            "MOCK_OPENAI_URL": f"{mock}/v1",
            # Room for the 20,000-token answer (the default keeps 4,096 for it).
            "MODEL_ANSWER_TOKENS": "32000",
        }
        api = stack.enter_context(running_api(env, "bench_ui_api"))
        swa = stack.enter_context(running_swa_emulator(api, "bench_ui_swa"))
        yield swa, mock


@contextmanager
def signed_in(browser: Browser, swa: str, user: str) -> Iterator[BrowserContext]:
    """A fresh context (empty cache) with the emulator's auth cookie: role invited."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    # The emulator's pages may ask a CDN for something; nothing answers here.
    context.route(re.compile(r"^https?://(?!127\.0\.0\.1)"), lambda route: route.abort())
    cookie = auth_cookie(["invited"], user_id=user, name="Bench User")
    context.add_cookies([{"name": "StaticWebAppsAuthCookie", "value": cookie, "url": swa}])
    context.add_init_script(PAGE_HELPERS)
    try:
        yield context
    finally:
        context.close()


def _kind(url: str) -> str | None:
    path = url.split("?", 1)[0]
    if path.endswith(".js"):
        return "js"
    if path.endswith(".css"):
        return "css"
    return None


def first_load(context: BrowserContext, swa: str) -> dict[str, Any]:
    page = context.new_page()
    responses: list[Response] = []

    def keep(response: Response) -> None:
        responses.append(response)

    page.on("response", keep)
    page.goto(f"{swa}/", wait_until="load")
    page.get_by_role("textbox", name="Message").wait_for()
    page.wait_for_load_state("networkidle")
    timing: list[dict[str, Any]] = page.evaluate(
        """() => performance.getEntriesByType("resource").map((e) => ({
            url: e.name, transfer: e.transferSize, encoded: e.encodedBodySize,
            decoded: e.decodedBodySize }))"""
    )
    by_url = {entry["url"]: entry for entry in timing}
    files: list[dict[str, Any]] = []
    for response in responses:
        kind = _kind(response.url)
        if kind is None or response.status != 200:
            continue
        body = response.body()
        entry = by_url.get(response.url, {})
        files.append(
            {
                "file": response.url.rsplit("/", 1)[-1],
                "kind": kind,
                "bytes": len(body),
                "content_encoding": response.headers.get("content-encoding"),
                "encoded_bytes": entry.get("encoded"),
                "transfer_bytes": entry.get("transfer"),
                "gzip9_bytes": len(gzip.compress(body, compresslevel=9)),
            }
        )
    page.close()
    files.sort(key=lambda f: -int(f["bytes"]))
    return {
        "files": files,
        "total_bytes": sum(f["bytes"] for f in files),
        "total_encoded_bytes": sum(int(f["encoded_bytes"] or 0) for f in files),
        "total_gzip9_bytes": sum(f["gzip9_bytes"] for f in files),
        "emulator_gzips": any(f["content_encoding"] == "gzip" for f in files),
        "lazy_chunks_fetched": [f["file"] for f in files if f["file"].startswith(LAZY_CHUNKS)],
    }


def lazy_chunks() -> list[dict[str, Any]]:
    chunks = []
    for path in sorted((DIST / "assets").glob("*.js")):
        if path.name.startswith(LAZY_CHUNKS):
            data = path.read_bytes()
            chunks.append(
                {
                    "file": path.name,
                    "bytes": len(data),
                    "gzip9_bytes": len(gzip.compress(data, compresslevel=9)),
                }
            )
    return chunks


def long_stream(context: BrowserContext, swa: str, mock: str, tokens: int) -> dict[str, Any]:
    text, count = long_answer(tokens)
    page = context.new_page()
    page.goto(f"{swa}/", wait_until="load")
    box = page.get_by_role("textbox", name="Message")
    box.wait_for()
    page.wait_for_load_state("networkidle")
    with MockControl(mock) as control:
        control.reset()
        control.queue({"reply": "text", "text": text, "tokens_per_second": TOKENS_PER_SECOND})
    box.fill("Write me the long operations guide, with examples.")
    start_ms: float = page.evaluate("() => performance.now()")
    started = time.monotonic()
    page.get_by_role("button", name="Send").click()
    answer = page.locator('article[data-role="assistant"]').last
    answer.and_(page.locator('[data-status="streaming"]')).wait_for(timeout=30_000)
    timeout_ms = (count / TOKENS_PER_SECOND + 120) * 1000
    page.locator('article[data-role="assistant"][data-status="complete"]').wait_for(
        timeout=timeout_ms
    )
    wall_s = time.monotonic() - started
    page.wait_for_timeout(500)  # let a final long task (if any) be reported
    end_ms: float = page.evaluate("() => performance.now()")
    tasks: list[dict[str, float]] = page.evaluate("() => window.__longTasks")
    error = page.evaluate("() => window.__longTaskError || null")
    rendered: int = page.evaluate(
        """() => document.querySelector('article[data-role="assistant"] .message__body')
              .textContent.length"""
    )
    blocks: dict[str, int] = page.evaluate(
        """() => {
           const b = document.querySelector('article[data-role="assistant"] .message__body');
           return { code: b.querySelectorAll('.md-code').length,
                    tables: b.querySelectorAll('table').length,
                    math: b.querySelectorAll('math').length,
                    children: b.children.length }; }"""
    )
    chunks: list[dict[str, Any]] = page.evaluate(
        """() => performance.getEntriesByType("resource")
              .filter((e) => /\\/(highlight|katex)-[^/]*\\.js$/.test(e.name))
              .map((e) => ({ file: e.name.split("/").pop(), start: e.startTime,
                             end: e.responseEnd }))"""
    )
    with MockControl(mock) as control:
        # The answer's request (the title is asked for separately, with no behaviour).
        sent = next(
            r for r in reversed(control.requests()) if (r.get("behaviour") or {}).get("text")
        )
    page.close()
    during = [t for t in tasks if start_ms <= t["start"] <= end_ms]
    durations = sorted((t["duration"] for t in during), reverse=True)
    return {
        "tokens": count,
        "tokens_sent_by_mock": sent.get("tokens_sent"),
        "mock_outcome": sent.get("outcome"),
        "characters": len(text),
        "rendered_text_chars": rendered,
        "rendered_blocks": blocks,
        "tokens_per_second": TOKENS_PER_SECOND,
        "wall_seconds": round(wall_s, 1),
        "observer_error": error,
        "long_tasks": len(during),
        "long_tasks_over_50ms": sum(1 for d in durations if d > TARGET_LONG_TASK_MS),
        "max_long_task_ms": round(durations[0], 1) if durations else 0.0,
        "total_long_task_ms": round(sum(durations), 1),
        "top_long_tasks_ms": [round(d, 1) for d in durations[:10]],
        "long_tasks_before_send": len([t for t in tasks if t["start"] < start_ms]),
        # When each long task began, in seconds after Send, and when the lazy chunks came.
        "long_tasks_at_s": [
            {"at_s": round((t["start"] - start_ms) / 1000, 2), "ms": round(t["duration"], 1)}
            for t in during
        ],
        "lazy_chunks_at_s": [
            {
                "file": c["file"],
                "start_s": round((c["start"] - start_ms) / 1000, 2),
                "end_s": round((c["end"] - start_ms) / 1000, 2),
            }
            for c in chunks
        ],
    }


def _open_by_navigation(
    page: Page, swa: str, conversation: str, trace: Browser | None = None
) -> dict[str, Any]:
    page.goto(f"{swa}/", wait_until="load")
    if trace is not None:
        trace.start_tracing(page=page, categories=TRACE_CATEGORIES)
    page.evaluate(f"() => sessionStorage.setItem('__benchWaitArticles', '{OPEN_MESSAGES}')")
    page.goto(f"{swa}/c/{conversation}", wait_until="commit")
    result: dict[str, Any] = page.evaluate("() => window.__openResult")
    page.evaluate("() => sessionStorage.removeItem('__benchWaitArticles')")
    nav: dict[str, float] = page.evaluate(
        """() => { const n = performance.getEntriesByType("navigation")[0];
           const lcp = performance.getEntriesByType("largest-contentful-paint");
           return { responseEnd: n.responseEnd, domContentLoaded: n.domContentLoadedEventEnd,
                    load: n.loadEventEnd }; }"""
    )
    api: list[dict[str, float]] = page.evaluate(
        f"""() => performance.getEntriesByType("resource")
              .filter((e) => e.name.includes("/api/conversations/{conversation}"))
              .map((e) => ({{ start: e.startTime, end: e.responseEnd,
                              bytes: e.encodedBodySize }}))"""
    )
    return {"ms": result["end"], "articles": result["articles"], "nav": nav, "api": api}


def _open_by_click(
    page: Page, swa: str, conversation: str, trace: Browser | None = None
) -> dict[str, Any]:
    page.goto(f"{swa}/", wait_until="load")
    link = page.locator(f'nav a[data-conversation-id="{conversation}"]')
    link.wait_for()
    page.wait_for_load_state("networkidle")
    page.evaluate(
        f"""() => {{
          window.__clickAt = null;
          document.addEventListener("click", (e) => {{
            if (window.__clickAt === null) window.__clickAt = e.timeStamp;
          }}, {{ capture: true }});
          window.__openResult = window.__waitForArticles({OPEN_MESSAGES});
        }}"""
    )
    if trace is not None:
        trace.start_tracing(page=page, categories=TRACE_CATEGORIES)
    link.click()
    result: dict[str, Any] = page.evaluate("() => window.__openResult")
    click_at: float = page.evaluate("() => window.__clickAt")
    return {"ms": result["end"] - click_at, "articles": result["articles"]}


def open_conversation(context: BrowserContext, swa: str, repeats: int) -> dict[str, Any]:
    export = conversation_export(OPEN_MESSAGES)
    reply = context.request.post(f"{swa}/api/conversations/import", data=export)
    if reply.status != 201:
        raise RuntimeError(f"import answered {reply.status}: {reply.text()[:300]}")
    conversation = str(reply.json()["id"])
    page = context.new_page()
    navigation: list[dict[str, Any]] = []
    clicks: list[dict[str, Any]] = []
    _open_by_navigation(page, swa, conversation)  # warm-up: HTTP cache, lazy chunks
    for _ in range(repeats):
        navigation.append(_open_by_navigation(page, swa, conversation))
        clicks.append(_open_by_click(page, swa, conversation))
    browser = browser_of(context)
    breakdown = {
        "navigation": _traced(
            browser, lambda: _open_by_navigation(page, swa, conversation, browser)
        ),
        "click": _traced(browser, lambda: _open_by_click(page, swa, conversation, browser)),
    }
    page.close()
    chars = [len(m["content"]) for m in export["messages"]]
    nav_ms = [s["ms"] for s in navigation]
    click_ms = [s["ms"] for s in clicks]
    return {
        "messages": OPEN_MESSAGES,
        "characters": sum(chars),
        "code_blocks": sum(m["content"].count("```") // 2 for m in export["messages"]),
        "json_bytes": len(json.dumps(export)),
        "repeats": repeats,
        "navigation_ms": {"median": round(median(nav_ms), 1), "max": round(max(nav_ms), 1)},
        "click_ms": {"median": round(median(click_ms), 1), "max": round(max(click_ms), 1)},
        "navigation_samples": [
            {
                "ms": round(s["ms"], 1),
                "articles": s["articles"],
                "html_response_end": round(s["nav"]["responseEnd"], 1),
                "dom_content_loaded": round(s["nav"]["domContentLoaded"], 1),
                "api": [{k: round(v, 1) for k, v in a.items()} for a in s["api"]],
            }
            for s in navigation
        ],
        "click_samples": [round(s["ms"], 1) for s in clicks],
        "trace_self_ms": breakdown,
    }


TRACE_CATEGORIES = [
    "devtools.timeline",
    "disabled-by-default-devtools.timeline",
    "v8.execute",
    "blink",
    "loading",
]


def browser_of(context: BrowserContext) -> Browser:
    browser = context.browser
    if browser is None:
        raise RuntimeError("a context without its browser")
    return browser


def _traced(browser: Browser, run: Callable[[], dict[str, Any]]) -> dict[str, Any]:
    """One more open under a Chrome trace (`run` starts it just before the navigation or the
    click): self time per event name on the renderer's main thread until the last paint, the
    top 12 and the rest. Tracing slows the page down: its `ms` is not a sample."""
    sample = run()
    trace = json.loads(browser.stop_tracing())
    events = trace["traceEvents"] if isinstance(trace, dict) else trace
    return {"ms": round(float(sample["ms"]), 1), "self_ms": _self_times(events)}


def _self_times(events: list[dict[str, Any]]) -> dict[str, float]:
    main_threads = {
        (e["pid"], e["tid"])
        for e in events
        if e.get("ph") == "M"
        and e.get("name") == "thread_name"
        and e.get("args", {}).get("name") == "CrRendererMain"
    }
    spans = sorted(
        (
            (float(e["ts"]), float(e["ts"]) + float(e.get("dur", 0)), str(e["name"]))
            for e in events
            if e.get("ph") == "X" and (e.get("pid"), e.get("tid")) in main_threads
        ),
        key=lambda span: (span[0], -span[1]),
    )
    self_us: dict[str, float] = {}
    stack: list[tuple[float, float, str]] = []
    for start, end, name in spans:
        while stack and stack[-1][1] <= start:
            stack.pop()
        duration = end - start
        self_us[name] = self_us.get(name, 0.0) + duration
        if stack:
            parent = stack[-1][2]
            self_us[parent] = self_us.get(parent, 0.0) - min(duration, stack[-1][1] - start)
        stack.append((start, end, name))
    top = sorted(self_us.items(), key=lambda item: -item[1])
    result = {name: round(us / 1000, 1) for name, us in top[:12]}
    result["(other)"] = round(sum(us for _, us in top[12:]) / 1000, 1)
    return result


def _verdict(met: bool) -> str:
    return "met" if met else "**missed**"


def summary_table(results: dict[str, Any]) -> str:
    load = results["first_load"]
    stream = results["stream"]
    opened = results["open"]
    kb = load["total_gzip9_bytes"] / 1024
    rows = [
        [
            "first load, JS + CSS gzipped (level 9)",
            f"{kb:.1f} KB",
            f"≤ {TARGET_FIRST_LOAD_KB:.0f} KB",
            _verdict(kb <= TARGET_FIRST_LOAD_KB),
        ],
        [
            f"stream {stream['tokens']:,} tokens at {stream['tokens_per_second']}/s: "
            "long tasks over 50 ms",
            f"{stream['long_tasks_over_50ms']} (of {stream['long_tasks']}; "
            f"max {stream['max_long_task_ms']:.0f} ms)",
            "0",
            _verdict(stream["long_tasks_over_50ms"] == 0),
        ],
    ]
    for key, label in (("navigation_ms", "navigation to /c/<id>"), ("click_ms", "sidebar click")):
        figure = opened[key]
        rows.append(
            [
                f"open {opened['messages']} messages, {label}: to last paint "
                f"(median / max of {opened['repeats']})",
                f"{figure['median']:.0f} / {figure['max']:.0f} ms",
                f"≤ {TARGET_OPEN_MS:.0f} ms (LibreChat {LIBRECHAT_OPEN_MS:,.0f})",
                _verdict(figure["median"] <= TARGET_OPEN_MS),
            ]
        )
    lines = [table(["measure", "figure", "target", "verdict"], rows), ""]
    files = [
        [
            f["file"],
            f"{f['bytes'] / 1024:.1f}",
            f"{(f['encoded_bytes'] or 0) / 1024:.1f}",
            f["content_encoding"] or "none",
            f"{f['gzip9_bytes'] / 1024:.1f}",
        ]
        for f in load["files"]
    ]
    files += [
        [
            f"{c['file']} (lazy)",
            f"{c['bytes'] / 1024:.1f}",
            "",
            "",
            f"{c['gzip9_bytes'] / 1024:.1f}",
        ]
        for c in results["lazy_chunks"]
    ]
    lines.append(table(["file", "raw KB", "transferred KB", "encoding", "gzip -9 KB"], files))
    return "\n".join(lines)


if __name__ == "__main__":
    raise SystemExit(main())
