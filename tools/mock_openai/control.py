"""A small client for the mock's `/_mock` endpoints, for tests and benchmarks."""

from __future__ import annotations

import time
from types import TracebackType
from typing import Any

import httpx


class MockControl:
    """Queue behaviours on a running mock and read back the requests it received."""

    def __init__(self, root: str, *, timeout: float = 5.0) -> None:
        # `root` is the server's root URL, without /v1.
        self.root = root.rstrip("/")
        # One client for all calls: building one per call costs tens of milliseconds.
        self._http = httpx.Client(base_url=self.root, timeout=timeout)

    def __enter__(self) -> MockControl:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        self._http.close()

    def reset(self) -> None:
        """Empty the behaviour queue and the request log."""
        self._http.post("/_mock/reset").raise_for_status()

    def queue(self, *behaviours: dict[str, Any]) -> None:
        self._http.post("/_mock/behaviours", json=list(behaviours)).raise_for_status()

    def pending(self) -> list[dict[str, Any]]:
        return self._get("/_mock/behaviours")

    def requests(self) -> list[dict[str, Any]]:
        return self._get("/_mock/requests")

    def wait_for_outcome(
        self, outcome: str, *, index: int = -1, timeout: float = 2.0
    ) -> dict[str, Any]:
        """The record at `index` once its outcome is `outcome`.

        Outcomes that depend on the client going away (`disconnected`) are recorded a few
        milliseconds after the server sees the connection close, so tests poll for them.
        """
        deadline = time.monotonic() + timeout
        while True:
            records = self.requests()
            if records and records[index]["outcome"] == outcome:
                return records[index]
            if time.monotonic() >= deadline:
                seen = records[index]["outcome"] if records else "no requests"
                raise AssertionError(f"outcome {outcome!r} not reached within {timeout} s: {seen}")
            time.sleep(0.02)

    def _get(self, path: str) -> list[dict[str, Any]]:
        response = self._http.get(path)
        response.raise_for_status()
        result: list[dict[str, Any]] = response.json()
        return result
