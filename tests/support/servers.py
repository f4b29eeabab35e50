"""Start the project's real servers on free loopback ports for a test session."""

from __future__ import annotations

import sys
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

from tools.devstack.processes import REPO_ROOT, free_port, start_process

LOG_DIR = REPO_ROOT / ".test-logs"
API_DIR = REPO_ROOT / "webapp" / "api"


@contextmanager
def running_mock_openai(name: str = "mock_openai", *extra_args: str) -> Iterator[str]:
    """The mock OpenAI server; yields its root URL (no /v1)."""
    port = free_port()
    root = f"http://127.0.0.1:{port}"
    process = start_process(
        name,
        [sys.executable, "-m", "tools.mock_openai", "--port", str(port), *extra_args],
        ready_url=f"{root}/_mock/health",
        log_path=LOG_DIR / f"{name}.log",
    )
    try:
        yield root
    finally:
        process.stop()


@contextmanager
def running_api(env: Mapping[str, str], name: str = "api") -> Iterator[str]:
    """The chat API under uvicorn, configured only by `env`; yields its root URL."""
    port = free_port()
    root = f"http://127.0.0.1:{port}"
    process = start_process(
        name,
        [
            sys.executable,
            "-m",
            "uvicorn",
            "chat_api.app:create_app",
            "--factory",
            "--app-dir",
            str(API_DIR),
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--log-level",
            "warning",
        ],
        ready_url=f"{root}/api/openapi.json",
        env=_clean_env(env),
        log_path=LOG_DIR / f"{name}.log",
    )
    try:
        yield root
    finally:
        process.stop()


def _clean_env(env: Mapping[str, str]) -> dict[str, str]:
    """Blank every setting the API reads, then apply `env`: no leakage from the shell."""
    from chat_api.settings_catalog import SETTINGS

    blank = {doc.name: "" for doc in SETTINGS}
    return {**blank, **env}


def log_path(name: str) -> Path:
    return LOG_DIR / f"{name}.log"


@contextmanager
def running_swa_emulator(api_root: str, name: str = "swa") -> Iterator[str]:
    """The official SWA CLI emulator serving webapp/dist in front of the API."""
    dist = REPO_ROOT / "webapp" / "dist"
    if not (dist / "index.html").exists():
        raise RuntimeError("webapp/dist is missing: scripts/test builds it before pytest")
    port = free_port()
    root = f"http://127.0.0.1:{port}"
    process = start_process(
        name,
        [
            str(REPO_ROOT / "node_modules" / ".bin" / "swa"),
            "start",
            str(dist),
            "--api-devserver-url",
            api_root,
            "--swa-config-location",
            str(REPO_ROOT),
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
        ],
        ready_url=f"{root}/login.html",
        ready_statuses=(200,),
        env={"NO_UPDATE_NOTIFIER": "1"},
        log_path=LOG_DIR / f"{name}.log",
        timeout=120,
    )
    try:
        yield root
    finally:
        process.stop()
