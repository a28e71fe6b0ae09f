"""Peer matching through the dispatcher: opting in, rounds held once, introductions,
the check-in a week later, stats, and what leaving and the export do."""

from __future__ import annotations

import asyncio
import json
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from itertools import pairwise

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from adapters.scheduling import Scheduler
from bot.capability_settings import WEEKDAYS, Matching
from bot.delivery import Services
from bot.matching.rounds import MatchingRounds
from bot.matching.schedule import instants_between, latest_instant
from bot.timezones import to_local
from tests.harness import Harness, text_of
from tests.scheduling.support import Post, RefPoster, with_ref_poster

PEOPLE = (
    ("maria", "Maria Lopez", "Housing, Health Equity"),
    ("lee", "Lee Park", "Housing, Workforce"),
    ("sam", "Sam Diaz", "Workforce"),
    ("ana", "Ana Ruiz", "Food Access"),
    ("kim", "Kim Wu", "Housing"),
)


async def setup(harness: Harness, people: int = 5) -> RefPoster:
    poster = with_ref_poster(harness)
    await harness.join("admin", "Admin")
    for user, name, interests in PEOPLE[:people]:
        await harness.join(user, name, interests=interests)
    poster.posts.clear()
    return poster


def next_round(harness: Harness) -> datetime:
    config = harness.config
    now = harness.clock.now()
    (first, *_) = instants_between(
        config.matching, config.coalition.timezone, now, now + timedelta(weeks=3)
    )
    return first


def rounds(harness: Harness) -> MatchingRounds:
    return harness.dispatcher.services.get(MatchingRounds)


async def hold_round(harness: Harness) -> int:
    harness.clock.set(next_round(harness))
    return await rounds(harness).run_due()


def intros(poster: RefPoster) -> dict[str, Post]:
    return {p.where[1:]: p for p in poster.posts if "Meet your peer match" in p.text}


async def test_join_with_nothing_opens_the_form(harness: Harness) -> None:
    await setup(harness, 1)
    reply = await harness.say("maria", "match join")
    assert reply.form is not None
    assert [f.name for f in reply.form.fields] == [
        "region",
        "discipline",
        "topics",
        "role",
        "same_organization",
    ]
    await harness.say("maria", "match join region=same same_organization=yes topics=Housing")
    again = await harness.say("maria", "match join")
    assert again.form is not None
    values = {f.name: f.value for f in again.form.fields}
    assert values["region"] == "same" and values["discipline"] == "any"
    assert values["topics"] == "Housing" and values["same_organization"] == "yes"


async def test_join_leave_and_bad_input_each_get_a_sentence(harness: Harness) -> None:
    await setup(harness, 1)
    outsider = text_of(await harness.say("nobody", "match join region=same"))
    assert "join the coalition first" in outsider
    joined = text_of(await harness.say("maria", "match join region=same topics=Housing"))
    assert "You are in peer matching" in joined
    assert "updated" in text_of(await harness.say("maria", "match join discipline=other"))
    wrong = text_of(await harness.say("maria", "match join topics=Workforce"))
    assert "Workforce is not among your interests" in wrong and "Housing, Health Equity" in wrong
    await harness.join("zoe", "Zoe Fox")
    none = text_of(await harness.say("zoe", "match join topics=Housing"))
    assert "Your profile lists no interests" in none and "interests=" in none
    assert "left peer matching" in text_of(await harness.say("maria", "match leave"))
    assert "not in peer matching" in text_of(await harness.say("maria", "match leave"))
    assert await harness.storage_count("match_optins") == 0


async def test_snooze_skips_rounds_until_its_date_and_join_ends_it(harness: Harness) -> None:
    poster = await setup(harness, 3)
    for user in ("maria", "lee", "sam"):
        await harness.say(user, "match join region=any")
    past = text_of(await harness.say("sam", "match snooze until=2026-01-01"))
    assert "is not in the future" in past
    later = (next_round(harness) + timedelta(days=20)).date().isoformat()
    assert "Snoozed" in text_of(await harness.say("sam", f"match snooze until={later}"))
    assert await hold_round(harness) == 1
    assert set(intros(poster)) == {"maria", "lee"}
    back = text_of(await harness.say("sam", "match join region=any"))
    assert "snooze is over" in back


