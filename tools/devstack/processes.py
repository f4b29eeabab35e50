"""Start child processes that serve HTTP, wait until they answer, and stop them cleanly.

Shared by the local stack (`python -m tools.devstack`), the tests and the benchmarks so
that all three start servers the same way.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

REPO_ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    """A TCP port on loopback that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


class ProcessFailedToStart(RuntimeError):
    """The child exited, or never answered, before it was ready."""


@dataclass
class ManagedProcess:
    """A child process in its own process group, so stopping it stops its children too."""

    name: str
    popen: subprocess.Popen[bytes]
    log_path: Path | None = None
    _log: IO[bytes] | None = field(default=None, repr=False)

    def log_tail(self, lines: int = 40) -> str:
        if self.log_path is None or not self.log_path.exists():
            return ""
        text = self.log_path.read_text(encoding="utf-8", errors="replace")
        return "\n".join(text.splitlines()[-lines:])

    def stop(self, timeout: float = 10.0) -> None:
        if self.popen.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.popen.pid, signal.SIGTERM)
            try:
                self.popen.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                os.killpg(self.popen.pid, signal.SIGKILL)
                self.popen.wait(timeout=timeout)
        if self._log is not None:
            self._log.close()


def start_process(
    name: str,
    command: Sequence[str],
    *,
    ready_url: str,
    env: Mapping[str, str] | None = None,
    cwd: Path = REPO_ROOT,
    log_path: Path | None = None,
    timeout: float = 60.0,
    ready_statuses: tuple[int, ...] = (),
) -> ManagedProcess:
    """Start `command` and return once `ready_url` answers any HTTP status.

    Output goes to `log_path` (or is inherited when None, for the interactive stack).
    `ready_statuses`, when given, restricts which statuses count as ready.
    """
    log: IO[bytes] | None = None
    if log_path is not None:
        log_path.parent.mkdir(parents=True, exist_ok=True)
        log = log_path.open("wb")
    popen = subprocess.Popen(
        list(command),
        cwd=cwd,
        env={**os.environ, **(env or {})},
        stdout=log,
        stderr=subprocess.STDOUT if log is not None else None,
        stdin=subprocess.DEVNULL,
        start_new_session=True,
    )
    process = ManagedProcess(name=name, popen=popen, log_path=log_path, _log=log)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if popen.poll() is not None:
            tail = process.log_tail()
            process.stop()
            raise ProcessFailedToStart(f"{name} exited with code {popen.returncode}\n{tail}")
        if _answers(ready_url, ready_statuses):
            return process
        time.sleep(0.1)
    tail = process.log_tail()
    process.stop()
    raise ProcessFailedToStart(
        f"{name} did not answer at {ready_url} within {timeout:.0f} s\n{tail}"
    )


def _answers(url: str, statuses: tuple[int, ...]) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 (loopback only)
            status: int = response.status
    except urllib.error.HTTPError as error:
        status = error.code
    except (OSError, ValueError):
        return False
    return not statuses or status in statuses
