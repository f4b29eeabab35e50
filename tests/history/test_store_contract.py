"""What every history backend promises: each test runs against each backend (conftest.py).

Written against the HistoryStore interface only, so a backend that passes here can replace
another without the API noticing.
"""

from __future__ import annotations

import asyncio
from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone

import pytest

from chat_api.history.models import (
    AssistantRef,
    Conversation,
    ConversationChanges,
    Message,
    MessageStatus,
    ModelSettings,
    Usage,
)
from chat_api.history.store import Conflict, HistoryStore, NotFound, TooLarge

pytestmark = pytest.mark.anyio

ALICE = "alice@example.com"
BOB = "bob@example.com"
# Fixed times in the past, so "saving bumps updated" is always a move forward.
T0 = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)

# Everything a careless key encoding or SQL builder trips over.
AWKWARD_STRINGS = [
    "Zürich \u2013 東京 \u2013 Ελλάδα 🚀👩🏽‍💻",
    "a/b\\c#d?e",
    "tab\there\nnew line\r\x01\x1f\x7f",
    '100% _sure_ it\'s "quoted"; DROP TABLE conversations; --',
    "  spaces around  ",
    "é composed",
    "e\u0301 decomposed",
    "\u200b zero width",
    "'",
    "x" * 200,
]


def at(minutes: float) -> datetime:
    return T0 + timedelta(minutes=minutes)


def a_conversation(
    conversation_id: str = "c1",
    *,
    title: str = "A conversation",
    updated: datetime = T0,
    pinned: bool = False,
    archived: bool = False,
    system_prompt: str | None = None,
    settings: ModelSettings | None = None,
) -> Conversation:
    return Conversation(
        id=conversation_id,
        title=title,
        created=min(T0, updated),
        updated=updated,
        system_prompt=system_prompt,
        settings=settings or ModelSettings(),
        pinned=pinned,
        archived=archived,
    )


def a_message(
    conversation_id: str = "c1",
    message_id: str = "m1",
    content: str = "Hello",
    *,
    created: datetime = T0,
    role: str = "user",
    status: MessageStatus = MessageStatus.COMPLETE,
    model: str | None = None,
    usage: Usage | None = None,
) -> Message:
    return Message(
        id=message_id,
        conversation_id=conversation_id,
        role=role,
        content=content,
        created=created,
        status=status,
        model=model,
        usage=usage,
    )


async def list_all(store: HistoryStore, user_id: str, *, archived: bool = False) -> list[str]:
    page = await store.list_conversations(user_id, limit=1000, archived=archived)
    assert page.continuation is None
    return [c.id for c in page.items]


async def search_ids(store: HistoryStore, user_id: str, query: str) -> list[str]:
    return [hit.conversation.id for hit in await store.search(user_id, query)]


# --- Round trips ---------------------------------------------------------------------------


async def test_a_created_conversation_reads_back_with_every_field(store: HistoryStore) -> None:
    original = a_conversation(
        title="Trip planning",
        updated=at(5),
        pinned=True,
        system_prompt="You are a travel agent.",
        settings=ModelSettings(model="gpt-4o", temperature=0.25, max_tokens=800),
    )

    created = await store.create_conversation(ALICE, original)

    assert created.etag
    assert created == replace(original, etag=created.etag)
    assert await store.get_conversation(ALICE, "c1") == created


async def test_the_assistant_a_conversation_started_with_stays_through_edits(
    store: HistoryStore,
) -> None:
    started = replace(
        a_conversation("c1"),
        assistant=AssistantRef("assistant", "a-7", "Zoë's reviewer 🚀", version=3),
    )
    await store.create_conversation(ALICE, started)
    await store.update_conversation(ALICE, "c1", ConversationChanges(title="Renamed", pinned=True))
    await store.save_message(ALICE, a_message())

    back = await store.get_conversation(ALICE, "c1")
    assert back.assistant == started.assistant
    listed = (await store.list_conversations(ALICE, limit=10)).items
    assert listed[0].assistant == started.assistant
    await store.create_conversation(ALICE, a_conversation("plain"))
    assert (await store.get_conversation(ALICE, "plain")).assistant is None


