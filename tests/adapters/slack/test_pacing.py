"""The Slack poster under Slack's limits: DM channels opened one at a time (Tier 3)."""

from __future__ import annotations

import asyncio

from storage import Storage
from tests.adapters.slack.harness import slack_bot
from tests.fakes.slack import FakeSlack

PEOPLE = [f"UP{n:03d}" for n in range(10)]


async def test_a_fan_out_of_dms_under_tier_3_loses_none_and_waits_out_each_429(
    sqlite: Storage,
) -> None:
    """10 DMs at once; conversations.open allows 4 at once, then 2 a second. Opened one
    at a time, each open past the burst is refused at most once (its Retry-After waited
    out by the client's handler); at once, several would retry into more 429s."""
    users = {user: {"real_name": user} for user in PEOPLE}
    async with FakeSlack(users=users) as fake, slack_bot(fake, sqlite) as (_, bot):
        fake.rate_limit_method("conversations.open", 120, burst=4)
        channels = await asyncio.gather(*(bot.poster.dm_channel(u) for u in PEOPLE))
        opens = fake.calls_to("conversations.open")
        assert len(set(channels)) == len(PEOPLE)
        assert sum(1 for c in opens if c.ok) == len(PEOPLE)
        assert 1 <= fake.rate_limited_count <= len(PEOPLE) - 4
        # Known for the process's life: no second open.
        assert await bot.poster.dm_channel(PEOPLE[0]) == channels[0]
        assert len(fake.calls_to("conversations.open")) == len(opens)
