"""What only the Table Storage backend has to get right: keys the service accepts, texts
split across properties, its size limits, its failures, and the listing index kept in step.

The behaviour both backends share is in test_store_contract.py.
"""

from __future__ import annotations

import subprocess
import sys
import time
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any, cast

import pytest
from azure.core.exceptions import HttpResponseError
from azure.core.utils import CaseInsensitiveDict
from azure.data.tables.aio import TableClient

from chat_api.history.models import Conversation, ConversationChanges, Message
from chat_api.history.store import InvalidContinuation, NotFound, StoreUnavailable, TooLarge
from chat_api.history.table_errors import translate
from chat_api.history.table_keys import (
    conversation_row,
    id_key,
    index_row,
    prefix_range,
)
from chat_api.history.table_limits import (
    PART_UNITS,
    check_fits,
    put_text,
    split_text,
    utf16_units,
)
from chat_api.history.table_store import TableHistoryStore
from tests.support.azurite import connection_string_for, running_azurite
from tools.devstack.processes import REPO_ROOT, free_port

pytestmark = pytest.mark.anyio

USER = "alice@example.com"
T0 = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)
FORBIDDEN_IN_KEYS = set("/\\#?") | {chr(code) for code in [*range(0x20), *range(0x7F, 0xA0)]}
# Cosmos DB for Table allows 255 bytes of RowKey (Table Storage 1 KiB); our keys are ASCII.
KEY_LIMIT_CHARS = 255

AWKWARD_IDS = [
    "a/b\\c#d?e",
    "tab\there\nnew line\r\x01\x1f\x7f\x00",
    "emoji 🚀👩🏽‍💻 and 東京",
    "'quotes' and \"double\" and |pipes| and ~tilde~ and %20",
    "x" * 10_000,
    "",
]


def at(minutes: float) -> datetime:
    return T0 + timedelta(minutes=minutes)


def a_conversation(
    conversation_id: str = "c1",
    *,
    title: str = "A conversation",
    updated: datetime = T0,
    system_prompt: str | None = None,
) -> Conversation:
    return Conversation(
        id=conversation_id,
        title=title,
        created=T0,
        updated=updated,
        system_prompt=system_prompt,
    )


def a_message(
    content: str = "Hello",
    *,
    conversation_id: str = "c1",
    message_id: str = "m1",
    created: datetime = T0,
) -> Message:
    return Message(
        id=message_id,
        conversation_id=conversation_id,
        role="assistant",
        content=content,
        created=created,
    )


@pytest.fixture
def table_name() -> str:
    return "t" + uuid.uuid4().hex[:20]


@pytest.fixture
async def store(
    azurite_connection_string: str, table_name: str
) -> AsyncIterator[TableHistoryStore]:
    opened = await TableHistoryStore.open(
        connection_string=azurite_connection_string, table_name=table_name
    )
    try:
        yield opened
    finally:
        await opened.close()


@pytest.fixture
async def raw(azurite_connection_string: str, table_name: str) -> AsyncIterator[TableClient]:
    """The same table through the SDK, to look at (and break) the rows themselves."""
    async with TableClient.from_connection_string(azurite_connection_string, table_name) as client:
        yield client


async def row_keys(raw: TableClient, user_id: str) -> list[str]:
    query = raw.query_entities(
        "PartitionKey eq @partition", parameters={"partition": id_key(user_id)}
    )
    return [row["RowKey"] async for row in query]


async def listed_ids(store: TableHistoryStore, *, archived: bool = False) -> list[str]:
    page = await store.list_conversations(USER, limit=100, archived=archived)
    return [conversation.id for conversation in page.items]


# --- Keys ----------------------------------------------------------------------------------


def test_id_keys_hold_only_hex_and_stay_short() -> None:
    for value in AWKWARD_IDS:
        key = id_key(value)
        assert key[0] in "xh"
        assert set(key[1:]) <= set("0123456789abcdef")
        assert len(key) <= 1 + 2 * 48


