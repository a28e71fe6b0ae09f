"""Expired delivery claims go in one job for every platform (adapters/bootstrap.py)."""

from __future__ import annotations

from adapters.bootstrap import build_app
from adapters.discord.claims import KEEP, Claims
from adapters.slack.retries import KEEP_CLAIMS, database_claim
from bot.clock import ManualClock
from bot.config import Config, Secrets
from storage import Storage
from tests.harness import START, Harness


async def test_one_job_on_the_leader_forgets_every_platforms_expired_claims(
    storage: Storage,
) -> None:
    clock = ManualClock(START)
    app = build_app(Config(), Secrets(), clock=clock, storage=storage)
    assert app.scheduler is not None
    (job,) = (j for j in app.scheduler.periodic if "claim" in j.name)
    assert job.leader_only
    slack = database_claim(storage.interactions, clock)  # kept an hour
    discord = Claims(storage.interactions, clock)  # kept 15 minutes
    assert await slack("event:Ev1") and await discord.interaction(1001)
    await job.work()
    assert await claims(storage) == 2  # not expired yet: kept
    clock.advance(KEEP)
    await job.work()
    assert await claims(storage) == 1  # Discord's went, Slack's is kept longer
    assert not await slack("event:Ev1")
    clock.advance(KEEP_CLAIMS - KEEP)
    await job.work()
    assert await claims(storage) == 0


async def claims(storage: Storage) -> int:
    return await Harness(storage).storage_count("interaction_claims")