async def test_a_round_groups_everyone_once_and_introduces_them(harness: Harness) -> None:
    poster = await setup(harness)
    for user, _, _ in PEOPLE:
        await harness.say(user, "match join region=any")
    assert await hold_round(harness) == 2  # a pair and a group of three
    got = intros(poster)
    assert set(got) == {u for u, _, _ in PEOPLE}
    names = {u: n for u, n, _ in PEOPLE}
    for user, post in got.items():
        # Everyone is named in the others' introductions, never in their own.
        assert names[user] not in post.text
        assert "A question to start" in post.text
    # Nothing more on a second run at the same instant, nor later that day.
    assert await rounds(harness).run_due() == 0
    harness.clock.advance(timedelta(hours=3))
    assert await rounds(harness).run_due() == 0
    assert len(intros(poster)) == 5 and len(poster.posts) == 5
    assert await harness.storage_count("match_rounds") == 1
    assert await harness.storage_count("match_places") == 5


async def test_shared_interests_and_profiles_make_the_introduction(harness: Harness) -> None:
    poster = await setup(harness, 2)
    await harness.say("maria", "match join region=any")
    await harness.say("lee", "match join region=any")
    await hold_round(harness)
    text = intros(poster)["maria"].text
    assert "Lee Park" in text and "Lee Park Health Department" in text and "West" in text
    assert "You share an interest in Housing" in text
    assert "How does your department approach Housing?" in text


async def test_same_organization_only_when_both_agree(harness: Harness) -> None:
    poster = with_ref_poster(harness)
    for user, name in (("a", "Ann"), ("b", "Ben"), ("c", "Cam"), ("d", "Dee")):
        org = "County A" if user in "ab" else "County B"
        await harness.join(user, name, organization=org)
        await harness.say(user, "match join region=any")
    await hold_round(harness)
    got = intros(poster)
    assert "Ben" not in got["a"].text and "Dee" not in got["c"].text


async def test_the_introduction_is_in_each_readers_language(harness: Harness) -> None:
    poster = await setup(harness, 2)
    await harness.say("lee", "profile edit language=es")
    await harness.say("maria", "match join region=any")
    await harness.say("lee", "match join region=any")
    await hold_round(harness)
    got = intros(poster)
    assert "Meet your peer match" in got["maria"].text
    spanish = [p for p in poster.posts if p.where == "@lee"]
    assert spanish and "Conozca" in spanish[0].text


@pytest.mark.both_databases
async def test_two_instances_at_once_hold_the_round_once(harness: Harness) -> None:
    poster = await setup(harness)
    for user, _, _ in PEOPLE:
        await harness.say(user, "match join region=any")
    services = harness.dispatcher.services
    other = MatchingRounds(replace(services, instance="other", parts={}))
    harness.clock.set(next_round(harness))
    held = await asyncio.gather(rounds(harness).run_due(), other.run_due())
    assert sorted(held) == [0, 2]
    assert len(intros(poster)) == 5
    assert await harness.storage_count("match_rounds") == 1
    # The check-ins a week later, asked by both at once: one each.
    harness.clock.advance(timedelta(days=7))
    await asyncio.gather(rounds(harness).run_due(), other.run_due())
    asked = [p for p in poster.posts if "Did you meet" in p.text]
    assert sorted(p.where for p in asked) == sorted(f"@{u}" for u, _, _ in PEOPLE)


async def test_recent_partners_are_not_matched_again(harness: Harness) -> None:
    poster = await setup(harness, 4)
    for user, _, _ in PEOPLE[:4]:
        await harness.say(user, "match join region=any")
    seen: set[frozenset[str]] = set()
    for _ in range(3):  # 4 people have 3 distinct pairings
        poster.posts.clear()
        await hold_round(harness)
        harness.clock.advance(timedelta(minutes=1))
        got = intros(poster)
        names = {u: n for u, n, _ in PEOPLE}
        pairs = {
            frozenset((u, v))
            for u, post in got.items()
            for v in got
            if v != u and names[v] in post.text
        }
        assert not pairs & seen
        seen |= pairs


