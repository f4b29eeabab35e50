"""Open the configured history store once, on first use, and keep it for the app's life."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from chat_api.history.store import HistoryStore
from chat_api.store_holder import HistoryDisabled, StoreHolder, TableOpener

__all__ = ["HistoryDisabled", "HistoryStoreHolder"]


class HistoryStoreHolder(StoreHolder[HistoryStore]):
    def sqlite_opener(self) -> Callable[[str], Awaitable[HistoryStore]]:
        from chat_api.history.sqlite_store import SqliteHistoryStore

        return SqliteHistoryStore.open

    def table_opener(self) -> TableOpener[HistoryStore]:
        from chat_api.history.table_store import TableHistoryStore

        return TableHistoryStore.open
