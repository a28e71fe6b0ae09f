"""The dashboard's meetings: answers per occurrence, and Cancel and Edit through the
chat's own use cases (the same checks, messages and announcement updates)."""

from __future__ import annotations

from datetime import date

from bot.meetings.model import Meeting
from storage import Storage
from tests.harness import Harness, text_of
from tests.scheduling.support import reminder_service
from tests.web.meetings_support import TITLE, announced, dana_signed_in
from tests.web.support import web_client


async def meeting_1(harness: Harness) -> Meeting:
    async with harness.storage.unit_of_work() as uow:
        meeting = await uow.meetings.get(1)
    assert meeting is not None
    return meeting


def plain(page: str) -> str:
    return page.replace("\u202f", " ")


async def test_the_list_and_a_meeting_show_who_answered(storage: Storage) -> None:
    harness, _ = await announced(storage)
    later = await harness.say(
        "dana", 'meeting schedule title="Annual summit" date=2026-09-01 time=10am timezone=UTC'
    )
    assert "Scheduled" in text_of(later)
    async with web_client(harness) as client:
        await dana_signed_in(client, harness)
        listing = plain(await (await client.get("/dashboard/meetings")).text())
        one = plain(await (await client.get("/dashboard/meetings/1")).text())
    assert TITLE in listing and "Thursday, March 5, 2026, 9:00 AM" in listing
    assert 'href="/dashboard/meetings/1#on-2026-03-05"' in listing
    # A weekly series shows its next three dates and leaves room for the others.
    assert listing.count(">Office hours<") == 3 and "Annual summit" in listing
    assert "Going (1)</dt>\n    <dd>Maria Lopez</dd>" in one
    assert "Maybe (0)</dt>\n    <dd>—</dd>" in one
    assert "<dd>Every Thursday</dd>" in one  # the rule in words, as the chat says it
    assert 'value="Heat and health"' not in one and ">Heat and health</textarea>" in one


async def test_cancelling_a_date_tells_the_chat_as_the_command_does(storage: Storage) -> None:
    harness, chat = await announced(storage)
    async with web_client(harness) as client:
        csrf = await dana_signed_in(client, harness)
        sent = await client.post(
            "/dashboard/meetings/1/cancel",
            data={"csrf": csrf, "occurrence": "2026-03-05"},
            allow_redirects=False,
        )
        assert sent.status == 303 and sent.headers["Location"] == "/dashboard/meetings/1"
        page = plain(await (await client.get("/dashboard/meetings/1")).text())
        assert "Cancelled Office hours on" in page and "The rest of the series stays" in page
        again = await (await client.get("/dashboard/meetings/1")).text()
        assert "Cancelled Office hours" not in again  # shown once
        assert 'id="on-2026-03-05"' not in again and 'id="on-2026-03-12"' in again
    (told,) = chat.to("@maria")
    assert "is cancelled" in told.text
    assert any("is cancelled" in p.text for p in chat.to("#announcements")[1:])
    await reminder_service(harness).run_due()
    announcement = chat.to("#announcements")[0]
    assert announcement.edits and "Mar 12, 2026" in announcement.text


async def test_editing_goes_through_the_chat_edit_and_refreshes_the_announcement(
    storage: Storage,
) -> None:
    harness, chat = await announced(storage)
    async with web_client(harness) as client:
        csrf = await dana_signed_in(client, harness)
        page = plain(
            await (
                await client.post(
                    "/dashboard/meetings/1/edit",
                    data={
                        "csrf": csrf,
                        "title": "Office hours: heat",
                        "agenda": "Heat and health",  # unchanged: not sent
                        "time": "09:00",
                        "duration": "60",
                        "public_shown": "yes",
                        "public": "yes",
                    },
                )
            ).text()
        )
    assert "Saved. Everyone who said Going was told." in page
    meeting = await meeting_1(harness)
    assert meeting.title == "Office hours: heat" and meeting.agenda == "Heat and health"
    assert meeting.public
    assert "has changed" in chat.to("@maria")[-1].text
    await reminder_service(harness).run_due()
    assert "Office hours: heat" in chat.to("#announcements")[0].text


