"""The record of every chat request, which tests read back through `GET /_mock/requests`."""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from typing import Any, Literal

Authorization = Literal["bearer", "api-key"]
Outcome = Literal[
    "completed",
    "disconnected",
    "rate_limited",
    "server_error",
    "cut",
    "content_filter",
    "prompt_filtered",
    "hung",
    "rejected",
]

# Long benchmark runs would otherwise grow the log without bound.
MAX_RECORDS = 10_000


@dataclass
class RequestRecord:
    """Mutable on purpose: the outcome and token count change while the answer streams."""

    path: str
    authorization: Authorization | None
    # The client's TCP port: the same port on two requests means a reused connection.
    client_port: int | None = None
    body: Any = None
    model: str | None = None
    stream: bool = False
    behaviour: dict[str, Any] | None = None
    # None while the response is still being delivered.
    outcome: Outcome | None = None
    tokens_sent: int = 0
    # True when the client closed the connection before the response was complete,
    # whatever the outcome (a client that gives up on a hung request sets it too).
    client_disconnected: bool = False

    def as_json(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "model": self.model,
            "stream": self.stream,
            "body": self.body,
            "authorization": self.authorization,
            "behaviour": self.behaviour,
            "outcome": self.outcome,
            "tokens_sent": self.tokens_sent,
            "client_disconnected": self.client_disconnected,
            "client_port": self.client_port,
        }


class RequestLog:
    def __init__(self, max_records: int = MAX_RECORDS) -> None:
        self._records: deque[RequestRecord] = deque(maxlen=max_records)

    def add(self, record: RequestRecord) -> RequestRecord:
        self._records.append(record)
        return record

    def clear(self) -> None:
        self._records.clear()

    def as_json(self) -> list[dict[str, Any]]:
        return [record.as_json() for record in self._records]