async def test_checkin_a_week_later_once_with_buttons_and_stats(harness: Harness) -> None:
    poster = await setup(harness, 2)
    await harness.say("maria", "match join region=any")
    await harness.say("lee", "match join region=any")
    await hold_round(harness)
    harness.clock.advance(timedelta(days=6))
    await rounds(harness).run_due()
    assert not [p for p in poster.posts if "Did you meet" in p.text]
    harness.clock.advance(timedelta(days=1))
    await rounds(harness).run_due()
    await rounds(harness).run_due()
    asked = {p.where: p for p in poster.posts if "Did you meet" in p.text}
    assert set(asked) == {"@maria", "@lee"}
    assert "Lee Park" in asked["@maria"].text
    assert [b.label for b in asked["@maria"].message.buttons] == ["Yes", "Not yet", "Skip"]
    yes = await harness.click("maria", asked["@maria"].button("Yes"))
    assert "noted that you met" in text_of(yes)
    assert yes.update_original is not None and yes.update_original.buttons == ()
    await harness.click("lee", asked["@lee"].button("Not yet"))
    await harness.join("zoe", "Zoe Fox")
    stranger = text_of(await harness.click("zoe", asked["@lee"].button("Yes")))
    assert "were not matched in that round" in stranger
    refused = text_of(await harness.say("maria", "match stats"))
    assert "coordinator" in refused.lower()
    stats = text_of(await harness.say("admin", "match stats"))
    assert "1 group, 2 members" in stats and "answered 2 of 2 (100%)" in stats
    assert "met 1 (50%)" in stats


async def test_leaving_forgets_the_leaver_and_keeps_the_others_history(harness: Harness) -> None:
    await setup(harness, 2)
    await harness.say("maria", "match join topics=Housing")
    await harness.say("lee", "match join region=any")
    await hold_round(harness)
    reply = await harness.say("maria", "export")
    assert reply.message is not None
    exported = json.loads(reply.message.attachments[0].content)
    assert exported["peer_matching"]["topics"] == ["Housing"]
    (only,) = exported["peer_matching_rounds"]
    assert only["round"] == 1 and len(only["matched_with"]) == 1
    leave = await harness.say("maria", "leave")
    assert leave.message is not None
    await harness.click("maria", leave.message.buttons[0])
    assert await harness.storage_count("match_optins") == 1
    assert await harness.storage_count("match_places") == 1
    reply = await harness.say("lee", "export")
    assert reply.message is not None
    (kept,) = json.loads(reply.message.attachments[0].content)["peer_matching_rounds"]
    assert kept["matched_with"] == []


async def test_no_round_is_recorded_for_fewer_than_two_members(harness: Harness) -> None:
    poster = await setup(harness, 2)
    await harness.say("maria", "match join region=any")
    assert await hold_round(harness) == 0
    assert await harness.storage_count("match_rounds") == 0 and not poster.posts
    harness.clock.advance(timedelta(hours=2))  # Lee joins within the grace time
    await harness.say("lee", "match join region=any")
    assert await rounds(harness).run_due() == 1
    assert set(intros(poster)) == {"maria", "lee"}


async def test_next_due_names_the_round_and_the_checkin(harness: Harness) -> None:
    await setup(harness, 2)
    due = next_round(harness)
    planned = await rounds(harness).next_due(due + timedelta(hours=1))
    assert planned == [due]
    await harness.say("maria", "match join region=any")
    await harness.say("lee", "match join region=any")
    await hold_round(harness)
    week = due + timedelta(days=7)
    assert week in await rounds(harness).next_due(week)


async def test_a_disabled_schedule_holds_no_round(harness: Harness) -> None:
    await setup(harness, 2)
    harness.config = harness.config.model_copy(
        update={"matching": harness.config.matching.model_copy(update={"enabled": False})}
    )
    services: Services = replace(harness.dispatcher.services, config=harness.config, parts={})
    harness.clock.set(next_round(harness))
    assert await MatchingRounds(services).run_due() == 0
    assert await harness.storage_count("match_rounds") == 0


async def test_the_scheduler_plans_the_round_and_holds_it_then(harness: Harness) -> None:
    poster = await setup(harness, 2)
    await harness.say("maria", "match join region=any")
    await harness.say("lee", "match join region=any")
    services = harness.dispatcher.services
    scheduler = Scheduler(
        harness.storage, services.broadcaster, harness.clock, harness.config, owner="test"
    )
    scheduler.plan(rounds(harness))
    scheduler.is_leader = True  # alone: no lock to take, and no timer fires by itself
    try:
        due = next_round(harness)
        harness.clock.set(due - timedelta(hours=1))
        await scheduler.sweep()
        assert due in scheduler.planned_instants and not intros(poster)
        harness.clock.set(due)  # the planned job fires: a sweep
        await scheduler.sweep()
        assert set(intros(poster)) == {"maria", "lee"}
        # The check-in's instant is planned once it is within the scheduler's day ahead.
        harness.clock.set(due + timedelta(days=6, hours=12))
        await scheduler.sweep()
        assert due + timedelta(days=7) in scheduler.planned_instants
    finally:
        await scheduler.close()