async def test_archived_flag_and_empty_settings_round_trip(store: HistoryStore) -> None:
    created = await store.create_conversation(ALICE, a_conversation(archived=True))

    got = await store.get_conversation(ALICE, "c1")

    assert got == created
    assert got.archived and not got.pinned
    assert got.settings == ModelSettings()


async def test_awkward_text_in_ids_and_titles_survives_exactly(store: HistoryStore) -> None:
    for text in AWKWARD_STRINGS:
        await store.create_conversation(text, a_conversation(text, title=text))
        await store.save_message(text, a_message(text, text, text))

    for text in AWKWARD_STRINGS:
        got = await store.get_conversation(text, text)
        assert (got.id, got.title) == (text, text)
        assert await list_all(store, text) == [text]
        [message] = await store.list_messages(text, text)
        assert (message.id, message.conversation_id, message.content) == (text, text, text)


async def test_nul_characters_survive_in_ids_titles_and_messages(store: HistoryStore) -> None:
    text = "before\x00after"

    await store.create_conversation(text, a_conversation(text, title=text))
    await store.save_message(text, a_message(text, text, text))

    assert (await store.get_conversation(text, text)).title == text
    assert [m.content for m in await store.list_messages(text, text)] == [text]
    # Not just the part before the NUL: that would be another user's id.
    with pytest.raises(NotFound):
        await store.get_conversation("before", "before")


async def test_ids_differing_only_in_unicode_normalisation_are_different(
    store: HistoryStore,
) -> None:
    composed, decomposed = "caf\u00e9", "cafe\u0301"

    await store.create_conversation(ALICE, a_conversation(composed, title="composed"))
    await store.create_conversation(ALICE, a_conversation(decomposed, title="decomposed"))

    assert (await store.get_conversation(ALICE, composed)).title == "composed"
    assert (await store.get_conversation(ALICE, decomposed)).title == "decomposed"


async def test_an_empty_system_prompt_is_not_the_same_as_none(store: HistoryStore) -> None:
    await store.create_conversation(ALICE, a_conversation("empty", system_prompt=""))
    await store.create_conversation(ALICE, a_conversation("none", system_prompt=None))

    assert (await store.get_conversation(ALICE, "empty")).system_prompt == ""
    assert (await store.get_conversation(ALICE, "none")).system_prompt is None


async def test_times_come_back_as_the_same_instant_in_utc(store: HistoryStore) -> None:
    zurich_summer = timezone(timedelta(hours=2))
    created = datetime(2024, 7, 1, 9, 30, 15, 123456, tzinfo=zurich_summer)
    await store.create_conversation(
        ALICE, replace(a_conversation(), created=created, updated=created)
    )
    await store.save_message(ALICE, a_message(created=created))

    conversation = await store.get_conversation(ALICE, "c1")
    [message] = await store.list_messages(ALICE, "c1")

    for moment in (conversation.created, message.created):
        assert moment == created
        assert moment.utcoffset() == timedelta(0)
    assert conversation.updated >= created


async def test_creating_an_id_that_exists_is_a_conflict(store: HistoryStore) -> None:
    await store.create_conversation(ALICE, a_conversation(title="first"))

    with pytest.raises(Conflict):
        await store.create_conversation(ALICE, a_conversation(title="second"))

    assert (await store.get_conversation(ALICE, "c1")).title == "first"


async def test_an_update_changes_only_the_fields_it_names(store: HistoryStore) -> None:
    created = await store.create_conversation(
        ALICE,
        a_conversation(
            title="Old",
            system_prompt="Be brief.",
            settings=ModelSettings(model="gpt-4o", temperature=0.5, max_tokens=100),
        ),
    )

    renamed = await store.update_conversation(ALICE, "c1", ConversationChanges(title="New"))
    assert renamed == replace(created, title="New", etag=renamed.etag)

    pinned = await store.update_conversation(
        ALICE, "c1", ConversationChanges(pinned=True, archived=True, system_prompt="")
    )
    assert pinned == replace(
        renamed, pinned=True, archived=True, system_prompt="", etag=pinned.etag
    )

    # Settings are replaced as a whole, not merged.
    reset = await store.update_conversation(
        ALICE, "c1", ConversationChanges(settings=ModelSettings(temperature=1.0))
    )
    assert reset.settings == ModelSettings(temperature=1.0)
    assert await store.get_conversation(ALICE, "c1") == reset


