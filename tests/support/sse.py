"""A reference reader of the answer stream, as docs/http_protocol.md defines it.

The web app's TypeScript parser is tested against the same fixture files
(tests/fixtures/sse), so the API, this reader and the browser agree on one format.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

STREAM_INTERRUPTED = "urn:chat-on-azure:problem:stream-interrupted"


@dataclass
class Answer:
    text: str = ""
    model: str | None = None
    finish_reason: str | None = None
    usage: dict[str, int] | None = None
    error: dict[str, Any] | None = None
    events: list[tuple[str, dict[str, Any]]] = field(default_factory=list)

    def expected_shape(self) -> dict[str, Any]:
        error = None
        if self.error is not None:
            error = {"type": self.error.get("type"), "status": self.error.get("status")}
        return {
            "text": self.text,
            "model": self.model,
            "finish_reason": self.finish_reason,
            "usage": self.usage,
            "error": error,
        }


def parse_events(body: str) -> list[tuple[str, dict[str, Any]]]:
    """Complete events only: a trailing event without its blank line was cut off."""
    normalised = body.replace("\r\n", "\n")
    blocks = normalised.split("\n\n")
    complete = blocks[:-1]  # the last piece has no terminating blank line
    parsed: list[tuple[str, dict[str, Any]]] = []
    for block in complete:
        name = "message"
        data_lines = []
        for line in block.split("\n"):
            if line.startswith(":") or not line:
                continue
            key, _, value = line.partition(":")
            value = value.removeprefix(" ")
            if key == "event":
                name = value
            elif key == "data":
                data_lines.append(value)
        if data_lines:
            parsed.append((name, json.loads("\n".join(data_lines))))
    return parsed


def fold(body: str) -> Answer:
    answer = Answer(events=parse_events(body))
    for name, data in answer.events:
        if name == "start":
            answer.model = data["model"]
        elif name == "delta":
            answer.text += data["text"]
        elif name == "usage":
            answer.usage = data
        elif name == "done":
            answer.finish_reason = data["finish_reason"]
        elif name == "error":
            answer.error = data
    if answer.finish_reason is None and answer.error is None:
        answer.error = {"type": STREAM_INTERRUPTED, "status": None}
    return answer


# A paced reply for the tests that check tokens arrive one by one, not in one burst.
PACED_REPLY = {
    "reply": "text",
    "text": "one two three four five six seven eight",
    "tokens_per_second": 20,
}


def read_with_arrival_times(chunks: Iterable[str]) -> tuple[str, list[float]]:
    """The whole body, and when (seconds from the first read) each delta-bearing chunk came."""
    body = ""
    arrivals: list[float] = []
    started = time.monotonic()
    for chunk in chunks:
        body += chunk
        if "event: delta" in chunk:
            arrivals.append(time.monotonic() - started)
    return body, arrivals


def assert_streamed(arrivals: list[float]) -> None:
    assert len(arrivals) >= 4, arrivals
    assert arrivals[-1] - arrivals[0] > 0.15, "deltas came in one burst: something buffered"