async def test_bad_values_get_the_chat_sentence_and_change_nothing(storage: Storage) -> None:
    harness, _ = await announced(storage)
    async with web_client(harness) as client:
        csrf = await dana_signed_in(client, harness)
        refused = await client.post(
            "/dashboard/meetings/1/edit",
            data={"csrf": csrf, "time": "25:00", "title": "Kept as typed"},
            allow_redirects=False,
        )
        assert refused.status == 400  # the form again, as typed: nothing was saved
        bad_time = plain(await refused.text())
        bad_day = plain(
            await (
                await client.post(
                    "/dashboard/meetings/1/cancel", data={"csrf": csrf, "occurrence": "2026-03-06"}
                )
            ).text()
        )
        same = plain(
            await (
                await client.post("/dashboard/meetings/1/edit", data={"csrf": csrf, "title": TITLE})
            ).text()
        )
        past = plain(
            await (
                await client.post(
                    "/dashboard/meetings/1/edit",
                    data={"csrf": csrf, "occurrence": "2026-03-05", "date": "2026-03-01"},
                )
            ).text()
        )
    assert "14:30" in bad_time and 'id="edit-problem"' in bad_time
    assert 'value="25:00" aria-invalid="true"' in bad_time and 'value="Kept as typed"' in bad_time
    assert "does not meet on 2026-03-06" in bad_day and "2026-03-05" in bad_day
    assert "Nothing to change" in same
    assert "That start is in the past" in past
    meeting = await meeting_1(harness)
    assert meeting.title == TITLE and not meeting.cancelled and meeting.sequence == 0


async def test_moving_one_date_keeps_the_others(storage: Storage) -> None:
    harness, _ = await announced(storage)
    async with web_client(harness) as client:
        csrf = await dana_signed_in(client, harness)
        page = plain(
            await (
                await client.post(
                    "/dashboard/meetings/1/edit",
                    data={"csrf": csrf, "occurrence": "2026-03-12", "time": "11:00"},
                )
            ).text()
        )
    assert "Moved Office hours from" in page and "11:00 AM" in page
    async with harness.storage.unit_of_work() as uow:
        changes = (await uow.meetings.changes([1]))[1]
    assert list(changes) == [date(2026, 3, 12)]


async def test_cancelling_the_whole_meeting_asks_for_the_box_first(storage: Storage) -> None:
    harness, chat = await announced(storage)
    async with web_client(harness) as client:
        csrf = await dana_signed_in(client, harness)
        unsure = await (
            await client.post("/dashboard/meetings/1/cancel", data={"csrf": csrf})
        ).text()
        assert "Nothing was cancelled" in unsure and not (await meeting_1(harness)).cancelled
        done = await (
            await client.post("/dashboard/meetings/1/cancel", data={"csrf": csrf, "confirm": "yes"})
        ).text()
        assert "Cancelled Office hours. No more reminders" in done
        assert "This meeting is cancelled." in done
        twice = await (
            await client.post("/dashboard/meetings/1/cancel", data={"csrf": csrf, "confirm": "yes"})
        ).text()
        assert "is already cancelled" in twice
    assert (await meeting_1(harness)).cancelled
    await reminder_service(harness).run_due()
    assert "cancelled" in chat.to("#announcements")[0].text


async def test_without_csrf_or_a_session_nothing_changes(storage: Storage) -> None:
    harness, chat = await announced(storage)
    async with web_client(harness) as client:
        for path in ("/dashboard/meetings", "/dashboard/meetings/1"):
            response = await client.get(path)
            assert response.status == 401 and "Maria Lopez" not in await response.text()
        refused = await client.post(
            "/dashboard/meetings/1/cancel", data={"csrf": "x", "occurrence": "2026-03-05"}
        )
        assert refused.status == 401
        await dana_signed_in(client, harness)
        for data in ({}, {"csrf": "guessed"}):
            response = await client.post(
                "/dashboard/meetings/1/cancel", data={**data, "occurrence": "2026-03-05"}
            )
            assert response.status == 403
            edited = await client.post("/dashboard/meetings/1/edit", data={**data, "title": "X"})
            assert edited.status == 403
    meeting = await meeting_1(harness)
    assert meeting.title == TITLE and meeting.sequence == 0 and chat.to("@maria") == []


async def test_a_revoked_coordinator_sees_no_answers(storage: Storage) -> None:
    harness, _ = await announced(storage)
    async with web_client(harness) as client:
        await dana_signed_in(client, harness)
        await harness.say("admin", "role revoke member=@dana role=coordinator")
        response = await client.get("/dashboard/meetings/1")
        assert response.status == 401 and "Maria Lopez" not in await response.text()


async def test_unknown_meetings_are_not_found_and_text_is_escaped(storage: Storage) -> None:
    harness, _ = await announced(storage)
    await harness.say("dana", 'meeting edit 1 title="<script>alert(1)</script>"')
    async with web_client(harness) as client:
        csrf = await dana_signed_in(client, harness)
        for path in ("/dashboard/meetings/99", "/dashboard/meetings/abc", "/dashboard/meetings/1x"):
            assert (await client.get(path)).status == 404, path
        assert (
            await client.post("/dashboard/meetings/99/edit", data={"csrf": csrf, "title": "A"})
        ).status == 404
        page = await (await client.get("/dashboard/meetings/1")).text()
        listing = await (await client.get("/dashboard/meetings")).text()
    for shown in (page, listing):
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in shown and "<script>alert" not in shown