async def test_editing_a_conversation_does_not_move_it_in_the_list(store: HistoryStore) -> None:
    await store.create_conversation(ALICE, a_conversation("older", updated=at(1)))
    await store.create_conversation(ALICE, a_conversation("newer", updated=at(2)))

    renamed = await store.update_conversation(ALICE, "older", ConversationChanges(title="Hi"))

    assert renamed.updated == at(1)
    assert await list_all(store, ALICE) == ["newer", "older"]


async def test_every_write_gives_a_new_etag(store: HistoryStore) -> None:
    etags = [(await store.create_conversation(ALICE, a_conversation())).etag]
    etags.append((await store.update_conversation(ALICE, "c1", ConversationChanges())).etag)
    etags.append(
        (await store.update_conversation(ALICE, "c1", ConversationChanges(title="T"))).etag
    )
    await store.save_message(ALICE, a_message())
    etags.append((await store.get_conversation(ALICE, "c1")).etag)

    assert len(set(etags)) == len(etags)


async def test_deleting_a_conversation_deletes_its_messages(store: HistoryStore) -> None:
    await store.create_conversation(ALICE, a_conversation(title="Doomed"))
    await store.save_message(ALICE, a_message(content="remember the pineapple"))
    await store.create_conversation(ALICE, a_conversation("kept"))

    await store.delete_conversation(ALICE, "c1")

    with pytest.raises(NotFound):
        await store.get_conversation(ALICE, "c1")
    with pytest.raises(NotFound):
        await store.list_messages(ALICE, "c1")
    assert await list_all(store, ALICE) == ["kept"]
    assert await search_ids(store, ALICE, "pineapple") == []
    # A new conversation under the old id starts empty: no message outlived the delete.
    await store.create_conversation(ALICE, a_conversation())
    assert await store.list_messages(ALICE, "c1") == []


async def test_delete_all_counts_and_spares_other_users(store: HistoryStore) -> None:
    for index in range(3):
        await store.create_conversation(ALICE, a_conversation(f"a{index}"))
        await store.save_message(ALICE, a_message(f"a{index}"))
    await store.create_conversation(ALICE, a_conversation("archived", archived=True))
    await store.create_conversation(BOB, a_conversation("a0"))
    await store.save_message(BOB, a_message("a0", content="Bob's words"))

    assert await store.delete_all_conversations(ALICE) == 4

    assert await list_all(store, ALICE) == []
    assert await list_all(store, ALICE, archived=True) == []
    assert await store.delete_all_conversations(ALICE) == 0
    assert await list_all(store, BOB) == ["a0"]
    assert [m.content for m in await store.list_messages(BOB, "a0")] == ["Bob's words"]


# --- Listing -------------------------------------------------------------------------------


async def test_listing_puts_pinned_first_then_the_most_recently_updated(
    store: HistoryStore,
) -> None:
    for conversation_id, minutes, pinned in [
        ("old", 1, False),
        ("pinned-old", 2, True),
        ("newest", 5, False),
        ("pinned-new", 4, True),
        ("middle", 3, False),
    ]:
        await store.create_conversation(
            ALICE, a_conversation(conversation_id, updated=at(minutes), pinned=pinned)
        )

    assert await list_all(store, ALICE) == ["pinned-new", "pinned-old", "newest", "middle", "old"]


async def test_archived_conversations_are_listed_only_when_asked_for(
    store: HistoryStore,
) -> None:
    await store.create_conversation(ALICE, a_conversation("active"))
    await store.create_conversation(ALICE, a_conversation("archived", archived=True))
    await store.create_conversation(ALICE, a_conversation("unarchived", archived=True))
    await store.update_conversation(ALICE, "unarchived", ConversationChanges(archived=False))

    assert sorted(await list_all(store, ALICE)) == ["active", "unarchived"]
    assert await list_all(store, ALICE, archived=True) == ["archived"]


async def test_a_user_with_no_conversations_gets_an_empty_last_page(store: HistoryStore) -> None:
    page = await store.list_conversations(ALICE, limit=10)

    assert page.items == []
    assert page.continuation is None


