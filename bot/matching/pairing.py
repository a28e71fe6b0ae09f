"""Placeholder pairing (the real one comes from the pairing helper at merge).

A random valid grouping: same organization only when both agreed, pairs met in
the recent rounds avoided when possible. Pure: no I/O, stdlib only.
"""

from __future__ import annotations

import random
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import Literal

Wish = Literal["same", "other", "any"]
Role = Literal["mentor", "mentee", ""]


@dataclass(frozen=True)
class Candidate:
    member_id: int
    organization: str = ""  # folded key; "" when unknown
    region: str = ""
    discipline: str = ""
    interests: frozenset[str] = frozenset()  # folded topic keys
    region_wish: Wish = "any"
    discipline_wish: Wish = "any"
    role: Role = ""
    same_organization_ok: bool = False


def _allowed(a: Candidate, b: Candidate) -> bool:
    if a.organization and a.organization == b.organization:
        return a.same_organization_ok and b.same_organization_ok
    return True


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
    if len(candidates) < 2:
        return []
    rng = random.Random(seed)
    order = sorted(candidates, key=lambda c: c.member_id)
    best: list[tuple[int, ...]] = []
    best_bad = -1
    for _ in range(20):
        rng.shuffle(order)
        groups: list[list[Candidate]] = []
        left = list(order)
        while len(left) >= 2:
            first = left.pop(0)
            pick = next(
                (
                    i
                    for i, other in enumerate(left)
                    if _allowed(first, other)
                    and frozenset((first.member_id, other.member_id)) not in recent
                ),
                0,
            )
            groups.append([first, left.pop(pick)])
        if left:
            groups[-1].append(left[0])
        bad = sum(
            1
            for g in groups
            for i, a in enumerate(g)
            for b in g[i + 1 :]
            if not _allowed(a, b) or frozenset((a.member_id, b.member_id)) in recent
        )
        if best_bad < 0 or bad < best_bad:
            best = [tuple(c.member_id for c in g) for g in groups]
            best_bad = bad
        if bad == 0:
            break
    return best


def shared_interests(a: Candidate, b: Candidate) -> int:
    return len(a.interests & b.interests)
