"""Join requests on the dashboard: the chat's Approve and Decline through the dispatcher,
CSRF, the "someone decided first" answer, and nobody unlisted shown."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from bot.config import CoalitionSettings
from bot.membership.model import MemberStatus
from storage import Storage
from tests.harness import Harness
from tests.web.dashboard_support import WEB, Client, dashboard_harness, link_for, sign_in
from tests.web.support import web_client

APPROVAL = WEB.model_copy(
    update=dict(
        coalition=CoalitionSettings(approval_required=True),
        admins=("console:admin", "console:dana"),
    )
)
JOINS = "/dashboard/joins"


async def two_asking(harness: Harness) -> None:
    """Dana (an admin, so a coordinator) is in; Maria and Sam ask to join."""
    await harness.join("admin", "Admin")
    await harness.join("dana", "Dana Reyes")
    await harness.join("maria", "Maria Lopez", organization="<b>Alameda</b> County")
    harness.clock.advance(timedelta(minutes=1))
    await harness.join("sam", "Sam Okafor")


async def csrf_on_joins(client: Client, harness: Harness) -> str:
    import re

    await sign_in(client, await link_for(harness))
    page = await (await client.get(JOINS)).text()
    found = re.search(r'name="csrf" value="([^"]+)"', page)
    assert found, page
    return found.group(1)


async def status_of(harness: Harness, user: str) -> MemberStatus:
    async with harness.storage.unit_of_work() as uow:
        member = await uow.members.by_identity(harness.who(user))
    assert member is not None
    return member.status


async def test_the_waiting_requests_are_listed_with_their_profiles(storage: Storage) -> None:
    harness, _ = dashboard_harness(storage, APPROVAL)
    await two_asking(harness)
    async with web_client(harness) as client:
        await csrf_on_joins(client, harness)
        page = await (await client.get(JOINS)).text()
    assert page.index("Maria Lopez") < page.index("Sam Okafor")  # oldest first
    assert "&lt;b&gt;Alameda&lt;/b&gt; County" in page and "<b>Alameda" not in page
    assert 'action="/dashboard/joins/1/approve"' in page


async def test_approving_welcomes_the_applicant_and_says_so_once(storage: Storage) -> None:
    harness, chat = dashboard_harness(storage, APPROVAL)
    await two_asking(harness)
    async with web_client(harness) as client:
        csrf = await csrf_on_joins(client, harness)
        response = await client.post(
            f"{JOINS}/1/approve", data={"csrf": csrf}, allow_redirects=False
        )
        assert response.status == 303 and response.headers["Location"] == JOINS
        shown = await (await client.get(JOINS)).text()
        again = await (await client.get(JOINS)).text()
    assert "You approved Maria Lopez" in shown and "You approved" not in again
    assert "Maria Lopez" not in again and "Sam Okafor" in again
    assert await status_of(harness, "maria") is MemberStatus.ACTIVE
    assert any(to == "@maria" for to, _ in chat.posts), "the welcome reached Maria in chat"


async def test_declining_and_a_decision_made_first_in_chat(storage: Storage) -> None:
    harness, chat = dashboard_harness(storage, APPROVAL)
    await two_asking(harness)
    async with web_client(harness) as client:
        csrf = await csrf_on_joins(client, harness)
        await client.post(f"{JOINS}/2/decline", data={"csrf": csrf})
        request = next(
            message
            for channel, message in chat.posts
            if channel == "coordinators" and "Maria Lopez" in message.fallback_text()
        )
        approve = next(b for b in request.buttons if b.action == "join.approve")
        await harness.click("admin", approve)
        page = await (await client.post(f"{JOINS}/1/decline", data={"csrf": csrf})).text()
    assert "Admin already approved this request" in page
    assert await status_of(harness, "maria") is MemberStatus.ACTIVE
    async with storage.unit_of_work() as uow:
        assert await uow.members.by_identity(harness.who("sam")) is None  # declined: erased


async def test_a_request_without_csrf_or_from_a_revoked_coordinator_changes_nothing(
    storage: Storage,
) -> None:
    harness, chat = dashboard_harness(
        storage, APPROVAL.model_copy(update=dict(admins=("console:admin",)))
    )
    await harness.join("admin", "Admin")
    await harness.join("dana", "Dana Reyes")
    dana = next(m for _, m in chat.posts if "Dana Reyes" in m.fallback_text())
    await harness.click("admin", next(b for b in dana.buttons if b.action == "join.approve"))
    await harness.say("admin", "role grant @dana coordinator")
    await harness.join("maria", "Maria Lopez")
    async with web_client(harness) as client:
        csrf = await csrf_on_joins(client, harness)
        for data in ({}, {"csrf": "guessed"}):
            assert (await client.post(f"{JOINS}/2/approve", data=data)).status == 403
        await harness.say("admin", "role revoke member=@dana role=coordinator")
        refused = await client.post(f"{JOINS}/2/approve", data={"csrf": csrf})
        page = await client.get(JOINS)
        assert refused.status == 401 and page.status == 401
        assert "Maria Lopez" not in await page.text()
    assert await status_of(harness, "maria") is MemberStatus.PENDING


async def test_an_unlisted_applicant_is_not_named_on_the_web(storage: Storage) -> None:
    harness, _ = dashboard_harness(storage, APPROVAL)
    await two_asking(harness)
    async with storage.unit_of_work() as uow:
        sam = await uow.members.by_identity(harness.who("sam"))
        assert sam is not None
        hidden = replace(sam.profile, listed=False)
        await uow.members.update_profile(sam.id, hidden, at=harness.clock.now(), fields=["listed"])
        await uow.commit()
    async with web_client(harness) as client:
        await csrf_on_joins(client, harness)
        page = await (await client.get(JOINS)).text()
    assert "Sam Okafor" not in page and "/coalition requests" in page
    assert "Maria Lopez" in page


async def test_without_approval_mode_the_page_says_how_joining_works(storage: Storage) -> None:
    harness, _ = dashboard_harness(storage, WEB.model_copy(update=dict(admins=("console:dana",))))
    await harness.join("dana", "Dana Reyes")
    async with web_client(harness) as client:
        await sign_in(client, await link_for(harness))
        page = await (await client.get(JOINS)).text()
    assert "approval_required = true" in page
