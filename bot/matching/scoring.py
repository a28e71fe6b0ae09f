"""The score of a pair in a matching round: the rules, as terms of one number.

Pure, standard library only; the search for the grouping is bot/matching/pairing.py.

The rules, from hardest to softest:

- **Hard, never broken:** every candidate is in exactly one group; groups are pairs,
  plus one group of three when the count is odd. No one is left out to keep a softer
  rule (an opted-in member who is never matched is the failure this exists to avoid).
- **Soft, strongest:** two people of the same organization meet only when both said
  `same_organization_ok` (`SAME_ORGANIZATION`). Broken only when the organization holds
  more than half of the round, where no grouping can keep it.
- **Soft, strong:** people met within the last N rounds (`recent`) are not paired again
  (`RECENT`). Broken only when the other rules leave no way around it.
- **Soft, preferences:** shared interests, each person's region and discipline wish
  (same / other / any), and mentor with mentee. These are what the search maximises.

Each rule is a term of one score per pair, and the penalties are sized so that the
sum of every preference two pairs can hold (`PREFERENCE_SPREAD`) is smaller than one
`RECENT`, and two `RECENT`s with it are smaller than one `SAME_ORGANIZATION`: a swap
that keeps a harder rule is always worth more than any preference it costs.
"""

from __future__ import annotations

from collections.abc import Collection
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


# The score of a pair. Preferences first; the penalties are sized from their spread.
PER_SHARED_INTEREST = 3
MAX_SHARED_COUNTED = 4  # past four shared topics, more says little about a good talk
WISH_MET = 2  # per person and per wish (region, discipline) that is not "any"
WISH_MISSED = -1  # known and not as wished; unknown region or discipline counts neither
MENTOR_WITH_MENTEE = 5
TWO_MENTEES = -2  # two people who both came to learn; two mentors are fine peers
BEST_PAIR = PER_SHARED_INTEREST * MAX_SHARED_COUNTED + 4 * WISH_MET + MENTOR_WITH_MENTEE
WORST_PAIR = 4 * WISH_MISSED + TWO_MENTEES
PREFERENCE_SPREAD = 2 * (BEST_PAIR - WORST_PAIR)  # the most two pairs' preferences can move
RECENT = -(PREFERENCE_SPREAD + 1)
SAME_ORGANIZATION = 2 * RECENT - PREFERENCE_SPREAD - 1


def shared_interests(a: Candidate, b: Candidate) -> int:
    return len(a.interests & b.interests)


def _wish_score(wish: Wish, mine: str, theirs: str) -> int:
    if wish == "any" or not mine or not theirs:
        return 0
    if (mine == theirs) == (wish == "same"):
        return WISH_MET
    return WISH_MISSED


def preference_score(a: Candidate, b: Candidate) -> int:
    """What two people would like about meeting: interests, wishes, roles."""
    score = PER_SHARED_INTEREST * min(shared_interests(a, b), MAX_SHARED_COUNTED)
    score += _wish_score(a.region_wish, a.region, b.region)
    score += _wish_score(b.region_wish, b.region, a.region)
    score += _wish_score(a.discipline_wish, a.discipline, b.discipline)
    score += _wish_score(b.discipline_wish, b.discipline, a.discipline)
    if a.role and b.role:
        if a.role != b.role:
            score += MENTOR_WITH_MENTEE
        elif a.role == "mentee":
            score += TWO_MENTEES
    return score


def same_organization_refused(a: Candidate, b: Candidate) -> bool:
    """Same known organization, and not both said it was fine."""
    return (
        bool(a.organization)
        and a.organization == b.organization
        and not (a.same_organization_ok and b.same_organization_ok)
    )


def wishes_met(a: Candidate, b: Candidate) -> tuple[int, int]:
    """(met, stated) over both people's region and discipline wishes: for reports."""
    met = stated = 0
    for wish, mine, theirs in (
        (a.region_wish, a.region, b.region),
        (b.region_wish, b.region, a.region),
        (a.discipline_wish, a.discipline, b.discipline),
        (b.discipline_wish, b.discipline, a.discipline),
    ):
        if wish != "any":
            stated += 1
            met += _wish_score(wish, mine, theirs) == WISH_MET
    return met, stated


# A wish's score when the two are the same (index 0, False) or differ (1, True).
_WISH_SCORES = {
    "any": (0, 0),
    "same": (WISH_MET, WISH_MISSED),
    "other": (WISH_MISSED, WISH_MET),
}
_ROLE_CODES = {"": 0, "mentor": 1, "mentee": 2}
# By the two role codes: mentor with mentee, two mentees; anything else scores nothing.
_ROLE_SCORES = ((0, 0, 0), (0, 0, MENTOR_WITH_MENTEE), (0, MENTOR_WITH_MENTEE, TWO_MENTEES))


class Round:
    """One round's people by index, with the pair score and the current grouping
    (`mate`: each one's partner, -1 for none yet; bot/matching/pairing.py searches it).

    `score` is `preference_score` plus the penalties, on small integers prepared once:
    it runs about a million times in a round of 5,000, so it is written for speed (a
    test checks that it agrees with the readable functions above).
    """

    def __init__(self, people: list[Candidate], recent: Collection[frozenset[int]]) -> None:
        self.people = people
        count = len(people)
        self.count = count
        index = {person.member_id: i for i, person in enumerate(people)}
        self.recent: set[int] = set()
        for met in recent:
            ids = [index.get(member) for member in met]
            if len(ids) == 2 and ids[0] is not None and ids[1] is not None:
                low, high = sorted((ids[0], ids[1]))
                self.recent.add(low * count + high)
        codes: dict[str, int] = {"": 0}  # every folded key a small integer; 0 is unknown

        def code(key: str) -> int:
            return codes.setdefault(key, len(codes))

        interests = [person.interests for person in people]
        organization = [code(person.organization) for person in people]
        organization_ok = [person.same_organization_ok for person in people]
        region = [code(person.region) for person in people]
        discipline = [code(person.discipline) for person in people]
        # What each person's wish adds, indexed by 0 when the two are the same, 1 other.
        region_wish = [_WISH_SCORES[person.region_wish] for person in people]
        discipline_wish = [_WISH_SCORES[person.discipline_wish] for person in people]
        role = [_ROLE_SCORES[_ROLE_CODES[person.role]] for person in people]
        role_code = [_ROLE_CODES[person.role] for person in people]
        recent_keys = self.recent

        def score(i: int, j: int) -> int:
            # Locals, no attribute lookups, no loops: this is the round's hot path.
            shared = len(interests[i] & interests[j])
            total = PER_SHARED_INTEREST * (
                shared if shared < MAX_SHARED_COUNTED else MAX_SHARED_COUNTED
            )
            mine, theirs = region[i], region[j]
            if mine and theirs:
                other = mine != theirs
                total += region_wish[i][other] + region_wish[j][other]
            mine, theirs = discipline[i], discipline[j]
            if mine and theirs:
                other = mine != theirs
                total += discipline_wish[i][other] + discipline_wish[j][other]
            total += role[i][role_code[j]]
            if (i * count + j if i < j else j * count + i) in recent_keys:
                total += RECENT
            mine = organization[i]
            if mine and mine == organization[j] and not (organization_ok[i] and organization_ok[j]):
                total += SAME_ORGANIZATION
            return total

        self.score = score
        self.mate = [-1] * count

    def pair(self, i: int, j: int) -> None:
        self.mate[i], self.mate[j] = j, i
