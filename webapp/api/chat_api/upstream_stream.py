"""Read an OpenAI-style chat-completions stream and turn it into our events.

The SDK builds a pydantic model for every chunk, which costs ~80 µs a token, half the API's
CPU (docs/benchmarks.md). The relay needs three fields of each chunk, so it reads the raw
bytes the SDK's request returns and takes them from `json.loads` directly: a few µs.
Everything one upstream read delivers is relayed as one write.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from chat_api import events

_DONE = b"[DONE]"


class UpstreamStreamError(Exception):
    """The upstream sent an error object inside the stream."""


class SseDataReader:
    """Incremental reader of the `data:` payloads of a server-sent-event stream."""

    def __init__(self) -> None:
        self._pending = b""

    def feed(self, chunk: bytes) -> list[bytes]:
        buffer = self._pending + chunk
        if b"\r" in buffer:
            # A CR at the very end may be the first half of a CRLF: keep it for the next read.
            held = b"\r" if buffer.endswith(b"\r") else b""
            buffer = buffer[: len(buffer) - len(held)].replace(b"\r\n", b"\n").replace(b"\r", b"\n")
            buffer += held
        *complete, self._pending = buffer.split(b"\n\n")
        payloads: list[bytes] = []
        for block in complete:
            data = [
                line[5:].lstrip(b" ") for line in block.split(b"\n") if line.startswith(b"data:")
            ]
            if data:
                payloads.append(b"\n".join(data))
        return payloads


@dataclass
class AnswerRelay:
    """What the answer has delivered so far, and our events for it."""

    finish_reason: str | None = None
    usage: dict[str, Any] | None = None
    has_text: bool = False
    # `[DONE]` arrived: the upstream has nothing more to send.
    ended: bool = False
    chunks_relayed: int = 0
    _reader: SseDataReader = field(default_factory=SseDataReader)
    _parts: list[str] = field(default_factory=list)

    def relay(self, upstream_bytes: bytes) -> bytes:
        """Our events for one upstream read (possibly empty)."""
        out: list[bytes] = []
        for payload in self._reader.feed(upstream_bytes):
            if payload == _DONE:
                self.ended = True
                continue
            chunk = json.loads(payload)
            if chunk.get("error") is not None:
                raise UpstreamStreamError
            if chunk.get("usage"):
                self.usage = chunk["usage"]
            choices = chunk.get("choices")
            if not choices:
                continue  # Azure's prompt-filter results, or the final usage chunk
            choice = choices[0]
            if choice.get("finish_reason"):
                self.finish_reason = choice["finish_reason"]
            text = (choice.get("delta") or {}).get("content")
            if text:
                self.has_text = True
                self.chunks_relayed += 1
                self._parts.append(text)
                out.append(events.delta(text))
        return b"".join(out)

    def text(self) -> str:
        """The answer so far, to be saved."""
        return "".join(self._parts)

    def is_finished(self) -> bool:
        return self.ended

    def closing_events(self) -> bytes:
        closing = b""
        if self.usage is not None:
            closing += events.usage(
                int(self.usage.get("prompt_tokens", 0)),
                int(self.usage.get("completion_tokens", 0)),
                int(self.usage.get("total_tokens", 0)),
            )
        return closing + events.done(self.finish_reason or "stop")
