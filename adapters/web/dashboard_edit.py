"""Edit in the review queue: the chat's `/coalition resource edit` form, on a page.

The form is the one the core gives the chat's Edit button (its fields, labels, hints
and current values, from bot/resources/editing.py through the dispatcher), and
saving runs the same command with the answers: the core checks, saves, records the
change and refreshes the chat's review posts. An error about one field is shown
beside it with what was typed kept; the page adds no rule of its own.
"""

from __future__ import annotations

from dataclasses import replace

from aiohttp import web

from adapters.web.dashboard import PLACE, _actor, _said
from adapters.web.dashboard_access import Coordinator, csrf_ok, outside, signed_in
from adapters.web.pages import render, site
from adapters.web.unlisted import scrubbed, unlisted_label
from bot.invocation import CommandCall
from bot.messages import FormField, Reply
from bot.options import ID_MAX

EDIT = ("resource", "edit")
FIELDS = ("url", "title", "description", "type", "topics", "level", "language")
# Longer than any field the command accepts (its own limits say so in a sentence).
ANSWER_MAX = 5000


def _number(request: web.Request) -> str:
    number = request.match_info["id"]
    if not (number.isascii() and number.isdigit() and len(number) < 12):
        raise web.HTTPNotFound()
    return number


async def _blank_form(coordinator: Coordinator, request: web.Request, number: str) -> Reply:
    # With only the number, the command answers with its form, pre-filled, as in chat
    # (or says why the resource cannot be edited).
    call = CommandCall(_actor(coordinator), PLACE, EDIT, {"id": number})
    return await site(request).app.dispatcher.run(call)


async def edit_page(request: web.Request) -> web.StreamResponse:
    coordinator = await signed_in(request)
    if coordinator is None:
        return outside(request)
    number = _number(request)
    reply = await _blank_form(coordinator, request, number)
    if reply.form is None:
        return _page(request, coordinator, number, (), error=_said(reply), status=404)
    return _page(request, coordinator, number, reply.form.fields)


async def save(request: web.Request) -> web.StreamResponse:
    coordinator = await signed_in(request)
    form = {k: str(v) for k, v in (await request.post()).items()}
    if coordinator is None:
        return outside(request)
    if not csrf_ok(coordinator, form):
        return render(request, "dashboard_signin.html", status=403, state="csrf")
    number = _number(request)
    # A blank answer keeps the current value, as in the chat's form (the description's
    # hint says how to remove one).
    typed = {name: form.get(name, "")[:ANSWER_MAX].strip() for name in FIELDS}
    answers = {name: value for name, value in typed.items() if value}
    call = CommandCall(_actor(coordinator), PLACE, EDIT, {"id": number, **answers}, from_form=True)
    reply = await site(request).app.dispatcher.run(call)
    if reply.invalid_field is not None:
        again = await _blank_form(coordinator, request, number)
        fields = again.form.fields if again.form is not None else ()
        kept = tuple(replace(f, value=typed.get(f.name, f.value)) for f in fields)
        return _page(
            request,
            coordinator,
            number,
            kept,
            error=_said(reply),
            invalid=reply.invalid_field,
            status=422,
        )
    # Saved, unchanged, or decided meanwhile: Post/Redirect/Get, as Approve and Reject,
    # and the queue says which, once.
    async with site(request).app.storage.unit_of_work() as uow:
        # The chat's sentence may name whoever decided meanwhile.
        decided = await uow.resources.get(int(number)) if int(number) <= ID_MAX else None
        about = [] if decided is None else [decided.suggested_by, decided.decided_by]
        outcome = await scrubbed(uow, _said(reply), about, unlisted_label(request))
        await uow.dashboard.set_flash(coordinator.session_hash, outcome)
        await uow.commit()
    raise web.HTTPSeeOther(request.app.router["dashboard_review"].url_for())


def _page(
    request: web.Request,
    coordinator: Coordinator,
    number: str,
    fields: tuple[FormField, ...],
    *,
    error: str = "",
    invalid: str = "",
    status: int = 200,
) -> web.Response:
    return render(
        request,
        "dashboard_edit.html",
        status=status,
        number=number,
        fields=[f for f in fields if f.name != "id"],  # the number is in the address
        error=error,
        invalid=invalid,
        csrf=coordinator.csrf,
        me=coordinator.member.name,
        section="review",
    )


def add_routes(router: web.UrlDispatcher) -> None:
    router.add_get("/dashboard/review/{id}/edit", edit_page, name="dashboard_edit")
    router.add_post("/dashboard/review/{id}/edit", save)
