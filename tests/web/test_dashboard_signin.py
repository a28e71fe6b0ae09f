"""Signing in to the dashboard: a private one-time link, a server-side session, the role."""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta

from sqlalchemy import text

from bot.config import Config, WebSettings
from bot.dashboard.signin import forget_expired
from storage import Storage
from tests.harness import text_of
from tests.statements import statements, writes
from tests.web.dashboard_support import (
    dashboard_harness,
    link_for,
    press_sign_in,
    queue_of_one,
    sign_in,
)
from tests.web.support import web_client

QUEUED = "Housing and Health Toolkit"


async def test_a_link_signs_its_coordinator_in_once(storage: Storage) -> None:
    harness, _ = dashboard_harness(storage)
    await queue_of_one(harness)
    path = await link_for(harness)
    async with web_client(harness) as client:
        opened = await client.get(path)
        assert opened.status == 200 and QUEUED not in await opened.text()
        response = await press_sign_in(client, path)
        assert response.status == 303
        assert response.headers["Location"] == "/dashboard/review"
        cookie = response.headers["Set-Cookie"].lower()
        assert "httponly" in cookie and "samesite=lax" in cookie and "path=/dashboard" in cookie
        assert "secure" not in cookie  # public_url is http here
        page = await (await client.get("/dashboard/review")).text()
        assert "Signed in as Dana Reyes." in page and QUEUED in page
        for again in (await press_sign_in(client, path), await client.get(path)):
            assert again.status == 410
            assert "already used or has expired" in await again.text()
            assert "/coalition dashboard" in await again.text()
            assert "Sign in</button>" not in await again.text()


async def test_a_sign_in_not_pressed_on_the_page_this_browser_opened_is_refused(
    storage: Storage,
) -> None:
    harness, _ = dashboard_harness(storage)
    await queue_of_one(harness)
    path = await link_for(harness)
    async with web_client(harness) as client:
        opened = await client.get(path)
        cookie = opened.headers["Set-Cookie"]
        assert "dashboard_signin=" in cookie and "samesite=strict" in cookie.lower()
        assert "httponly" in cookie.lower() and "path=/dashboard/login" in cookie.lower()
    # Another site's form posting to the link: no cookie, or a cookie the form does not match.
    async with web_client(harness) as client:
        refused = [await client.post(path, data={"binding": "guessed"}, allow_redirects=False)]
        await client.get(path)
        refused.append(await client.post(path, data={}, allow_redirects=False))
        refused.append(await client.post(path, data={"binding": "guessed"}, allow_redirects=False))
        for response in refused:
            assert response.status == 403
            assert "Nobody was signed in" in await response.text()
            assert "dashboard_session" not in response.headers.get("Set-Cookie", "")
        assert (await client.get("/dashboard/review")).status == 401
    async with storage.engine.connect() as connection:
        sessions = (await connection.execute(text("SELECT * FROM dashboard_sessions"))).all()
    assert sessions == []
    # The link was not used up: its coordinator can still sign in with it.
    async with web_client(harness) as client:
        await sign_in(client, path)


async def test_only_hashes_of_links_and_sessions_are_stored(storage: Storage) -> None:
    harness, _ = dashboard_harness(storage)
    await queue_of_one(harness)
    path = await link_for(harness)
    token = path.rsplit("/", 1)[1]
    async with web_client(harness) as client:
        await sign_in(client, path)
        session_id = client.session.cookie_jar.filter_cookies(client.make_url("/dashboard/review"))[
            "dashboard_session"
        ].value
    async with storage.engine.connect() as connection:
        links = (await connection.execute(text("SELECT token_hash FROM dashboard_links"))).all()
        sessions = (
            await connection.execute(text("SELECT session_hash FROM dashboard_sessions"))
        ).all()
    assert [row[0] for row in links] == [hashlib.sha256(token.encode()).hexdigest()]
    assert [row[0] for row in sessions] == [hashlib.sha256(session_id.encode()).hexdigest()]


async def test_a_link_expires_after_ten_minutes(storage: Storage) -> None:
    harness, _ = dashboard_harness(storage)
    await queue_of_one(harness)
    kept = await link_for(harness)
    late = await link_for(harness)
    async with web_client(harness) as client:
        harness.clock.advance(timedelta(minutes=9))
        assert (await press_sign_in(client, kept)).status == 303
        harness.clock.advance(timedelta(minutes=2))
        for expired in (await client.get(late), await client.post(late, allow_redirects=False)):
            assert expired.status == 410
            assert "already used or has expired" in await expired.text()
            assert QUEUED not in await expired.text()


