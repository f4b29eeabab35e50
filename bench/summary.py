"""Turning the phases of one concurrency level into the figures the report shows."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from bench.load import PhaseResult
from bench.stats import median, percentile


def ms(seconds: float) -> float:
    """Seconds as milliseconds, rounded to the microsecond."""
    return round(seconds * 1000, 3)


def summarise_path(phases: Sequence[PhaseResult]) -> dict[str, Any]:
    """All rounds of one path pooled: percentiles over every stream, rates over all windows."""
    streams = [s for phase in phases for s in phase.streams]
    first_error = next((e for phase in phases for e in phase.errors), None)
    if not streams:
        raise RuntimeError(f"no stream completed; first error: {first_error}")
    window = sum(phase.window for phase in phases)
    tokens = sum(phase.tokens_in_window for phase in phases)
    cpu: dict[str, float] = defaultdict(float)
    for phase in phases:
        for name, seconds in phase.cpu.items():
            cpu[name] += seconds
    ttfts = [s.ttft for s in streams]
    durations = [s.duration for s in streams]
    return {
        "streams": len(streams),
        "errors": sum(len(phase.errors) for phase in phases),
        "first_error": first_error,
        "tokens_per_stream": round(sum(s.tokens for s in streams) / len(streams), 1),
        "ttft_ms": {"median": ms(median(ttfts)), "p99": ms(percentile(ttfts, 99))},
        "stream_ms": {"median": ms(median(durations)), "p99": ms(percentile(durations, 99))},
        "streams_per_s": round(sum(phase.completed_in_window for phase in phases) / window, 1),
        "tokens_per_s": round(tokens / window),
        # CPU per token of each process: robust to a busy machine, unlike wall time.
        "cpu_us_per_token": {name: round(s / tokens * 1e6, 2) for name, s in sorted(cpu.items())},
        # Share of the machine's cores the three processes kept busy: near the core count
        # means the rates are CPU-bound on this machine, not latency-bound.
        "cpu_busy_cores": round(sum(cpu.values()) / window, 2),
    }


def summarise_level(
    concurrency: int, direct: Sequence[PhaseResult], api: Sequence[PhaseResult]
) -> dict[str, Any]:
    d, a = summarise_path(direct), summarise_path(api)
    # Added figures compare the two distributions (median minus median, p99 minus p99);
    # the streams are not paired, so a per-stream difference would mean nothing.
    per_round = [
        ms(median([s.ttft for s in pa.streams]) - median([s.ttft for s in pd.streams]))
        for pd, pa in zip(direct, api, strict=True)
        if pd.streams and pa.streams
    ]
    return {
        "concurrency": concurrency,
        "direct": d,
        "api": a,
        "added": {
            "ttft_median_ms": round(a["ttft_ms"]["median"] - d["ttft_ms"]["median"], 3),
            "ttft_p99_ms": round(a["ttft_ms"]["p99"] - d["ttft_ms"]["p99"], 3),
            # The spread across rounds shows how much of the difference is noise.
            "ttft_median_ms_by_round": per_round,
            "throughput_ratio": round(a["streams_per_s"] / d["streams_per_s"], 3),
        },
    }


def error_count(results: dict[str, Any]) -> int:
    """Failed streams in a whole run: any makes the run's figures suspect."""
    return sum(level[path]["errors"] for level in results["levels"] for path in ("direct", "api"))
