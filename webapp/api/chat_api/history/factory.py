"""Open the configured history store once, on first use, and keep it for the app's life."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from chat_api.history.store import HistoryStore
from chat_api.store_holder import HistoryDisabled, StoreHolder

__all__ = ["HistoryDisabled", "HistoryStoreHolder"]


class HistoryStoreHolder(StoreHolder[HistoryStore]):
    # The backends are imported when first opened: a deployment pays only for its own.
    async def open_sqlite(self, path: str) -> HistoryStore:
        from chat_api.history.sqlite_store import SqliteHistoryStore

        return await SqliteHistoryStore.open(Path(path))

    async def open_table(
        self,
        *,
        table_name: str,
        connection_string: str | None,
        endpoint: str | None,
        credential: Any,
    ) -> HistoryStore:
        from chat_api.history.table_store import TableHistoryStore

        return await TableHistoryStore.open(
            table_name=table_name,
            connection_string=connection_string,
            endpoint=endpoint,
            credential=credential,
        )
