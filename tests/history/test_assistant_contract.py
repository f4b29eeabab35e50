"""What every assistant backend promises: each test runs against SQLite and Table Storage
(Azurite), on the same file or table as the history (conftest.py).

Written against the AssistantStore interface only.
"""

from __future__ import annotations

import asyncio
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from chat_api.assistants.models import (
    Assistant,
    AssistantContent,
    AssistantSummary,
    Scope,
    Visibility,
)
from chat_api.assistants.store import AssistantStore, NotOwner, TooManyAssistants
from chat_api.history.models import Conversation
from chat_api.history.store import Conflict, HistoryStore, NotFound, TooLarge
from tests.history.conftest import AssistantOpener
from tests.history.test_store_contract import AWKWARD_STRINGS

pytestmark = pytest.mark.anyio

ALICE = "alice@example.com"
BOB = "bob@example.com"
T0 = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)
PRIVATE, SHARED = Visibility.PRIVATE, Visibility.ORGANISATION


def at(minutes: float) -> datetime:
    return T0 + timedelta(minutes=minutes)


def an_assistant(
    assistant_id: str = "a1",
    *,
    owner: str = ALICE,
    visibility: Visibility = PRIVATE,
    updated: datetime = T0,
    name: str = "Proofreader",
    system_prompt: str = "You correct spelling and grammar.",
) -> Assistant:
    return Assistant(
        id=assistant_id,
        owner_id=owner,
        owner_name=f"{owner} (name)",
        name=name,
        description="Fixes my English",
        system_prompt=system_prompt,
        model="gpt-5.4-mini",
        temperature=0.2,
        max_tokens=800,
        starters=("Check this paragraph", "Make it formal"),
        visibility=visibility,
        featured=False,
        version=1,
        created=min(T0, updated),
        updated=updated,
        etag="",
    )


def edited(assistant: Assistant, **changes: object) -> AssistantContent:
    return replace(assistant.content, **changes)  # type: ignore[arg-type]


async def ids(store: AssistantStore, user_id: str, scope: Scope) -> list[str]:
    return [a.id for a in await store.list_assistants(user_id, scope)]


async def all_lists(store: AssistantStore, user_id: str) -> dict[Scope, list[str]]:
    return {scope: await ids(store, user_id, scope) for scope in Scope}


# --- Round trips ---------------------------------------------------------------------------


async def test_a_created_assistant_reads_back_with_every_field(
    assistant_store: AssistantStore,
) -> None:
    original = an_assistant(visibility=SHARED, updated=at(5))

    created = await assistant_store.create_assistant(original)

    assert created.etag
    assert created == replace(original, etag=created.etag)
    assert await assistant_store.get_assistant(ALICE, "a1") == created


async def test_a_new_assistant_starts_unfeatured_at_version_one(
    assistant_store: AssistantStore,
) -> None:
    created = await assistant_store.create_assistant(
        replace(an_assistant(visibility=SHARED), featured=True, version=7)
    )

    assert (created.featured, created.version) == (False, 1)
    assert await ids(assistant_store, BOB, Scope.FEATURED) == []


async def test_settings_left_to_the_model_come_back_as_none(
    assistant_store: AssistantStore,
) -> None:
    bare = replace(an_assistant(), temperature=None, max_tokens=None, starters=(), description="")

    await assistant_store.create_assistant(bare)

    got = await assistant_store.get_assistant(ALICE, "a1")
    assert (got.temperature, got.max_tokens, got.starters, got.description) == (None, None, (), "")


async def test_any_text_survives_in_every_field_and_as_ids(
    assistant_store: AssistantStore,
) -> None:
    for text in [*AWKWARD_STRINGS, "before\x00after"]:
        assistant = replace(
            an_assistant(text, owner=text, name=text, system_prompt=text),
            owner_name=text,
            description=text,
            model=text,
            starters=(text, text),
        )
        await assistant_store.create_assistant(assistant)

        got = await assistant_store.get_assistant(text, text)
        assert got == replace(assistant, etag=got.etag)
        assert await ids(assistant_store, text, Scope.MINE) == [text]


async def test_a_list_holds_what_a_read_holds_but_the_system_prompt(
    assistant_store: AssistantStore,
) -> None:
    created = await assistant_store.create_assistant(an_assistant(visibility=SHARED))
    await assistant_store.update_assistant(ALICE, "a1", edited(created, name="Renamed"))
    await assistant_store.set_featured("a1", True)
    current = await assistant_store.get_assistant(ALICE, "a1")

    for scope in Scope:
        [listed] = await assistant_store.list_assistants(ALICE, scope)
        assert type(listed) is AssistantSummary
        # The etag too: a list's etag is one a later If-Match is checked against.
        assert listed == current.summary(), scope


