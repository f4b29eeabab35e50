"""Open the usage store beside the history, once, on first use (store_holder.py).

HISTORY_STORE=none keeps no usage either: limits are then refused at start-up
(settings.py), and the admin routes answer the history's 404 `history-disabled`.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from chat_api.store_holder import StoreHolder, TableOpener
from chat_api.usage.store import UsageStore


class UsageStoreHolder(StoreHolder[UsageStore]):
    def sqlite_opener(self) -> Callable[[str], Awaitable[UsageStore]]:
        from chat_api.usage.sqlite_store import SqliteUsageStore

        return SqliteUsageStore.open

    def table_opener(self) -> TableOpener[UsageStore]:
        from chat_api.usage.table_store import TableUsageStore

        return TableUsageStore.open
