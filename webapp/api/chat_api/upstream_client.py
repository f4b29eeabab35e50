"""One OpenAI SDK client for the app's life, whatever the provider.

A client per request costs a new TCP and TLS connection per chat (what Microsoft's sample
does, and why it adds ~24 ms to the first token); this one keeps its connection pool.
`openai` and `azure.identity` take ~300 ms to import, so they load on first use, not at
cold start.
"""

from __future__ import annotations

import gc
from typing import TYPE_CHECKING, Any

from chat_api.settings import UpstreamSettings

if TYPE_CHECKING:
    from openai import AsyncOpenAI

AZURE_SCOPE = "https://cognitiveservices.azure.com/.default"
CONNECT_TIMEOUT_SECONDS = 10.0


class UpstreamClient:
    def __init__(self, settings: UpstreamSettings, *, idle_timeout: float) -> None:
        self._settings = settings
        self._idle_timeout = idle_timeout
        self._client: AsyncOpenAI | None = None
        self._credential: Any = None

    async def get(self) -> AsyncOpenAI:
        # No lock needed: creation does not await, so two requests cannot interleave here.
        if self._client is None:
            self._client = self._create()
        return self._client

    def _create(self) -> AsyncOpenAI:
        from openai import AsyncOpenAI, Timeout

        api_key: Any = self._settings.api_key
        if self._settings.keyless_azure:
            from azure.identity.aio import DefaultAzureCredential, get_bearer_token_provider

            self._credential = DefaultAzureCredential()
            api_key = get_bearer_token_provider(self._credential, AZURE_SCOPE)
        client = AsyncOpenAI(
            # Servers such as Ollama take no key, but the SDK insists on one.
            api_key=api_key or "not-needed",
            base_url=self._settings.base_url,
            # The read time-out is the idle guard between two chunks of a started answer;
            # the wait for the first token is bounded separately (answer_stream.py).
            timeout=Timeout(self._idle_timeout, connect=CONNECT_TIMEOUT_SECONDS),
            # Retries are ours: bounded by the SWA request limit and stopped at the first token.
            max_retries=0,
        )
        # The SDK just loaded ~80,000 objects that live as long as the app. Left in the
        # young generations, each full collection re-scans them and stalls every stream
        # for 10-60 ms (docs/benchmarks.md); frozen, the collector skips them.
        gc.freeze()
        return client

    async def close(self) -> None:
        if self._client is not None:
            await self._client.close()
            self._client = None
        if self._credential is not None:
            await self._credential.close()
            self._credential = None
