"""Chat history through the API: listing, opening, and what history adds to a chat's first
token, on SQLite and on Table Storage (Azurite), side by side in one run.

`python -m bench.history [--quick] [--backend sqlite|table] [--json PATH]`

One user has 1,000 conversations (four messages each; one of them has 300 messages), and
another has a fresh 20-message conversation for every saved chat request. Both backends
are seeded before the API starts (bench/history_seed.py); every figure is then measured
through the API over HTTP, one request at a time, as a browser would see it:

- list: `GET /api/conversations?limit=50`, the first page, and a walk through all 20
  pages by their continuations;
- open: `GET /api/conversations/{id}` of the 300-message conversation;
- chat: a saved chat (`conversation_id` + `message`: load, save the message, fit the
  window) against a temporary chat sending the same 20 messages plus the same question as
  `messages` (no store at all), in ABBA order. The mock answers at once and both paths
  send it the same messages (checked), so saved - temporary is the history's own cost.

Two APIs (uvicorn, one worker each: one per backend) run at once and the rounds alternate
between them, so drift on a shared machine hits both backends and both chat paths alike.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime
import json
import os
import platform
import random
import sqlite3
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable, Iterator, Sequence
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

import uvloop

from bench import REPO_ROOT
from bench.cpu import CpuMeter, child_pid, server_pid
from bench.history_http import HttpClient, Reply
from bench.history_seed import (
    CHAT_HISTORY_MESSAGES,
    CHAT_USER,
    CONVERSATIONS,
    LIST_USER,
    LONG_MESSAGES,
    MESSAGES_PER_LISTED,
    PINNED_AT,
    SeedData,
    Seeded,
    build,
    question,
    seed_sqlite,
    seed_table,
)
from bench.stats import median, percentile
from tests.support.azurite import running_azurite
from tests.support.principals import principal_header
from tests.support.servers import running_api, running_mock_openai
from tools.mock_openai.control import MockControl

RESULTS = REPO_ROOT / "bench" / "results" / "history.json"
# Echo: a short answer (the question back) that starts at once, so the mock adds nothing
# but its own few hundred microseconds, the same for both chat paths.
MOCK_ARGS = ("--reply", "echo", "--first-token-latency-ms", "0", "--tokens-per-second", "0")
TABLE_NAME = "benchhistory"
PAGE_SIZE = 50
LIST_PATH = f"/api/conversations?limit={PAGE_SIZE}"
BACKENDS = {"sqlite": "SQLite", "table": "Table Storage (Azurite)"}

# The targets, for SQLite; Azurite is measured against the same numbers for
# reference only (an emulator on the same two cores says little about the real service).
TARGET_LIST_MS = 50.0
TARGET_OPEN_MS = 100.0
TARGET_ADDED_TTFT_MS = 5.0


@dataclass(frozen=True)
class Plan:
    rounds: int
    lists: int  # first-page requests per backend and round
    walks: int  # walks through all pages per backend and round
    opens: int  # opens of the long conversation per backend and round
    chats: int  # saved/temporary pairs per backend and round
    warmup: int  # untimed requests of each kind (and pairs) per backend first

    @property
    def chat_conversations(self) -> int:
        # A fresh conversation for every saved request, warm-up included.
        return self.warmup + 1 + self.rounds * self.chats


FULL = Plan(rounds=5, lists=30, walks=2, opens=30, chats=40, warmup=10)
QUICK = Plan(rounds=2, lists=15, walks=1, opens=15, chats=15, warmup=4)


@dataclass
class Series:
    """Timings of one kind of request, and the CPU each process spent on them."""

    ms: list[float] = field(default_factory=list)
    cpu_s: dict[str, float] = field(default_factory=dict)
    counted: int = 0

    def add(self, ms: float, cpu: dict[str, float], requests: int = 1) -> None:
        self.ms.append(ms)
        for name, seconds in cpu.items():
            self.cpu_s[name] = self.cpu_s.get(name, 0.0) + seconds
        self.counted += requests

    def summary(self) -> dict[str, Any]:
        return {
            "samples": len(self.ms),
            "median_ms": round(median(self.ms), 3),
            "p99_ms": round(percentile(self.ms, 99), 3),
            "min_ms": round(min(self.ms), 3),
            # Mean CPU per request (to its last byte), by process: steadier than wall
            # time on a noisy machine. "store" is Azurite; SQLite runs inside the API.
            "cpu_ms_per_request": {
                name: round(seconds * 1000 / self.counted, 3)
                for name, seconds in sorted(self.cpu_s.items())
            },
        }


@dataclass
class BackendRun:
    name: str
    lister: HttpClient
    chatter: HttpClient
    meter: CpuMeter
    chats: Iterator[Seeded]
    chat_history: Sequence[tuple[str, str]]
    long_id: str
    list_first: Series = field(default_factory=Series)
    walk: Series = field(default_factory=Series)
    walk_page: Series = field(default_factory=Series)
    open_long: Series = field(default_factory=Series)
    open_bytes: int = 0
    saved_ttft: Series = field(default_factory=Series)
    temporary_ttft: Series = field(default_factory=Series)
    saved_turn: Series = field(default_factory=Series)
    temporary_turn: Series = field(default_factory=Series)
    paired_ttft_ms: list[float] = field(default_factory=list)
    omitted: set[int] = field(default_factory=set)
    pairs: int = 0

    async def timed(self, send: Callable[[], Awaitable[Reply]]) -> tuple[Reply, dict[str, float]]:
        before = self.meter.snapshot()
        reply = await send()
        return reply, self.meter.since(before)


class BenchFailure(Exception):
    pass


def _ok(reply: Reply, what: str) -> Any:
    if reply.status != 200:
        raise BenchFailure(f"{what}: HTTP {reply.status}: {reply.body[:300]!r}")
    return json.loads(reply.body)


# The measurements. `record=False` is the warm-up: the same requests, not kept.

# The first page starts with the pinned conversations, then the newest of the others.
_PINS = [True] * len(PINNED_AT) + [False]


async def list_first_page(run: BackendRun, record: bool) -> None:
    reply, cpu = await run.timed(lambda: run.lister.get(LIST_PATH))
    page = _ok(reply, "list")
    if len(page["items"]) != PAGE_SIZE or not page["continuation"]:
        raise BenchFailure("list: the first page is not a full page with a continuation")
    if [item["pinned"] for item in page["items"][: len(_PINS)]] != _PINS:
        raise BenchFailure("list: the pinned conversations are not first")
    if record:
        run.list_first.add(reply.total_ms, cpu)


async def walk_all_pages(run: BackendRun, record: bool) -> None:
    """Every page in turn, as a client scrolling to the end would fetch them."""
    seen: set[str] = set()
    pages: list[float] = []
    before = run.meter.snapshot()
    started = time.perf_counter()
    path: str | None = LIST_PATH
    while path is not None:
        reply = await run.lister.get(path)
        page = _ok(reply, "list walk")
        pages.append(reply.total_ms)
        seen.update(item["id"] for item in page["items"])
        continuation = page["continuation"]
        path = None if continuation is None else f"{LIST_PATH}&continuation={quote(continuation)}"
    elapsed = (time.perf_counter() - started) * 1000
    cpu = run.meter.since(before)
    expected_pages = -(-CONVERSATIONS // PAGE_SIZE)
    if len(seen) != CONVERSATIONS or len(pages) != expected_pages:
        raise BenchFailure(f"list walk: {len(seen)} conversations in {len(pages)} pages")
    if record:
        run.walk.add(elapsed, cpu, requests=len(pages))
        for ms in pages:
            run.walk_page.add(ms, {})


async def open_long(run: BackendRun, record: bool) -> None:
    reply, cpu = await run.timed(lambda: run.lister.get(f"/api/conversations/{run.long_id}"))
    body = _ok(reply, "open")
    if len(body["messages"]) != LONG_MESSAGES:
        raise BenchFailure(f"open: {len(body['messages'])} messages, not {LONG_MESSAGES}")
    run.open_bytes = len(reply.body)
    if record:
        run.open_long.add(reply.total_ms, cpu)


_DELTA = b"event: delta\n"


def _chat_reply(reply: Reply, what: str) -> dict[str, Any]:
    """The `start` event's data, after checking that the answer streamed and ended well."""
    if reply.status != 200:
        raise BenchFailure(f"{what}: HTTP {reply.status}: {reply.body[:300]!r}")
    if (
        reply.watch_ms is None
        or b"event: done\n" not in reply.body
        or b"event: error" in reply.body
    ):
        raise BenchFailure(f"{what}: the answer did not stream to a normal end")
    first = reply.body.split(b"\n\n", 1)[0]
    if not first.startswith(b"event: start\n"):
        raise BenchFailure(f"{what}: no start event")
    start: dict[str, Any] = json.loads(first.split(b"data:", 1)[1])
    return start


