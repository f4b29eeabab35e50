"""`python -m tools.devstack`: the mock model, the API and the SWA emulator, together.

Configuration comes from `webapp/api/local.settings.json` (the file `func start` reads)
when it exists, else the mock model. Ctrl-C stops everything this started.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import socket
import sys
import time
from pathlib import Path

from tools.devstack.processes import REPO_ROOT, ManagedProcess, ProcessFailedToStart, start_process

LOG_DIR = REPO_ROOT / ".devstack"
MOCK_PORT = 7077
API_PORT = 7071
SWA_PORT = 4280


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--settings", type=Path, default=REPO_ROOT / "webapp" / "api" / "local.settings.json"
    )
    parser.add_argument("--host", default="127.0.0.1", help="address the emulator listens on")
    parser.add_argument(
        "--tokens-per-second", type=float, default=40, help="pace of the mock model's answers"
    )
    args = parser.parse_args()

    values = _settings(args.settings)
    use_mock = values.get("AI_PROVIDER", "mock").lower() == "mock"
    busy = [
        port
        for port in ((MOCK_PORT,) if use_mock else ()) + (API_PORT, SWA_PORT)
        if _port_in_use(port)
    ]
    if busy:
        print(
            f"Port(s) {', '.join(map(str, busy))} already in use: is the stack already "
            "running? Stop it first.",
            file=sys.stderr,
        )
        return 1
    if not (REPO_ROOT / "webapp" / "dist" / "index.html").exists():
        print("webapp/dist is missing: run ./scripts/dev (it builds the web app).", file=sys.stderr)
        return 1

    started: list[ManagedProcess] = []
    try:
        if use_mock:
            values.setdefault("MOCK_OPENAI_URL", f"http://127.0.0.1:{MOCK_PORT}/v1")
            started.append(
                start_process(
                    "mock model",
                    [
                        sys.executable,
                        "-m",
                        "tools.mock_openai",
                        "--port",
                        str(MOCK_PORT),
                        "--tokens-per-second",
                        str(args.tokens_per_second),
                        "--first-token-latency-ms",
                        "300",
                    ],
                    ready_url=f"http://127.0.0.1:{MOCK_PORT}/_mock/health",
                    log_path=LOG_DIR / "mock_openai.log",
                )
            )
        started.append(
            start_process(
                "API",
                [
                    sys.executable,
                    "-m",
                    "uvicorn",
                    "chat_api.app:create_app",
                    "--factory",
                    "--app-dir",
                    str(REPO_ROOT / "webapp" / "api"),
                    "--host",
                    "127.0.0.1",
                    "--port",
                    str(API_PORT),
                ],
                ready_url=f"http://127.0.0.1:{API_PORT}/api/openapi.json",
                env=values,
                log_path=LOG_DIR / "api.log",
            )
        )
        started.append(
            start_process(
                "SWA emulator",
                [
                    _swa_binary(),
                    "start",
                    "webapp/dist",
                    "--api-devserver-url",
                    f"http://127.0.0.1:{API_PORT}",
                    "--swa-config-location",
                    ".",
                    "--host",
                    args.host,
                    "--port",
                    str(SWA_PORT),
                ],
                ready_url=f"http://127.0.0.1:{SWA_PORT}/login.html",
                env={"NO_UPDATE_NOTIFIER": "1", "SWA_CLI_APP_LOCATION": "webapp"},
                log_path=LOG_DIR / "swa.log",
                timeout=120,
            )
        )
    except ProcessFailedToStart as error:
        print(f"Could not start the stack: {error}", file=sys.stderr)
        _stop(started)
        return 1

    _print_welcome(use_mock, values)

    def on_sigterm(*_: object) -> None:
        _stop(started)
        sys.exit(0)

    signal.signal(signal.SIGTERM, on_sigterm)
    # The model is the upstream: when it stops (stopped on purpose, to see what users see
    # when the model service is down), the app keeps running and says so in the chat.
    essential = [p for p in started if p.name != "mock model"]
    mock = next((p for p in started if p.name == "mock model"), None)
    try:
        while all(process.popen.poll() is None for process in essential):
            if mock is not None and mock.popen.poll() is not None:
                print(
                    "\nThe mock model stopped: chats now show what users see when the model "
                    "service is down. Start it again: "
                    f"python -m tools.mock_openai --port {MOCK_PORT}",
                    file=sys.stderr,
                )
                mock = None
            time.sleep(0.5)
        dead = next(p for p in essential if p.popen.poll() is not None)
        print(
            f"\n{dead.name} stopped unexpectedly. Last lines of its log:\n{dead.log_tail()}",
            file=sys.stderr,
        )
        return 1
    except KeyboardInterrupt:
        print("\nStopping…")
        return 0
    finally:
        _stop(started)


# Three models to choose from, all answered by the mock server: the model picker, the
# reasoning model's missing temperature and per-model budgets can be tried locally.
MOCK_CATALOG = [
    {"id": "mock-gpt", "name": "Fast", "description": "Quick everyday answers"},
    {
        "id": "mock-gpt-large",
        "name": "Strong",
        "description": "Longer context for big documents",
        "context_tokens": 400_000,
    },
    {
        "id": "mock-o4-mini",
        "name": "Reasoning",
        "description": "Thinks before answering; sets its own temperature",
        "reasoning": True,
    },
]


def _settings(path: Path) -> dict[str, str]:
    """The `Values` of local.settings.json, or the mock model when there is none."""
    if not path.exists():
        return {"AI_PROVIDER": "mock", "MODEL_CATALOG": json.dumps(MOCK_CATALOG)}
    try:
        values = json.loads(path.read_text(encoding="utf-8")).get("Values", {})
    except (OSError, ValueError) as error:
        raise SystemExit(f"{path} is not valid JSON: {error}") from None
    return {str(k): str(v) for k, v in values.items() if str(v) != ""}


def _swa_binary() -> str:
    local = REPO_ROOT / "node_modules" / ".bin" / "swa"
    if local.exists():
        return str(local)
    found = shutil.which("swa")
    if found is None:
        raise SystemExit("The SWA CLI is not installed: run ./scripts/dev (it installs it).")
    return found


def _port_in_use(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        return sock.connect_ex(("127.0.0.1", port)) == 0


def _stop(processes: list[ManagedProcess]) -> None:
    for process in reversed(processes):
        process.stop()


def _print_welcome(use_mock: bool, values: dict[str, str]) -> None:
    model = "the mock model" if use_mock else f"AI_PROVIDER={values.get('AI_PROVIDER')}"
    print(
        f"""
  Chat on Azure is running ({model}).

    Open      http://127.0.0.1:{SWA_PORT}
    Sign in   on the emulator's sign-in form: any user name, and type
              invited   in "User's roles" (leave it out to see the refusal page;
              add a line  admin  for the admin page at /admin).
    API       http://127.0.0.1:{API_PORT}/api/openapi.json
    Logs      {LOG_DIR.relative_to(REPO_ROOT)}/

  Ctrl-C stops everything.
""",
        flush=True,
    )


if __name__ == "__main__":
    os.chdir(REPO_ROOT)
    sys.exit(main())
