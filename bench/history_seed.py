"""The history benchmark's data, and writing it into each backend before the API starts.

Deterministic (a fixed random seed), with the sizes of real chats: questions of about
200 characters, answers of about 1,500 (Markdown, some code), and in the long conversation
a few answers of about 20 KB. Mostly English with some accented and CJK words, so that
UTF-8 and casefolding do real work.

SQLite is seeded through the store's own interface (about 0.2 ms a write). Table Storage
is not: through the SDK each request costs this process 1 to 2 ms of CPU and a save is
three of them, so the ~9,700 writes of a full seed would take most of a minute. Its rows
are written instead in batches
of 100 (one entity-group transaction per batch), built by the store's own functions
(table_entities.py, table_keys.py) so that they are exactly the rows the store would
have written; `check_seeded` then reads the data back through the store.
"""

from __future__ import annotations

import asyncio
import random
import uuid
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from chat_api.history.models import Conversation, Message, Usage
from chat_api.history.store import HistoryStore

SEED = 20_241_121
LIST_USER = "bench-history-lister"
CHAT_USER = "bench-history-chatter"
CONVERSATIONS = 1_000
MESSAGES_PER_LISTED = 4
LONG_MESSAGES = 300
LONG_ANSWERS = 5  # of about 20 KB each, among the long conversation's answers
CHAT_HISTORY_MESSAGES = 20
# Pinned conversations (listed first), by their place among the 1,000.
PINNED_AT = frozenset({137, 421, 803})

QUESTION_CHARS = (120, 300)
ANSWER_CHARS = (700, 2_300)
LONG_ANSWER_CHARS = 20_000

_VOCABULARY = (
    "the a of to and in is it that for on with as this be by are or from at an not can "
    "function request table storage partition key row query page token stream answer model "
    "conversation message history user server client value list index time error retry "
    "limit size cache file write read order first last newest older every each which when "
    "where because without between python typescript azure static web app deployment "
    "latency throughput benchmark median percentile sqlite transaction etag continuation "
    "café naïve Zürich résumé Straße 東京 データ façade über"
)
_WORDS = _VOCABULARY.split()
_CODE = """```python
async def handler(request: Request) -> Response:
    store = await state.history.get()
    page = await store.list_conversations(user_id, limit=50)
    return JSONResponse({"items": [c.id for c in page.items]})
```"""


@dataclass(frozen=True)
class Seeded:
    conversation: Conversation
    messages: tuple[Message, ...]


@dataclass(frozen=True)
class SeedData:
    listed: tuple[Seeded, ...]  # LIST_USER's conversations, one of them the long one
    long_id: str
    chats: tuple[Seeded, ...]  # CHAT_USER's, one per saved chat request
    # The chats' shared history as (role, content), oldest first: what a temporary chat
    # sends in `messages` to match a saved one.
    chat_history: tuple[tuple[str, str], ...]

    @property
    def message_count(self) -> int:
        return sum(len(s.messages) for s in (*self.listed, *self.chats))

    @property
    def text_bytes(self) -> int:
        return sum(len(m.content.encode()) for s in (*self.listed, *self.chats) for m in s.messages)


def _sentence(rng: random.Random) -> str:
    words = rng.choices(_WORDS, k=rng.randint(6, 18))
    return " ".join(words).capitalize() + rng.choice((".", ".", ".", "?", ":"))


def _prose(rng: random.Random, chars: int) -> str:
    parts: list[str] = []
    size = 0
    while size < chars:
        sentence = _sentence(rng)
        parts.append(sentence)
        size += len(sentence) + 1
    return " ".join(parts)[:chars].rstrip()


def question(rng: random.Random) -> str:
    return _prose(rng, rng.randint(*QUESTION_CHARS))


