"""Where the time of a history request goes: each store call, and the response it becomes,
timed in this process on the seed of bench/history.py.

`python -m bench.history_costs [--backend sqlite|table]`

bench/history.py measures what a user sees, through the API. This takes the same calls
apart, one at a time and without HTTP, and gives each one's wall and CPU time (CPU of this
process: for Table Storage that is the SDK's own work, apart from Azurite's).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
import uuid
from collections.abc import Awaitable, Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import uvloop

from bench.history import BACKENDS, markdown_table
from bench.history_seed import CHAT_USER, LIST_USER, SeedData, build, seed_sqlite, seed_table
from bench.stats import median
from chat_api.history.models import Message
from chat_api.history.store import HistoryStore
from tests.support.azurite import running_azurite

REPEATS = 40


async def _cost(call: Callable[[], Awaitable[Any]], repeats: int = REPEATS) -> tuple[float, float]:
    """(median wall ms, mean CPU ms) of `call`, after a few untimed calls."""
    for _ in range(3):
        await call()
    walls: list[float] = []
    cpu_started = time.process_time()
    for _ in range(repeats):
        started = time.perf_counter()
        await call()
        walls.append((time.perf_counter() - started) * 1000)
    return median(walls), (time.process_time() - cpu_started) * 1000 / repeats


async def costs(store: HistoryStore, data: SeedData) -> list[list[str]]:
    from starlette.responses import JSONResponse

    from chat_api.conversation_schemas import ConversationOut, ConversationWithMessages, MessageOut

    long_id, listed = data.long_id, data.listed[1].conversation.id
    chats = iter(data.chats)
    chat_id = next(chats).conversation.id
    conversation = await store.get_conversation(LIST_USER, long_id)
    messages = await store.list_messages(LIST_USER, long_id)

    async def save() -> None:
        # A new message in a conversation not written to yet, as in a saved chat.
        target = next(chats).conversation.id
        message = Message(
            id=uuid.uuid4().hex,
            conversation_id=target,
            role="user",
            content="A question of about two hundred characters. " * 4,
            created=datetime.now(UTC),
        )
        await store.save_message(CHAT_USER, message)

    async def open_body() -> None:
        body = ConversationWithMessages(
            conversation=ConversationOut.of(conversation),
            messages=[MessageOut.of(m) for m in messages],
        )
        JSONResponse(body.model_dump(mode="json"))

    calls: list[tuple[str, Callable[[], Awaitable[Any]]]] = [
        ("get_conversation", lambda: store.get_conversation(LIST_USER, listed)),
        ("list_conversations(limit=50)", lambda: store.list_conversations(LIST_USER, limit=50)),
        ("list_messages: 20 messages", lambda: store.list_messages(CHAT_USER, chat_id)),
        ("list_messages: 300 messages", lambda: store.list_messages(LIST_USER, long_id)),
        ("save_message: a new message", save),
        ("open's body: pydantic + JSON, 300 messages", open_body),
    ]
    rows = []
    for name, call in calls:
        wall, cpu = await _cost(call)
        rows.append([name, f"{wall:,.2f}", f"{cpu:,.2f}"])
    return rows


async def _sqlite(data: SeedData) -> list[list[str]]:
    from chat_api.history.sqlite_store import SqliteHistoryStore

    with tempfile.TemporaryDirectory(prefix="bench-hist-") as workspace:
        path = Path(workspace) / "history.sqlite3"
        await seed_sqlite(path, data)
        store = await SqliteHistoryStore.open(path)
        try:
            return await costs(store, data)
        finally:
            await store.close()


async def _table(data: SeedData, connection_string: str) -> list[list[str]]:
    from chat_api.history.table_store import TableHistoryStore

    await seed_table(connection_string, "benchcosts", data)
    store = await TableHistoryStore.open(
        connection_string=connection_string, table_name="benchcosts"
    )
    try:
        return await costs(store, data)
    finally:
        await store.close()


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.history_costs", description=__doc__)
    parser.add_argument("--backend", choices=sorted(BACKENDS), action="append")
    args = parser.parse_args(argv)
    data = build(REPEATS + 5)
    headers = ["store call (in process)", "median wall ms", "CPU ms per call"]
    for backend in args.backend or list(BACKENDS):
        if backend == "sqlite":
            rows = uvloop.run(_sqlite(data))
        else:
            with running_azurite() as connection_string:
                rows = uvloop.run(_table(data, connection_string))
        print(f"**{BACKENDS[backend]}**\n\n{markdown_table(headers, rows)}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
