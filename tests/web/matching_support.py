"""A matching round held and half answered, and Dana (coordinator) to see its figures."""

from __future__ import annotations

from datetime import timedelta

from storage import Storage
from tests.core.test_matching import next_round, rounds
from tests.core.test_resources import setup
from tests.harness import Harness, text_of
from tests.scheduling.support import with_ref_poster
from tests.web.dashboard_support import WEB

MATCHED = ("Maria Lopez", "Lee Park", "Sam Diaz", "Kim Wu")  # no page may name them


async def matched(storage: Storage) -> Harness:
    """Maria, Lee, Sam and Kim in peer matching, Kim snoozed: one round of one group of
    three; a week later Maria met, Lee not yet, Sam has not answered."""
    harness = Harness(storage, WEB)
    await setup(harness)  # admin, Dana (coordinator) and Maria
    chat = with_ref_poster(harness)
    for user, name in (("lee", "Lee Park"), ("sam", "Sam Diaz"), ("kim", "Kim Wu")):
        await harness.join(user, name)
    for user in ("maria", "lee", "sam", "kim"):
        assert "peer matching" in text_of(await harness.say(user, "match join region=any"))
    held = next_round(harness)
    later = (held + timedelta(days=30)).date().isoformat()
    assert "Snoozed" in text_of(await harness.say("kim", f"match snooze until={later}"))
    harness.clock.set(held)
    assert await rounds(harness).run_due() == 1
    harness.clock.advance(timedelta(days=7))
    await rounds(harness).run_due()
    asked = {p.where: p for p in chat.posts if "Did you meet" in p.text}
    await harness.click("maria", asked["@maria"].button("Yes"))
    await harness.click("lee", asked["@lee"].button("Not yet"))
    return harness