def test_id_keys_sort_like_the_ids_they_encode() -> None:
    ids = ["", "a", "a-b", "a.b", "aa", "b", "Z", "é", "東", "🚀", "a\x00"]

    assert sorted(ids, key=id_key) == sorted(ids)


def test_very_long_ids_that_share_a_prefix_get_different_keys() -> None:
    common = "x" * 10_000

    assert id_key(common + "1") != id_key(common + "2")


def test_index_rows_sort_pinned_first_then_newest_first() -> None:
    rows = {
        "old pinned": index_row("x01", archived=False, pinned=True, updated=at(0)),
        "new": index_row("x02", archived=False, pinned=False, updated=at(5)),
        "old": index_row("x03", archived=False, pinned=False, updated=at(1)),
        "ancient": index_row(
            "x04", archived=False, pinned=False, updated=datetime(1, 1, 1, tzinfo=UTC)
        ),
        "far future": index_row(
            "x05", archived=False, pinned=False, updated=datetime(9999, 12, 31, tzinfo=UTC)
        ),
    }

    assert sorted(rows, key=rows.__getitem__) == [
        "old pinned",
        "far future",
        "new",
        "old",
        "ancient",
    ]


async def test_any_characters_in_user_and_conversation_ids_work(
    store: TableHistoryStore, raw: TableClient
) -> None:
    for user_id in AWKWARD_IDS:
        for conversation_id in AWKWARD_IDS:
            await store.create_conversation(user_id, a_conversation(conversation_id))
            await store.save_message(
                user_id, a_message(conversation_id=conversation_id, message_id=conversation_id)
            )

    for user_id in AWKWARD_IDS:
        page = await store.list_conversations(user_id, limit=100)
        assert sorted(c.id for c in page.items) == sorted(AWKWARD_IDS)
        for conversation_id in AWKWARD_IDS:
            [message] = await store.list_messages(user_id, conversation_id)
            assert message.id == conversation_id
            assert message.conversation_id == conversation_id
        assert len(await store.search(user_id, "hello", limit=100)) == len(AWKWARD_IDS)

    async for row in raw.list_entities(select=["PartitionKey", "RowKey"]):
        for key in (row["PartitionKey"], row["RowKey"]):
            assert not set(key) & FORBIDDEN_IN_KEYS
            assert len(key) <= KEY_LIMIT_CHARS


async def test_users_whose_long_ids_share_a_prefix_stay_apart(store: TableHistoryStore) -> None:
    first, second = "u" * 5_000 + "1", "u" * 5_000 + "2"
    await store.create_conversation(first, a_conversation("c1"))

    with pytest.raises(NotFound):
        await store.get_conversation(second, "c1")
    assert (await store.list_conversations(second, limit=10)).items == []


# --- Long texts ----------------------------------------------------------------------------


