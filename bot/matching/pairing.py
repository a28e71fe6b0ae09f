"""Who meets whom in a matching round: pure, deterministic, standard library only.

The rules and the score of a pair that weighs them are in bot/matching/scoring.py.

Scoring every pair of 5,000 members (12.5 million) is too slow in Python, and so is an
exact maximum-weight matching over that complete graph (networkx's blossom algorithm
is cubic). Instead each person gets a short list of promising partners, drawn from the
people sharing one of their interests, their region or discipline when they asked for
the same one, the opposite role, and a few at random; then:

1. greedy: the best-scoring edges of those lists first, each joining two free people;
2. the few left over are paired among themselves, best of a window each;
3. local improvement (2-opt): for a in (a, b) and c in a's list with (c, d), swap to
   (a, c), (b, d), or else (a, d), (b, c), when that raises the two pairs' total;
4. repair: a pair that still breaks a soft rule looks at every other pair for the
   swap that fixes it (bounded, so an impossible case stays fast);
5. odd count: the one left joins the pair where they score best.
"""

from __future__ import annotations

import random
from collections.abc import Collection, Sequence
from itertools import islice

from bot.matching.scoring import BEST_PAIR, RECENT, Candidate, Round

# How many partners each person's list draws from each source, and how long it stays.
_PER_INTEREST = 8
_PER_BUCKET = 6
_AT_RANDOM = 6
_LIST_LENGTH = 32
_IMPROVEMENT_PASSES = 3
_LEFTOVER_WINDOW = 64
_REPAIR_BUDGET_PER_PERSON = 20  # pair looks per person in the repair step


# A person's list: (score, partner index), best first.
_Listed = list[tuple[int, int]]


def _candidate_lists(round_: Round, rng: random.Random) -> list[_Listed]:
    """Each person's most promising partners, drawn from the people likely to fit."""
    people, count = round_.people, round_.count
    buckets: dict[tuple[str, str], list[int]] = {}
    for i, person in enumerate(people):
        for topic in sorted(person.interests):
            buckets.setdefault(("interest", topic), []).append(i)
        if person.region:
            buckets.setdefault(("region", person.region), []).append(i)
        if person.discipline:
            buckets.setdefault(("discipline", person.discipline), []).append(i)
        if person.role:
            buckets.setdefault(("role", person.role), []).append(i)
    for members in buckets.values():
        rng.shuffle(members)

    def draw(key: tuple[str, str], how_many: int, into: set[int]) -> None:
        # A window of the shuffled bucket at a random start: cheaper than rng.sample.
        members = buckets.get(key)
        if not members:
            return
        start = rng.randrange(len(members))
        into.update(members[start : start + how_many])
        if start + how_many > len(members):
            into.update(members[: start + how_many - len(members)])

    lists: list[_Listed] = []
    for i, person in enumerate(people):
        drawn: set[int] = set()
        for topic in sorted(person.interests):
            draw(("interest", topic), _PER_INTEREST, drawn)
        if person.region_wish == "same":
            draw(("region", person.region), _PER_BUCKET, drawn)
        if person.discipline_wish == "same":
            draw(("discipline", person.discipline), _PER_BUCKET, drawn)
        if person.role:
            draw(("role", "mentee" if person.role == "mentor" else "mentor"), _PER_BUCKET, drawn)
        drawn.update(rng.randrange(count) for _ in range(_AT_RANDOM))
        drawn.discard(i)
        scored = sorted(((round_.score(i, j), j) for j in drawn), key=lambda s: (-s[0], s[1]))
        lists.append(scored[:_LIST_LENGTH])
    return lists


def _greedy(round_: Round, lists: list[_Listed], rng: random.Random) -> None:
    edges = [(score, rng.random(), i, j) for i, listed in enumerate(lists) for score, j in listed]
    edges.sort(reverse=True)
    mate = round_.mate
    for _, _, i, j in edges:
        if mate[i] < 0 and mate[j] < 0:
            round_.pair(i, j)
    # Those whose every listed partner was taken: pair them among themselves.
    left = [i for i in range(round_.count) if mate[i] < 0]
    for position, i in enumerate(left):
        if mate[i] >= 0:
            continue
        ahead = (left[k] for k in range(position + 1, len(left)) if mate[left[k]] < 0)
        window = list(islice(ahead, _LEFTOVER_WINDOW))
        if window:
            round_.pair(i, max(window, key=lambda j: round_.score(i, j)))


