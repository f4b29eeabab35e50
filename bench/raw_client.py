"""The default load client: keep-alive HTTP/1.1 over asyncio protocols, parsed by httptools.

The client shares two cores with the servers it measures, so it must be cheap per chunk:
httptools (llhttp, in C; uvicorn's own parser) decodes the chunked body and hands each
piece to the probe inside the loop's read callback, with no await in between. That costs
a few microseconds per chunk where httpx costs tens (bench/httpx_client.py), and the
first token is timed the moment its bytes are read, not after a chain of awaits.
"""

from __future__ import annotations

import asyncio
from typing import cast
from urllib.parse import urlsplit

import httptools

from bench.probe import ProbeFactory, StreamError, StreamProbe, StreamResult, Target

# A stuck server fails the stream instead of hanging the benchmark.
TIMEOUT_SECONDS = 60.0


class _Connection(asyncio.Protocol):
    """One keep-alive connection carrying one response at a time."""

    def __init__(self) -> None:
        self._parser = httptools.HttpResponseParser(self)
        self._transport: asyncio.Transport | None = None
        self._probe: StreamProbe | None = None
        self._finished: asyncio.Future[int] | None = None
        self.open = False

    # asyncio.Protocol

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        # uvloop's transports implement asyncio.Transport without subclassing it.
        self._transport = cast("asyncio.Transport", transport)
        self.open = True

    def data_received(self, data: bytes) -> None:
        try:
            self._parser.feed_data(data)
        except httptools.HttpParserError as error:
            self._fail(StreamError(f"bad HTTP response: {error}"))

    def connection_lost(self, exc: Exception | None) -> None:
        self.open = False
        self._fail(StreamError("connection closed mid-response"))

    # httptools callbacks

    def on_body(self, body: bytes) -> None:
        if self._probe is not None:
            self._probe.feed(body)

    def on_message_complete(self) -> None:
        if self._finished is not None and not self._finished.done():
            self._finished.set_result(self._parser.get_status_code())
        if not self._parser.should_keep_alive() and self._transport is not None:
            self.open = False
            self._transport.close()

    # the client's side

    async def exchange(self, request: bytes, probe: StreamProbe) -> int:
        """Send `request`, feed the response body to `probe`, return the status code."""
        assert self._transport is not None
        self._probe = probe
        self._finished = asyncio.get_running_loop().create_future()
        self._transport.write(request)
        try:
            async with asyncio.timeout(TIMEOUT_SECONDS):
                return await self._finished
        except (TimeoutError, asyncio.CancelledError):
            # A response is still arriving on it: the connection cannot carry another.
            self.close()
            raise
        finally:
            self._probe = self._finished = None

    def _fail(self, error: Exception) -> None:
        self.open = False
        if self._finished is not None and not self._finished.done():
            self._finished.set_exception(error)
        if self._transport is not None:
            self._transport.close()

    def close(self) -> None:
        self.open = False
        if self._transport is not None:
            self._transport.close()


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