async def test_a_long_system_prompt_round_trips_whole(assistant_store: AssistantStore) -> None:
    # MAX_MESSAGE_CHARS' default; some of it outside ASCII and outside the BMP.
    prompt = ("Answer as Zürich's 東京 desk 🚀. " + "x" * 70)[:100] * 1_000

    await assistant_store.create_assistant(an_assistant(system_prompt=prompt))

    assert (await assistant_store.get_assistant(ALICE, "a1")).system_prompt == prompt


# --- Isolation -----------------------------------------------------------------------------


async def test_a_private_assistant_is_not_found_for_anyone_else(
    assistant_store: AssistantStore,
) -> None:
    created = await assistant_store.create_assistant(an_assistant(visibility=PRIVATE))

    with pytest.raises(NotFound):
        await assistant_store.get_assistant(BOB, "a1")
    with pytest.raises(NotFound):
        await assistant_store.update_assistant(BOB, "a1", edited(created, name="Mine now"))
    with pytest.raises(NotFound):
        await assistant_store.delete_assistant(BOB, "a1")
    # Admins do not see private assistants either: they can neither feature nor delete one.
    with pytest.raises(NotFound):
        await assistant_store.delete_assistant(BOB, "a1", as_admin=True)
    with pytest.raises(NotFound):
        await assistant_store.set_featured("a1", True)
    assert await all_lists(assistant_store, BOB) == {scope: [] for scope in Scope}
    assert await assistant_store.get_assistant(ALICE, "a1") == created


async def test_a_shared_assistant_is_read_by_all_but_changed_only_by_its_owner(
    assistant_store: AssistantStore,
) -> None:
    created = await assistant_store.create_assistant(an_assistant(visibility=SHARED))

    assert await assistant_store.get_assistant(BOB, "a1") == created
    assert await all_lists(assistant_store, BOB) == {
        Scope.MINE: [],
        Scope.ORGANISATION: ["a1"],
        Scope.FEATURED: [],
    }
    with pytest.raises(NotOwner):
        await assistant_store.update_assistant(BOB, "a1", edited(created, name="Mine now"))
    with pytest.raises(NotOwner):
        await assistant_store.update_assistant(
            BOB, "a1", edited(created, visibility=PRIVATE), if_match=created.etag
        )
    with pytest.raises(NotOwner):
        await assistant_store.delete_assistant(BOB, "a1")
    assert await assistant_store.get_assistant(ALICE, "a1") == created


async def test_an_admin_may_delete_a_shared_assistant_of_someone_else(
    assistant_store: AssistantStore,
) -> None:
    await assistant_store.create_assistant(an_assistant(visibility=SHARED))

    await assistant_store.delete_assistant(BOB, "a1", as_admin=True)

    with pytest.raises(NotFound):
        await assistant_store.get_assistant(ALICE, "a1")
    assert await all_lists(assistant_store, ALICE) == {scope: [] for scope in Scope}


async def test_lookalike_user_ids_each_list_and_read_only_their_own(
    assistant_store: AssistantStore,
) -> None:
    # Ids that would collide if glued to a separator, compared without case, trimmed, cut
    # at a NUL, or taken as a prefix of another's key.
    owners = ["a", "ab", "a|b", "a|", "A", "a ", "a\x00", "a\x00b", "x61", "m|a"]
    for number, owner in enumerate(owners):
        await assistant_store.create_assistant(an_assistant(f"id{number}", owner=owner))

    for number, owner in enumerate(owners):
        assert await ids(assistant_store, owner, Scope.MINE) == [f"id{number}"], owner
        for other in range(len(owners)):
            if other != number:
                with pytest.raises(NotFound):
                    await assistant_store.get_assistant(owner, f"id{other}")


