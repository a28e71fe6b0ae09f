"""Signing in to the dashboard with a one-time link from chat, and who is signed in.

The link (`/coalition dashboard`, bot/dashboard/signin.py) opens a page with one
button: link previews in chat fetch the page but never press it, so only the
coordinator's own click uses the link. The button's POST must carry the value of a
short-lived cookie the page set (SameSite=Strict): a page elsewhere cannot press it
for another browser, so nobody can sign someone else in with a link of their own. The session lives in the database (a hash
of its id); the cookie holds only the id. The role is read again on every request; the session's last use is written at
most once a minute (bot/dashboard/signin.py SEEN_STEP), so a page is a read.
"""

from __future__ import annotations

import hmac
import secrets
from dataclasses import dataclass

from aiohttp import web

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


async def signed_in(request: web.Request) -> Coordinator | None:
    """The coordinator of this request's session; None if none, or no longer a coordinator."""
    session_id = request.cookies.get(COOKIE, "")
    if not session_id or len(session_id) > TOKEN_MAX:
        return None
    app = site(request).app
    async with app.storage.unit_of_work() as uow:
        found = await uow.dashboard.active_session(
            secret_hash(session_id), app.clock.now(), SESSION_IDLE, SEEN_STEP
        )
        member = await uow.members.get(found[0]) if found else None
        allowed = member is not None and app.dispatcher.role_of(member) >= Role.COORDINATOR
        if found and not allowed:
            await uow.dashboard.end_session(secret_hash(session_id))
        # Mostly nothing to commit: the last use is written at most once a minute.
        await uow.commit()
    if found is None or member is None or not allowed:
        return None
    return Coordinator(member, found[1], secret_hash(session_id))


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
        async with app.storage.unit_of_work() as uow:
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
        async with app.storage.unit_of_work() as uow:
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