def answer(rng: random.Random, chars: int) -> str:
    """Markdown paragraphs, now and then a list or a code block, about `chars` long."""
    blocks: list[str] = []
    size = 0
    while size < chars:
        roll = rng.random()
        if roll < 0.1:
            block = _CODE
        elif roll < 0.25:
            block = "\n".join(f"- {_sentence(rng)}" for _ in range(rng.randint(2, 5)))
        else:
            block = _prose(rng, rng.randint(200, 600))
        blocks.append(block)
        size += len(block) + 2
    return "\n\n".join(blocks)


def _id(rng: random.Random) -> str:
    return uuid.UUID(int=rng.getrandbits(128), version=4).hex


def _turns(
    rng: random.Random,
    conversation_id: str,
    texts: list[str],
    start: datetime,
    model: str = "mock-gpt",
) -> tuple[Message, ...]:
    """Messages alternating user, assistant, one second apart, from `texts`."""
    messages: list[Message] = []
    for number, text in enumerate(texts):
        assistant = number % 2 == 1
        messages.append(
            Message(
                id=_id(rng),
                conversation_id=conversation_id,
                role="assistant" if assistant else "user",
                content=text,
                created=start + timedelta(seconds=number),
                model=model if assistant else None,
                usage=Usage(1_200, len(text) // 4, 1_200 + len(text) // 4) if assistant else None,
            )
        )
    return tuple(messages)


def build(chat_conversations: int) -> SeedData:
    rng = random.Random(SEED)
    questions = [question(rng) for _ in range(64)]
    answers = [answer(rng, rng.randint(*ANSWER_CHARS)) for _ in range(64)]
    base = datetime.now(UTC).replace(microsecond=0) - timedelta(days=60)

    def texts(count: int, offset: int) -> list[str]:
        return [(answers if n % 2 else questions)[(offset + n // 2) % 64] for n in range(count)]

    long_index = CONVERSATIONS // 2
    listed: list[Seeded] = []
    long_id = ""
    for index in range(CONVERSATIONS):
        conversation_id = _id(rng)
        start = base + timedelta(minutes=80 * index)
        if index == long_index:
            long_id = conversation_id
            body = texts(LONG_MESSAGES, index)
            # A few long answers, spread over the conversation.
            for k in range(LONG_ANSWERS):
                body[LONG_MESSAGES * k // LONG_ANSWERS + 1] = answer(rng, LONG_ANSWER_CHARS)
        else:
            body = texts(MESSAGES_PER_LISTED, index)
        messages = _turns(rng, conversation_id, body, start)
        listed.append(
            Seeded(
                Conversation(
                    id=conversation_id,
                    title=_prose(rng, rng.randint(18, 50)).rstrip(".?:"),
                    created=start,
                    updated=messages[-1].created,
                    pinned=index in PINNED_AT,
                ),
                messages,
            )
        )

    history = texts(CHAT_HISTORY_MESSAGES, 7)
    chats: list[Seeded] = []
    for index in range(chat_conversations):
        conversation_id = _id(rng)
        start = base + timedelta(minutes=10 * index)
        messages = _turns(rng, conversation_id, history, start)
        chats.append(
            Seeded(
                Conversation(
                    id=conversation_id,
                    # Not "New chat": a titled conversation gets no title request after
                    # the answer, which would otherwise run between two measured chats.
                    title=f"Benchmark chat {index}",
                    created=start,
                    updated=messages[-1].created,
                ),
                messages,
            )
        )
    chat_history = tuple((m.role, m.content) for m in chats[0].messages) if chats else ()
    return SeedData(tuple(listed), long_id, tuple(chats), chat_history)


def _by_user(data: SeedData) -> list[tuple[str, Seeded]]:
    return [(LIST_USER, s) for s in data.listed] + [(CHAT_USER, s) for s in data.chats]


async def seed_sqlite(path: Path, data: SeedData) -> None:
    from chat_api.history.sqlite_store import SqliteHistoryStore

    store = await SqliteHistoryStore.open(path)
    try:
        for user, seeded in _by_user(data):
            await store.create_conversation(user, seeded.conversation)
            for message in seeded.messages:
                await store.save_message(user, message)
        await check_seeded(store, data)
    finally:
        # Closing checkpoints the WAL: the API opens a tidy file.
        await store.close()


# Rows per entity-group transaction (the service's limit), and a bound on its body well
# under the 4 MiB limit (counting UTF-16, as the service does).
_BATCH_ROWS = 100
_BATCH_UNITS = 1_000_000


async def seed_table(connection_string: str, table_name: str, data: SeedData) -> None:
    from azure.data.tables.aio import TableClient

    from chat_api.history.table_store import TableHistoryStore

    # The store creates the table, as the API would on its first request.
    store = await TableHistoryStore.open(connection_string=connection_string, table_name=table_name)
    try:
        batches = _table_batches(data)
        client = TableClient.from_connection_string(connection_string, table_name)
        async with client:
            limiter = asyncio.Semaphore(4)

            async def send(batch: list[dict[str, Any]]) -> None:
                async with limiter:
                    await client.submit_transaction([("create", row) for row in batch])

            await asyncio.gather(*(send(batch) for batch in batches))
        await check_seeded(store, data)
    finally:
        await store.close()


def _table_batches(data: SeedData) -> list[list[dict[str, Any]]]:
    """Every row of the seed, grouped by partition into transaction-sized batches."""
    from chat_api.history.table_entities import conversation_entity, index_entity, message_entity
    from chat_api.history.table_keys import id_key, index_row

    rows: dict[str, list[dict[str, Any]]] = {}
    for user, seeded in _by_user(data):
        partition, key = id_key(user), id_key(seeded.conversation.id)
        # What save_message leaves behind: `updated` is the last save, the index row is
        # listed under it, and next_seq follows the last message's seq.
        conversation = replace(seeded.conversation, updated=seeded.messages[-1].created)
        listed_as = index_row(
            key,
            archived=conversation.archived,
            pinned=conversation.pinned,
            updated=conversation.updated,
        )
        its_rows = rows.setdefault(partition, [])
        its_rows.append(
            conversation_entity(
                partition,
                key,
                conversation,
                listed_as=listed_as,
                next_seq=len(seeded.messages) + 1,
            )
        )
        its_rows.append(index_entity(partition, listed_as))
        for seq, message in enumerate(seeded.messages, start=1):
            its_rows.append(message_entity(partition, key, id_key(message.id), message, seq=seq))

    batches: list[list[dict[str, Any]]] = []
    for partition_rows in rows.values():
        batch: list[dict[str, Any]] = []
        units = 0
        for row in partition_rows:
            size = sum(len(v) for v in row.values() if isinstance(v, str))
            if batch and (len(batch) == _BATCH_ROWS or units + size > _BATCH_UNITS):
                batches.append(batch)
                batch, units = [], 0
            batch.append(row)
            units += size
        if batch:
            batches.append(batch)
    return batches


async def check_seeded(store: HistoryStore, data: SeedData) -> None:
    """Read the seed back through the store: the counts and the order must be right."""
    long = await store.list_messages(LIST_USER, data.long_id)
    expected = next(s for s in data.listed if s.conversation.id == data.long_id).messages
    if [m.id for m in long] != [m.id for m in expected]:
        raise RuntimeError("the long conversation did not read back whole and in order")
    if data.chats:
        chat = data.chats[-1]
        messages = await store.list_messages(CHAT_USER, chat.conversation.id)
        if [m.content for m in messages] != [m.content for m in chat.messages]:
            raise RuntimeError("a chat conversation did not read back whole and in order")
    page = await store.list_conversations(LIST_USER, limit=len(PINNED_AT) + 1)
    if [c.pinned for c in page.items] != [True] * len(PINNED_AT) + [False]:
        raise RuntimeError("the listing does not start with the pinned conversations")
