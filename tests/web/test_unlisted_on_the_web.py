"""A member who chose not to be listed in the directory (listed=no) is never named on the
web, not even on the dashboard: each page shows "A member not listed in the directory"
where their name would be."""

from __future__ import annotations

from dataclasses import replace

from bot.membership.model import MemberStatus
from bot.messages import Message
from storage import Storage
from tests.core.test_resources import button
from tests.harness import Harness
from tests.web.dashboard_support import (
    Client,
    csrf_of,
    dashboard_harness,
    link_for,
    queue_of_one,
    sign_in,
)
from tests.web.meetings_support import announced, dana_signed_in
from tests.web.support import web_client
from tests.web.test_dashboard_joins import APPROVAL, csrf_on_joins, status_of, two_asking

LABEL = "A member not listed in the directory"
HAL = "Hidden Hal"


async def hide(harness: Harness, user: str) -> None:
    await harness.say(user, "profile edit listed=no")


async def with_hidden_coordinator(storage: Storage) -> tuple[Harness, Message]:
    """Maria's suggestion waits (its review post returned); Hal, a coordinator, and Maria
    both chose listed=no."""
    harness, chat = dashboard_harness(storage)
    await queue_of_one(harness)
    await harness.join("hal", HAL)
    await harness.say("admin", "role grant @hal coordinator")
    await hide(harness, "hal")
    await hide(harness, "maria")
    posted = next(message for channel, message in chat.posts if channel == "coordinators")
    return harness, posted


async def signed_in(client: Client, harness: Harness) -> str:
    await sign_in(client, await link_for(harness))
    return await csrf_of(client)


async def test_the_meeting_page_does_not_name_an_unlisted_member_who_answered(
    storage: Storage,
) -> None:
    harness, _ = await announced(storage)  # Maria said Going
    async with web_client(harness) as client:
        await dana_signed_in(client, harness)
        before = await (await client.get("/dashboard/meetings/1")).text()
        await hide(harness, "maria")
        after = await (await client.get("/dashboard/meetings/1")).text()
    assert "Maria Lopez" in before
    assert "Maria Lopez" not in after
    assert f"Going (1)</dt>\n    <dd>{LABEL}</dd>" in after


async def test_the_review_queue_and_its_outcome_do_not_name_unlisted_members(
    storage: Storage,
) -> None:
    harness, posted = await with_hidden_coordinator(storage)
    async with web_client(harness) as client:
        await signed_in(client, harness)
        queue = await (await client.get("/dashboard/review")).text()
        assert "Maria Lopez" not in queue and f"<dd>{LABEL}</dd>" in queue
        # Hal approves in chat first: the web's "decided first" sentence names nobody.
        await harness.click("hal", button(posted, "resource.approve"))
        csrf = await csrf_of(client)
        page = await (await client.post("/dashboard/review/1/approve", data={"csrf": csrf})).text()
    assert f"{LABEL} already approved this suggestion" in page
    assert HAL not in page and "Maria Lopez" not in page


async def test_the_audit_trail_does_not_name_unlisted_members(storage: Storage) -> None:
    harness, posted = await with_hidden_coordinator(storage)
    await harness.click("hal", button(posted, "resource.approve"))
    async with web_client(harness) as client:
        await signed_in(client, harness)
        page = await (await client.get("/dashboard/audit")).text()
        # Looking for the stored name finds nothing, rather than what Hal did.
        searched = await (await client.get("/dashboard/audit?who=Hidden")).text()
    assert HAL not in page and "Maria Lopez" not in page
    # Hal approved, Maria suggested, and Hal was made a coordinator: all unnamed.
    assert page.count(f"<td>{LABEL}</td>") == 3
    assert "<td>Dana Reyes</td>" in page  # listed members keep their names
    assert "Nothing recorded matches these filters." in searched and HAL not in searched


async def test_deciding_an_unlisted_applicants_request_does_not_name_them(
    storage: Storage,
) -> None:
    harness, _ = dashboard_harness(storage, APPROVAL)
    await two_asking(harness)
    async with storage.unit_of_work() as uow:
        sam = await uow.members.by_identity(harness.who("sam"))
        assert sam is not None
        hidden = replace(sam.profile, listed=False)
        await uow.members.update_profile(sam.id, hidden, at=harness.clock.now(), fields=["listed"])
        (request,) = [r for r in await uow.join_requests.pending() if r.member_id == sam.id]
        await uow.commit()
    async with web_client(harness) as client:
        csrf = await csrf_on_joins(client, harness)
        # The request's number, sent by hand: the page offers no button for it.
        page = await (
            await client.post(f"/dashboard/joins/{request.id}/approve", data={"csrf": csrf})
        ).text()
    assert await status_of(harness, "sam") is MemberStatus.ACTIVE
    assert "Sam Okafor" not in page and LABEL in page


async def test_an_edit_refused_after_an_unlisted_rejection_does_not_name_them(
    storage: Storage,
) -> None:
    harness, _ = await with_hidden_coordinator(storage)
    async with web_client(harness) as client:
        csrf = await signed_in(client, harness)
        rejected = await harness.say("hal", 'resource reject 1 reason="Out of scope"')
        assert rejected.invalid_field is None
        page = await (
            await client.post("/dashboard/review/1/edit", data={"csrf": csrf, "title": "New"})
        ).text()
    assert f"was rejected by {LABEL}" in page and HAL not in page
