"""Open the assistant store beside the history, once, on first use (store_holder.py)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from chat_api.assistants.store import AssistantStore
from chat_api.store_holder import StoreHolder, TableOpener


class AssistantStoreHolder(StoreHolder[AssistantStore]):
    def sqlite_opener(self) -> Callable[[str], Awaitable[AssistantStore]]:
        from chat_api.assistants.sqlite_store import SqliteAssistantStore

        return SqliteAssistantStore.open

    def table_opener(self) -> TableOpener[AssistantStore]:
        from chat_api.assistants.table_store import TableAssistantStore

        return TableAssistantStore.open
