"""What the API adds to the first token, and what it passes through, over the bare upstream.

`python -m bench.api_overhead [--quick] [--streams N] [--rounds R] [--client raw|httpx]
[--json PATH]`

One mock OpenAI server, and the API (uvicorn, one worker) in front of it. This process is
the load client; the servers are its children, so the three have a GIL and an event loop
each. At each concurrency the same 200-token answer is fetched directly from the mock and
through the API, in alternating rounds, so drift on a shared machine hits both paths.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import functools
import json
import sys
import tempfile
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import uvloop

from bench import report
from bench.cpu import CpuMeter, server_pid
from bench.httpx_client import HttpxStreamClient
from bench.load import PhaseResult, StreamClient, run_phase
from bench.probe import Target
from bench.raw_client import RawStreamClient
from bench.summary import error_count, summarise_level
from tests.support.servers import running_api, running_mock_openai
from tools.mock_openai.replies import echo_reply, tokenise

REPLY_TOKENS = 200
CONCURRENCIES = (1, 50)
# No think time and no pacing: every microsecond measured is the servers' own work.
MOCK_ARGS = ("--reply", "echo", "--first-token-latency-ms", "0", "--tokens-per-second", "0")
PRINCIPAL = base64.b64encode(
    json.dumps(
        {
            "identityProvider": "aad",
            "userId": "bench",
            "userDetails": "bench",
            "userRoles": ["authenticated", "invited"],
        }
    ).encode()
).decode()


CLIENTS: dict[str, Callable[[Target, int], StreamClient]] = {
    "raw": RawStreamClient,
    "httpx": HttpxStreamClient,
}


@dataclass(frozen=True)
class Plan:
    streams: int  # per path and concurrency, over all rounds
    rounds: int
    client: str = "raw"

    @property
    def per_phase(self) -> int:
        return max(1, self.streams // self.rounds)


FULL = Plan(streams=1000, rounds=5)
QUICK = Plan(streams=120, rounds=2)


@functools.cache
def prompt(tokens: int = REPLY_TOKENS) -> str:
    """A user message the mock echoes back as exactly `tokens` tokens (at least 4).

    Echo rather than a `text` behaviour because the API does not forward the behaviour
    header, so the reply has to come from the request both paths send anyway.
    """
    words = " ".join(f"w{i}" for i in range(tokens - 3))  # "You", " said", ":" + words
    messages = [{"role": "user", "content": words}]
    count = len(tokenise(echo_reply(messages)))
    assert count == tokens, f"the mock would send {count} tokens, not {tokens}"
    return words


@functools.cache
def request_body(path: str, tokens: int = REPLY_TOKENS) -> bytes:
    """The body that gets a `tokens`-token answer on `path` ("direct" or "api")."""
    messages = [{"role": "user", "content": prompt(tokens)}]
    if path == "api":
        return json.dumps({"messages": messages}).encode()
    # The body the API's OpenAI SDK sends upstream, so the mock does the same work for both.
    upstream_body = {
        "messages": messages,
        "model": "mock-gpt",
        "stream": True,
        "stream_options": {"include_usage": True},
    }
    return json.dumps(upstream_body).encode()


def targets(mock_root: str, api_root: str) -> tuple[Target, Target]:
    direct = Target(
        name="direct",
        url=f"{mock_root}/v1/chat/completions",
        headers={"content-type": "application/json", "authorization": "Bearer bench"},
        body=request_body("direct"),
        token_marker=b'"delta":{"content":',
        end_marker=b"data: [DONE]",
        token_text=lambda chunk: str(chunk["choices"][0]["delta"]["content"]),
    )
    api = Target(
        name="api",
        url=f"{api_root}/api/chat",
        headers={"content-type": "application/json", "x-ms-client-principal": PRINCIPAL},
        body=request_body("api"),
        token_marker=b"event: delta\n",
        end_marker=b"event: done\n",
        token_text=lambda data: str(data["text"]),
    )
    return direct, api


async def measure_level(
    direct: Target, api: Target, concurrency: int, plan: Plan, meter: CpuMeter
) -> dict[str, Any]:
    make = CLIENTS[plan.client]
    clients = {direct.name: make(direct, concurrency), api.name: make(api, concurrency)}
    try:
        # Warm-up, untimed: the API imports the OpenAI SDK on its first chat, and every
        # connection pool fills (keep-alive is the steady state for a browser too).
        for target in (direct, api):
            await run_phase(
                clients[target.name],
                target,
                concurrency=concurrency,
                count=20,
                meter=meter,
                expected_tokens=REPLY_TOKENS,
            )
        phases: dict[str, list[PhaseResult]] = {"direct": [], "api": []}
        for round_index in range(plan.rounds):
            # ABBA order: neither path always runs right after the other's load.
            order = (direct, api) if round_index % 2 == 0 else (api, direct)
            for target in order:
                client = clients[target.name]
                phases[target.name].append(
                    await run_phase(
                        client,
                        target,
                        concurrency=concurrency,
                        count=plan.per_phase,
                        meter=meter,
                        expected_tokens=REPLY_TOKENS,
                    )
                )
    finally:
        for client in clients.values():
            await client.aclose()
    return summarise_level(concurrency, phases["direct"], phases["api"])


async def _measure_all(direct: Target, api: Target, plan: Plan, meter: CpuMeter) -> list[Any]:
    return [await measure_level(direct, api, c, plan, meter) for c in CONCURRENCIES]


@contextmanager
def measured_stack(
    name: str, mock_args: Sequence[str]
) -> Iterator[tuple[Target, Target, CpuMeter]]:
    """The mock model and the API in front of it, as deployed (a history store, usage
    recorded), with a store of their own so a run never writes into a developer's
    .data/; yields the direct and the API target and a meter of both servers' CPU."""
    with (
        tempfile.TemporaryDirectory(prefix=f"{name}-") as data,
        running_mock_openai(f"{name}_mock_openai", *mock_args) as mock_root,
    ):
        env = {
            "AI_PROVIDER": "mock",
            "MOCK_OPENAI_URL": f"{mock_root}/v1",
            "HISTORY_SQLITE_PATH": str(Path(data) / "history.sqlite3"),
        }
        with running_api(env, f"{name}_api") as api_root:
            meter = CpuMeter(
                {"mock": server_pid(port_of(mock_root)), "api": server_pid(port_of(api_root))}
            )
            yield (*targets(mock_root, api_root), meter)


