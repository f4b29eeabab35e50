"""One keep-alive HTTP/1.1 connection carrying one response at a time, parsed by httptools
(llhttp, in C; uvicorn's own parser) inside the loop's read callback: the benchmarks' two
clients (raw_client.py, history_http.py) build on it and say what to do with the body.
"""

from __future__ import annotations

import asyncio
import time
from typing import cast

import httptools

# A stuck server fails the benchmark instead of hanging it.
TIMEOUT_SECONDS = 60.0


class KeepAliveConnection(asyncio.Protocol):
    """Subclasses handle `on_body`; `exchange_status` sends a request and waits for the
    response's end. `failure` is the exception type a broken response raises."""

    failure: type[Exception] = ConnectionError

    def __init__(self) -> None:
        self._parser = httptools.HttpResponseParser(self)
        self._transport: asyncio.Transport | None = None
        self._finished: asyncio.Future[int] | None = None
        # time.perf_counter() when the last response ended.
        self.ended_at = 0.0
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
            self._fail(self.failure(f"bad HTTP response: {error}"))

    def connection_lost(self, exc: Exception | None) -> None:
        self.open = False
        self._fail(self.failure("connection closed mid-response"))

    # httptools callbacks

    def on_body(self, body: bytes) -> None:
        raise NotImplementedError

    def on_message_complete(self) -> None:
        self.ended_at = time.perf_counter()
        if self._finished is not None and not self._finished.done():
            self._finished.set_result(self._parser.get_status_code())
        if not self._parser.should_keep_alive() and self._transport is not None:
            self.open = False
            self._transport.close()

    # the client's side

    async def exchange_status(self, request: bytes) -> int:
        """Send `request`; the status code once the whole response has been read."""
        assert self._transport is not None
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
            self._finished = None

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