@settings(max_examples=60, deadline=None)
@given(
    start=st.datetimes(min_value=datetime(2020, 1, 1), max_value=datetime(2035, 1, 1)),
    every=st.integers(min_value=1, max_value=6),
    day=st.sampled_from(WEEKDAYS),
    hour=st.integers(min_value=0, max_value=23),
    zone=st.sampled_from(["America/Chicago", "America/New_York", "UTC", "Pacific/Auckland"]),
)
def test_round_instants_fall_on_the_day_and_time_every_n_weeks(
    start: datetime, every: int, day: str, hour: int, zone: str
) -> None:
    plan = Matching(every_weeks=every, day=day, time=f"{hour}:30")
    after = start.replace(tzinfo=UTC)
    found = instants_between(plan, zone, after, after + timedelta(weeks=3 * every))
    assert len(found) in (2, 3)
    for instant in found:
        local = to_local(instant, zone)
        assert local.weekday() == WEEKDAYS.index(day) and local.minute == 30
    days = [to_local(i, zone).date() for i in found]
    assert all((b - a).days == 7 * every for a, b in pairwise(days))
    latest = latest_instant(plan, zone, found[-1] + timedelta(seconds=1))
    assert latest == found[-1]


@pytest.mark.both_databases
async def test_a_failed_introduction_or_checkin_is_sent_again_after_the_claim_timeout(
    harness: Harness,
) -> None:
    poster = await setup(harness, 2)
    await harness.say("maria", "match join region=any")
    await harness.say("lee", "match join region=any")
    poster.failures = 1  # the first DM fails, as a platform outage would
    await hold_round(harness)
    assert len(intros(poster)) == 1
    await rounds(harness).run_due()  # still taken by this try: not sent again yet
    assert len(intros(poster)) == 1
    harness.clock.advance(timedelta(seconds=harness.config.meetings.claim_timeout_seconds + 1))
    await rounds(harness).run_due()
    assert set(intros(poster)) == {"maria", "lee"} and len(poster.posts) == 2
    assert [recheck for _, recheck in poster.keys] == [False, False, True]
    harness.clock.advance(timedelta(days=7))
    poster.failures = 1
    await rounds(harness).run_due()
    harness.clock.advance(timedelta(seconds=harness.config.meetings.claim_timeout_seconds + 1))
    await rounds(harness).run_due()
    await rounds(harness).run_due()
    asked = sorted(p.where for p in poster.posts if "Did you meet" in p.text)
    assert asked == ["@lee", "@maria"]


async def test_a_mentoring_role_can_be_dropped_through_the_form(harness: Harness) -> None:
    """The form shows the role chosen, and Enter keeps it: "-" (or "none") drops it; it
    used to be refused as "not one of the choices", so a mentor stayed one."""
    await setup(harness, 1)
    await harness.say("maria", "match join region=same role=mentor")
    form = (await harness.say("maria", "match join")).form
    assert form is not None
    values = {f.name: f.value for f in form.fields} | {"role": "-"}
    assert values["region"] == "same"
    done = text_of(await harness.run("maria", ("match", "join"), from_form=True, **values))
    assert "updated" in done
    again = (await harness.say("maria", "match join")).form
    assert again is not None
    kept = {f.name: f.value for f in again.fields}
    assert kept["role"] == "" and kept["region"] == "same"
    await harness.say("maria", "match join role=mentee")
    typed = text_of(await harness.say("maria", "match join region=same role=none"))
    assert "updated" in typed and "role=" not in typed


async def test_joining_again_with_one_wish_keeps_the_others(harness: Harness) -> None:
    """Typing "match join discipline=other" used to reset the region, topics and role
    chosen before to their defaults, without a word."""
    await setup(harness, 1)
    await harness.say("maria", "match join region=same topics=Housing role=mentor")
    assert "updated" in text_of(await harness.say("maria", "match join discipline=other"))
    form = (await harness.say("maria", "match join")).form
    assert form is not None
    values = {f.name: f.value for f in form.fields}
    assert values["region"] == "same" and values["discipline"] == "other"
    assert values["topics"] == "Housing" and values["role"] == "mentor"
    await harness.say("maria", "match join topics=-")
    form = (await harness.say("maria", "match join")).form
    assert form is not None
    assert {f.name: f.value for f in form.fields}["topics"] == ""