async def chat_pair(run: BackendRun, text: str, record: bool) -> None:
    """A saved chat and the same chat sent whole, in the order the pair number says."""
    conversation = next(run.chats).conversation
    saved_body = json.dumps({"conversation_id": conversation.id, "message": text}).encode()
    history = [{"role": role, "content": content} for role, content in run.chat_history]
    temporary_body = json.dumps(
        {"messages": [*history, {"role": "user", "content": text}]}
    ).encode()

    async def saved() -> tuple[Reply, dict[str, float]]:
        return await run.timed(lambda: run.chatter.post_json("/api/chat", saved_body, watch=_DELTA))

    async def temporary() -> tuple[Reply, dict[str, float]]:
        return await run.timed(
            lambda: run.chatter.post_json("/api/chat", temporary_body, watch=_DELTA)
        )

    # ABBA: saved first in even pairs, temporary first in odd ones.
    if run.pairs % 2 == 0:
        (s, s_cpu), (t, t_cpu) = await saved(), await temporary()
    else:
        (t, t_cpu), (s, s_cpu) = await temporary(), await saved()
    run.pairs += 1
    s_start, t_start = _chat_reply(s, "saved chat"), _chat_reply(t, "temporary chat")
    if s_start.get("conversation_id") != conversation.id:
        raise BenchFailure("saved chat: the answer is not for the conversation asked")
    run.omitted.update({s_start["omitted_messages"], t_start["omitted_messages"]})
    if record:
        assert s.watch_ms is not None and t.watch_ms is not None
        run.saved_ttft.add(s.watch_ms, s_cpu)
        run.temporary_ttft.add(t.watch_ms, t_cpu)
        run.saved_turn.add(s.total_ms, {})
        run.temporary_turn.add(t.total_ms, {})
        run.paired_ttft_ms.append(s.watch_ms - t.watch_ms)


