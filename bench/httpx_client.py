"""The load client on httpx: kept to cross-check the raw client (`--client httpx`).

httpx parses HTTP/1.1 in pure Python (h11), which costs the client tens of microseconds
per chunk: at 50 streams in flight it needs a core of its own and its queue, not the
servers', dominates the direct path's first-token time (docs/benchmarks.md).
"""

from __future__ import annotations

import httpx

from bench.probe import ProbeFactory, StreamError, StreamProbe, StreamResult, Target


class HttpxStreamClient:
    def __init__(self, target: Target, concurrency: int) -> None:
        self._target = target
        limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
        # trust_env=False: a proxy from the environment must never sit in front of loopback.
        self._client = httpx.AsyncClient(limits=limits, timeout=60.0, trust_env=False)

    async def fetch(
        self, *, body: bytes | None = None, make_probe: ProbeFactory = StreamProbe
    ) -> StreamResult:
        target = self._target
        probe = make_probe(target)
        content = target.body if body is None else body
        try:
            async with self._client.stream(
                "POST", target.url, content=content, headers=target.headers
            ) as response:
                if response.status_code != 200:
                    await response.aread()
                    raise StreamError(f"HTTP {response.status_code}: {response.text[:200]}")
                async for chunk in response.aiter_raw():
                    probe.feed(chunk)
        except httpx.HTTPError as error:
            raise StreamError(f"{type(error).__name__}: {error}") from error
        return probe.result()

    async def aclose(self) -> None:
        await self._client.aclose()
