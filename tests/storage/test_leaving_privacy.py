"""After `leave`, nothing personal remains on either database: what the person gave the
coalition stays, tied to a tombstone, and its records show "Former member"."""

from __future__ import annotations

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
