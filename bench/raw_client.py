"""The default load client: keep-alive HTTP/1.1 over asyncio protocols, parsed by httptools.

The client shares two cores with the servers it measures, so it must be cheap per chunk:
httptools (llhttp, in C; uvicorn's own parser) decodes the chunked body and hands each
piece to the probe inside the loop's read callback, with no await in between. That costs
a few microseconds per chunk where httpx costs tens (bench/httpx_client.py), and the
first token is timed the moment its bytes are read, not after a chain of awaits.
"""

from __future__ import annotations

import asyncio
from urllib.parse import urlsplit

from bench.keepalive import KeepAliveConnection
from bench.probe import ProbeFactory, StreamError, StreamProbe, StreamResult, Target


class _Connection(KeepAliveConnection):
    """Feeds each response body to the stream's probe as its bytes arrive."""

    failure = StreamError

    def __init__(self) -> None:
        super().__init__()
        self._probe: StreamProbe | None = None

    def on_body(self, body: bytes) -> None:
        if self._probe is not None:
            self._probe.feed(body)

    async def exchange(self, request: bytes, probe: StreamProbe) -> int:
        """Send `request`, feed the response body to `probe`, return the status code."""
        self._probe = probe
        try:
            return await self.exchange_status(request)
        finally:
            self._probe = None


class RawStreamClient:
    """A pool of `concurrency` connections to the target's server, opened on demand."""

    def __init__(self, target: Target, concurrency: int) -> None:
        url = urlsplit(target.url)
        assert url.scheme == "http" and url.hostname and url.port, target.url
        self._target = target
        self._address = (url.hostname, url.port)
        headers = {"host": url.netloc, **target.headers}
        self._head = (
            f"POST {url.path} HTTP/1.1\r\n" + "".join(f"{k}: {v}\r\n" for k, v in headers.items())
        ).encode("latin-1")
        self._request = self._request_for(target.body)
        self._idle: list[_Connection] = []
        self._all: list[_Connection] = []

    def _request_for(self, body: bytes) -> bytes:
        return self._head + b"content-length: %d\r\n\r\n" % len(body) + body

    async def fetch(
        self, *, body: bytes | None = None, make_probe: ProbeFactory = StreamProbe
    ) -> StreamResult:
        request = self._request if body is None else self._request_for(body)
        connection = await self._connection()
        # Created here, so that the clock starts when the request goes out.
        probe = make_probe(self._target)
        try:
            status = await connection.exchange(request, probe)
        finally:
            if connection.open:
                self._idle.append(connection)
        if status != 200:
            raise StreamError(f"HTTP {status}")
        return probe.result()

    async def _connection(self) -> _Connection:
        while self._idle:
            connection = self._idle.pop()
            if connection.open:  # the server may have closed it while it sat idle
                return connection
        return await self._connect()

    async def _connect(self) -> _Connection:
        loop = asyncio.get_running_loop()
        _, connection = await loop.create_connection(_Connection, *self._address)
        self._all.append(connection)
        return connection

    async def aclose(self) -> None:
        for connection in self._all:
            connection.close()
        self._idle.clear()
        self._all.clear()
