"""A small keep-alive HTTP/1.1 client for the history benchmark: one request at a time.

Every figure of bench/history.py is one request with nothing else in flight, timed from
the moment the request is written to the moment its last byte (or, for a chat, the first
`delta` event) is read. httptools (llhttp, in C) parses the response inside the loop's
read callback, so the clock stops when the bytes arrive, not after a chain of awaits,
and the client adds microseconds, not the milliseconds httpx would, to each figure.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

from bench.keepalive import KeepAliveConnection


class HttpError(Exception):
    pass


@dataclass(frozen=True)
class Reply:
    status: int
    body: bytes
    # From writing the request to reading the last byte of the response.
    total_ms: float
    # From writing the request to reading the first occurrence of `watch`; None if absent.
    watch_ms: float | None


class _Connection(KeepAliveConnection):
    """Keeps each response body, and notes when a watched marker first arrives."""

    failure = HttpError

    def __init__(self) -> None:
        super().__init__()
        self._chunks: list[bytes] = []
        self._watch = b""
        self._tail = b""
        self.watch_at: float | None = None

    def on_body(self, body: bytes) -> None:
        self._chunks.append(body)
        if self._watch and self.watch_at is None:
            # The marker may straddle two reads: search the end of the last one too.
            if self._watch in self._tail + body:
                self.watch_at = time.perf_counter()
            self._tail = body[-len(self._watch) :]

    async def exchange(self, request: bytes, watch: bytes) -> Reply:
        self._chunks = []
        self._watch, self._tail, self.watch_at = watch, b"", None
        started = time.perf_counter()
        status = await self.exchange_status(request)
        watch_ms = None if self.watch_at is None else (self.watch_at - started) * 1000
        return Reply(
            status=status,
            body=b"".join(self._chunks),
            total_ms=(self.ended_at - started) * 1000,
            watch_ms=watch_ms,
        )


class HttpClient:
    """Requests to one server over one keep-alive connection, reopened if the server
    closed it (a browser keeps its connection to the API open the same way)."""

    def __init__(self, root: str, headers: dict[str, str]) -> None:
        url = urlsplit(root)
        assert url.scheme == "http" and url.hostname and url.port, root
        self._address = (url.hostname, url.port)
        self._headers = {"host": url.netloc, **headers}
        self._connection: _Connection | None = None

    async def get(self, path: str) -> Reply:
        return await self._send("GET", path, b"", {})

    async def post_json(self, path: str, body: bytes, *, watch: bytes = b"") -> Reply:
        return await self._send("POST", path, body, {"content-type": "application/json"}, watch)

    async def _send(
        self, method: str, path: str, body: bytes, extra: dict[str, str], watch: bytes = b""
    ) -> Reply:
        headers = {**self._headers, **extra}
        if body or method == "POST":
            headers["content-length"] = str(len(body))
        head = f"{method} {path} HTTP/1.1\r\n" + "".join(
            f"{name}: {value}\r\n" for name, value in headers.items()
        )
        request = (head + "\r\n").encode("latin-1") + body
        connection = await self._open()
        return await connection.exchange(request, watch)

    async def _open(self) -> _Connection:
        if self._connection is not None and self._connection.open:
            return self._connection
        loop = asyncio.get_running_loop()
        _, self._connection = await loop.create_connection(_Connection, *self._address)
        return self._connection

    async def aclose(self) -> None:
        if self._connection is not None:
            self._connection.close()
            self._connection = None
