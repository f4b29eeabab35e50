"""Azurite's Table service on a free loopback port, in memory, for one test session."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from tools.devstack.processes import REPO_ROOT, free_port, start_process

LOG_PATH = REPO_ROOT / ".test-logs" / "azurite.log"
AZURITE_TABLE = REPO_ROOT / "node_modules" / ".bin" / "azurite-table"

# The emulator's published development account: not a secret, the same on every machine.
DEV_ACCOUNT_NAME = "devstoreaccount1"
DEV_ACCOUNT_KEY = (
    "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=="
)


def connection_string_for(port: int) -> str:
    return (
        "DefaultEndpointsProtocol=http;"
        f"AccountName={DEV_ACCOUNT_NAME};"
        f"AccountKey={DEV_ACCOUNT_KEY};"
        f"TableEndpoint=http://127.0.0.1:{port}/{DEV_ACCOUNT_NAME};"
    )


@contextmanager
def running_azurite() -> Iterator[str]:
    """Start the emulator and yield a connection string for its development account.

    In memory: nothing outlives the session. Azurite refuses `--location` together with
    `--inMemoryPersistence`, so a throwaway folder is its working directory instead (its
    default location): anything it still writes lands there, not in the checkout.
    `--skipApiVersionCheck` lets a newer SDK talk to an older emulator.
    """
    port = free_port()
    with tempfile.TemporaryDirectory(prefix="azurite-") as workspace:
        process = start_process(
            "azurite",
            [
                str(AZURITE_TABLE),
                "--inMemoryPersistence",
                "--disableTelemetry",
                "--silent",
                "--skipApiVersionCheck",
                "--tableHost",
                "127.0.0.1",
                "--tablePort",
                str(port),
            ],
            # Any HTTP status means the server is up (an unsigned GET gets an error back).
            ready_url=f"http://127.0.0.1:{port}/{DEV_ACCOUNT_NAME}",
            cwd=Path(workspace),
            log_path=LOG_PATH,
        )
        try:
            yield connection_string_for(port)
        finally:
            process.stop()