async def _create_57(store: HistoryStore) -> list[Conversation]:
    created = []
    for index in range(57):
        # Every fifth pinned, and times repeating in threes: pages must break inside both
        # the pinned group and runs of equal times.
        conversation = a_conversation(f"c{index:02}", updated=at(index // 3), pinned=index % 5 == 0)
        created.append(await store.create_conversation(ALICE, conversation))
    return created


async def test_paging_through_57_conversations_has_no_duplicates_or_gaps(
    store: HistoryStore,
) -> None:
    created = await _create_57(store)

    seen: list[Conversation] = []
    continuation: str | None = None
    pages = 0
    while True:
        page = await store.list_conversations(ALICE, limit=10, continuation=continuation)
        pages += 1
        assert len(page.items) <= 10
        seen.extend(page.items)
        continuation = page.continuation
        if continuation is None:
            break
        assert pages < 10, "the listing does not end"

    assert pages == 6
    assert sorted(c.id for c in seen) == sorted(c.id for c in created)
    keys = [(not c.pinned, T0 - c.updated) for c in seen]
    assert keys == sorted(keys)


async def test_paging_is_stable_when_conversations_are_added_between_pages(
    store: HistoryStore,
) -> None:
    created = await _create_57(store)

    seen: list[str] = []
    continuation: str | None = None
    for page_number in range(20):
        page = await store.list_conversations(ALICE, limit=10, continuation=continuation)
        seen.extend(c.id for c in page.items)
        continuation = page.continuation
        if continuation is None:
            break
        # One on top of the list, one pinned, one in the middle of what is still to come.
        await store.create_conversation(ALICE, a_conversation(f"top{page_number}", updated=at(99)))
        await store.create_conversation(
            ALICE, a_conversation(f"pin{page_number}", updated=at(0), pinned=True)
        )
        await store.create_conversation(ALICE, a_conversation(f"mid{page_number}", updated=at(7)))

    assert continuation is None
    assert len(seen) == len(set(seen)), "a conversation was listed twice"
    assert {c.id for c in created} <= set(seen), "a conversation was skipped"


async def test_archived_conversations_page_too(store: HistoryStore) -> None:
    for index in range(12):
        await store.create_conversation(
            ALICE, a_conversation(f"c{index:02}", updated=at(index), archived=index % 2 == 0)
        )

    first = await store.list_conversations(ALICE, limit=4, archived=True)
    assert first.continuation is not None
    second = await store.list_conversations(
        ALICE, limit=4, archived=True, continuation=first.continuation
    )

    assert [c.id for c in first.items + second.items] == ["c10", "c08", "c06", "c04", "c02", "c00"]
    assert second.continuation is None


# --- Isolation -----------------------------------------------------------------------------


async def test_one_user_never_sees_another_users_conversation(store: HistoryStore) -> None:
    await store.create_conversation(ALICE, a_conversation(title="Alice's secret plan"))
    await store.save_message(ALICE, a_message(content="the treasure is under the oak"))
    created = await store.get_conversation(ALICE, "c1")

    with pytest.raises(NotFound):
        await store.get_conversation(BOB, "c1")
    with pytest.raises(NotFound):
        await store.list_messages(BOB, "c1")
    with pytest.raises(NotFound):
        await store.update_conversation(BOB, "c1", ConversationChanges(title="mine now"))
    with pytest.raises(NotFound):
        await store.update_conversation(
            BOB, "c1", ConversationChanges(title="mine now"), if_match=created.etag
        )
    with pytest.raises(NotFound):
        await store.save_message(BOB, a_message(message_id="m1", content="overwritten"))
    with pytest.raises(NotFound):
        await store.save_message(BOB, a_message(message_id="m2", content="planted"))
    with pytest.raises(NotFound):
        await store.delete_conversation(BOB, "c1")
    assert await list_all(store, BOB) == []
    assert await search_ids(store, BOB, "treasure") == []
    assert await search_ids(store, BOB, "secret") == []
    assert await store.delete_all_conversations(BOB) == 0

    assert await store.get_conversation(ALICE, "c1") == created
    assert [m.content for m in await store.list_messages(ALICE, "c1")] == [
        "the treasure is under the oak"
    ]


async def test_two_users_can_use_the_same_conversation_id(store: HistoryStore) -> None:
    await store.create_conversation(ALICE, a_conversation(title="Alice's"))
    await store.create_conversation(BOB, a_conversation(title="Bob's"))
    await store.save_message(ALICE, a_message(content="from Alice"))
    await store.save_message(BOB, a_message(content="from Bob"))

    await store.delete_conversation(BOB, "c1")

    assert (await store.get_conversation(ALICE, "c1")).title == "Alice's"
    assert [m.content for m in await store.list_messages(ALICE, "c1")] == ["from Alice"]
    with pytest.raises(NotFound):
        await store.get_conversation(BOB, "c1")


async def test_user_ids_that_look_alike_stay_apart(store: HistoryStore) -> None:
    # Pairs that collide if a backend glues user id and conversation id with a separator,
    # compares case-insensitively, or trims.
    owners = {
        ("a", "b|c"): "1",
        ("a|b", "c"): "2",
        ("a", "b/c"): "3",
        ("a/b", "c"): "4",
        ("a", "b_c"): "5",
        ("a_b", "c"): "6",
        ("A", "b|c"): "7",
        ("a ", "b|c"): "8",
    }
    for (user_id, conversation_id), title in owners.items():
        await store.create_conversation(user_id, a_conversation(conversation_id, title=title))

    for (user_id, conversation_id), title in owners.items():
        assert (await store.get_conversation(user_id, conversation_id)).title == title
    assert sorted(await list_all(store, "a")) == ["b/c", "b_c", "b|c"]
    assert await list_all(store, "a|b") == ["c"]
    assert await list_all(store, "A") == ["b|c"]


# --- Messages ------------------------------------------------------------------------------


async def test_messages_come_back_oldest_first(store: HistoryStore) -> None:
    await store.create_conversation(ALICE, a_conversation())
    for minutes in [3, 1, 4, 0, 2]:
        await store.save_message(
            ALICE, a_message(message_id=f"m{minutes}", content=str(minutes), created=at(minutes))
        )

    messages = await store.list_messages(ALICE, "c1")

    assert [m.id for m in messages] == ["m0", "m1", "m2", "m3", "m4"]


async def test_saving_a_message_id_again_replaces_it(store: HistoryStore) -> None:
    await store.create_conversation(ALICE, a_conversation())
    await store.save_message(ALICE, a_message(message_id="q", content="Question", created=at(0)))
    await store.save_message(
        ALICE,
        a_message(
            message_id="a",
            content="Half an ans",
            created=at(1),
            role="assistant",
            status=MessageStatus.INTERRUPTED,
        ),
    )
    final = a_message(
        message_id="a",
        content="Half an answer, then the rest.",
        created=at(1),
        role="assistant",
        model="gpt-4o",
        usage=Usage(prompt_tokens=10, completion_tokens=8, total_tokens=18),
    )

    await store.save_message(ALICE, final)

    messages = await store.list_messages(ALICE, "c1")
    assert [m.id for m in messages] == ["q", "a"]
    assert messages[1] == final
    assert await search_ids(store, ALICE, "ans") == ["c1"]
    assert await search_ids(store, ALICE, "rest") == ["c1"]


async def test_deleting_messages_drops_only_those_and_keeps_the_listing(
    store: HistoryStore,
) -> None:
    await store.create_conversation(ALICE, a_conversation("c1"))
    await store.create_conversation(ALICE, a_conversation("c2", updated=at(-5)))
    for index, role in enumerate(["user", "assistant", "user", "assistant"]):
        await store.save_message(
            ALICE, a_message(message_id=f"m{index}", role=role, created=at(index))
        )
    await store.save_message(ALICE, a_message("c2", "m2", "other conversation", created=at(9)))
    before = await store.get_conversation(ALICE, "c1")
    order_before = await list_all(store, ALICE)

    # "gone" was never there: skipped, not an error.
    await store.delete_messages(ALICE, "c1", ["m2", "m3", "gone"])

    assert [m.id for m in await store.list_messages(ALICE, "c1")] == ["m0", "m1"]
    assert [m.id for m in await store.list_messages(ALICE, "c2")] == ["m2"]
    after = await store.get_conversation(ALICE, "c1")
    assert after.etag != before.etag
    assert after.updated == before.updated
    assert await list_all(store, ALICE) == order_before
    assert await search_ids(store, ALICE, "Hello") == ["c1"]


async def test_nobody_deletes_another_users_messages(store: HistoryStore) -> None:
    await store.create_conversation(ALICE, a_conversation("c1"))
    await store.save_message(ALICE, a_message(message_id="m1"))

    with pytest.raises(NotFound):
        await store.delete_messages(BOB, "c1", ["m1"])

    assert [m.id for m in await store.list_messages(ALICE, "c1")] == ["m1"]


async def test_a_200_kb_answer_survives_whole(store: HistoryStore) -> None:
    answer = ("Grüße aus Zürich 🚀 東京の夜 — «ça va?» ∑ " * 6000)[:200_000]
    assert len(answer) == 200_000
    await store.create_conversation(ALICE, a_conversation())

    await store.save_message(ALICE, a_message(content=answer, role="assistant"))

    [message] = await store.list_messages(ALICE, "c1")
    assert message.content == answer


async def test_a_300_message_conversation_loads_whole_and_in_order(store: HistoryStore) -> None:
    await store.create_conversation(ALICE, a_conversation())
    expected = [
        a_message(
            message_id=f"m{index:03}",
            content=f"message {index} " + "·" * (index % 40),
            created=at(index / 60),
            role="user" if index % 2 == 0 else "assistant",
        )
        for index in range(300)
    ]
    for message in expected:
        await store.save_message(ALICE, message)

    assert await store.list_messages(ALICE, "c1") == expected


async def test_statuses_models_and_usage_round_trip(store: HistoryStore) -> None:
    await store.create_conversation(ALICE, a_conversation())
    expected = [
        a_message(message_id="user", content="Hi", created=at(0)),
        a_message(
            message_id="complete",
            content="Hello!",
            created=at(1),
            role="assistant",
            model="gpt-4o-mini",
            usage=Usage(prompt_tokens=12, completion_tokens=3, total_tokens=15),
        ),
        a_message(
            message_id="stopped",
            content="Once upon",
            created=at(2),
            role="assistant",
            status=MessageStatus.STOPPED,
            model="gpt-4o",
            usage=Usage(prompt_tokens=0, completion_tokens=0, total_tokens=0),
        ),
        a_message(
            message_id="failed",
            content="",
            created=at(3),
            role="assistant",
            status=MessageStatus.FAILED,
        ),
        a_message(
            message_id="interrupted",
            content="The first half",
            created=at(4),
            role="assistant",
            status=MessageStatus.INTERRUPTED,
            model="gpt-4o",
        ),
    ]
    for message in expected:
        await store.save_message(ALICE, message)

    assert await store.list_messages(ALICE, "c1") == expected


async def test_saving_a_message_bumps_the_conversation(store: HistoryStore) -> None:
    quiet = await store.create_conversation(ALICE, a_conversation("quiet", updated=at(0)))
    await store.create_conversation(ALICE, a_conversation("busy", updated=at(10)))

    await store.save_message(ALICE, a_message("quiet"))

    bumped = await store.get_conversation(ALICE, "quiet")
    assert bumped.updated > quiet.updated
    assert bumped.etag != quiet.etag
    assert await list_all(store, ALICE) == ["quiet", "busy"]


async def test_message_ids_belong_to_their_conversation(store: HistoryStore) -> None:
    await store.create_conversation(ALICE, a_conversation("c1"))
    await store.create_conversation(ALICE, a_conversation("c2"))

    await store.save_message(ALICE, a_message("c1", "m1", "in c1"))
    await store.save_message(ALICE, a_message("c2", "m1", "in c2"))

    assert [m.content for m in await store.list_messages(ALICE, "c1")] == ["in c1"]
    assert [m.content for m in await store.list_messages(ALICE, "c2")] == ["in c2"]


async def test_a_message_too_large_for_any_store_is_refused(store: HistoryStore) -> None:
    await store.create_conversation(ALICE, a_conversation())

    with pytest.raises(TooLarge):
        await store.save_message(ALICE, a_message(content="x" * (20 * 1024 * 1024)))

    assert await store.list_messages(ALICE, "c1") == []


# --- Concurrency ---------------------------------------------------------------------------


async def test_updating_with_a_stale_etag_is_a_conflict(store: HistoryStore) -> None:
    created = await store.create_conversation(ALICE, a_conversation(title="Original"))
    first = await store.update_conversation(
        ALICE, "c1", ConversationChanges(title="First"), if_match=created.etag
    )

    with pytest.raises(Conflict):
        await store.update_conversation(
            ALICE, "c1", ConversationChanges(title="Second"), if_match=created.etag
        )

    assert await store.get_conversation(ALICE, "c1") == first
    # A saved message is a write too: the etag read before it is stale after it.
    await store.save_message(ALICE, a_message())
    with pytest.raises(Conflict):
        await store.update_conversation(
            ALICE, "c1", ConversationChanges(pinned=True), if_match=first.etag
        )
    current = await store.get_conversation(ALICE, "c1")
    pinned = await store.update_conversation(
        ALICE, "c1", ConversationChanges(pinned=True), if_match=current.etag
    )
    assert pinned.pinned


async def test_of_concurrent_updates_with_one_etag_exactly_one_wins(store: HistoryStore) -> None:
    created = await store.create_conversation(ALICE, a_conversation())

    async def rename(title: str) -> str | None:
        try:
            await store.update_conversation(
                ALICE, "c1", ConversationChanges(title=title), if_match=created.etag
            )
        except Conflict:
            return None
        return title

    results = await asyncio.gather(*(rename(f"title {index}") for index in range(5)))

    winners = [title for title in results if title is not None]
    assert len(winners) == 1
    assert (await store.get_conversation(ALICE, "c1")).title == winners[0]


async def test_twenty_concurrent_saves_to_one_conversation_all_persist(
    store: HistoryStore,
) -> None:
    await store.create_conversation(ALICE, a_conversation())

    await asyncio.gather(
        *(
            store.save_message(
                ALICE, a_message(message_id=f"m{index:02}", content=str(index), created=at(index))
            )
            for index in range(20)
        )
    )

    messages = await store.list_messages(ALICE, "c1")
    assert [m.id for m in messages] == [f"m{index:02}" for index in range(20)]


# --- Search --------------------------------------------------------------------------------


async def test_search_finds_words_in_titles(store: HistoryStore) -> None:
    await store.create_conversation(ALICE, a_conversation("trip", title="Holiday in Portugal"))
    await store.create_conversation(ALICE, a_conversation("work", title="Quarterly report"))

    [hit] = await store.search(ALICE, "portugal")

    assert hit.conversation.id == "trip"
    assert hit.message_id is None
    assert "portugal" in hit.snippet.casefold()


async def test_search_finds_words_in_messages_and_names_the_message(
    store: HistoryStore,
) -> None:
    await store.create_conversation(ALICE, a_conversation(title="Cooking"))
    await store.save_message(ALICE, a_message(message_id="q", content="What goes with fish?"))
    await store.save_message(
        ALICE,
        a_message(message_id="a", content="Try a dill sauce.", created=at(1), role="assistant"),
    )

    [hit] = await store.search(ALICE, "dill")

    assert hit.conversation == await store.get_conversation(ALICE, "c1")
    assert hit.message_id == "a"
    assert "dill" in hit.snippet


async def test_search_ignores_case_in_any_alphabet(store: HistoryStore) -> None:
    await store.create_conversation(ALICE, a_conversation("zh", title="Weekend in zürich"))
    await store.create_conversation(ALICE, a_conversation("street", title="Street names"))
    await store.save_message(ALICE, a_message("street", content="Die Hauptstraße ist lang."))

    assert await search_ids(store, ALICE, "ZÜRICH") == ["zh"]
    assert await search_ids(store, ALICE, "WEEKEND") == ["zh"]
    assert await search_ids(store, ALICE, "HAUPTSTRASSE") == ["street"]


async def test_search_needs_every_word_somewhere_in_the_conversation(
    store: HistoryStore,
) -> None:
    await store.create_conversation(ALICE, a_conversation("both", title="Alpha project"))
    await store.save_message(ALICE, a_message("both", "m1", "nothing here"))
    await store.save_message(ALICE, a_message("both", "m2", "beta release", created=at(1)))
    await store.create_conversation(ALICE, a_conversation("alpha-only", title="Alpha notes"))
    await store.create_conversation(ALICE, a_conversation("beta-only", title="Beta notes"))

    assert await search_ids(store, ALICE, "  alpha   BETA ") == ["both"]
    assert await search_ids(store, ALICE, "alpha gamma") == []


async def test_search_prefers_the_message_that_holds_every_word(store: HistoryStore) -> None:
    await store.create_conversation(ALICE, a_conversation(title="Garden"))
    await store.save_message(ALICE, a_message(message_id="one", content="Tomatoes need sun."))
    await store.save_message(
        ALICE, a_message(message_id="both", content="Water tomatoes daily.", created=at(1))
    )

    [hit] = await store.search(ALICE, "water tomatoes")

    assert hit.message_id == "both"
    assert "Water tomatoes" in hit.snippet


async def test_search_never_finds_another_users_conversations(store: HistoryStore) -> None:
    await store.create_conversation(BOB, a_conversation(title="Bob's budget"))
    await store.save_message(BOB, a_message(content="salary numbers"))
    await store.create_conversation(ALICE, a_conversation("mine", title="Alice's budget"))

    assert await search_ids(store, ALICE, "budget") == ["mine"]
    assert await search_ids(store, ALICE, "salary") == []


async def test_search_lists_newest_first_and_honours_the_limit(store: HistoryStore) -> None:
    for index in range(6):
        await store.create_conversation(
            ALICE,
            a_conversation(
                f"c{index}", title=f"Recipe {index}", updated=at(index), pinned=index == 0
            ),
        )

    hits = await store.search(ALICE, "recipe", limit=4)

    assert [hit.conversation.id for hit in hits] == ["c5", "c4", "c3", "c2"]


async def test_search_takes_percent_and_underscore_literally(store: HistoryStore) -> None:
    await store.create_conversation(ALICE, a_conversation("percent", title="Save 50% now"))
    await store.create_conversation(ALICE, a_conversation("digits", title="Save 5000 now"))
    await store.create_conversation(ALICE, a_conversation("underscore", title="snake_case"))
    await store.create_conversation(ALICE, a_conversation("letters", title="snakeXcase"))

    assert await search_ids(store, ALICE, "50%") == ["percent"]
    assert await search_ids(store, ALICE, "snake_case") == ["underscore"]
    assert await search_ids(store, ALICE, "%") == ["percent"]
    assert await search_ids(store, ALICE, "_") == ["underscore"]


async def test_a_snippet_is_short_and_shows_the_match(store: HistoryStore) -> None:
    text = "Lorem ipsum dolor sit amet. " * 200 + "The NEEDLE is here. " + "Filler text. " * 200
    await store.create_conversation(ALICE, a_conversation(title="Long"))
    await store.save_message(ALICE, a_message(content=text))

    [hit] = await store.search(ALICE, "needle")

    assert "NEEDLE" in hit.snippet
    assert len(hit.snippet) <= 200
    assert "\n" not in hit.snippet


async def test_a_blank_query_finds_nothing(store: HistoryStore) -> None:
    await store.create_conversation(ALICE, a_conversation(title="Anything"))

    assert await store.search(ALICE, "") == []
    assert await store.search(ALICE, " \t\n ") == []


async def test_search_sees_archived_conversations(store: HistoryStore) -> None:
    await store.create_conversation(ALICE, a_conversation(title="Old tax return", archived=True))

    assert await search_ids(store, ALICE, "tax") == ["c1"]


# --- Unknown ids ---------------------------------------------------------------------------


async def test_unknown_conversations_are_not_found_everywhere(store: HistoryStore) -> None:
    await store.create_conversation(ALICE, a_conversation("exists"))

    with pytest.raises(NotFound):
        await store.get_conversation(ALICE, "missing")
    with pytest.raises(NotFound):
        await store.list_messages(ALICE, "missing")
    with pytest.raises(NotFound):
        await store.update_conversation(ALICE, "missing", ConversationChanges(title="x"))
    with pytest.raises(NotFound):
        await store.update_conversation(
            ALICE, "missing", ConversationChanges(title="x"), if_match="anything"
        )
    with pytest.raises(NotFound):
        await store.delete_conversation(ALICE, "missing")
    with pytest.raises(NotFound):
        await store.save_message(ALICE, a_message("missing"))
    with pytest.raises(NotFound):
        await store.delete_messages(ALICE, "missing", ["m1"])
    assert await list_all(store, ALICE) == ["exists"]
