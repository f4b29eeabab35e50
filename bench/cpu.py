"""CPU time used by the benchmark's processes, read from /proc (Linux).

CPU time per streamed token is the steadiest figure this benchmark has: unlike wall
time, it barely moves when a noisy neighbour takes a core away. Elsewhere the readings are
simply left out of the report.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

PROC = Path("/proc")


def server_pid(port: int) -> int | None:
    """Our child process started with `--port PORT` (servers.py does not expose its pid)."""
    return child_pid(f"--port\0{port}\0".encode())


def child_pid(wanted: bytes) -> int | None:
    """Our child process whose command line (NUL-separated) contains `wanted`."""
    me = str(os.getpid())
    for entry in PROC.glob("[0-9]*"):
        try:
            stat = (entry / "stat").read_text()
            # The parent pid is the second field after the ")" that ends the command name.
            if stat.rsplit(")", 1)[1].split()[1] != me:
                continue
            if wanted in (entry / "cmdline").read_bytes():
                return int(entry.name)
        except (OSError, IndexError):
            continue
    return None


def process_cpu_seconds(pid: int) -> float | None:
    """User plus system CPU of every thread of `pid`, in nanosecond resolution if possible."""
    try:
        total_ns = 0
        for task in (PROC / str(pid) / "task").iterdir():
            # schedstat's first field is time on CPU in ns; stat's ticks are only 10 ms.
            total_ns += int((task / "schedstat").read_text().split()[0])
        return total_ns / 1e9
    except (OSError, ValueError, IndexError):
        return None


def own_cpu_seconds() -> float:
    return time.process_time()


class CpuMeter:
    """Snapshots the CPU time of named processes; `since` gives what each used meanwhile."""

    def __init__(self, pids: dict[str, int | None]) -> None:
        self._pids = {name: pid for name, pid in pids.items() if pid is not None}

    def snapshot(self) -> dict[str, float]:
        readings = {"client": own_cpu_seconds()}
        for name, pid in self._pids.items():
            seconds = process_cpu_seconds(pid)
            if seconds is not None:
                readings[name] = seconds
        return readings

    def since(self, before: dict[str, float]) -> dict[str, float]:
        after = self.snapshot()
        return {name: after[name] - before[name] for name in before.keys() & after.keys()}
