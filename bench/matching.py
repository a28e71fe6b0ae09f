"""A peer-matching round for 5,000 opted-in members with 20 rounds of history.

Makes synthetic profiles shaped like a coalition's (topics of uneven popularity,
large and small health departments, a few mentors and more mentees, wishes for the
same or other region and discipline), then runs `--history` rounds of the real
pairing, each round's pairs becoming `recent` for the next: the rounds the bot would
have run, so its own favourite pairs are the ones now forbidden. Then it times one
more round, and prints its quality beside a baseline measured in the same run:
random pairing of the same people (the mean over `--baseline` shuffles).

The time is printed as elapsed (wall) and as this process's CPU time: on a machine
shared with other work the CPU time is the one to compare with the target.

    python -m bench matching [--members 5000] [--history 20] [--quick]
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import get_args

from bot.matching.pairing import pair
from bot.matching.scoring import (
    Candidate,
    Role,
    Wish,
    same_organization_refused,
    shared_interests,
    wishes_met,
)

TOPICS = [f"topic-{n:02d}" for n in range(40)]
REGIONS = [f"region-{n}" for n in range(12)]
DISCIPLINES = [f"discipline-{n}" for n in range(10)]
WISHES: tuple[Wish, ...] = get_args(Wish)


def synthetic_members(count: int, seed: int) -> list[Candidate]:
    """Profiles of `count` opted-in members, the same for the same seed."""
    rng = random.Random(seed)
    topic_weights = [1 / (rank + 1) for rank in range(len(TOPICS))]  # a few popular topics
    # Organizations of uneven size: about one per eight members, a few large departments.
    organizations = [f"org-{n}" for n in range(max(1, count // 8))]
    organization_weights = [1 / (rank + 1) ** 0.7 for rank in range(len(organizations))]
    roles: tuple[Role, ...] = ("mentor", "mentee", "")
    people = []
    for member_id in range(1, count + 1):
        interests = frozenset(rng.choices(TOPICS, topic_weights, k=rng.randint(1, 5)))
        people.append(
            Candidate(
                member_id=member_id,
                organization=rng.choices(organizations, organization_weights)[0],
                region=rng.choice(REGIONS),
                discipline=rng.choice(DISCIPLINES),
                interests=interests,
                region_wish=rng.choices(WISHES, (3, 3, 4))[0],
                discipline_wish=rng.choices(WISHES, (3, 3, 4))[0],
                role=rng.choices(roles, (1, 1.5, 7.5))[0],
                same_organization_ok=rng.random() < 0.1,
            )
        )
    return people


@dataclass(frozen=True)
class Quality:
    mean_shared: float  # shared interests per pair (each pair of a group of three counts)
    wishes_met: float  # share of stated region and discipline wishes met
    same_organization: int  # pairs of one organization that not both allowed
    recent: int  # pairs met within the window
    mentor_pairs: float  # share of mentees paired with a mentor


def pairs_of(groups: Sequence[tuple[int, ...]]) -> list[tuple[int, int]]:
    return [(g[i], g[j]) for g in groups for i in range(len(g)) for j in range(i + 1, len(g))]


def quality(
    people: Sequence[Candidate], groups: Sequence[tuple[int, ...]], recent: set[frozenset[int]]
) -> Quality:
    by_id = {person.member_id: person for person in people}
    pairs = [(by_id[a], by_id[b]) for a, b in pairs_of(groups)]
    met = stated = 0
    for a, b in pairs:
        m, s = wishes_met(a, b)
        met, stated = met + m, stated + s
    mentees = [p.member_id for p in people if p.role == "mentee"]
    with_mentor = {
        person.member_id
        for a, b in pairs
        for person, other in ((a, b), (b, a))
        if person.role == "mentee" and other.role == "mentor"
    }
    return Quality(
        mean_shared=statistics.fmean(shared_interests(a, b) for a, b in pairs),
        wishes_met=met / stated if stated else 1.0,
        same_organization=sum(same_organization_refused(a, b) for a, b in pairs),
        recent=sum(frozenset((a.member_id, b.member_id)) in recent for a, b in pairs),
        mentor_pairs=len(with_mentor) / len(mentees) if mentees else 1.0,
    )


def random_groups(people: Sequence[Candidate], seed: int) -> list[tuple[int, ...]]:
    """The baseline: shuffle and cut into pairs, the last three together when odd."""
    ids = [person.member_id for person in people]
    random.Random(seed).shuffle(ids)
    groups = [tuple(ids[i : i + 2]) for i in range(0, len(ids) - len(ids) % 2, 2)]
    if len(ids) % 2:
        groups[-1] += (ids[-1],)
    return groups


def rounds(
    people: Sequence[Candidate], count: int, window: int, seed: int
) -> tuple[list[list[tuple[int, ...]]], list[float]]:
    """`count` rounds, each avoiding the pairs of the `window` rounds before it."""
    history: list[list[tuple[int, ...]]] = []
    seconds: list[float] = []
    for number in range(count):
        recent = {frozenset(p) for groups in history[-window:] for p in pairs_of(groups)}
        started = time.perf_counter()
        history.append(pair(people, recent, seed=seed + number))
        seconds.append(time.perf_counter() - started)
    return history, seconds


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench matching")
    parser.add_argument("--members", type=int, default=5000)
    parser.add_argument("--history", type=int, default=20)
    parser.add_argument("--baseline", type=int, default=5, help="random pairings averaged")
    parser.add_argument("--quick", action="store_true", help="500 members, 5 rounds")
    args = parser.parse_args(argv)
    if args.quick:
        args.members, args.history = 500, 5
    people = synthetic_members(args.members, seed=1)
    history, history_seconds = rounds(people, args.history, args.history, seed=100)
    recent = {frozenset(p) for groups in history for p in pairs_of(groups)}
    started, cpu_started = time.perf_counter(), time.process_time()
    groups = pair(people, recent, seed=100 + args.history)
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    ours = quality(people, groups, recent)
    baselines = [quality(people, random_groups(people, n), recent) for n in range(args.baseline)]
    base = Quality(
        mean_shared=statistics.fmean(b.mean_shared for b in baselines),
        wishes_met=statistics.fmean(b.wishes_met for b in baselines),
        same_organization=round(statistics.fmean(b.same_organization for b in baselines)),
        recent=round(statistics.fmean(b.recent for b in baselines)),
        mentor_pairs=statistics.fmean(b.mentor_pairs for b in baselines),
    )
    matched = sum(len(g) for g in groups)
    print(
        f"matching round, {args.members} members, {args.history} rounds of history "
        f"({len(recent)} recent pairs to avoid)"
    )
    if history_seconds:
        print(
            f"  history rounds     mean {statistics.fmean(history_seconds):6.2f} s   "
            f"max {max(history_seconds):6.2f} s"
        )
    print(
        f"  this round         {seconds:6.2f} s   CPU {cpu:6.2f} s   (target < 2 s)"
        f"   {matched} of {len(people)} matched"
    )
    print(f"  {'':<24}{'pairing':>10}{'random':>10}")
    for label, value, baseline in (
        ("shared interests/pair", f"{ours.mean_shared:.2f}", f"{base.mean_shared:.2f}"),
        ("wishes met", f"{ours.wishes_met:.0%}", f"{base.wishes_met:.0%}"),
        ("mentees with a mentor", f"{ours.mentor_pairs:.0%}", f"{base.mentor_pairs:.0%}"),
        ("same-org pairs refused", f"{ours.same_organization}", f"{base.same_organization}"),
        ("recent pairs repeated", f"{ours.recent}", f"{base.recent}"),
    ):
        print(f"  {label:<24}{value:>10}{baseline:>10}")


if __name__ == "__main__":
    main([])