async def measure_block(
    run: BackendRun, plan: Plan, questions: Iterator[str], *, warmup: bool
) -> None:
    record = not warmup
    for _ in range(plan.warmup if warmup else plan.lists):
        await list_first_page(run, record)
    for _ in range(1 if warmup else plan.walks):
        await walk_all_pages(run, record)
    for _ in range(plan.warmup if warmup else plan.opens):
        await open_long(run, record)
    for _ in range(plan.warmup if warmup else plan.chats):
        await chat_pair(run, next(questions), record)


async def same_model_input(run: BackendRun, mock: MockControl, text: str) -> None:
    """Prove the premise: both chat paths send the model exactly the same messages."""
    await asyncio.to_thread(mock.reset)
    await chat_pair(run, text, record=False)
    sent = await asyncio.to_thread(mock.requests)
    if len(sent) != 2 or sent[0]["body"]["messages"] != sent[1]["body"]["messages"]:
        raise BenchFailure("the saved and the temporary chat did not send the same messages")
    expected = CHAT_HISTORY_MESSAGES + 1
    if len(sent[0]["body"]["messages"]) != expected:
        raise BenchFailure(f"the model got {len(sent[0]['body']['messages'])} messages")


def _questions(rng_seed: int) -> Iterator[str]:
    rng = random.Random(rng_seed)
    number = 0
    while True:
        number += 1
        yield f"{question(rng)} (question {number})"


