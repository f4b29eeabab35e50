"""What every usage backend promises: each test runs against SQLite and Table Storage
(Azurite), on the same file or table as the history (conftest.py). Several stores opened
on one file or table stand for several API instances.

Written against the UsageStore interface only; times are fixed, never the clock's.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from chat_api.history.models import Conversation
from chat_api.history.store import HistoryStore
from chat_api.usage.limits import effective_limits
from chat_api.usage.models import (
    AuditEntry,
    LimitKind,
    LimitOverride,
    LimitReached,
    UsageRecord,
    UsageRow,
    UsageTotals,
    UserLimits,
)
from chat_api.usage.store import UsageStore
from tests.history.conftest import UsageOpener
from tests.history.test_store_contract import AWKWARD_STRINGS

pytestmark = pytest.mark.anyio

ALICE, BOB, CAROL = "alice@example.com", "bob@example.com", "carol@example.com"
MODEL = "gpt-5.4-mini"
T0 = datetime(2026, 11, 21, 8, 41, 7, tzinfo=UTC)
ONE_PER_MINUTE = UserLimits(requests_per_minute=1)


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def a_call(
    user: str = ALICE,
    *,
    prompt: int = 60,
    completion: int = 40,
    when: datetime = T0,
    model: str = MODEL,
    name: str = "",
) -> UsageRecord:
    return UsageRecord(
        user_id=user,
        user_name=name or f"{user} (name)",
        conversation_id="c1",
        model=model,
        prompt_tokens=prompt,
        completion_tokens=completion,
        latency_ms=900,
        status="complete",
        at=when,
    )


async def admitted(
    store: UsageStore,
    limits: UserLimits,
    now: datetime,
    user: str = ALICE,
    global_limit: int | None = None,
) -> bool:
    return await store.admit(user, limits, global_limit, now) is None


# --- Requests per minute ------------------------------------------------------------------


async def test_the_minute_limit_admits_its_number_then_refuses_until_the_next_minute(
    usage_store: UsageStore,
) -> None:
    limits = UserLimits(requests_per_minute=2)
    assert await admitted(usage_store, limits, at("2026-11-21T08:41:00"))
    assert await admitted(usage_store, limits, at("2026-11-21T08:41:30"))
    refused = await usage_store.admit(ALICE, limits, None, at("2026-11-21T08:41:59.999999"))
    assert refused == LimitReached(
        LimitKind.REQUESTS_PER_MINUTE, 2, resets_at=at("2026-11-21T08:42:00")
    )
    assert await admitted(usage_store, limits, at("2026-11-21T08:42:00"))


async def test_a_refused_request_is_not_counted(usage_store: UsageStore) -> None:
    two = UserLimits(requests_per_minute=2)
    for _ in range(2):
        assert await admitted(usage_store, two, T0)
    for _ in range(3):
        assert not await admitted(usage_store, two, T0)
    # Had the refusals counted, the minute would hold 5 and a limit of 3 would refuse.
    three = UserLimits(requests_per_minute=3)
    assert await admitted(usage_store, three, T0)
    assert not await admitted(usage_store, three, T0)


async def test_a_request_refused_for_tokens_does_not_count_against_the_minute(
    usage_store: UsageStore,
) -> None:
    await usage_store.record(a_call(prompt=100, completion=0))
    both = UserLimits(requests_per_minute=1, tokens_per_day=100)
    assert not await admitted(usage_store, both, T0)
    assert await admitted(usage_store, ONE_PER_MINUTE, T0)


async def test_requests_are_counted_only_while_a_minute_limit_applies(
    usage_store: UsageStore,
) -> None:
    for _ in range(5):
        assert await admitted(usage_store, UserLimits(tokens_per_day=10**6), T0)
        assert await admitted(usage_store, UserLimits(), T0, global_limit=10**6)
    assert await admitted(usage_store, ONE_PER_MINUTE, T0)


async def test_an_instance_whose_clock_is_behind_still_sees_the_newer_minute(
    open_usage_store: UsageOpener,
) -> None:
    ahead, behind = await open_usage_store(), await open_usage_store()
    assert await admitted(ahead, ONE_PER_MINUTE, at("2026-11-21T08:42:00.001"))
    assert not await admitted(behind, ONE_PER_MINUTE, at("2026-11-21T08:41:59.999"))


async def test_each_user_has_a_minute_of_their_own(usage_store: UsageStore) -> None:
    users = ["a", "A", "a ", "a|b", "a\x00", *AWKWARD_STRINGS[:6]]
    for user in users:
        assert await admitted(usage_store, ONE_PER_MINUTE, T0, user=user), user
    for user in users:
        assert not await admitted(usage_store, ONE_PER_MINUTE, T0, user=user), user


# --- Tokens per day and per month ---------------------------------------------------------


async def test_the_day_limit_counts_recorded_tokens_and_resets_at_midnight_utc(
    usage_store: UsageStore,
) -> None:
    limits = UserLimits(tokens_per_day=100)
    last_moment = at("2026-11-21T23:59:59.999999")
    await usage_store.record(a_call(prompt=50, completion=49, when=at("2026-11-21T00:00:00")))
    assert await admitted(usage_store, limits, last_moment)
    await usage_store.record(a_call(prompt=1, completion=0, when=at("2026-11-21T12:00:00")))
    refused = await usage_store.admit(ALICE, limits, None, last_moment)
    assert refused == LimitReached(LimitKind.TOKENS_PER_DAY, 100, at("2026-11-22T00:00:00"))
    assert await admitted(usage_store, limits, at("2026-11-22T00:00:00"))


async def test_the_day_limit_is_in_utc_whatever_zone_now_is_given_in(
    usage_store: UsageStore,
) -> None:
    await usage_store.record(a_call(prompt=100, completion=0, when=at("2026-11-21T23:00:00")))
    # Already the 22nd in Paris, still the 21st in UTC.
    paris_after_midnight = datetime(2026, 11, 22, 0, 30, tzinfo=timezone(timedelta(hours=1)))
    refused = await usage_store.admit(
        ALICE, UserLimits(tokens_per_day=100), None, paris_after_midnight
    )
    assert refused is not None
    assert refused.resets_at == at("2026-11-22T00:00:00")
    assert refused.resets_at.utcoffset() == timedelta(0)


@pytest.mark.parametrize(
    ("last_moment", "resets"),
    [
        ("2026-11-30T23:59:59.999999", "2026-12-01T00:00:00"),
        ("2026-12-31T23:59:59.999999", "2027-01-01T00:00:00"),
        ("2028-02-29T23:59:59.999999", "2028-03-01T00:00:00"),
        ("2027-02-28T23:59:59.999999", "2027-03-01T00:00:00"),
    ],
)
async def test_the_month_limit_resets_on_the_first_of_the_next_month(
    usage_store: UsageStore, last_moment: str, resets: str
) -> None:
    limits = UserLimits(tokens_per_month=1000)
    end = at(last_moment)
    await usage_store.record(a_call(prompt=600, completion=400, when=end.replace(day=1)))
    refused = await usage_store.admit(ALICE, limits, None, end)
    assert refused == LimitReached(LimitKind.TOKENS_PER_MONTH, 1000, at(resets))
    assert await admitted(usage_store, limits, at(resets))


async def test_a_leap_day_is_a_day_of_its_own(usage_store: UsageStore) -> None:
    await usage_store.record(a_call(prompt=70, completion=30, when=at("2028-02-28T23:59:59.999")))
    await usage_store.record(a_call(prompt=7, completion=3, when=at("2028-02-29T00:00:00")))
    today, month = await usage_store.user_totals(ALICE, at("2028-02-29T23:59:59.999999"))
    assert (today.total_tokens, month.total_tokens) == (10, 110)
    refused = await usage_store.admit(
        ALICE, UserLimits(tokens_per_day=10), None, at("2028-02-29T18:00:00")
    )
    assert refused is not None and refused.resets_at == at("2028-03-01T00:00:00")
    today, month = await usage_store.user_totals(ALICE, at("2028-03-01T00:00:00"))
    assert today == UsageTotals() and month == UsageTotals()


async def test_the_longest_full_window_is_the_one_reported(usage_store: UsageStore) -> None:
    await usage_store.record(a_call(prompt=100, completion=0))
    assert await admitted(usage_store, ONE_PER_MINUTE, T0)
    every_limit = UserLimits(requests_per_minute=1, tokens_per_day=100, tokens_per_month=100)
    refused = await usage_store.admit(ALICE, every_limit, 100, T0)
    assert refused is not None and refused.kind is LimitKind.TOKENS_PER_MONTH
    day_and_minute = UserLimits(requests_per_minute=1, tokens_per_day=100)
    refused = await usage_store.admit(ALICE, day_and_minute, 100, T0)
    assert refused is not None and refused.kind is LimitKind.TOKENS_PER_DAY
    refused = await usage_store.admit(ALICE, ONE_PER_MINUTE, 100, T0)
    assert refused is not None and refused.kind is LimitKind.REQUESTS_PER_MINUTE


async def test_a_late_call_of_a_window_that_is_over_counts_in_the_report_not_the_limit(
    usage_store: UsageStore,
) -> None:
    await usage_store.record(a_call(prompt=10, completion=0, when=at("2026-11-22T00:00:01")))
    await usage_store.record(a_call(prompt=500, completion=0, when=at("2026-11-21T23:59:59")))
    today, _ = await usage_store.user_totals(ALICE, at("2026-11-22T00:00:02"))
    assert today.total_tokens == 10
    assert await admitted(usage_store, UserLimits(tokens_per_day=11), at("2026-11-22T00:00:02"))
    rows = await usage_store.report(date(2026, 11, 21), date(2026, 11, 22))
    assert [(row.day.day, row.totals.prompt_tokens) for row in rows] == [(21, 500), (22, 10)]


# --- Everyone's tokens per minute ---------------------------------------------------------


async def test_the_global_minute_limit_counts_every_user_and_resets_next_minute(
    usage_store: UsageStore,
) -> None:
    await usage_store.record(a_call(ALICE, prompt=30, completion=30))
    await usage_store.record(a_call(BOB, prompt=20, completion=19))
    assert await admitted(usage_store, UserLimits(), T0, user=CAROL, global_limit=100)
    await usage_store.record(a_call(BOB, prompt=1, completion=0))
    refused = await usage_store.admit(CAROL, UserLimits(), 100, T0)
    assert refused == LimitReached(
        LimitKind.GLOBAL_TOKENS_PER_MINUTE, 100, at("2026-11-21T08:42:00")
    )
    assert await admitted(
        usage_store, UserLimits(), at("2026-11-21T08:42:00"), user=CAROL, global_limit=100
    )


# --- What a user has used -----------------------------------------------------------------


async def test_user_totals_sum_today_and_this_month_apart(usage_store: UsageStore) -> None:
    await usage_store.record(a_call(prompt=5, completion=7, when=at("2026-11-01T00:00:00")))
    await usage_store.record(a_call(prompt=10, completion=20, when=at("2026-11-21T08:00:00")))
    await usage_store.record(a_call(prompt=1, completion=2, when=at("2026-11-21T09:00:00")))
    await usage_store.record(a_call(BOB, prompt=1000, completion=1000))
    today, month = await usage_store.user_totals(ALICE, at("2026-11-21T10:00:00"))
    assert today == UsageTotals(requests=2, prompt_tokens=11, completion_tokens=22)
    assert month == UsageTotals(requests=3, prompt_tokens=16, completion_tokens=29)
    assert await usage_store.user_totals(CAROL, T0) == (UsageTotals(), UsageTotals())


# --- The report ---------------------------------------------------------------------------


async def test_the_report_has_a_row_per_day_user_and_model_within_the_days_asked(
    usage_store: UsageStore,
) -> None:
    calls = [
        a_call(ALICE, prompt=1, completion=2, when=at("2026-10-31T23:59:59.999999")),
        a_call(ALICE, prompt=10, completion=20, when=at("2026-11-01T00:00:00")),
        a_call(ALICE, prompt=100, completion=200, when=at("2026-11-01T18:00:00")),
        a_call(ALICE, prompt=5, completion=5, when=at("2026-11-01T19:00:00"), model="o4-mini"),
        a_call(BOB, prompt=7, completion=0, when=at("2026-11-02T10:00:00"), name="Bob B."),
        a_call(BOB, prompt=3, completion=1, when=at("2026-11-03T00:00:00")),
    ]
    for call in calls:
        await usage_store.record(call)
    rows = await usage_store.report(date(2026, 11, 1), date(2026, 11, 2))
    assert rows == [
        UsageRow(date(2026, 11, 1), ALICE, f"{ALICE} (name)", MODEL, UsageTotals(2, 110, 220)),
        UsageRow(date(2026, 11, 1), ALICE, f"{ALICE} (name)", "o4-mini", UsageTotals(1, 5, 5)),
        UsageRow(date(2026, 11, 2), BOB, "Bob B.", MODEL, UsageTotals(1, 7, 0)),
    ]
    assert await usage_store.report(date(2026, 11, 4), date(2026, 11, 30)) == []


async def test_the_report_keeps_the_latest_name_and_any_id_whole(usage_store: UsageStore) -> None:
    for user in AWKWARD_STRINGS:
        await usage_store.record(a_call(user, name="Old name"))
        await usage_store.record(a_call(user, name=f"New {user}", model=f"model {user}"))
        await usage_store.record(a_call(user, name=f"New {user}"))
    rows = await usage_store.report(T0.date(), T0.date())
    by_key = {(row.user_id, row.model): row for row in rows}
    for user in AWKWARD_STRINGS:
        assert by_key[user, MODEL].user_name == f"New {user}"
        assert by_key[user, MODEL].totals.requests == 2
        assert by_key[user, f"model {user}"].totals.requests == 1
    assert len(rows) == 2 * len(set(AWKWARD_STRINGS))


# --- Overrides ----------------------------------------------------------------------------


async def test_an_override_is_set_replaced_listed_and_removed(usage_store: UsageStore) -> None:
    assert await usage_store.get_override(ALICE) is None
    first = LimitOverride(requests_per_minute=20, tokens_per_day=5_000_000_000_000)
    await usage_store.set_override(ALICE, first)
    assert await usage_store.get_override(ALICE) == first
    unlimited = LimitOverride(unlimited=True)
    await usage_store.set_override(ALICE, unlimited)
    await usage_store.set_override(BOB, LimitOverride(tokens_per_month=9))
    assert await usage_store.get_override(ALICE) == unlimited
    assert await usage_store.list_overrides() == {
        ALICE: unlimited,
        BOB: LimitOverride(tokens_per_month=9),
    }
    await usage_store.set_override(ALICE, None)
    await usage_store.set_override(CAROL, None)
    assert await usage_store.get_override(ALICE) is None
    assert await usage_store.list_overrides() == {BOB: LimitOverride(tokens_per_month=9)}


async def test_overrides_keep_any_user_id_apart(usage_store: UsageStore) -> None:
    for number, user in enumerate(AWKWARD_STRINGS, start=1):
        await usage_store.set_override(user, LimitOverride(requests_per_minute=number))
    listed = await usage_store.list_overrides()
    for user in AWKWARD_STRINGS:
        assert listed[user] == await usage_store.get_override(user)
    assert len(listed) == len(set(AWKWARD_STRINGS))


def test_effective_limits_take_each_field_the_override_sets_and_unlimited_lifts_all() -> None:
    defaults = UserLimits(requests_per_minute=10, tokens_per_day=1000, tokens_per_month=None)
    assert effective_limits(defaults, None) == defaults
    assert effective_limits(defaults, LimitOverride()) == defaults
    assert effective_limits(
        defaults, LimitOverride(tokens_per_day=5, tokens_per_month=50)
    ) == UserLimits(requests_per_minute=10, tokens_per_day=5, tokens_per_month=50)
    lifted = LimitOverride(requests_per_minute=3, unlimited=True)
    assert effective_limits(defaults, lifted) == UserLimits()


# --- The audit log ------------------------------------------------------------------------


def an_entry(minutes: float, action: str = "limits.set", target: str = BOB) -> AuditEntry:
    return AuditEntry(
        at=T0 + timedelta(minutes=minutes),
        actor_id="admin-1",
        actor_name="Ada Admin",
        action=action,
        target=target,
        detail=f"at {minutes}",
    )


async def test_the_audit_log_lists_newest_first_in_pages_before_a_time(
    usage_store: UsageStore,
) -> None:
    entries = [an_entry(minutes) for minutes in (0, 2, 1, 3.5, 0.000001)]
    for entry in entries:
        await usage_store.add_audit(entry)
    newest_first = sorted(entries, key=lambda entry: entry.at, reverse=True)
    assert await usage_store.list_audit(10, None) == newest_first
    assert await usage_store.list_audit(2, None) == newest_first[:2]
    assert await usage_store.list_audit(2, newest_first[1].at) == newest_first[2:4]
    assert await usage_store.list_audit(10, T0) == []


async def test_audit_entries_keep_any_text(usage_store: UsageStore) -> None:
    for minutes, text in enumerate(AWKWARD_STRINGS):
        await usage_store.add_audit(
            AuditEntry(T0 + timedelta(minutes=minutes), text, text, "assistant.delete", text, text)
        )
    listed = await usage_store.list_audit(100, None)
    assert [entry.target for entry in listed] == list(reversed(AWKWARD_STRINGS))
    assert all(entry.at.utcoffset() == timedelta(0) for entry in listed)


# --- Beside the history -------------------------------------------------------------------


async def test_usage_outlives_deleting_the_users_history(
    usage_store: UsageStore, history_beside: HistoryStore
) -> None:
    await history_beside.create_conversation(
        ALICE, Conversation(id="c1", title="t", created=T0, updated=T0)
    )
    await usage_store.record(a_call())
    await usage_store.set_override(ALICE, LimitOverride(unlimited=True))
    assert await history_beside.delete_all_conversations(ALICE) == 1
    assert (await usage_store.user_totals(ALICE, T0))[0].requests == 1
    assert await usage_store.get_override(ALICE) == LimitOverride(unlimited=True)


# --- Concurrency: several instances at once -----------------------------------------------


async def test_parallel_requests_from_several_instances_admit_exactly_the_limit(
    open_usage_store: UsageOpener,
) -> None:
    instances = [await open_usage_store() for _ in range(3)]
    limits = UserLimits(requests_per_minute=10)
    answers = await asyncio.gather(
        *(instances[n % 3].admit(ALICE, limits, None, T0) for n in range(30))
    )
    assert sum(answer is None for answer in answers) == 10
    assert {answer.kind for answer in answers if answer is not None} == {
        LimitKind.REQUESTS_PER_MINUTE
    }


async def test_parallel_records_from_several_instances_are_all_counted(
    open_usage_store: UsageOpener,
) -> None:
    instances = [await open_usage_store() for _ in range(3)]
    await asyncio.gather(
        *(instances[n % 3].record(a_call(prompt=n, completion=1)) for n in range(30))
    )
    prompt = sum(range(30))
    expected = UsageTotals(requests=30, prompt_tokens=prompt, completion_tokens=30)
    assert await instances[0].user_totals(ALICE, T0) == (expected, expected)
    [row] = await instances[1].report(T0.date(), T0.date())
    assert row.totals == expected
    everyone = prompt + 30
    assert await admitted(instances[2], UserLimits(), T0, user=BOB, global_limit=everyone + 1)
    assert not await admitted(instances[2], UserLimits(), T0, user=BOB, global_limit=everyone)


async def test_calls_admitted_before_a_token_limit_was_reached_may_pass_it_and_no_more(
    open_usage_store: UsageOpener,
) -> None:
    """The documented tolerance: tokens are known only after the answer, so every call
    admitted while the count was under the limit may finish and be counted."""
    instances = [await open_usage_store() for _ in range(3)]
    limits = UserLimits(tokens_per_day=250)
    in_flight = 5
    answers = await asyncio.gather(
        *(instances[n % 3].admit(ALICE, limits, None, T0) for n in range(in_flight))
    )
    assert all(answer is None for answer in answers)
    await asyncio.gather(
        *(instances[n % 3].record(a_call(prompt=50, completion=50)) for n in range(in_flight))
    )
    today, _ = await instances[0].user_totals(ALICE, T0)
    assert today.total_tokens == 500 < 250 + in_flight * 100
    assert not await admitted(instances[1], limits, T0)


async def test_busy_callers_never_pass_a_token_limit_by_more_than_the_calls_in_flight(
    open_usage_store: UsageOpener,
) -> None:
    instances = [await open_usage_store() for _ in range(3)]
    limit, per_call, workers = 1000, 100, 6
    limits = UserLimits(tokens_per_day=limit)

    async def worker(store: UsageStore) -> int:
        calls = 0
        while await store.admit(ALICE, limits, None, T0) is None:
            await asyncio.sleep(0)
            await store.record(a_call(prompt=per_call // 2, completion=per_call // 2))
            calls += 1
        return calls

    calls = await asyncio.gather(*(worker(instances[n % 3]) for n in range(workers)))
    today, _ = await instances[0].user_totals(ALICE, T0)
    assert today.total_tokens == sum(calls) * per_call
    assert limit <= today.total_tokens < limit + workers * per_call
