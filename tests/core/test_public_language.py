"""Posts in channels speak the coalition's language; answers and direct messages speak the
reader's. Members who speak another language do everything that posts in a channel, and
every channel post (and every edit of one) is checked, in both directions."""

from __future__ import annotations

import re
from functools import cache

import pytest
from babel.messages.pofile import read_po

from bot.config import CoalitionSettings, Config
from bot.i18n import LOCALE_DIR
from bot.messages import Message
from storage import Storage
from tests.harness import Harness, text_of
from tests.scheduling.support import reminder_service, with_ref_poster

PLACEHOLDER = re.compile(r"\{\w+\}")


@cache
def pieces(language: str) -> frozenset[str]:
    """The longer literal stretches of every sentence, as said in `language`."""
    with (LOCALE_DIR / "es" / "LC_MESSAGES" / "coalition.po").open("rb") as handle:
        catalog = read_po(handle, locale="es")
    found: set[str] = set()
    for message in catalog:
        if not message.id or not message.string:
            continue
        source = message.id if language == "en" else message.string
        for sentence in [source] if isinstance(source, str) else list(source):
            found.update(p.strip() for p in PLACEHOLDER.split(sentence) if len(p.strip()) >= 12)
    return frozenset(found)


def speaks(message: Message, language: str) -> bool:
    """Says something only `language` says, and nothing only the other language says."""
    other = "es" if language == "en" else "en"
    own, theirs = pieces(language) - pieces(other), pieces(other) - pieces(language)
    said = message.fallback_text().replace("\u202f", " ")
    return any(p in said for p in own) and not any(p in said for p in theirs)


@pytest.mark.parametrize(("coalition", "members"), [("en", "es"), ("es", "en")])
async def test_channel_posts_use_the_coalitions_language(
    sqlite: Storage, coalition: str, members: str
) -> None:
    config = Config(
        coalition=CoalitionSettings(approval_required=True, language=coalition),
        admins=("console:dana",),
    )
    harness = Harness(sqlite, config)
    poster = with_ref_poster(harness)
    clicked_in_channels: list[Message] = []

    async def click(user: str, channel: str, action: str) -> None:
        post = poster.to(channel)[-1]
        button = next(b for b in post.message.buttons if b.action == action)
        reply = await harness.click(user, button)
        assert not reply.invalid_field, text_of(reply)
        if reply.update_original is not None:
            clicked_in_channels.append(reply.update_original)

    # Joins: requests to the reviews channel, decided by a coordinator of the members' language.
    await harness.join("dana", "Dana Reyes", language=members)
    await harness.join("ana", "Ana Ruiz", language=members)
    await click("dana", "#coordinators", "join.approve")
    await harness.join("pedro", "Pedro Gil", language=members)
    await click("dana", "#coordinators", "join.decline")
    await harness.join("pedro", "Pedro Gil", language=members)
    await click("dana", "#coordinators", "join.approve")
    await click("dana", "#coordinators", "join.approve")  # a second click: already decided
    await harness.say("dana", "role grant @ana coordinator")

    # Discussions: opened and closed with a summary by a member.
    await harness.say("pedro", 'discussion start title="Heat plans" question="Who runs them?"')
    await harness.say("pedro", 'discussion close id=1 summary="Counties run them."')

    # Meetings: scheduled, announced, answered (the announcement is edited with the counts).
    await harness.say(
        "ana",
        'meeting schedule title="Office hours" date=2026-03-05 time=9am '
        "timezone=America/Chicago link=https://zoom.us/j/1",
    )
    await reminder_service(harness).run_due()
    await click("pedro", "#announcements", "meeting.rsvp_yes")
    await reminder_service(harness).run_due()

    # Resources: suggested, posted for review, approved, published.
    await harness.say(
        "pedro",
        'resource suggest url=https://example.org/heat title="Heat toolkit" '
        'description="Cooling centers" type=toolkit topics=climate',
    )
    await click("ana", "#coordinators", "resource.approve")

    channels = {p.where for p in poster.posts if p.where.startswith("#")}
    assert channels >= {"#coordinators", "#discussions", "#announcements", "#resources"}
    for post in poster.posts:
        for shown in (post.message, *post.edits):
            if post.where.startswith("#"):
                assert speaks(shown, coalition), (post.where, shown.fallback_text())
            else:  # a direct message: the reader's language
                assert speaks(shown, members), (post.where, shown.fallback_text())
    for shown in clicked_in_channels:
        assert speaks(shown, coalition), shown.fallback_text()
    dms = {p.where for p in poster.posts if p.where.startswith("@")}
    assert dms >= {"@ana", "@pedro"}  # welcomed, declined, made a coordinator
