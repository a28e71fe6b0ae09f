"""The pace of a poll's post edits (bot/polls/edits.py): at most one per second per post,
always ending with the current counts, also when another replica votes meanwhile.

Time passes in steps (tests/pauses.py): each tick is the second every pause waits for.
"""

from __future__ import annotations

import asyncio
import math
from dataclasses import dataclass, field

import pytest

from bot.messages import Message
from bot.polls.edits import PollEdits
from bot.posted import PostedMessage
from tests.harness import Harness
from tests.pauses import Seconds
from tests.scheduling.support import Post, RefPoster, with_ref_poster

CREATE = 'poll create question="Which day?" options="Tuesday, Wednesday"'
VOTERS = [f"voter{n}" for n in range(12)]


async def poll_with_voters(harness: Harness, poster: RefPoster) -> Post:
    await harness.join("admin", "Admin")
    for user in VOTERS:
        await harness.join(user, f"Voter {user}")
    await harness.say("admin", CREATE)
    return poster.to("#announcements")[-1]


def paced(harness: Harness) -> tuple[PollEdits, Seconds]:
    services = harness.dispatcher.services
    seconds = Seconds(harness.clock)
    edits = PollEdits(services, pause=seconds.pause)
    services.add(edits)
    return edits, seconds


async def until_quiet(edits: PollEdits, seconds: Seconds) -> int:
    """Let seconds pass until no edit is pending; how many passed."""
    ticks = 0
    quiet = asyncio.ensure_future(edits.settled())
    while not quiet.done():
        waiting = asyncio.ensure_future(seconds.paused())
        await asyncio.wait({quiet, waiting}, return_when=asyncio.FIRST_COMPLETED)
        waiting.cancel()
        if not quiet.done():
            seconds.tick()
            ticks += 1
    return ticks


@pytest.mark.both_databases
async def test_rapid_votes_make_one_edit_per_second_ending_with_the_final_counts(
    harness: Harness,
) -> None:
    poster = with_ref_poster(harness)
    post = await poll_with_voters(harness, poster)
    edits, seconds = paced(harness)
    duration = 3  # seconds during which votes come, 4 at once each second
    for second in range(duration):
        voters = VOTERS[second * 4 : second * 4 + 4]
        await asyncio.gather(*(harness.click(v, post.button("Tuesday")) for v in voters))
        if second == 0:
            assert len(post.edits) == 1, "the first vote after a quiet second edits at once"
        await seconds.paused()
        seconds.tick()
    await until_quiet(edits, seconds)
    assert 2 <= len(post.edits) <= math.ceil(duration) + 1
    assert "12 votes (100%)" in post.text and "12 members have voted" in post.text
    assert all(asked == 1.0 for asked in seconds.asked)


async def test_a_quiet_poll_edits_at_once_and_stops_waiting(harness: Harness) -> None:
    poster = with_ref_poster(harness)
    post = await poll_with_voters(harness, poster)
    edits, seconds = paced(harness)
    await harness.click("voter0", post.button("Tuesday"))
    assert len(post.edits) == 1 and "1 vote (100%)" in post.text
    assert await until_quiet(edits, seconds) == 1  # one second with no vote: no edit
    await harness.click("voter1", post.button("Wednesday"))
    assert len(post.edits) == 2 and "1 member has voted" not in post.text


async def test_stopping_makes_the_trailing_edit_at_once(harness: Harness) -> None:
    poster = with_ref_poster(harness)
    post = await poll_with_voters(harness, poster)
    edits, _ = paced(harness)
    await harness.click("voter0", post.button("Tuesday"))
    await harness.click("voter1", post.button("Tuesday"))
    assert "1 vote (100%)" in post.text
    assert await edits.flush() == 1  # no tick: the pause is cut short
    assert "2 votes (100%)" in post.text


async def test_closing_while_paced_removes_the_buttons_after_the_second(harness: Harness) -> None:
    poster = with_ref_poster(harness)
    post = await poll_with_voters(harness, poster)
    edits, seconds = paced(harness)
    await harness.click("voter0", post.button("Tuesday"))
    await harness.say("admin", "poll close 1")
    assert any("Poll closed" in p.text for p in poster.to("#announcements"))
    assert post.edits[-1].buttons != ()
    await until_quiet(edits, seconds)
    assert post.edits[-1].buttons == () and len(post.edits) == 2


@dataclass
class HeldPoster(RefPoster):
    """Edits wait while `held` (a slow platform): another replica's edit overtakes them."""

    held: asyncio.Event | None = None
    entered: asyncio.Event = field(default_factory=asyncio.Event)

    async def edit(self, posted: PostedMessage, message: Message) -> None:
        if self.held is not None:
            self.entered.set()
            await self.held.wait()
        await super().edit(posted, message)


@pytest.mark.both_databases
async def test_an_edit_overtaken_by_another_replica_is_made_again(harness: Harness) -> None:
    """Replica A reads 1 vote; B's vote and edit (2 votes) land first; A's stale edit lands
    last. A reads the poll again after its edit, sees it changed, and edits once more."""
    poster = HeldPoster()
    harness.dispatcher.broadcaster.disconnect("console")
    harness.dispatcher.broadcaster.connect(poster)
    post = await poll_with_voters(harness, poster)
    edits, seconds = paced(harness)
    other = Harness(harness.storage, harness.config)  # replica B: the same database and post
    other.dispatcher.broadcaster.disconnect("console")
    other.dispatcher.broadcaster.connect(RefPoster(posts=poster.posts))

    poster.held = asyncio.Event()
    first = asyncio.ensure_future(harness.click("voter0", post.button("Tuesday")))
    await poster.entered.wait()  # A has read the counts: 1 vote
    await other.click("voter1", post.button("Tuesday"))
    assert "2 votes (100%)" in post.text
    poster.held.set()
    await first
    assert "1 vote (100%)" in post.text  # A's stale edit landed last
    await until_quiet(edits, seconds)
    assert "2 votes (100%)" in post.text and len(post.edits) == 3
