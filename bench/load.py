"""Closed-loop load: a fixed number of streams always in flight, measured in steady state.

Only the middle of a phase is measured. The first `concurrency` streams start together
(a burst no steady state has), so they are not recorded; after the last recorded stream
starts, unrecorded streams keep the load at full concurrency until every recorded one has
finished. Rates count every completion inside that window, recorded or not.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field
from typing import Protocol

from bench.cpu import CpuMeter
from bench.probe import ProbeFactory, StreamError, StreamProbe, StreamResult, Target


class StreamClient(Protocol):
    """Fetches one streamed answer from the target it was opened for.

    `body` replaces the target's request body (the paced scenario asks for answers of
    other lengths); `make_probe` makes the probe the response is fed to, created when the
    request goes out.
    """

    async def fetch(
        self, *, body: bytes | None = None, make_probe: ProbeFactory = StreamProbe
    ) -> StreamResult: ...

    async def aclose(self) -> None: ...


@dataclass
class PhaseResult:
    """The streams of one path at one concurrency, and what the steady window cost."""

    target: str
    concurrency: int
    streams: list[StreamResult] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    window: float = 0.0
    completed_in_window: int = 0
    tokens_in_window: int = 0
    # CPU seconds used in the window, by process ("client", "mock", "api").
    cpu: dict[str, float] = field(default_factory=dict)


async def run_phase(
    client: StreamClient,
    target: Target,
    *,
    concurrency: int,
    count: int,
    meter: CpuMeter,
    expected_tokens: int | None = None,
) -> PhaseResult:
    """Record `count` streams with `concurrency` in flight all along.

    A stream that ends with other than `expected_tokens` tokens (if given) is an error.
    """
    phase = PhaseResult(target=target.name, concurrency=concurrency)
    lead_in = concurrency
    issued = 0
    outstanding = count
    completions: list[tuple[float, int]] = []
    window_start = 0.0
    cpu_before: dict[str, float] = {}

    async def worker() -> None:
        nonlocal issued, outstanding, window_start, cpu_before
        while outstanding > 0:
            index = issued
            issued += 1
            recorded = lead_in <= index < lead_in + count
            if index == lead_in:
                window_start = time.perf_counter()
                cpu_before = meter.snapshot()
            try:
                result = await client.fetch()
            except (StreamError, OSError) as error:
                phase.errors.append(f"{type(error).__name__}: {error}")
            else:
                completions.append((time.perf_counter(), result.tokens))
                if expected_tokens is not None and result.tokens != expected_tokens:
                    phase.errors.append(f"{result.tokens} tokens where {expected_tokens} were due")
                elif recorded:
                    phase.streams.append(result)
            if recorded:
                outstanding -= 1
                if outstanding == 0:
                    phase.cpu = meter.since(cpu_before)
                    phase.window = time.perf_counter() - window_start

    await asyncio.gather(*(worker() for _ in range(concurrency)))
    window_end = window_start + phase.window
    in_window = [tokens for at, tokens in completions if window_start <= at <= window_end]
    phase.completed_in_window = len(in_window)
    phase.tokens_in_window = sum(in_window)
    return phase
