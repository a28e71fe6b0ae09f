"""After `leave`, nothing personal remains on either database: what the person gave the
coalition stays, tied to a tombstone, and its records show "Former member"."""

from __future__ import annotations

import json

from sqlalchemy import select

from storage import Storage
from storage.schema import Base
from tests.harness import Harness, text_of
from tests.scheduling.support import reminder_service, with_ref_poster

NAME, ORGANIZATION = "Maria Lopez", "Maria Lopez Health Department"


async def every_value(storage: Storage) -> list[tuple[str, str, object]]:
    """(table, column, value) of every cell of every table."""
    found = []
    async with storage.engine.connect() as connection:
        for table in Base.metadata.sorted_tables:
            for row in await connection.execute(select(table)):
                found += [(table.name, c, v) for c, v in row._mapping.items()]
    return found


async def test_leaving_removes_the_name_everywhere_and_keeps_the_records(
    storage: Storage,
) -> None:
    harness = Harness(storage)
    poster = with_ref_poster(harness)
    await harness.join("admin", "Dana Admin")
    await harness.join("maria", NAME, jurisdiction="Alameda County", interests="Housing")
    await harness.join("sam", "Sam Okafor", language="es")
    await harness.say("admin", "role grant @maria coordinator")
    # Maria suggests a resource and decides on Sam's; both are audited under her name.
    await harness.say(
        "maria",
        'resource suggest url=https://example.org/a title="Heat toolkit" '
        'description="Cooling centers" type=toolkit topics=climate',
    )
    await harness.say(
        "sam",
        'resource suggest url=https://example.org/b title="Flood guide" '
        'description="Before and after" type=toolkit topics=climate',
    )
    flood = poster.to("#coordinators")[-1]
    approve = next(b for b in flood.message.buttons if b.action == "resource.approve")
    assert "You approved" in text_of(await harness.click("maria", approve))
    # She answers a meeting and follows a discussion.
    await harness.say(
        "admin",
        'meeting schedule title="Office hours" date=2026-03-05 time=9am timezone=America/Chicago',
    )
    await reminder_service(harness).run_due()
    going = next(b for b in poster.to("#announcements")[-1].message.buttons)
    assert going.action == "meeting.rsvp_yes"
    await harness.click("maria", going)
    await harness.say("sam", 'discussion start title="Heat plans" question="Who runs them?"')
    await harness.say("maria", "discussion follow id=1")
    await harness.say("maria", "link")  # an unused link code
    # Before she goes, her export holds each capability's part.
    exported = await harness.say("maria", "export")
    assert exported.message is not None
    data = json.loads(exported.message.attachments[0].content)
    assert [(a["meeting"], a["answer"]) for a in data["meeting_answers"]] == [(1, "going")]
    assert data["followed_discussions"] == [1]
    assert [r["title"] for r in data["suggested_resources"]] == ["Heat toolkit"]

    async with storage.unit_of_work() as uow:
        member = await uow.members.by_identity(harness.who("maria"))
        assert member is not None
        maria = member.id
    question = await harness.say("maria", "leave")
    assert question.message is not None
    assert "stays, without your name" in text_of(question)  # said before, not only after
    confirm = next(b for b in question.message.buttons if b.action == "leave.confirm")
    done = text_of(await harness.click("maria", confirm))
    assert "linked accounts, your meeting answers" in done
    assert "What you gave the coalition stays, without your name" in done

    cells = await every_value(storage)
    personal = {NAME, ORGANIZATION, "Alameda County", "Housing", "maria"}
    assert [cell for cell in cells if cell[2] in personal] == []
    assert [cell for cell in cells if isinstance(cell[2], str) and NAME in cell[2]] == []
    theirs = {"identities", "meeting_rsvps", "discussion_followers", "link_codes"}
    left = [(t, c) for t, c, v in cells if t in theirs and c == "member_id" and v == maria]
    assert left == []
    # The records stay, without the name: in the reader's language.
    assert await harness.storage_count("resource_audit") == 3
    audit = text_of(await harness.say("admin", "resource audit"))
    assert "Former member suggested #1" in audit and "Former member approved #2" in audit
    assert NAME not in audit
    history = text_of(await harness.say("admin", "role history"))
    assert "Dana Admin made Former member a coordinator" in history and NAME not in history
    await harness.say("admin", "role grant @sam coordinator")
    spanish = text_of(await harness.say("sam", "resource audit"))
    assert "Exmiembro aprobó el n.º 2" in spanish


async def test_a_voter_who_leaves_keeps_the_count_and_loses_the_link(storage: Storage) -> None:
    """A named poll's counts stay; no row ties the person to it or to a choice."""
    harness = Harness(storage)
    poster = with_ref_poster(harness)
    await harness.join("dana", "Dana Reyes")
    await harness.join("maria", NAME)
    question = 'question="Which day suits the training?" options="Tuesday, Wednesday"'
    await harness.say("dana", f"poll create {question}")
    named = poster.posts[-1]
    await harness.say("dana", f"poll create {question} anonymous=yes")
    anonymous = poster.posts[-1]
    await harness.click("maria", named.button("Wednesday"))
    await harness.click("maria", anonymous.button("Tuesday"))
    await harness.click("dana", named.button("Tuesday"))

    reply = await harness.say("maria", "export")
    assert reply.message is not None
    (attachment,) = reply.message.attachments
    votes = json.loads(attachment.content)["poll_votes"]
    assert [(v["poll"], v["anonymous"], v["choices"]) for v in votes] == [
        (1, False, ["Wednesday"]),
        (2, True, None),
    ]
    async with storage.unit_of_work() as uow:
        member = await uow.members.by_identity(harness.who("maria"))
        assert member is not None
        maria = member.id

    leaving = await harness.say("maria", "leave")
    assert leaving.message is not None
    confirm = next(b for b in leaving.message.buttons if b.action == "leave.confirm")
    await harness.click("maria", confirm)

    cells = await every_value(storage)
    tied = [
        (t, c)
        for t, c, v in cells
        if t in {"poll_choices", "poll_voters"} and c == "member_id" and v == maria
    ]
    assert tied == []
    assert await harness.storage_count("poll_choices") == 1  # Dana's
    # The results do not change after the fact: her votes are still counted.
    async with storage.unit_of_work() as uow:
        poll = await uow.polls.get(1)
        assert poll is not None
        assert poll.counts == (1, 1)
        # Who has voted counts the members still here: the row saying she voted went too.
        assert poll.voters == 1
