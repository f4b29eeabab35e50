"""Open the usage store beside the history, once, on first use (store_holder.py).

HISTORY_STORE=none keeps no usage either: limits are then refused at start-up
(settings.py), and the admin routes answer the history's 404 `history-disabled`.
"""

from __future__ import annotations

from typing import Any

from chat_api.store_holder import StoreHolder
from chat_api.usage.store import UsageStore


class UsageStoreHolder(StoreHolder[UsageStore]):
    async def open_sqlite(self, path: str) -> UsageStore:
        from chat_api.usage.sqlite_store import SqliteUsageStore

        return await SqliteUsageStore.open(path)

    async def open_table(
        self,
        *,
        table_name: str,
        connection_string: str | None,
        endpoint: str | None,
        credential: Any,
    ) -> UsageStore:
        from chat_api.usage.table_store import TableUsageStore

        return await TableUsageStore.open(
            table_name=table_name,
            connection_string=connection_string,
            endpoint=endpoint,
            credential=credential,
        )