async def measure(runs: list[BackendRun], plan: Plan, mock: MockControl) -> None:
    questions = _questions(7)
    for run in runs:
        await measure_block(run, plan, questions, warmup=True)
        await same_model_input(run, mock, next(questions))
    await asyncio.to_thread(mock.reset)
    for round_number in range(plan.rounds):
        print(f"  round {round_number + 1} of {plan.rounds}", flush=True)
        # Alternate which backend goes first, so neither always follows the other.
        for run in runs if round_number % 2 == 0 else runs[::-1]:
            await measure_block(run, plan, questions, warmup=False)
        # The mock keeps every request it served; keep its log (and its work) small.
        await asyncio.to_thread(mock.reset)


# Processes


def _port(url: str) -> int:
    port = urlsplit(url).port
    assert port is not None, url
    return port


def _table_port(connection_string: str) -> int:
    endpoint = next(
        part.split("=", 1)[1]
        for part in connection_string.split(";")
        if part.startswith("TableEndpoint=")
    )
    return _port(endpoint)


def fit_to_window_us(data: SeedData) -> dict[str, float]:
    """The context-window fitting alone, in this process: the 'trim' of a saved chat."""
    from chat_api.context_window import fit_to_window

    long = next(s for s in data.listed if s.conversation.id == data.long_id).messages
    cases = {
        f"{CHAT_HISTORY_MESSAGES + 1}_messages": [*data.chat_history, ("user", "Why?")],
        f"{LONG_MESSAGES}_messages": [(m.role, m.content) for m in long],
    }
    result: dict[str, float] = {}
    for name, history in cases.items():
        times = []
        for _ in range(300):
            started = time.perf_counter_ns()
            # The defaults of MODEL_CONTEXT_TOKENS and MODEL_ANSWER_TOKENS.
            fit_to_window(None, history, context_tokens=128_000, answer_tokens=4_096)
            times.append((time.perf_counter_ns() - started) / 1000)
        result[name] = round(median(times), 1)
    return result


def run(plan: Plan, backends: Sequence[str]) -> dict[str, Any]:
    data = build(plan.chat_conversations)
    print(
        f"seed: {CONVERSATIONS:,} conversations (one of {LONG_MESSAGES} messages) and "
        f"{len(data.chats)} chats of {CHAT_HISTORY_MESSAGES}: {data.message_count:,} "
        f"messages, {data.text_bytes / 1e6:.1f} MB of text",
        flush=True,
    )
    seed_seconds: dict[str, float] = {}
    with ExitStack() as stack:
        workspace = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="bench-hist-")))
        mock_root = stack.enter_context(running_mock_openai("bench_history_mock", *MOCK_ARGS))
        envs: dict[str, dict[str, str]] = {}
        store_pids: dict[str, int | None] = {}
        base_env = {"AI_PROVIDER": "mock", "MOCK_OPENAI_URL": f"{mock_root}/v1"}
        if "sqlite" in backends:
            path = workspace / "history.sqlite3"
            started = time.perf_counter()
            asyncio.run(seed_sqlite(path, data))
            seed_seconds["sqlite"] = time.perf_counter() - started
            envs["sqlite"] = {
                **base_env,
                "HISTORY_STORE": "sqlite",
                "HISTORY_SQLITE_PATH": str(path),
            }
            store_pids["sqlite"] = None  # in the API's own process (its history thread)
        if "table" in backends:
            azurite = stack.enter_context(running_azurite())
            started = time.perf_counter()
            asyncio.run(seed_table(azurite, TABLE_NAME, data))
            seed_seconds["table"] = time.perf_counter() - started
            envs["table"] = {
                **base_env,
                "HISTORY_STORE": "table",
                "HISTORY_STORAGE_CONNECTION_STRING": azurite,
                "HISTORY_TABLE_NAME": TABLE_NAME,
            }
            store_pids["table"] = child_pid(f"--tablePort\0{_table_port(azurite)}\0".encode())
        for name, seconds in seed_seconds.items():
            print(f"  seeded {BACKENDS[name]} in {seconds:.1f} s", flush=True)

        roots = {
            name: stack.enter_context(running_api(env, f"bench_history_api_{name}"))
            for name, env in envs.items()
        }
        mock = stack.enter_context(MockControl(mock_root))
        runs = []
        for name, root in roots.items():
            pids = {"api": server_pid(_port(root)), "store": store_pids[name]}
            runs.append(
                BackendRun(
                    name=name,
                    lister=HttpClient(root, {"x-ms-client-principal": principal_header(LIST_USER)}),
                    chatter=HttpClient(
                        root, {"x-ms-client-principal": principal_header(CHAT_USER)}
                    ),
                    meter=CpuMeter({k: v for k, v in pids.items() if v is not None}),
                    chats=iter(data.chats),
                    chat_history=data.chat_history,
                    long_id=data.long_id,
                )
            )
        print(f"measuring {', '.join(BACKENDS[r.name] for r in runs)} ...", flush=True)

        async def go() -> None:
            try:
                await measure(runs, plan, mock)
            finally:
                for one in runs:
                    await one.lister.aclose()
                    await one.chatter.aclose()

        with asyncio.Runner(loop_factory=uvloop.new_event_loop) as runner:
            runner.run(go())

    return {
        "setup": setup(plan, data),
        "seed_seconds": {name: round(s, 1) for name, s in seed_seconds.items()},
        "fit_to_window_us": fit_to_window_us(data),
        "backends": {one.name: summarise(one) for one in runs},
    }


