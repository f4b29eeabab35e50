"""Open the configured history store once, on first use, and keep it for the app's life."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from chat_api.history.store import HistoryStore
from chat_api.settings import HistorySettings


class HistoryDisabled(Exception):
    """HISTORY_STORE=none: the organisation keeps no history."""


class HistoryStoreHolder:
    def __init__(self, settings: HistorySettings) -> None:
        self._settings = settings
        self._store: HistoryStore | None = None
        self._credential: Any = None
        # Opening awaits (creating a table, a file): two first requests must not both open.
        self._opening = asyncio.Lock()

    @property
    def enabled(self) -> bool:
        return self._settings.store != "none"

    async def get(self) -> HistoryStore:
        if self._store is None:
            async with self._opening:
                if self._store is None:
                    self._store = await self._open()
        return self._store

    async def _open(self) -> HistoryStore:
        settings = self._settings
        if settings.store == "none":
            raise HistoryDisabled
        if settings.store == "sqlite":
            from chat_api.history.sqlite_store import SqliteHistoryStore

            return await SqliteHistoryStore.open(Path(settings.sqlite_path))
        from chat_api.history.table_store import TableHistoryStore

        if settings.connection_string:
            return await TableHistoryStore.open(
                connection_string=settings.connection_string, table_name=settings.table_name
            )
        from azure.identity.aio import DefaultAzureCredential

        self._credential = DefaultAzureCredential()
        return await TableHistoryStore.open(
            endpoint=settings.tables_endpoint,
            credential=self._credential,
            table_name=settings.table_name,
        )

    async def close(self) -> None:
        if self._store is not None:
            await self._store.close()
            self._store = None
        if self._credential is not None:
            await self._credential.close()
            self._credential = None
