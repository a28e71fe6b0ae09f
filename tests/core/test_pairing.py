"""The pairing of a matching round: always valid, keeps the soft rules when it can, and good."""

from __future__ import annotations

import contextlib
import io
import random
import statistics
from collections import Counter
from collections.abc import Sequence

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from bench.matching import main as bench_main
from bench.matching import pairs_of, random_groups, synthetic_members
from bot.matching.pairing import pair
from bot.matching.scoring import (
    BEST_PAIR,
    PREFERENCE_SPREAD,
    RECENT,
    SAME_ORGANIZATION,
    WORST_PAIR,
    Candidate,
    Round,
    preference_score,
    same_organization_refused,
    shared_interests,
)

TOPICS = ["vaccines", "opioids", "data", "grants", "heat", "housing"]


@st.composite
def candidates(
    draw: st.DrawFn, *, organizations: Sequence[str] = ("", "a", "b", "c")
) -> list[Candidate]:
    ids = draw(st.lists(st.integers(1, 10**6), unique=True, max_size=40))
    return [
        Candidate(
            member_id=member_id,
            organization=draw(st.sampled_from(organizations)),
            region=draw(st.sampled_from(["", "north", "south"])),
            discipline=draw(st.sampled_from(["", "nursing", "epi", "policy"])),
            interests=frozenset(draw(st.lists(st.sampled_from(TOPICS), max_size=4))),
            region_wish=draw(st.sampled_from(["same", "other", "any"])),
            discipline_wish=draw(st.sampled_from(["same", "other", "any"])),
            role=draw(st.sampled_from(["mentor", "mentee", ""])),
            same_organization_ok=draw(st.booleans()),
        )
        for member_id in ids
    ]


