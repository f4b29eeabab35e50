"""Running the app under uvicorn and announcing the address once the socket is bound."""

from __future__ import annotations

import socket

import uvicorn

from tools.mock_openai.app import create_app
from tools.mock_openai.config import MockConfig


class _AnnouncingServer(uvicorn.Server):
    """Prints the address after binding, so `--port 0` callers can read the real port."""

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        await super().startup(sockets)
        if not self.started:
            return
        host, port = self.servers[0].sockets[0].getsockname()[:2]
        base = f"http://{host}:{port}"
        print(f"mock OpenAI server on {base} (OpenAI base URL {base}/v1)", flush=True)


def serve(config: MockConfig) -> None:
    uvicorn_config = uvicorn.Config(
        create_app(config),
        host=config.host,
        port=config.port,
        log_level="warning",
        # Hung requests would otherwise hold shutdown until the client gives up.
        timeout_graceful_shutdown=1,
    )
    _AnnouncingServer(uvicorn_config).run()