def run(plan: Plan) -> dict[str, Any]:
    with (
        measured_stack("bench", MOCK_ARGS) as (direct, api, meter),
        asyncio.Runner(loop_factory=uvloop.new_event_loop) as runner,
    ):
        levels = runner.run(_measure_all(direct, api, plan, meter))
    return {
        "setup": {
            "scenario": "unpaced: throughput and the API's own cost; saturated at 50 in flight",
            "reply_tokens": REPLY_TOKENS,
            "mock_args": list(MOCK_ARGS),
            "streams_per_path_and_level": plan.per_phase * plan.rounds,
            "rounds": plan.rounds,
            "client": f"{plan.client}: the driver process itself, on uvloop, keep-alive pool",
        },
        "levels": levels,
    }


def port_of(root: str) -> int:
    port = urlsplit(root).port
    assert port is not None
    return port


def parse_plan(argv: Sequence[str] | None) -> tuple[Plan, str | None]:
    parser = argparse.ArgumentParser(prog="python -m bench.api_overhead", description=__doc__)
    parser.add_argument("--streams", type=int, help="streams per path and concurrency")
    parser.add_argument("--rounds", type=int, help="alternating direct/API rounds")
    parser.add_argument("--quick", action="store_true", help="a smaller run, under a minute")
    parser.add_argument("--client", choices=sorted(CLIENTS), default="raw", help="load client")
    parser.add_argument("--json", help="also write the results to this file")
    args = parser.parse_args(argv)
    base = QUICK if args.quick else FULL
    plan = Plan(
        streams=args.streams or base.streams,
        rounds=args.rounds or base.rounds,
        client=args.client,
    )
    return plan, args.json


def main(argv: Sequence[str] | None = None) -> int:
    plan, json_path = parse_plan(argv)
    results = run(plan)
    print(report.overhead_table(results))
    if json_path:
        report.write_json(json_path, {"api_overhead": results})
    return 1 if error_count(results) else 0


if __name__ == "__main__":
    sys.exit(main())