async def test_assistants_and_history_share_storage_without_reaching_each_other(
    assistant_store: AssistantStore, history_beside: HistoryStore
) -> None:
    # "assistants" is also the assistants' own partition on Table Storage; "a1" is both a
    # conversation's id and an assistant's.
    users = {ALICE: "a1", "assistants": "c1"}
    for user, conversation_id in users.items():
        await history_beside.create_conversation(
            user, Conversation(id=conversation_id, title="t", created=T0, updated=T0)
        )
    await assistant_store.create_assistant(an_assistant("a1", visibility=SHARED))
    await assistant_store.create_assistant(an_assistant("a2", owner="assistants"))

    await assistant_store.delete_assistant(ALICE, "a1")
    for user, conversation_id in users.items():
        assert (await history_beside.get_conversation(user, conversation_id)).title == "t"

    assert await history_beside.delete_all_conversations(ALICE) == 1
    assert await history_beside.delete_all_conversations("assistants") == 1
    assert await ids(assistant_store, "assistants", Scope.MINE) == ["a2"]
    assert await ids(assistant_store, BOB, Scope.ORGANISATION) == []


# --- Versions and etags --------------------------------------------------------------------


async def test_each_edit_bumps_the_version_changes_the_etag_and_moves_updated(
    assistant_store: AssistantStore,
) -> None:
    created = await assistant_store.create_assistant(an_assistant())

    first = await assistant_store.update_assistant(ALICE, "a1", edited(created, name="Two"))
    second = await assistant_store.update_assistant(
        ALICE,
        "a1",
        edited(first, system_prompt="New prompt", temperature=None),
        if_match=first.etag,
    )

    assert (first.version, second.version) == (2, 3)
    assert len({created.etag, first.etag, second.etag}) == 3
    assert created.updated < first.updated <= second.updated
    assert second.created == created.created
    assert await assistant_store.get_assistant(ALICE, "a1") == second
    assert (second.name, second.system_prompt, second.temperature) == ("Two", "New prompt", None)


async def test_an_edit_with_a_stale_etag_is_conflict_and_changes_nothing(
    assistant_store: AssistantStore,
) -> None:
    created = await assistant_store.create_assistant(an_assistant())
    current = await assistant_store.update_assistant(ALICE, "a1", edited(created, name="Two"))

    with pytest.raises(Conflict):
        await assistant_store.update_assistant(
            ALICE, "a1", edited(created, name="Stale"), if_match=created.etag
        )

    assert await assistant_store.get_assistant(ALICE, "a1") == current


async def test_of_concurrent_edits_with_one_etag_exactly_one_wins(
    assistant_store: AssistantStore,
) -> None:
    created = await assistant_store.create_assistant(an_assistant())

    results = await asyncio.gather(
        *(
            assistant_store.update_assistant(
                ALICE, "a1", edited(created, name=f"Edit {n}"), if_match=created.etag
            )
            for n in range(5)
        ),
        return_exceptions=True,
    )

    [winner] = [r for r in results if isinstance(r, Assistant)]
    assert all(isinstance(r, Conflict) for r in results if r is not winner)
    assert await assistant_store.get_assistant(ALICE, "a1") == winner
    assert winner.version == 2


async def test_concurrent_edits_without_an_etag_all_count(assistant_store: AssistantStore) -> None:
    created = await assistant_store.create_assistant(an_assistant())

    await asyncio.gather(
        *(
            assistant_store.update_assistant(ALICE, "a1", edited(created, name=f"Edit {n}"))
            for n in range(5)
        )
    )

    assert (await assistant_store.get_assistant(ALICE, "a1")).version == 6


async def test_featuring_changes_the_etag_but_neither_the_version_nor_updated(
    assistant_store: AssistantStore,
) -> None:
    created = await assistant_store.create_assistant(an_assistant(visibility=SHARED))

    featured = await assistant_store.set_featured("a1", True)
    again = await assistant_store.set_featured("a1", True)

    assert featured.featured
    assert featured.etag != created.etag
    assert (featured.version, featured.updated) == (created.version, created.updated)
    assert again == featured, "featuring what is featured changes nothing"
    assert (await assistant_store.set_featured("a1", False)).featured is False


async def test_making_it_private_unfeatures_it_for_good(assistant_store: AssistantStore) -> None:
    created = await assistant_store.create_assistant(an_assistant(visibility=SHARED))
    await assistant_store.set_featured("a1", True)

    private = await assistant_store.update_assistant(
        ALICE, "a1", edited(created, visibility=PRIVATE)
    )
    shared_again = await assistant_store.update_assistant(
        ALICE, "a1", edited(created, visibility=SHARED)
    )

    assert (private.featured, shared_again.featured) == (False, False)
    assert await ids(assistant_store, BOB, Scope.FEATURED) == []
    assert await ids(assistant_store, BOB, Scope.ORGANISATION) == ["a1"]


