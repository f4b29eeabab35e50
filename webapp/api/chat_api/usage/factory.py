"""Open the usage store beside the history, once, on first use, for the app's life.

It follows the history's settings (HISTORY_STORE and the rest): the same SQLite file or the
same table, with a connection of its own. HISTORY_STORE=none keeps no usage either: limits
are then refused at start-up (settings.py), `enabled` is False, and the admin routes answer
the history's 404 `history-disabled`.
"""

from __future__ import annotations

import asyncio
from typing import Any

from chat_api.history.factory import HistoryDisabled
from chat_api.settings import HistorySettings
from chat_api.usage.store import UsageStore


class UsageStoreHolder:
    def __init__(self, settings: HistorySettings) -> None:
        self._settings = settings
        self._store: UsageStore | None = None
        self._credential: Any = None
        # Opening awaits (creating a table, a file): two first requests must not both open.
        self._opening = asyncio.Lock()

    @property
    def enabled(self) -> bool:
        return self._settings.store != "none"

    async def get(self) -> UsageStore:
        if self._store is None:
            async with self._opening:
                if self._store is None:
                    self._store = await self._open()
        return self._store

    async def _open(self) -> UsageStore:
        settings = self._settings
        if settings.store == "none":
            raise HistoryDisabled
        if settings.store == "sqlite":
            from chat_api.usage.sqlite_store import SqliteUsageStore

            return await SqliteUsageStore.open(settings.sqlite_path)
        from chat_api.usage.table_store import TableUsageStore

        if not settings.connection_string:
            from azure.identity.aio import DefaultAzureCredential

            self._credential = DefaultAzureCredential()
        return await TableUsageStore.open(
            table_name=settings.table_name,
            connection_string=settings.connection_string,
            endpoint=settings.tables_endpoint,
            credential=self._credential,
        )

    async def close(self) -> None:
        if self._store is not None:
            await self._store.close()
            self._store = None
        if self._credential is not None:
            await self._credential.close()
            self._credential = None