async def test_a_link_signs_in_only_the_coordinator_who_asked(storage: Storage) -> None:
    harness, _ = dashboard_harness(storage)
    await queue_of_one(harness)
    await harness.say("admin", "role grant @maria coordinator")
    dana = await link_for(harness, "dana")
    maria = await link_for(harness, "maria")
    async with web_client(harness) as client:
        await sign_in(client, maria)
        assert "Signed in as Maria Lopez." in await (await client.get("/dashboard/review")).text()
        await sign_in(client, dana)
        assert "Signed in as Dana Reyes." in await (await client.get("/dashboard/review")).text()


async def test_a_member_who_is_not_a_coordinator_gets_no_link_and_sees_nothing(
    storage: Storage,
) -> None:
    harness, _ = dashboard_harness(storage)
    await queue_of_one(harness)
    refused = text_of(await harness.say("maria", "dashboard"))
    assert "Only coordinators can do that" in refused and "/dashboard/login/" not in refused
    async with web_client(harness) as client:
        for path in ("/dashboard/review", "/dashboard"):
            response = await client.get(path)
            page = await response.text()
            assert response.status == 401, path
            assert QUEUED not in page and "/coalition dashboard" in page, path
        forged = client.session.cookie_jar
        forged.update_cookies({"dashboard_session": "made-up"}, client.make_url("/dashboard"))
        page = await (await client.get("/dashboard/review")).text()
        assert QUEUED not in page


async def test_a_revoked_coordinator_is_out_at_the_next_click(storage: Storage) -> None:
    harness, _ = dashboard_harness(storage)
    await queue_of_one(harness)
    path = await link_for(harness)
    async with web_client(harness) as client:
        await sign_in(client, path)
        assert QUEUED in await (await client.get("/dashboard/review")).text()
        await harness.say("admin", "role revoke member=@dana role=coordinator")
        response = await client.get("/dashboard/review")
        assert response.status == 401 and QUEUED not in await response.text()
        await harness.say("admin", "role grant @dana coordinator")
        # The session ended with the role: a new link is needed.
        assert (await client.get("/dashboard/review")).status == 401


async def test_a_session_ends_after_eight_hours_idle(storage: Storage) -> None:
    harness, _ = dashboard_harness(storage)
    await queue_of_one(harness)
    path = await link_for(harness)
    async with web_client(harness) as client:
        await sign_in(client, path)
        harness.clock.advance(timedelta(hours=7, minutes=59))
        assert (await client.get("/dashboard/review")).status == 200  # used: idle from now
        harness.clock.advance(timedelta(hours=7, minutes=59))
        assert (await client.get("/dashboard/review")).status == 200
        harness.clock.advance(timedelta(hours=8))
        response = await client.get("/dashboard/review")
        assert response.status == 401 and QUEUED not in await response.text()


async def test_the_cookie_is_secure_when_the_pages_are_served_over_https(
    storage: Storage,
) -> None:
    secure = Config(web=WebSettings(enabled=True, public_url="https://library.example.org"))
    harness, _ = dashboard_harness(storage, secure)
    await queue_of_one(harness)
    reply = text_of(await harness.say("dana", "dashboard"))
    path = reply.split("https://library.example.org", 1)[1].split()[0].rstrip(".")
    async with web_client(harness) as client:
        opened = await client.get(path)
        assert "secure" in opened.headers["Set-Cookie"].lower()
        # The test client is on http, so it keeps secure cookies back: a browser on https sends it.
        binding = opened.cookies["dashboard_signin"].value
        response = await client.post(
            path,
            data={"binding": binding},
            headers={"Cookie": f"dashboard_signin={binding}"},
            allow_redirects=False,
        )
    assert response.status == 303 and "secure" in response.headers["Set-Cookie"].lower()


async def test_with_the_web_pages_off_the_command_says_how_to_turn_them_on(
    storage: Storage,
) -> None:
    harness, _ = dashboard_harness(storage, Config())
    await queue_of_one(harness)
    reply = await harness.say("dana", "dashboard")
    assert reply.private
    assert "The web pages are off" in text_of(reply) and "enabled = true" in text_of(reply)
    assert "/dashboard/login/" not in text_of(reply)


async def test_expired_links_and_idle_sessions_are_forgotten(storage: Storage) -> None:
    harness, _ = dashboard_harness(storage)
    await queue_of_one(harness)
    used = await link_for(harness)
    await link_for(harness)  # never opened
    async with web_client(harness) as client:
        await sign_in(client, used)
        services = harness.dispatcher.services
        assert await forget_expired(services) == 0  # a live session, a link still valid
        harness.clock.advance(timedelta(minutes=11))
        assert await forget_expired(services) == 2  # both links
        assert (await client.get("/dashboard/review")).status == 200
        harness.clock.advance(timedelta(hours=8))
        assert await forget_expired(services) == 1  # the session
        assert (await client.get("/dashboard/review")).status == 401


