"""Streams paced like a real model: the first token the API adds, and whether it keeps pace.

`python -m bench.paced [--quick] [--in-flight 50,100] [--window S] [--rounds R]
[--tokens-per-second R] [--client raw|httpx] [--json PATH]`

A mock that sends 20 tokens a second (`--tokens-per-second 20 --first-token-latency-ms 0`)
and a fresh API in front of it. The same 200-token echo answer as the unpaced scenario
(bench/api_overhead.py) lasts ~10 s here, so a phase is a fixed time window rather than a
number of streams, and 50 or 100 streams in flight leave the servers mostly idle between
tokens, as real users do. What counts is what the user sees:

- the first token's time (TTFT) direct and through the API, and what the API adds;
- the gap between two consecutive tokens as the client receives them: 50 ms at 20
  tokens/s if everything keeps pace, more where a process fell behind.

**Steady state from the start.** In a steady closed loop the streams in flight are at
every stage of their answer, and their token ticks fall at every moment of the interval.
So each worker's first stream asks for an answer of a random length (4..200 tokens) and
starts at a random moment within one token interval. Those first streams end at spread
times, and the full-length streams that follow them stay spread. After a settling time
(the burst of first requests), a window of fixed length is measured; then the streams
still running are cut off. Streams that started in the window are given a grace period
to reach their first token first, so a slow first token is never lost.
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import itertools
import random
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import uvloop

from bench import report
from bench.api_overhead import CLIENTS, REPLY_TOKENS, measured_stack, request_body
from bench.cpu import CpuMeter
from bench.probe import PacedProbe, StreamError, StreamProbe, Target
from bench.stats import median, percentile
from bench.summary import ms

TOKENS_PER_SECOND = 20.0
CONCURRENCIES = (50, 100)
# The shortest answer the echo reply gives: "You", " said", ":" and one word.
MIN_TOKENS = 4
# The burst of first requests at the start of a phase is left out of the window.
SETTLE_SECONDS = 2.0
# How long streams started in the window may take to reach their first token.
FIRST_TOKEN_GRACE_SECONDS = 5.0
POLL_SECONDS = 0.01
# Unmeasured paced load on each path before the first phase.
WARM_UP_SECONDS = 5.0
# Between phases, so that the servers finish with the cut-off streams unmeasured.
PAUSE_SECONDS = 1.0
# The client's own event loop is sampled this often: its lateness is the client's share
# of every gap and first-token time it reports.
LAG_PERIOD_SECONDS = 0.01
# A path keeps pace when its p99 token gap is within this share of the ideal interval.
PACE_TOLERANCE = 0.2
SEED = 20


@dataclass(frozen=True)
class PacedPlan:
    window: float  # measured seconds per phase
    rounds: int  # ABBA rounds of a direct and an API phase
    tokens_per_second: float = TOKENS_PER_SECOND
    concurrencies: tuple[int, ...] = CONCURRENCIES
    client: str = "raw"

    @property
    def interval(self) -> float:
        return 1 / self.tokens_per_second

    def mock_args(self) -> tuple[str, ...]:
        return (
            "--reply", "echo",
            "--first-token-latency-ms", "0",
            "--tokens-per-second", f"{self.tokens_per_second:g}",
        )  # fmt: skip


FULL = PacedPlan(window=20.0, rounds=2)
QUICK = PacedPlan(window=5.0, rounds=1)


@dataclass
class PacedPhase:
    """What one path showed in one measured window at one concurrency."""

    target: str
    concurrency: int
    window: float = 0.0
    ttfts: list[float] = field(default_factory=list)
    gaps: list[float] = field(default_factory=list)
    # Streams that started in the window and had no first token by the end of the grace.
    no_first_token: int = 0
    completed_in_window: int = 0
    tokens_in_window: int = 0
    cpu: dict[str, float] = field(default_factory=dict)
    loop_lags: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


async def _sample_loop_lag(lags: list[float]) -> None:
    while True:
        before = time.perf_counter()
        await asyncio.sleep(LAG_PERIOD_SECONDS)
        lags.append(time.perf_counter() - before - LAG_PERIOD_SECONDS)


async def run_paced_phase(
    target: Target, *, concurrency: int, plan: PacedPlan, meter: CpuMeter, seed: int
) -> PacedPhase:
    """Keep `concurrency` paced streams in flight and measure one window of them."""
    rng = random.Random(seed)
    client = CLIENTS[plan.client](target, concurrency)
    phase = PacedPhase(target=target.name, concurrency=concurrency)
    probes: list[PacedProbe] = []
    completions: list[float] = []
    stopping = False

    def make_probe(t: Target) -> StreamProbe:
        probe = PacedProbe(t)
        probes.append(probe)
        return probe

    async def worker(first_tokens: int, offset: float) -> None:
        await asyncio.sleep(offset)
        tokens = first_tokens
        while not stopping:
            try:
                result = await client.fetch(
                    body=request_body(target.name, tokens), make_probe=make_probe
                )
            except (StreamError, OSError) as error:
                phase.errors.append(f"{type(error).__name__}: {error}")
                await asyncio.sleep(plan.interval)  # no busy loop against a failing server
            else:
                if result.tokens != tokens:
                    phase.errors.append(f"{result.tokens} tokens where {tokens} were asked")
                completions.append(time.perf_counter())
            tokens = REPLY_TOKENS

    workers = [
        asyncio.ensure_future(
            worker(rng.randint(MIN_TOKENS, REPLY_TOKENS), rng.uniform(0, plan.interval))
        )
        for _ in range(concurrency)
    ]
    lag_sampler: asyncio.Future[None] | None = None
    try:
        await asyncio.sleep(SETTLE_SECONDS)
        start = time.perf_counter()
        cpu_before = meter.snapshot()
        lag_sampler = asyncio.ensure_future(_sample_loop_lag(phase.loop_lags))
        await asyncio.sleep(plan.window)
        phase.cpu = meter.since(cpu_before)
        end = time.perf_counter()
        phase.window = end - start
        lag_sampler.cancel()
        stopping = True
        # Streams that started in the window may still be waiting for their first token.
        for _ in range(round(FIRST_TOKEN_GRACE_SECONDS / POLL_SECONDS)):
            if not any(
                p.ttft is None and start <= p.started <= end and not p.ended for p in probes
            ):
                break
            await asyncio.sleep(POLL_SECONDS)
    finally:
        for task in (*workers, *([lag_sampler] if lag_sampler else [])):
            task.cancel()
        outcomes = await asyncio.gather(*workers, return_exceptions=True)
        await client.aclose()
    for outcome in outcomes:
        if isinstance(outcome, BaseException) and not isinstance(outcome, asyncio.CancelledError):
            raise outcome
    # The servers finish with the cut-off streams before the next phase measures anything.
    await asyncio.sleep(PAUSE_SECONDS)

    for probe in probes:
        if start <= probe.started <= end:
            if probe.ttft is None:
                phase.no_first_token += 1
            else:
                phase.ttfts.append(probe.ttft)
        arrivals = probe.arrivals
        phase.tokens_in_window += sum(1 for at in arrivals if start <= at <= end)
        phase.gaps.extend(
            later - earlier
            for earlier, later in itertools.pairwise(arrivals)
            if earlier >= start and later <= end
        )
    phase.completed_in_window = sum(1 for at in completions if start <= at <= end)
    if phase.no_first_token:
        phase.errors.append(f"{phase.no_first_token} streams had no first token in time")
    return phase


def summarise_paced_path(phases: Sequence[PacedPhase], interval: float) -> dict[str, Any]:
    """All windows of one path pooled: percentiles over every stream and every gap."""
    ttfts = [t for phase in phases for t in phase.ttfts]
    gaps = [g for phase in phases for g in phase.gaps]
    lags = [lag for phase in phases for lag in phase.loop_lags]
    first_error = next((e for phase in phases for e in phase.errors), None)
    if not ttfts or not gaps:
        raise RuntimeError(f"no stream measured; first error: {first_error}")
    window = sum(phase.window for phase in phases)
    tokens = sum(phase.tokens_in_window for phase in phases)
    cpu: dict[str, float] = {}
    for phase in phases:
        for name, seconds in phase.cpu.items():
            cpu[name] = cpu.get(name, 0.0) + seconds
    late = interval * (1 + PACE_TOLERANCE)
    gap_p99 = percentile(gaps, 99)
    return {
        "streams": len(ttfts),
        "gaps": len(gaps),
        "errors": sum(len(phase.errors) for phase in phases),
        "first_error": first_error,
        "ttft_ms": {"median": ms(median(ttfts)), "p99": ms(percentile(ttfts, 99))},
        "gap_ms": {
            "median": ms(median(gaps)),
            "p99": ms(gap_p99),
            "p99.9": ms(percentile(gaps, 99.9)),
            "max": ms(max(gaps)),
        },
        # Share of gaps longer than the ideal interval plus the tolerance.
        "late_gap_share": round(sum(1 for g in gaps if g > late) / len(gaps), 5),
        "on_pace": gap_p99 <= late,
        "streams_per_s": round(sum(p.completed_in_window for p in phases) / window, 2),
        "tokens_per_s": round(tokens / window),
        "cpu_us_per_token": {name: round(s / tokens * 1e6, 2) for name, s in sorted(cpu.items())},
        "cpu_busy_cores": round(sum(cpu.values()) / window, 2),
        # The client's own lateness: if it were the bottleneck, it would show here.
        "client_loop_lag_ms": {"p99": ms(percentile(lags, 99)), "max": ms(max(lags))},
    }


def summarise_paced_level(
    concurrency: int,
    direct: Sequence[PacedPhase],
    api: Sequence[PacedPhase],
    interval: float,
) -> dict[str, Any]:
    d = summarise_paced_path(direct, interval)
    a = summarise_paced_path(api, interval)
    per_round = [
        ms(median(pa.ttfts) - median(pd.ttfts))
        for pd, pa in zip(direct, api, strict=True)
        if pd.ttfts and pa.ttfts
    ]
    return {
        "concurrency": concurrency,
        "direct": d,
        "api": a,
        "added": {
            "ttft_median_ms": round(a["ttft_ms"]["median"] - d["ttft_ms"]["median"], 3),
            "ttft_p99_ms": round(a["ttft_ms"]["p99"] - d["ttft_ms"]["p99"], 3),
            "ttft_median_ms_by_round": per_round,
            "gap_p99_ms": round(a["gap_ms"]["p99"] - d["gap_ms"]["p99"], 3),
            "gap_max_ms": round(a["gap_ms"]["max"] - d["gap_ms"]["max"], 3),
        },
    }


async def _warm_up(target: Target, plan: PacedPlan, meter: CpuMeter) -> None:
    """Unmeasured load first: the API's first chat imports the OpenAI SDK (~0.3 s), and
    the full garbage collection that follows the import is a cold-start cost, not steady
    state. A few seconds of paced load get both out of the way and fill the pools."""
    client = CLIENTS[plan.client](target, 1)
    try:
        for _ in range(3):
            await client.fetch(body=request_body(target.name, MIN_TOKENS))
    finally:
        await client.aclose()
    warm_up = dataclasses.replace(plan, window=WARM_UP_SECONDS)
    await run_paced_phase(
        target, concurrency=max(plan.concurrencies), plan=warm_up, meter=meter, seed=0
    )


async def _measure_all(
    direct: Target, api: Target, plan: PacedPlan, meter: CpuMeter
) -> list[dict[str, Any]]:
    for target in (direct, api):
        await _warm_up(target, plan, meter)
    levels = []
    seeds = itertools.count(SEED)
    for concurrency in plan.concurrencies:
        phases: dict[str, list[PacedPhase]] = {"direct": [], "api": []}
        for round_index in range(plan.rounds):
            # ABBA order, as in the unpaced scenario.
            order = (direct, api) if round_index % 2 == 0 else (api, direct)
            seed = next(seeds)  # both paths of a round get the same stagger
            for target in order:
                phases[target.name].append(
                    await run_paced_phase(
                        target, concurrency=concurrency, plan=plan, meter=meter, seed=seed
                    )
                )
        levels.append(
            summarise_paced_level(concurrency, phases["direct"], phases["api"], plan.interval)
        )
    return levels


def run(plan: PacedPlan) -> dict[str, Any]:
    with (
        measured_stack("bench_paced", plan.mock_args()) as (direct, api, meter),
        asyncio.Runner(loop_factory=uvloop.new_event_loop) as runner,
    ):
        levels = runner.run(_measure_all(direct, api, plan, meter))
    return {
        "setup": {
            "scenario": "paced like a real model: first-token time and pace as users see them",
            "reply_tokens": REPLY_TOKENS,
            "tokens_per_second": plan.tokens_per_second,
            "ideal_gap_ms": ms(plan.interval),
            "pace_tolerance": PACE_TOLERANCE,
            "mock_args": list(plan.mock_args()),
            "window_s": plan.window,
            "settle_s": SETTLE_SECONDS,
            "rounds": plan.rounds,
            "client": f"{plan.client}: the driver process itself, on uvloop, keep-alive pool",
        },
        "levels": levels,
    }


def parse_plan(argv: Sequence[str] | None) -> tuple[PacedPlan, str | None]:
    parser = argparse.ArgumentParser(prog="python -m bench.paced", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="shorter windows, one round")
    parser.add_argument(
        "--in-flight",
        type=_levels,
        default=CONCURRENCIES,
        help="streams in flight, comma-separated (default: %(default)s)",
    )
    parser.add_argument("--window", type=float, help="measured seconds per phase")
    parser.add_argument("--rounds", type=int, help="alternating direct/API rounds")
    parser.add_argument("--tokens-per-second", type=float, default=TOKENS_PER_SECOND)
    parser.add_argument("--client", choices=sorted(CLIENTS), default="raw", help="load client")
    parser.add_argument("--json", help="also write the results to this file")
    args = parser.parse_args(argv)
    base = QUICK if args.quick else FULL
    plan = PacedPlan(
        window=args.window or base.window,
        rounds=args.rounds or base.rounds,
        tokens_per_second=args.tokens_per_second,
        concurrencies=args.in_flight,
        client=args.client,
    )
    return plan, args.json


def _levels(text: str) -> tuple[int, ...]:
    levels = tuple(int(part) for part in text.split(","))
    if not levels or min(levels) < 1:
        raise argparse.ArgumentTypeError(f"expected positive integers, got {text!r}")
    return levels


def main(argv: Sequence[str] | None = None) -> int:
    plan, json_path = parse_plan(argv)
    results = run(plan)
    print(report.paced_table(results))
    if json_path:
        report.write_json(json_path, {"paced": results})
    return 1 if paced_error_count(results) else 0


def paced_error_count(results: dict[str, Any]) -> int:
    return sum(level[path]["errors"] for level in results["levels"] for path in ("direct", "api"))


if __name__ == "__main__":
    sys.exit(main())
