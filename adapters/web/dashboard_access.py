"""Signing in to the dashboard with a one-time link from chat, and who is signed in.

The link (`/coalition dashboard`, bot/dashboard/signin.py) opens a page with one
button: link previews in chat fetch the page but never press it, so only the
coordinator's own click uses the link. The button's POST must carry the value of a
short-lived cookie the page set (SameSite=Strict): a page elsewhere cannot press it
for another browser, so nobody can sign someone else in with a link of their own. The session lives in the database (a hash
of its id); the cookie holds only the id. The role is read again on every request; the session's last use is written at
most once a minute (bot/dashboard/signin.py SEEN_STEP), so a page is a read, made in a
reading unit of work: on SQLite it does not wait for the write turn.
"""

from __future__ import annotations

import hmac
import secrets
from dataclasses import dataclass

from aiohttp import web

from adapters.bootstrap import App
from adapters.web.pages import render, site
from bot.dashboard.signin import LINK_LIFETIME, SEEN_STEP, SESSION_IDLE
from bot.members import Member
from bot.private_links import secret_hash
from bot.roles import Role

COOKIE = "dashboard_session"
# Set by the sign-in page and sent back with its button: the POST must come from the
# browser that opened the page, so no other site can sign a browser in as someone else.
SIGNIN_COOKIE = "dashboard_signin"
SIGNIN_PATH = "/dashboard/login"
# Long enough for any token the bot makes, short enough to refuse junk at once.
TOKEN_MAX = 100


@dataclass(frozen=True)
class Coordinator:
    """Who is signed in, and the CSRF token their forms carry."""

    member: Member
    csrf: str
    session_hash: str
    # Whether an outcome may wait to be shown once: without one, a page takes none
    # (dashboard_actions.py `take_outcome`) and so writes nothing.
    flash: bool = True


async def signed_in(request: web.Request) -> Coordinator | None:
    """The coordinator of this request's session; None if none, or no longer a coordinator.

    A read, so that a page waits for no writer (on SQLite a unit of work that may write
    takes the one write turn): the session, its member and their role are read on every
    request, and a unit of work that writes is opened only when something is to be
    written: the last use (at most once a minute), or the end of a session gone idle or
    of one whose member is no longer a coordinator.
    """
    session_id = request.cookies.get(COOKIE, "")
    if not session_id or len(session_id) > TOKEN_MAX:
        return None
    app = site(request).app
    session_hash = secret_hash(session_id)
    async with app.storage.reading() as uow:
        seen = await uow.dashboard.seen(session_hash)
    if seen is None:
        return None
    member = seen.member
    allowed = _coordinator(app, member)
    # SESSION_IDLE is longer than SEEN_STEP: a session gone idle is due a write too.
    if member is None or not allowed or seen.last_seen + SEEN_STEP <= app.clock.now():
        return await _written(request, session_hash)
    return Coordinator(member, seen.csrf, session_hash, seen.flash)


async def _written(request: web.Request, session_hash: str) -> Coordinator | None:
    """`signed_in` when something is to be written: all read again in the unit of work
    that writes it, so what it decides is what that unit sees."""
    app = site(request).app
    async with app.storage.unit_of_work() as uow:
        found = await uow.dashboard.active_session(
            session_hash, app.clock.now(), SESSION_IDLE, SEEN_STEP
        )
        member = await uow.members.get(found[0]) if found else None
        allowed = _coordinator(app, member)
        if found and not allowed:
            await uow.dashboard.end_session(session_hash)
        await uow.commit()
    if found is None or member is None or not allowed:
        return None
    return Coordinator(member, found[1], session_hash)


def _coordinator(app: App, member: Member | None) -> bool:
    """Whether `member` may see the dashboard: read again on every request."""
    return member is not None and app.dispatcher.role_of(member) >= Role.COORDINATOR


def csrf_ok(coordinator: Coordinator, form: dict[str, str]) -> bool:
    return hmac.compare_digest(form.get("csrf", "").encode(), coordinator.csrf.encode())


def outside(request: web.Request, *, status: int = 401) -> web.Response:
    """The page for anyone not signed in: how to get a link, and nothing else."""
    return render(request, "dashboard_signin.html", status=status, state="signed_out")


async def login_page(request: web.Request) -> web.Response:
    token = request.match_info["token"]
    app = site(request).app
    usable = False
    if len(token) <= TOKEN_MAX:
        async with app.storage.reading() as uow:
            usable = await uow.dashboard.link_usable(secret_hash(token), app.clock.now())
    if not usable:
        return render(request, "dashboard_signin.html", status=410, state="used")
    binding = secrets.token_urlsafe(32)
    response = render(
        request, "dashboard_signin.html", state="confirm", token=token, binding=binding
    )
    response.set_cookie(
        SIGNIN_COOKIE,
        binding,
        path=SIGNIN_PATH,
        max_age=int(LINK_LIFETIME.total_seconds()),
        httponly=True,
        samesite="Strict",
        secure=site(request).settings.public_url.startswith("https://"),
    )
    return response


def _same_browser(request: web.Request, form: dict[str, str]) -> bool:
    """The button was pressed on the page this browser opened (its cookie and form agree)."""
    cookie = request.cookies.get(SIGNIN_COOKIE, "")
    sent = form.get("binding", "")
    return (
        bool(cookie)
        and len(cookie) <= TOKEN_MAX
        and hmac.compare_digest(cookie.encode(), sent.encode())
    )


async def login(request: web.Request) -> web.StreamResponse:
    token = request.match_info["token"]
    app = site(request).app
    form = {k: str(v) for k, v in (await request.post()).items()}
    if len(token) > TOKEN_MAX:
        return render(request, "dashboard_signin.html", status=410, state="used")
    if not _same_browser(request, form):
        # Not consumed: the coordinator can still open their link and press the button.
        async with app.storage.reading() as uow:
            usable = await uow.dashboard.link_usable(secret_hash(token), app.clock.now())
        state, status = ("other_browser", 403) if usable else ("used", 410)
        return render(request, "dashboard_signin.html", status=status, state=state)
    session_id = secrets.token_urlsafe(32)
    async with app.storage.unit_of_work() as uow:
        now = app.clock.now()
        member_id = await uow.dashboard.use_link(secret_hash(token), now)
        if member_id is not None:
            csrf = secrets.token_urlsafe(32)
            await uow.dashboard.start_session(secret_hash(session_id), member_id, csrf, now)
        await uow.commit()
    if member_id is None:
        return render(request, "dashboard_signin.html", status=410, state="used")
    where = str(request.app.router["dashboard_review"].url_for())
    response = web.Response(status=303, headers={"Location": where})
    response.set_cookie(
        COOKIE,
        session_id,
        path="/dashboard",
        httponly=True,
        samesite="Lax",
        secure=site(request).settings.public_url.startswith("https://"),
    )
    response.del_cookie(SIGNIN_COOKIE, path=SIGNIN_PATH)
    return response


async def logout(request: web.Request) -> web.StreamResponse:
    coordinator = await signed_in(request)
    form = {k: str(v) for k, v in (await request.post()).items()}
    if coordinator is None or not csrf_ok(coordinator, form):
        return outside(request, status=403)
    app = site(request).app
    async with app.storage.unit_of_work() as uow:
        await uow.dashboard.end_session(secret_hash(request.cookies[COOKIE]))
        await uow.commit()
    response = render(request, "dashboard_signin.html", state="signed_out")
    response.del_cookie(COOKIE, path="/dashboard")
    return response