def test_text_is_split_at_the_property_limit_and_never_inside_a_character() -> None:
    emoji = "😀"
    cases = {
        "just under": "a" * (PART_UNITS - 1),
        "exactly one part": "a" * PART_UNITS,
        "one over": "a" * (PART_UNITS + 1),
        "exactly two parts": "a" * (2 * PART_UNITS),
        "pair straddling the cut": "a" * (PART_UNITS - 1) + emoji + "b",
        "pair ending the part": "a" * (PART_UNITS - 2) + emoji + "b",
        "only pairs": emoji * (PART_UNITS // 2 + 1),
    }
    for name, text in cases.items():
        parts = split_text(text)
        assert "".join(parts) == text, name
        assert all(0 < utf16_units(part) <= PART_UNITS for part in parts), name
        assert all(not ("\ud800" <= part[-1] <= "\udbff") for part in parts), name

    assert len(split_text("a" * PART_UNITS)) == 1
    assert len(split_text("a" * (PART_UNITS + 1))) == 2
    assert split_text("a" * (PART_UNITS - 1) + emoji + "b")[1] == emoji + "b"
    assert split_text("a" * (PART_UNITS - 2) + emoji + "b")[1] == "b"
    assert split_text("") == []


@pytest.mark.parametrize(
    "content",
    [
        pytest.param("a" * PART_UNITS, id="exactly one part"),
        pytest.param("a" * (PART_UNITS + 1), id="one over a part"),
        pytest.param("a" * (PART_UNITS - 1) + "😀" + "b", id="surrogate pair across the cut"),
        pytest.param("😀" * (PART_UNITS + 7), id="only surrogate pairs"),
        pytest.param("", id="empty"),
    ],
)
async def test_contents_cut_at_part_boundaries_load_back_exactly(
    store: TableHistoryStore, content: str
) -> None:
    await store.create_conversation(USER, a_conversation())
    await store.save_message(USER, a_message(content))

    [message] = await store.list_messages(USER, "c1")

    assert message.content == content


async def test_long_titles_and_system_prompts_load_back_exactly(store: TableHistoryStore) -> None:
    prompt = "Be brief. " * 20_000  # 200,000 characters, over six parts
    title = "Ω" * 40_000  # over one property's limit

    await store.create_conversation(USER, a_conversation(title=title, system_prompt=prompt))
    loaded = await store.get_conversation(USER, "c1")

    assert loaded.system_prompt == prompt
    assert loaded.title == title


async def test_a_message_near_the_entity_limit_saves_whole(store: TableHistoryStore) -> None:
    content = "x" * 500_000
    await store.create_conversation(USER, a_conversation())

    await store.save_message(USER, a_message(content))

    [message] = await store.list_messages(USER, "c1")
    assert message.content == content


async def test_a_message_over_the_entity_limit_is_too_large_and_not_saved(
    store: TableHistoryStore,
) -> None:
    await store.create_conversation(USER, a_conversation())
    before = await store.get_conversation(USER, "c1")

    with pytest.raises(TooLarge):
        await store.save_message(USER, a_message("x" * 530_000))

    assert await store.list_messages(USER, "c1") == []
    assert await store.get_conversation(USER, "c1") == before


def test_the_entity_limit_counts_utf16_so_emoji_count_twice() -> None:
    def message_row(content: str) -> dict[str, object]:
        return {"PartitionKey": "x61", "RowKey": "c|x61|m|x62", **_parts(content)}

    # 250,000 emoji are 500,000 UTF-16 units: they fit, like 500,000 letters.
    check_fits(message_row("😀" * 250_000))
    # 270,000 are fewer characters than 500,000 letters, but 540,000 units.
    with pytest.raises(TooLarge):
        check_fits(message_row("😀" * 270_000))


def _parts(content: str) -> dict[str, object]:
    entity: dict[str, object] = {}
    put_text(entity, "content", content)
    return entity


async def test_a_message_of_too_many_emoji_is_too_large(store: TableHistoryStore) -> None:
    await store.create_conversation(USER, a_conversation())

    with pytest.raises(TooLarge):
        await store.save_message(USER, a_message("😀" * 270_000))


async def test_a_system_prompt_over_the_entity_limit_is_too_large(
    store: TableHistoryStore,
) -> None:
    with pytest.raises(TooLarge):
        await store.create_conversation(USER, a_conversation(system_prompt="x" * 600_000))
    await store.create_conversation(USER, a_conversation())

    with pytest.raises(TooLarge):
        await store.update_conversation(
            USER, "c1", ConversationChanges(system_prompt="x" * 600_000)
        )
    assert (await store.get_conversation(USER, "c1")).system_prompt is None


# --- The listing index ---------------------------------------------------------------------


async def assert_one_index_row_per_conversation(raw: TableClient) -> None:
    keys = await row_keys(raw, USER)
    index = sorted(k for k in keys if k.startswith("i|"))
    conversations = [k for k in keys if k.startswith("c|") and k.endswith("|c")]
    assert len(index) == len(conversations)
    for row_key in conversations:
        entity = await raw.get_entity(id_key(USER), row_key)
        assert entity["listed_as"] in index


async def test_the_index_follows_pin_rename_archive_and_new_messages(
    store: TableHistoryStore, raw: TableClient
) -> None:
    for minutes, conversation_id in enumerate(["a", "b", "c"]):
        await store.create_conversation(USER, a_conversation(conversation_id, updated=at(minutes)))
    assert await listed_ids(store) == ["c", "b", "a"]

    await store.update_conversation(USER, "a", ConversationChanges(pinned=True))
    assert await listed_ids(store) == ["a", "c", "b"]
    await assert_one_index_row_per_conversation(raw)

    await store.save_message(USER, a_message(conversation_id="b"))
    assert await listed_ids(store) == ["a", "b", "c"]
    await assert_one_index_row_per_conversation(raw)

    await store.update_conversation(USER, "c", ConversationChanges(title="Renamed"))
    assert await listed_ids(store) == ["a", "b", "c"]

    await store.update_conversation(USER, "a", ConversationChanges(pinned=False))
    assert await listed_ids(store) == ["b", "c", "a"]

    await store.update_conversation(USER, "b", ConversationChanges(archived=True))
    assert await listed_ids(store) == ["c", "a"]
    assert await listed_ids(store, archived=True) == ["b"]
    await assert_one_index_row_per_conversation(raw)

    await store.save_message(USER, a_message(conversation_id="a", message_id="m2"))
    await store.save_message(USER, a_message(conversation_id="a", message_id="m2"))
    assert await listed_ids(store) == ["a", "c"]
    await assert_one_index_row_per_conversation(raw)


async def test_a_continuation_from_elsewhere_is_refused(store: TableHistoryStore) -> None:
    for index in range(3):
        await store.create_conversation(USER, a_conversation(f"c{index}", updated=at(index)))
    page = await store.list_conversations(USER, limit=2)
    assert page.continuation is not None

    with pytest.raises(InvalidContinuation):
        await store.list_conversations(USER, limit=2, continuation=page.continuation, archived=True)
    for garbage in ["", "not base64!", "e30", "eyJhZnRlciI6IDF9"]:
        with pytest.raises(InvalidContinuation):
            await store.list_conversations(USER, limit=2, continuation=garbage)


# --- Deleting ------------------------------------------------------------------------------


async def test_deleting_leaves_no_rows_behind(store: TableHistoryStore, raw: TableClient) -> None:
    await store.create_conversation(USER, a_conversation("keep"))
    await store.create_conversation(USER, a_conversation("drop"))
    for index in range(150):  # more than one transaction's worth
        await store.save_message(
            USER, a_message(conversation_id="drop", message_id=f"m{index}", created=at(index))
        )

    await store.delete_conversation(USER, "drop")

    keys = await row_keys(raw, USER)
    assert not any(id_key("drop") in key for key in keys)
    assert len(keys) == 2  # "keep" and its index row


async def test_a_delete_that_stopped_half_way_finishes_when_tried_again(
    store: TableHistoryStore, raw: TableClient
) -> None:
    await store.create_conversation(USER, a_conversation())
    await store.save_message(USER, a_message())
    # As if the first delete lost its connection after removing the conversation's row.
    conversation = await raw.get_entity(id_key(USER), conversation_row(id_key("c1")))
    await raw.delete_entity(id_key(USER), conversation["listed_as"])
    await raw.delete_entity(id_key(USER), conversation_row(id_key("c1")))

    with pytest.raises(NotFound):
        await store.delete_conversation(USER, "c1")

    assert await row_keys(raw, USER) == []


async def test_delete_all_also_removes_messages_left_from_an_earlier_failure(
    store: TableHistoryStore, raw: TableClient
) -> None:
    await store.create_conversation(USER, a_conversation("c1"))
    await store.create_conversation(USER, a_conversation("c2"))
    await store.save_message(USER, a_message(conversation_id="c1"))
    await raw.upsert_entity(
        {"PartitionKey": id_key(USER), "RowKey": f"c|{id_key('gone')}|m|{id_key('m')}"}
    )
    await store.create_conversation("bob", a_conversation("c1"))

    assert await store.delete_all_conversations(USER) == 2

    assert await row_keys(raw, USER) == []
    assert [c.id for c in (await store.list_conversations("bob", limit=10)).items] == ["c1"]


# --- Failures ------------------------------------------------------------------------------


async def test_an_unreachable_service_is_unavailable_at_once() -> None:
    closed = connection_string_for(free_port())
    started = time.monotonic()

    with pytest.raises(StoreUnavailable) as raised:
        await TableHistoryStore.open(connection_string=closed, table_name="history")

    assert time.monotonic() - started < 3
    assert raised.value.retry_after >= 1
    # The SDK's text (addresses, account names) stays out of what callers see.
    assert "127.0.0.1" not in str(raised.value)
    assert "devstoreaccount1" not in str(raised.value)


async def test_a_service_that_goes_away_is_unavailable_at_once() -> None:
    with running_azurite() as connection_string:
        store = await TableHistoryStore.open(connection_string=connection_string, table_name="gone")
        await store.create_conversation(USER, a_conversation())
    try:
        started = time.monotonic()
        with pytest.raises(StoreUnavailable):
            await store.get_conversation(USER, "c1")
        with pytest.raises(StoreUnavailable):
            await store.save_message(USER, a_message())
        with pytest.raises(StoreUnavailable):
            await store.search(USER, "hello")
        assert time.monotonic() - started < 5
    finally:
        await store.close()


class _Answer:
    """Just enough of an HTTP response for the SDK's HttpResponseError."""

    def __init__(self, status: int, headers: dict[str, str]) -> None:
        self.status_code = status
        self.reason = "reason"
        self.headers = CaseInsensitiveDict(headers)

    def text(self) -> str:
        return ""


def failure(status: int, **headers: str) -> HttpResponseError:
    return HttpResponseError(response=cast("Any", _Answer(status, headers)))


@pytest.mark.parametrize(
    ("error", "retry_after"),
    [
        (failure(503, **{"Retry-After": "7"}), 7),
        (failure(429, **{"x-ms-retry-after-ms": "1500"}), 2),
        (failure(500), 5),
        (failure(503, **{"Retry-After": "Wed, 21 Oct 2015 07:28:00 GMT"}), 1),
    ],
)
def test_throttling_becomes_unavailable_with_the_services_retry_after(
    error: HttpResponseError, retry_after: int
) -> None:
    translated = translate(error)

    assert isinstance(translated, StoreUnavailable)
    assert translated.retry_after == retry_after


def test_only_the_sdks_failures_are_translated() -> None:
    assert translate(KeyError("a bug")) is None
    assert isinstance(translate(failure(404)), NotFound)
    assert isinstance(translate(failure(413)), TooLarge)


def test_importing_the_backend_leaves_the_sdk_unloaded() -> None:
    # The SDK costs about 0.1 s to import; an app that never opens this store must not pay.
    probe = (
        "import sys, chat_api.history.table_store; "
        "loaded = [m for m in sys.modules if m.startswith('azure')]; "
        "assert not loaded, loaded"
    )
    subprocess.run(
        [sys.executable, "-c", probe],
        cwd=REPO_ROOT / "webapp" / "api",
        check=True,
        timeout=60,
    )


def test_prefix_ranges_hold_exactly_the_rows_under_the_prefix() -> None:
    low, high = prefix_range("c|x61|")
    inside = ["c|x61|c", "c|x61|m|x01", "c|x61|m|hff"]
    outside = ["c|x6162|c", "c|x60|c", "c|x62|c", "c|x61", "i|0|1|0|x61"]

    assert all(low <= key < high for key in inside)
    assert not any(low <= key < high for key in outside)
