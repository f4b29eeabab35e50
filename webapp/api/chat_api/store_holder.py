"""Open a store on first use and keep it for the app's life: the history, and the stores
that live beside it (assistants, usage) with the same settings: the same SQLite file or the
same table, each with a connection of its own.

HISTORY_STORE=none keeps nothing: `enabled` is False and `get()` raises HistoryDisabled,
which every route answers with the 404 `history-disabled`.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any, Generic, Protocol, TypeVar

from chat_api.settings import HistorySettings


class HistoryDisabled(Exception):
    """HISTORY_STORE=none: the organisation keeps no history."""


class _Closable(Protocol):
    async def close(self) -> None: ...


S = TypeVar("S", bound=_Closable)
S_co = TypeVar("S_co", covariant=True)


class TableOpener(Protocol[S_co]):
    def __call__(
        self,
        *,
        table_name: str,
        connection_string: str | None,
        endpoint: str | None,
        credential: Any,
    ) -> Awaitable[S_co]: ...


class StoreHolder(Generic[S]):
    """Subclasses say how to open their store on each backend."""

    def __init__(self, settings: HistorySettings) -> None:
        self._settings = settings
        self._store: S | None = None
        self._credential: Any = None
        # Opening awaits (creating a table, a file): two first requests must not both open.
        self._opening = asyncio.Lock()

    @property
    def enabled(self) -> bool:
        return self._settings.store != "none"

    async def get(self) -> S:
        if self._store is None:
            async with self._opening:
                if self._store is None:
                    self._store = await self._open()
        return self._store

    async def _open(self) -> S:
        settings = self._settings
        if settings.store == "none":
            raise HistoryDisabled
        if settings.store == "sqlite":
            return await self.sqlite_opener()(settings.sqlite_path)
        if not settings.connection_string:
            from azure.identity.aio import DefaultAzureCredential

            # Keyless: the managed identity (in Azure) or `az login` (on a laptop).
            self._credential = DefaultAzureCredential()
        return await self.table_opener()(
            table_name=settings.table_name,
            connection_string=settings.connection_string,
            endpoint=settings.tables_endpoint,
            credential=self._credential,
        )

    # Each returns its backend's `open`, importing it only then: a deployment pays only for
    # the backend it uses.
    def sqlite_opener(self) -> Callable[[str], Awaitable[S]]:
        raise NotImplementedError

    def table_opener(self) -> TableOpener[S]:
        raise NotImplementedError

    async def close(self) -> None:
        if self._store is not None:
            await self._store.close()
            self._store = None
        if self._credential is not None:
            await self._credential.close()
            self._credential = None
