"""What the load client learns from one response body, whichever HTTP client read it.

It does as little per chunk as it can (a byte search and a count, no JSON), so that at 50
streams in flight the client stays a small share of the machine next to the servers it
measures. The first token is parsed once, to prove that it carries text.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

EVENT_END = b"\n\n"


@dataclass(frozen=True)
class Target:
    """One way to get the same answer: straight from the mock, or through the API."""

    name: str
    url: str
    headers: dict[str, str]
    body: bytes
    # Occurs exactly once in every event that carries a piece of the answer. Neither
    # marker can occur inside JSON string content, where quotes and newlines are escaped.
    token_marker: bytes
    # Only a stream that ended normally contains it.
    end_marker: bytes
    # The text of the first token event's JSON payload, to check that it is not empty.
    token_text: Callable[[Any], str]


@dataclass(frozen=True)
class StreamResult:
    ttft: float
    duration: float
    tokens: int


class StreamError(Exception):
    pass


class StreamProbe:
    """Fed the body of one response as it arrives; times the first token and counts them."""

    def __init__(self, target: Target) -> None:
        self._target = target
        self._pending = b""
        self.started = time.perf_counter()
        self.ttft: float | None = None
        self.tokens = 0
        self.ended = False
        self.error: str | None = None

    def feed(self, chunk: bytes) -> None:
        # Only whole events are searched, so a marker split across two reads is not lost.
        pending = self._pending + chunk
        cut = pending.rfind(EVENT_END)
        if cut < 0:
            self._pending = pending
            return
        complete = pending[: cut + len(EVENT_END)]
        self._pending = pending[cut + len(EVENT_END) :]
        target = self._target
        found = complete.count(target.token_marker)
        if found and self.ttft is None:
            self.ttft = time.perf_counter() - self.started
            if not target.token_text(_event_json(_event_around(complete, target.token_marker))):
                self.error = "the first token event carries no text"
        self.tokens += found
        self.ended = self.ended or target.end_marker in complete

    def result(self) -> StreamResult:
        duration = time.perf_counter() - self.started
        if self.error is not None:
            raise StreamError(self.error)
        if self.ttft is None or not self.ended:
            raise StreamError(f"stream incomplete: {self.tokens} tokens, ended={self.ended}")
        return StreamResult(ttft=self.ttft, duration=duration, tokens=self.tokens)


class PacedProbe(StreamProbe):
    """A probe that also keeps the arrival time of every token, for the paced scenario.

    Tokens that arrive in one read share its timestamp: a client sees them at once. The
    unpaced throughput scenario uses the plain probe, which keeps no list per token.
    """

    def __init__(self, target: Target) -> None:
        super().__init__(target)
        self.arrivals: list[float] = []

    def feed(self, chunk: bytes) -> None:
        now = time.perf_counter()
        before = self.tokens
        super().feed(chunk)
        if self.tokens > before:
            self.arrivals.extend([now] * (self.tokens - before))


ProbeFactory = Callable[[Target], StreamProbe]


def _event_around(data: bytes, marker: bytes) -> bytes:
    at = data.index(marker)
    start = data.rfind(EVENT_END, 0, at)
    end = data.index(EVENT_END, at)
    return data[start + len(EVENT_END) if start >= 0 else 0 : end]


def _event_json(event: bytes) -> Any:
    lines = event.decode().split("\n")
    return json.loads("\n".join(line[5:].lstrip() for line in lines if line.startswith("data:")))
