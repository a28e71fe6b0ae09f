"""The review queue on the web: the chat's own use cases, CSRF, escaping, no framing."""

from __future__ import annotations

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
from tests.web.support import web_client

QUEUED = "Housing and Health Toolkit"


async def status_of(harness: Harness, number: int = 1) -> str:
    async with harness.storage.unit_of_work() as uow:
        resource = await uow.resources.get(number)
    assert resource is not None
    return str(resource.status)


async def signed_in_client(client: Client, harness: Harness) -> str:
    await sign_in(client, await link_for(harness))
    return await csrf_of(client)


async def test_approving_in_the_dashboard_updates_the_chat_review_post(
    storage: Storage,
) -> None:
    harness, chat = dashboard_harness(storage)
    await queue_of_one(harness)
    async with web_client(harness) as client:
        csrf = await signed_in_client(client, harness)
        response = await client.post("/dashboard/review/1/approve", data={"csrf": csrf})
        page = await response.text()
    assert response.status == 200
    assert f"You approved {QUEUED}" in page
    assert "No suggested resources are waiting for review." in page
    assert await status_of(harness) == "approved"
    (posted, card), *_ = chat.edits
    assert posted.channel == "coordinators"
    assert "Approved by Dana Reyes" in card.fallback_text() and card.buttons == ()
    assert [channel for channel, _ in chat.posts][-2:] == ["resources", "@maria"]
    async with storage.unit_of_work() as uow:
        trail = await uow.resource_audit.history(1)
    assert trail[0].action == "approved" and trail[0].by_name == "Dana Reyes"


async def test_a_decision_redirects_to_the_queue_and_a_reload_sends_nothing(
    storage: Storage,
) -> None:
    harness, chat = dashboard_harness(storage)
    await queue_of_one(harness)
    async with web_client(harness) as client:
        csrf = await signed_in_client(client, harness)
        response = await client.post(
            "/dashboard/review/1/approve", data={"csrf": csrf}, allow_redirects=False
        )
        assert response.status == 303
        assert response.headers["Location"] == "/dashboard/review"
        shown = await (await client.get("/dashboard/review")).text()
        assert f"You approved {QUEUED}" in shown
        edits, posts = len(chat.edits), len(chat.posts)
        # The reload: the browser asks for the queue again; no decision is sent twice.
        reloaded = await client.get("/dashboard/review")
        assert reloaded.status == 200
        assert "You approved" not in await reloaded.text()
    assert (len(chat.edits), len(chat.posts)) == (edits, posts)
    async with storage.unit_of_work() as uow:
        trail = await uow.resource_audit.history(1)
    assert [str(entry.action) for entry in trail].count("approved") == 1


async def test_rejecting_needs_a_reason_and_tells_the_suggester(storage: Storage) -> None:
    harness, chat = dashboard_harness(storage)
    await queue_of_one(harness)
    async with web_client(harness) as client:
        csrf = await signed_in_client(client, harness)
        blank = await client.post("/dashboard/review/1/reject", data={"csrf": csrf, "reason": ""})
        assert await status_of(harness) == "pending"
        assert QUEUED in await blank.text()
        done = await client.post(
            "/dashboard/review/1/reject", data={"csrf": csrf, "reason": "Out of scope"}
        )
        assert f"You rejected {QUEUED}" in await done.text()
    assert await status_of(harness) == "rejected"
    (_, card), *_ = chat.edits
    assert (
        "Rejected by Dana Reyes" in card.fallback_text() and "Out of scope" in card.fallback_text()
    )


async def test_a_decision_made_in_chat_first_wins_and_the_dashboard_says_who(
    storage: Storage,
) -> None:
    harness, chat = dashboard_harness(storage)
    await queue_of_one(harness)
    posted = next(message for channel, message in chat.posts if channel == "coordinators")
    async with web_client(harness) as client:
        csrf = await signed_in_client(client, harness)
        await harness.click("admin", button(posted, "resource.approve"))
        page = await (
            await client.post("/dashboard/review/1/reject", data={"csrf": csrf, "reason": "No"})
        ).text()
    assert "Admin already approved this suggestion" in page
    assert await status_of(harness) == "approved"


async def test_a_form_without_its_csrf_token_changes_nothing(storage: Storage) -> None:
    harness, chat = dashboard_harness(storage)
    await queue_of_one(harness)
    async with web_client(harness) as client:
        await signed_in_client(client, harness)
        for data in ({}, {"csrf": "guessed"}, {"csrf": ""}):
            response = await client.post("/dashboard/review/1/approve", data=data)
            assert response.status == 403, data
            assert "nothing was changed" in await response.text()
        logout = await client.post("/dashboard/logout", data={})
        assert logout.status == 403
    assert await status_of(harness) == "pending" and chat.edits == []


async def test_a_decision_without_a_session_is_refused(storage: Storage) -> None:
    harness, _ = dashboard_harness(storage)
    await queue_of_one(harness)
    async with web_client(harness) as client:
        response = await client.post("/dashboard/review/1/approve", data={"csrf": "x"})
        assert response.status == 401 and QUEUED not in await response.text()
    assert await status_of(harness) == "pending"


async def test_signing_out_ends_the_session(storage: Storage) -> None:
    harness, _ = dashboard_harness(storage)
    await queue_of_one(harness)
    async with web_client(harness) as client:
        csrf = await signed_in_client(client, harness)
        assert (await client.post("/dashboard/logout", data={"csrf": csrf})).status == 200
        assert (await client.get("/dashboard/review")).status == 401


async def test_the_queue_shows_user_text_as_text(storage: Storage) -> None:
    harness, _ = dashboard_harness(storage)
    await queue_of_one(harness, title="<script>alert(1)</script>", description="<b>x</b> & y")
    async with web_client(harness) as client:
        await signed_in_client(client, harness)
        page = await (await client.get("/dashboard/review")).text()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "<script>alert(1)" not in page
    assert "&lt;b&gt;x&lt;/b&gt; &amp; y" in page


async def test_the_dashboard_pages_refuse_framing(storage: Storage) -> None:
    harness, _ = dashboard_harness(storage)
    await queue_of_one(harness)
    path = await link_for(harness)
    async with web_client(harness) as client:
        responses = [await client.get(path), await client.get("/dashboard/review")]
        await sign_in(client, path)
        responses.append(await client.get("/dashboard/review"))
    for response in responses:
        policy = response.headers["Content-Security-Policy"]
        assert "frame-ancestors 'none'" in policy and "unsafe-inline" not in policy
        assert response.headers["X-Frame-Options"] == "DENY"