async def last_seen(storage: Storage) -> datetime:
    async with storage.engine.connect() as connection:
        found = await connection.scalar(text("SELECT last_seen FROM dashboard_sessions"))
    return found if isinstance(found, datetime) else datetime.fromisoformat(str(found))


async def test_a_page_within_a_minute_of_the_last_written_use_writes_nothing(
    storage: Storage,
) -> None:
    harness, _ = dashboard_harness(storage)
    await queue_of_one(harness)
    path = await link_for(harness)
    async with web_client(harness) as client:
        await sign_in(client, path)
        signed = await last_seen(storage)
        harness.clock.advance(timedelta(seconds=59))
        with statements(storage) as sent:
            assert (await client.get("/dashboard/review")).status == 200
        assert sent and writes(sent) == []
        assert await last_seen(storage) == signed
        harness.clock.advance(timedelta(seconds=1))  # a minute since it was written
        with statements(storage) as sent:
            assert (await client.get("/dashboard/review")).status == 200
        assert len(writes(sent)) == 1 and "dashboard_sessions" in writes(sent)[0]
        assert await last_seen(storage) == signed + timedelta(minutes=1)


async def test_uses_not_written_do_not_stretch_the_idle_expiry(storage: Storage) -> None:
    harness, _ = dashboard_harness(storage)
    await queue_of_one(harness)
    path = await link_for(harness)
    async with web_client(harness) as client:
        await sign_in(client, path)
        harness.clock.advance(timedelta(seconds=30))
        assert (await client.get("/dashboard/review")).status == 200  # not written
        # 8 hours after the last written use, 30 seconds short of 8 hours after the
        # last click: out, as docs/web.md says (exact to within a minute).
        harness.clock.advance(timedelta(hours=8, seconds=-30))
        response = await client.get("/dashboard/review")
        assert response.status == 401 and QUEUED not in await response.text()


async def test_a_revoked_coordinator_is_out_within_the_minute(storage: Storage) -> None:
    harness, _ = dashboard_harness(storage)
    await queue_of_one(harness)
    path = await link_for(harness)
    async with web_client(harness) as client:
        await sign_in(client, path)
        harness.clock.advance(timedelta(seconds=10))
        assert (await client.get("/dashboard/review")).status == 200  # nothing written
        await harness.say("admin", "role revoke member=@dana role=coordinator")
        harness.clock.advance(timedelta(seconds=10))
        response = await client.get("/dashboard/review")
        assert response.status == 401 and QUEUED not in await response.text()


PAGES = (
    "/dashboard/review",
    "/dashboard/joins",
    "/dashboard/members",
    "/dashboard/meetings",
    "/dashboard/meetings/1",
    "/dashboard/engagement",
    "/dashboard/matching",
    "/dashboard/audit",
    "/dashboard/reports",
)


async def test_pages_within_a_minute_only_read_and_wait_for_no_writer(storage: Storage) -> None:
    """Every page reads the session and the role, and writes nothing within the minute:
    on SQLite no transaction takes the write lock, so no page queues behind a writer."""
    harness, _ = dashboard_harness(storage)
    await queue_of_one(harness)
    reply = await harness.say("dana", "meeting schedule title=Check-in date=2026-03-05 time=9am")
    assert "Scheduled" in text_of(reply), text_of(reply)
    async with web_client(harness) as client:
        await sign_in(client, await link_for(harness))
        for path in PAGES:
            with statements(storage) as sent:
                assert (await client.get(path)).status == 200, path
            assert any("dashboard_sessions" in s for s in sent), path
            assert writes(sent) == [], (path, writes(sent))
            assert not [s for s in sent if s.startswith("begin immediate")], path
        harness.clock.advance(timedelta(minutes=1))
        with statements(storage) as sent:
            assert (await client.get("/dashboard/meetings")).status == 200
        assert [w.split()[1] for w in writes(sent)] == ["dashboard_sessions"]
        # Revoked within the minute: read as such, and the session ended (a write).
        await harness.say("admin", "role revoke member=@dana role=coordinator")
        with statements(storage) as sent:
            assert (await client.get("/dashboard/meetings")).status == 401
        assert [w.split()[:3] for w in writes(sent)] == [["delete", "from", "dashboard_sessions"]]
