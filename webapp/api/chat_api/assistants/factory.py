"""Open the assistant store beside the history, once, on first use (store_holder.py)."""

from __future__ import annotations

from typing import Any

from chat_api.assistants.store import AssistantStore
from chat_api.store_holder import StoreHolder


class AssistantStoreHolder(StoreHolder[AssistantStore]):
    async def open_sqlite(self, path: str) -> AssistantStore:
        from chat_api.assistants.sqlite_store import SqliteAssistantStore

        return await SqliteAssistantStore.open(path)

    async def open_table(
        self,
        *,
        table_name: str,
        connection_string: str | None,
        endpoint: str | None,
        credential: Any,
    ) -> AssistantStore:
        from chat_api.assistants.table_store import TableAssistantStore

        return await TableAssistantStore.open(
            table_name=table_name,
            connection_string=connection_string,
            endpoint=endpoint,
            credential=credential,
        )