def setup(plan: Plan, data: SeedData) -> dict[str, Any]:
    return {
        "conversations": CONVERSATIONS,
        "messages_per_conversation": MESSAGES_PER_LISTED,
        "long_conversation_messages": LONG_MESSAGES,
        "page_size": PAGE_SIZE,
        "chat_history_messages": CHAT_HISTORY_MESSAGES,
        "chat": (
            "a fresh 20-message conversation per saved request (no growth); the temporary "
            "chat sends the same 20 messages and question; ABBA order"
        ),
        "seeded_messages": data.message_count,
        "seeded_text_mb": round(data.text_bytes / 1e6, 2),
        "mock_args": list(MOCK_ARGS),
        "rounds": plan.rounds,
        "in_flight": 1,
        "client": "one keep-alive connection per user, uvloop + httptools, in this process",
        "apis": "uvicorn, one worker per backend, both running throughout",
    }


def summarise(run: BackendRun) -> dict[str, Any]:
    saved, temporary = run.saved_ttft, run.temporary_ttft
    saved_turn, temporary_turn = run.saved_turn, run.temporary_turn
    saved_cpu = saved.summary()["cpu_ms_per_request"]
    temporary_cpu = temporary.summary()["cpu_ms_per_request"]
    return {
        "list_first_page": list_summary(run),
        "list_walk": {
            **run.walk.summary(),
            "pages": -(-CONVERSATIONS // PAGE_SIZE),
            "conversations": CONVERSATIONS,
            "page_median_ms": round(median(run.walk_page.ms), 3),
            "page_p99_ms": round(percentile(run.walk_page.ms, 99), 3),
        },
        "open_long": {
            **run.open_long.summary(),
            "messages": LONG_MESSAGES,
            "response_bytes": run.open_bytes,
        },
        "chat": {
            "pairs": len(run.paired_ttft_ms),
            "omitted_messages_seen": sorted(run.omitted),
            "saved_ttft": saved.summary(),
            "temporary_ttft": temporary.summary(),
            "saved_turn_ms": _two(saved_turn.ms),
            "temporary_turn_ms": _two(temporary_turn.ms),
            "added": {
                "ttft_median_ms": round(median(saved.ms) - median(temporary.ms), 3),
                "ttft_p99_ms": round(percentile(saved.ms, 99) - percentile(temporary.ms, 99), 3),
                "ttft_paired_median_ms": round(median(run.paired_ttft_ms), 3),
                "turn_median_ms": round(median(saved_turn.ms) - median(temporary_turn.ms), 3),
                "turn_p99_ms": round(
                    percentile(saved_turn.ms, 99) - percentile(temporary_turn.ms, 99), 3
                ),
                "cpu_ms_per_request": {
                    name: round(saved_cpu[name] - temporary_cpu.get(name, 0.0), 3)
                    for name in saved_cpu
                },
            },
        },
    }


def list_summary(run: BackendRun) -> dict[str, Any]:
    return {**run.list_first.summary(), "items": PAGE_SIZE, "of": CONVERSATIONS}


def _two(values: list[float]) -> dict[str, float]:
    return {"median": round(median(values), 3), "p99": round(percentile(values, 99), 3)}


# The report


def verdicts(figures: dict[str, Any]) -> dict[str, bool]:
    return {
        "list_first_page_median": figures["list_first_page"]["median_ms"] <= TARGET_LIST_MS,
        "open_long_median": figures["open_long"]["median_ms"] <= TARGET_OPEN_MS,
        "added_ttft_median": figures["chat"]["added"]["ttft_median_ms"] <= TARGET_ADDED_TTFT_MS,
    }


def _cell(value: float, digits: int = 2, signed: bool = False) -> str:
    return f"{value:+,.{digits}f}" if signed else f"{value:,.{digits}f}"


def _cpu(series: dict[str, Any], name: str, signed: bool = False) -> str:
    value = series["cpu_ms_per_request"].get(name)
    return "" if value is None else _cell(value, signed=signed)


def _row(
    label: str, median_ms: str, p99_ms: str, samples: str, api: str = "", store: str = ""
) -> list[str]:
    return [label, median_ms, p99_ms, samples, api, store]


def backend_table(name: str, figures: dict[str, Any]) -> str:
    met = verdicts(figures)

    def aim(limit: float, key: str) -> list[str]:
        if name != "sqlite":
            return [f"({limit:g} on SQLite)", ""]
        return [f"≤ {limit:g}", "yes" if met[key] else "**no**"]

    def timed(label: str, series: dict[str, Any]) -> list[str]:
        return _row(
            label,
            _cell(series["median_ms"]),
            _cell(series["p99_ms"]),
            str(series["samples"]),
            _cpu(series, "api"),
            _cpu(series, "store"),
        )

    first, walk, opened = figures["list_first_page"], figures["list_walk"], figures["open_long"]
    chat = figures["chat"]
    added = chat["added"]
    pairs = str(chat["pairs"])
    kib = opened["response_bytes"] / 1024
    pages = walk["pages"]
    no_target = ["", ""]
    rows = [
        timed(f"list: first page ({PAGE_SIZE} of {CONVERSATIONS:,})", first)
        + aim(TARGET_LIST_MS, "list_first_page_median"),
        _row(
            f"list: all {CONVERSATIONS:,}, {pages} pages one after another",
            _cell(walk["median_ms"], 1),
            _cell(walk["p99_ms"], 1),
            str(walk["samples"]),
        )
        + no_target,
        _row(
            "list: one page of those walks (CPU per page)",
            _cell(walk["page_median_ms"]),
            _cell(walk["page_p99_ms"]),
            str(walk["samples"] * pages),
            _cpu(walk, "api"),
            _cpu(walk, "store"),
        )
        + no_target,
        timed(f"open: {opened['messages']} messages ({kib:,.0f} KiB of JSON)", opened)
        + aim(TARGET_OPEN_MS, "open_long_median"),
        timed("chat TTFT: temporary (same 21 messages, no store)", chat["temporary_ttft"])
        + no_target,
        timed("chat TTFT: saved (load, save message, fit)", chat["saved_ttft"]) + no_target,
        _row(
            "chat TTFT added by history (saved - temporary)",
            _cell(added["ttft_median_ms"], signed=True),
            _cell(added["ttft_p99_ms"], signed=True),
            pairs,
            _cpu(added, "api", signed=True),
            _cpu(added, "store", signed=True),
        )
        + aim(TARGET_ADDED_TTFT_MS, "added_ttft_median"),
        _row(
            "chat TTFT added: median of the pair differences",
            _cell(added["ttft_paired_median_ms"], signed=True),
            "",
            pairs,
        )
        + no_target,
        _row(
            "whole chat turn added (the answer saved too)",
            _cell(added["turn_median_ms"], signed=True),
            _cell(added["turn_p99_ms"], signed=True),
            pairs,
        )
        + no_target,
    ]
    headers = ["", "median ms", "p99 ms", "samples", "API CPU ms", "store CPU ms"]
    headers += ["target ms (median)", "met"]
    return f"**{BACKENDS[name]}**\n\n" + markdown_table(headers, rows)


def markdown_table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """Valid Markdown whose columns also line up in a terminal."""
    widths = [max(len(str(c)) for c in column) for column in zip(headers, *rows, strict=True)]
    numeric = [
        all(_numeric(row[i]) for row in rows if row[i]) and any(row[i] for row in rows)
        for i in range(len(headers))
    ]

    def line(cells: Sequence[str]) -> str:
        padded = [
            cell.rjust(width) if right else cell.ljust(width)
            for cell, width, right in zip(cells, widths, numeric, strict=True)
        ]
        return "| " + " | ".join(padded) + " |"

    rule = (
        "|"
        + "|".join(
            "-" * (w + 1) + ":" if right else "-" * (w + 2)
            for w, right in zip(widths, numeric, strict=True)
        )
        + "|"
    )
    return "\n".join([line(headers), rule, *(line(row) for row in rows)])


def _numeric(cell: str) -> bool:
    return cell.lstrip("+-").replace(",", "").replace(".", "", 1).isdigit()


def report(results: dict[str, Any]) -> str:
    parts = [backend_table(name, figures) for name, figures in results["backends"].items()]
    fit = results["fit_to_window_us"]
    parts.append(
        "CPU columns: mean CPU time per request, to its last byte (for a chat, the whole "
        "turn), read from /proc; store = Azurite's process (SQLite runs inside the API)."
    )
    parts.append(
        "Fitting the window alone (in-process, median): "
        + ", ".join(f"{k.replace('_', ' ')}: {v:g} µs" for k, v in fit.items())
        + "."
    )
    return "\n\n".join(parts)


def machine_info() -> dict[str, Any]:
    cpu_model = platform.processor() or "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu_model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    from importlib.metadata import version

    azurite = "unknown"
    package = REPO_ROOT / "node_modules" / "azurite" / "package.json"
    if package.exists():
        azurite = json.loads(package.read_text())["version"]
    return {
        "date": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "cpu_count": os.cpu_count(),
        "cpu_model": cpu_model,
        "load_average_at_end": [round(x, 2) for x in os.getloadavg()],
        "sqlite": sqlite3.sqlite_version,
        "azurite": azurite,
        "azure_data_tables": version("azure-data-tables"),
    }


def write_json(path: Path, document: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    # Written beside and renamed, so an interrupted run never leaves half a file.
    temporary = path.with_suffix(".json.tmp")
    temporary.write_text(json.dumps(document, indent=1, ensure_ascii=False) + "\n")
    temporary.replace(path)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.history", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="a smaller run, under 40 s")
    parser.add_argument(
        "--backend", choices=sorted(BACKENDS), action="append", help="default: both"
    )
    parser.add_argument(
        "--json", help=f"default: {RESULTS.relative_to(REPO_ROOT)} (full runs of both backends)"
    )
    args = parser.parse_args(argv)
    plan = QUICK if args.quick else FULL
    backends = args.backend or list(BACKENDS)
    started = time.perf_counter()
    results = run(plan, backends)
    print()
    print(report(results))
    complete = not args.quick and set(backends) == set(BACKENDS)
    json_path = Path(args.json) if args.json else (RESULTS if complete else None)
    if json_path is not None:
        document = {"machine": machine_info(), "quick": args.quick, "history": results}
        if "sqlite" in results["backends"]:
            document["targets_met_on_sqlite"] = verdicts(results["backends"]["sqlite"])
        write_json(json_path, document)
        print(f"\nwrote {json_path}")
    print(f"({time.perf_counter() - started:.0f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