# --- Lists ---------------------------------------------------------------------------------


async def test_lists_show_featured_first_then_the_most_recently_edited(
    assistant_store: AssistantStore,
) -> None:
    for number, (owner, visibility) in enumerate(
        [(ALICE, SHARED), (ALICE, PRIVATE), (BOB, SHARED), (ALICE, SHARED), (BOB, SHARED)]
    ):
        await assistant_store.create_assistant(
            an_assistant(f"a{number}", owner=owner, visibility=visibility, updated=at(number))
        )
    await assistant_store.set_featured("a0", True)
    await assistant_store.set_featured("a2", True)

    assert await all_lists(assistant_store, ALICE) == {
        Scope.MINE: ["a0", "a3", "a1"],
        Scope.ORGANISATION: ["a2", "a0", "a4", "a3"],
        Scope.FEATURED: ["a2", "a0"],
    }


async def test_an_edit_moves_an_assistant_to_the_top_and_ties_break_by_id(
    assistant_store: AssistantStore,
) -> None:
    for assistant_id in ("b", "c", "a"):
        await assistant_store.create_assistant(an_assistant(assistant_id, visibility=SHARED))
    assert await ids(assistant_store, ALICE, Scope.MINE) == ["a", "b", "c"]

    current = await assistant_store.get_assistant(ALICE, "c")
    await assistant_store.update_assistant(ALICE, "c", edited(current, description="Fresh"))

    assert await ids(assistant_store, ALICE, Scope.MINE) == ["c", "a", "b"]
    assert await ids(assistant_store, BOB, Scope.ORGANISATION) == ["c", "a", "b"]


async def test_a_list_stops_at_its_limit_keeping_the_first(
    assistant_store: AssistantStore,
) -> None:
    for number in range(5):
        await assistant_store.create_assistant(
            an_assistant(f"a{number}", visibility=SHARED, updated=at(number))
        )

    newest = await assistant_store.list_assistants(BOB, Scope.ORGANISATION, limit=2)

    assert [a.id for a in newest] == ["a4", "a3"]


async def test_a_deleted_assistant_is_gone_from_every_list_and_read(
    assistant_store: AssistantStore,
) -> None:
    await assistant_store.create_assistant(an_assistant(visibility=SHARED))
    await assistant_store.set_featured("a1", True)

    await assistant_store.delete_assistant(ALICE, "a1")

    assert await all_lists(assistant_store, ALICE) == {scope: [] for scope in Scope}
    with pytest.raises(NotFound):
        await assistant_store.get_assistant(ALICE, "a1")
    with pytest.raises(NotFound):
        await assistant_store.delete_assistant(ALICE, "a1")


# --- Limits --------------------------------------------------------------------------------


async def test_creating_an_id_that_exists_is_conflict_whoever_owns_it(
    assistant_store: AssistantStore,
) -> None:
    await assistant_store.create_assistant(an_assistant(owner=ALICE))

    with pytest.raises(Conflict):
        await assistant_store.create_assistant(an_assistant(owner=BOB, name="Impostor"))

    assert (await assistant_store.get_assistant(ALICE, "a1")).name == "Proofreader"
    assert await ids(assistant_store, BOB, Scope.MINE) == []


async def test_a_user_may_own_only_so_many(open_assistant_store: AssistantOpener) -> None:
    store = await open_assistant_store(max_owned=3)
    for number in range(3):
        await store.create_assistant(an_assistant(f"a{number}"))

    with pytest.raises(TooManyAssistants):
        await store.create_assistant(an_assistant("a3"))

    await store.create_assistant(an_assistant("b0", owner=BOB))
    await store.delete_assistant(ALICE, "a0")
    await store.create_assistant(an_assistant("a3"))
    assert sorted(await ids(store, ALICE, Scope.MINE)) == ["a1", "a2", "a3"]


async def test_a_system_prompt_over_every_backends_limit_is_too_large_and_nothing_is_saved(
    assistant_store: AssistantStore,
) -> None:
    huge = "x" * (20 * 1024 * 1024)

    with pytest.raises(TooLarge):
        await assistant_store.create_assistant(an_assistant(system_prompt=huge))
    created = await assistant_store.create_assistant(an_assistant())
    with pytest.raises(TooLarge):
        await assistant_store.update_assistant(ALICE, "a1", edited(created, system_prompt=huge))

    assert await assistant_store.get_assistant(ALICE, "a1") == created