def _improve(round_: Round, lists: list[_Listed], order: list[int]) -> None:
    """2-opt: (a, b) + (c, d) becomes (a, c) + (b, d), or (a, d) + (b, c), if higher.

    Against an exact maximum-weight matching (networkx, 200 members, the bench's
    profiles) the result scores about 94% of the optimum; with every pair listed
    instead of ~32 it is 96%, at ten times the cost.
    """
    mate, score = round_.mate, round_.score
    current = [score(i, mate[i]) if mate[i] >= 0 else 0 for i in range(round_.count)]
    # Nearly a bound on anyone's pair score: the best of their list (the list was drawn
    # where their best partners are). Used to skip swaps that would hardly gain.
    top = [listed[0][0] if listed else BEST_PAIR for listed in lists]
    for _ in range(_IMPROVEMENT_PASSES):
        changed = False
        for a in order:
            b = mate[a]
            if b < 0:
                continue
            for with_c, c in lists[a]:
                d = mate[c]
                if c == b or d < 0 or d == a:
                    continue
                # Skip, without scoring (b, d), the swaps that (b, d) cannot pay for:
                # most of them, once the grouping is good.
                if with_c + min(top[b], top[d]) <= current[a] + current[c]:
                    continue
                with_d = score(b, d)
                if with_c + with_d > current[a] + current[c]:
                    round_.pair(a, c)
                    round_.pair(b, d)
                    current[a] = current[c] = with_c
                    current[b] = current[d] = with_d
                    b = c
                    changed = True
                else:
                    # The other way to join the four: (a, d) and (b, c).
                    b_c = score(b, c)
                    if b_c + min(top[a], top[d]) <= current[a] + current[c]:
                        continue
                    a_d = score(a, d)
                    if a_d + b_c > current[a] + current[c]:
                        round_.pair(a, d)
                        round_.pair(b, c)
                        current[a] = current[d] = a_d
                        current[b] = current[c] = b_c
                        b = d
                        changed = True
        if not changed:
            return


def _repair(round_: Round, order: list[int]) -> None:
    """Pairs that still break a soft rule try every other pair for a swap that fixes it."""
    mate, score = round_.mate, round_.score
    budget = _REPAIR_BUDGET_PER_PERSON * round_.count
    breaking = [a for a in order if mate[a] > a and score(a, mate[a]) <= RECENT + BEST_PAIR]
    while breaking and budget > 0:
        budget = _repair_pass(round_, order, breaking, budget)
        breaking = [a for a in order if mate[a] > a and score(a, mate[a]) <= RECENT + BEST_PAIR]


def _repair_pass(round_: Round, order: list[int], breaking: list[int], budget: int) -> int:
    """One look for each rule-breaking pair; returns the budget left (0 when nothing moved)."""
    mate, score = round_.mate, round_.score
    moved = False
    for a in breaking:
        b = mate[a]
        if score(a, b) > RECENT + BEST_PAIR:  # fixed by an earlier swap of this pass
            continue
        current = score(a, b)
        best_gain, best = 0, (-1, -1, -1, -1)
        for c in order:
            d = mate[c]
            if d < c or c in (a, b):
                continue
            budget -= 1
            if budget < 0:
                return 0
            here = current + score(c, d)
            for x, y, u, v in ((a, c, b, d), (a, d, b, c)):
                gain = score(x, y) + score(u, v) - here
                if gain > best_gain:
                    best_gain, best = gain, (x, y, u, v)
        if best_gain > 0:
            x, y, u, v = best
            round_.pair(x, y)
            round_.pair(u, v)
            moved = True
    return budget if moved else 0


def pair(
    candidates: Sequence[Candidate],
    recent: Collection[frozenset[int]],
    *,
    seed: int,
) -> list[tuple[int, ...]]:
    """Groups of member ids: pairs, plus one group of three when the count is odd.

    Every candidate appears in exactly one group (when there are at least 2).
    `recent` holds the member-id pairs met within the last N rounds: they are
    avoided. Same organization only when both said same_organization_ok.
    Deterministic for a given seed.
    """
    # A member listed twice is grouped once (the last listing), never with themselves.
    unique = list({person.member_id: person for person in candidates}.values())
    if len(unique) < 2:
        return []
    # Sorted first, so the result depends on the seed and not on the callers' order.
    people = sorted(unique, key=lambda person: person.member_id)
    rng = random.Random(seed)
    round_ = Round(people, recent)
    lists = _candidate_lists(round_, rng)
    order = list(range(round_.count))
    rng.shuffle(order)
    _greedy(round_, lists, rng)
    _improve(round_, lists, order)
    _repair(round_, order)
    groups: list[list[int]] = [[i, round_.mate[i]] for i in order if round_.mate[i] > i]
    odd = [i for i in order if round_.mate[i] < 0]
    if odd:
        # The odd one out joins the pair whose two members they score best with.
        x = odd[0]
        best = max(groups, key=lambda group: round_.score(x, group[0]) + round_.score(x, group[1]))
        best.append(x)
    result = [tuple(sorted(people[i].member_id for i in group)) for group in groups]
    return sorted(result)
