"""One instance takes each platform delivery: the claim table, on both databases."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from storage import Storage

NOW = datetime(2026, 12, 4, 15, 0, tzinfo=UTC)
KEEP = timedelta(minutes=10)


async def test_the_first_claim_wins_and_later_ones_are_refused(storage: Storage) -> None:
    claims = storage.interactions
    assert await claims.first("discord", "1234", now=NOW, keep=KEEP)
    assert not await claims.first("discord", "1234", now=NOW + timedelta(seconds=1), keep=KEEP)
    # The same id on another platform is another delivery.
    assert await claims.first("slack", "1234", now=NOW, keep=KEEP)


async def test_claims_at_the_same_moment_give_exactly_one_winner(storage: Storage) -> None:
    results = await asyncio.gather(
        *(storage.interactions.first("slack", "event:Ev1", now=NOW, keep=KEEP) for _ in range(8))
    )
    assert sorted(results) == [False] * 7 + [True]


async def test_an_expired_claim_can_be_taken_again_and_is_forgotten(storage: Storage) -> None:
    claims = storage.interactions
    assert await claims.first("slack", "trigger:9", now=NOW, keep=KEEP)
    later = NOW + KEEP
    assert await claims.first("slack", "trigger:9", now=later, keep=KEEP)
    assert await claims.first("slack", "trigger:10", now=NOW, keep=KEEP)
    assert await claims.forget_expired(later + timedelta(seconds=1)) == 1
    assert not await claims.first("slack", "trigger:9", now=later, keep=KEEP)