def recent_pairs(people: Sequence[Candidate], seed: int, share: float) -> set[frozenset[int]]:
    """Random pairs among `people`, each person in at most one (a `share` of them)."""
    ids = [person.member_id for person in people]
    random.Random(seed).shuffle(ids)
    kept = ids[: int(len(ids) * share) // 2 * 2]
    return {frozenset(kept[i : i + 2]) for i in range(0, len(kept), 2)}


def by_id(people: Sequence[Candidate]) -> dict[int, Candidate]:
    return {person.member_id: person for person in people}


@settings(max_examples=150, deadline=None)
@given(candidates(), st.integers(0, 2**32), st.floats(0, 1))
def test_every_candidate_is_in_exactly_one_group(
    people: list[Candidate], seed: int, share: float
) -> None:
    groups = pair(people, recent_pairs(people, seed, share), seed=seed)
    if len(people) < 2:
        assert groups == []
        return
    grouped = [member for group in groups for member in group]
    assert sorted(grouped) == sorted(person.member_id for person in people)
    sizes = Counter(len(group) for group in groups)
    assert set(sizes) <= {2, 3}
    assert sizes[3] == len(people) % 2, sizes


@settings(max_examples=150, deadline=None)
@given(candidates(), st.integers(0, 2**32), st.floats(0, 1))
def test_same_organization_only_when_both_allow(
    people: list[Candidate], seed: int, share: float
) -> None:
    # Avoidable exactly when no organization holds more than half of the round.
    sizes = Counter(person.organization for person in people if person.organization)
    assume(not sizes or max(sizes.values()) <= len(people) // 2)
    members = by_id(people)
    groups = pair(people, recent_pairs(people, seed, share), seed=seed)
    refused = [
        (a, b) for a, b in pairs_of(groups) if same_organization_refused(members[a], members[b])
    ]
    assert refused == []


@settings(max_examples=150, deadline=None)
@given(candidates(organizations=("",)), st.integers(0, 2**32), st.floats(0, 1))
def test_no_recent_pair_when_avoidable(people: list[Candidate], seed: int, share: float) -> None:
    # With each person met by at most one other lately, and four or more people, a
    # grouping without any recent pair always exists.
    assume(len(people) >= 4)
    recent = recent_pairs(people, seed, share)
    groups = pair(people, recent, seed=seed)
    assert [p for p in pairs_of(groups) if frozenset(p) in recent] == []


def test_same_organization_is_broken_only_when_it_must_be() -> None:
    """Four of one department among six: one pair of colleagues, the fewest possible."""
    people = [Candidate(n, organization="county") for n in (1, 2, 3, 4)]
    people += [Candidate(5, organization="city"), Candidate(6)]
    for seed in range(10):
        groups = pair(people, set(), seed=seed)
        assert sorted(m for g in groups for m in g) == [1, 2, 3, 4, 5, 6]
        colleagues = [p for p in pairs_of(groups) if max(p) <= 4]
        assert len(colleagues) == 1, groups


@settings(max_examples=50, deadline=None)
@given(candidates(), st.integers(0, 2**32), st.floats(0, 1))
def test_deterministic_for_a_seed_whatever_the_order(
    people: list[Candidate], seed: int, share: float
) -> None:
    recent = recent_pairs(people, seed, share)
    first = pair(people, recent, seed=seed)
    assert pair(list(reversed(people)), recent, seed=seed) == first
    assert pair(people, list(recent), seed=seed) == first


@settings(max_examples=100, deadline=None)
@given(candidates(), st.integers(0, 2**32), st.floats(0, 1))
def test_fast_score_agrees_with_the_rules(people: list[Candidate], seed: int, share: float) -> None:
    assume(len(people) >= 2)
    recent = recent_pairs(people, seed, share)
    round_ = Round(people, recent)
    for i in range(len(people)):
        for j in range(i + 1, len(people)):
            a, b = people[i], people[j]
            expected = preference_score(a, b)
            expected += RECENT if frozenset((a.member_id, b.member_id)) in recent else 0
            expected += SAME_ORGANIZATION if same_organization_refused(a, b) else 0
            assert round_.score(i, j) == round_.score(j, i) == expected
            assert WORST_PAIR <= preference_score(a, b) <= BEST_PAIR


def test_a_harder_rule_outweighs_every_softer_one() -> None:
    # One recent pair costs more than any preference two pairs can gain by a swap,
    # and one refused same-organization pair more than two recent pairs with them.
    assert -RECENT > PREFERENCE_SPREAD
    assert -SAME_ORGANIZATION > -2 * RECENT + PREFERENCE_SPREAD


def test_preferences_choose_the_partner() -> None:
    mentors = [Candidate(n, role="mentor", organization=f"o{n}") for n in (1, 2)]
    mentees = [Candidate(n, role="mentee", organization=f"o{n}") for n in (3, 4)]
    for seed in range(5):
        groups = pair([*mentors, *mentees], set(), seed=seed)
        assert all(len({m < 3 for m in group}) == 2 for group in groups), groups
    north = [Candidate(n, region="north", region_wish="same") for n in (1, 2)]
    south = [Candidate(n, region="south", region_wish="same") for n in (3, 4)]
    assert pair([*north, *south], set(), seed=0) == [(1, 2), (3, 4)]
    # Each wants another discipline: neither (1, 2) nor (3, 4).
    apart = [Candidate(n, discipline="epi", discipline_wish="other") for n in (1, 2)]
    apart += [Candidate(n, discipline="nursing", discipline_wish="other") for n in (3, 4)]
    for seed in range(5):
        assert all(len({m < 3 for m in group}) == 2 for group in pair(apart, set(), seed=seed))
    topics = [Candidate(n, interests=frozenset({t})) for n, t in enumerate("aabbcc")]
    assert pair(topics, set(), seed=0) == [(0, 1), (2, 3), (4, 5)]


def test_two_hundred_members_over_ten_rounds() -> None:
    """The issue's quality test: no repeats inside the window, better than random, no one left."""
    people = synthetic_members(200, seed=21)
    members = by_id(people)
    window = 5
    history: list[list[tuple[int, ...]]] = []
    ours: list[float] = []
    chance: list[float] = []
    for number in range(10):
        recent = {frozenset(p) for groups in history[-window:] for p in pairs_of(groups)}
        groups = pair(people, recent, seed=number)
        grouped = sorted(member for group in groups for member in group)
        assert grouped == sorted(members), f"round {number}: not everyone matched once"
        repeated = [p for p in pairs_of(groups) if frozenset(p) in recent]
        assert repeated == [], f"round {number}: met within the last {window} rounds"
        refused = [
            p for p in pairs_of(groups) if same_organization_refused(members[p[0]], members[p[1]])
        ]
        assert refused == [], f"round {number}: same organization"
        history.append(groups)
        ours.append(
            statistics.fmean(shared_interests(members[a], members[b]) for a, b in pairs_of(groups))
        )
        baseline = random_groups(people, seed=number)
        chance.append(
            statistics.fmean(
                shared_interests(members[a], members[b]) for a, b in pairs_of(baseline)
            )
        )
    mean_ours, mean_chance = statistics.fmean(ours), statistics.fmean(chance)
    figures = f"shared interests per pair: pairing {mean_ours:.2f}, random {mean_chance:.2f}"
    assert mean_ours >= 2 * mean_chance and mean_ours - mean_chance >= 0.5, figures
    assert min(ours) > max(chance), f"every round beats chance: {ours} vs {chance}"


def test_benchmark_runs_quick() -> None:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        bench_main(["--quick"])
    printed = out.getvalue()
    assert "500 members, 5 rounds of history" in printed, printed
    shared = next(line for line in printed.splitlines() if "shared interests/pair" in line)
    pairing, chance = (float(figure) for figure in shared.split()[-2:])
    assert pairing > chance, printed
    repeated = next(line for line in printed.splitlines() if "recent pairs repeated" in line)
    assert repeated.split()[-2] == "0", printed


def test_small_rounds() -> None:
    assert pair([], set(), seed=0) == []
    assert pair([Candidate(7)], set(), seed=0) == []
    assert pair([Candidate(1), Candidate(1), Candidate(2)], set(), seed=0) == [(1, 2)]
    # Three who all met lately still meet: no one is left out for a softer rule.
    met = {frozenset(p) for p in ((1, 2), (1, 3), (2, 3))}
    assert pair([Candidate(n) for n in (3, 1, 2)], met, seed=0) == [(1, 2, 3)]
