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

from adapters.web.dashboard import PLACE, back_to_queue
from adapters.web.dashboard_access import Coordinator, outside, signed_in
from adapters.web.dashboard_actions import actor_of, checked_form, number_in, said
from adapters.web.pages import render, site
from bot.invocation import CommandCall
from bot.messages import FormField, Reply

EDIT = ("resource", "edit")
FIELDS = ("url", "title", "description", "type", "topics", "level", "language")
# Longer than any field the command accepts (its own limits say so in a sentence).
ANSWER_MAX = 5000


async def _blank_form(coordinator: Coordinator, request: web.Request, number: str) -> Reply:
    # With only the number, the command answers with its form, pre-filled, as in chat
    # (or says why the resource cannot be edited).
    call = CommandCall(actor_of(coordinator), PLACE, EDIT, {"id": number})
    return await site(request).app.dispatcher.run(call)


async def edit_page(request: web.Request) -> web.StreamResponse:
    coordinator = await signed_in(request)
    if coordinator is None:
        return outside(request)
    number = str(number_in(request))
    reply = await _blank_form(coordinator, request, number)
    if reply.form is None:
        return _page(request, coordinator, number, (), error=said(reply), status=404)
    return _page(request, coordinator, number, reply.form.fields)


async def save(request: web.Request) -> web.StreamResponse:
    checked = await checked_form(request)
    if isinstance(checked, web.Response):
        return checked
    coordinator, form = checked
    number = str(number_in(request))
    # A blank answer keeps the current value, as in the chat's form (the description's
    # hint says how to remove one).
    typed = {name: form.get(name, "")[:ANSWER_MAX].strip() for name in FIELDS}
    answers = {name: value for name, value in typed.items() if value}
    call = CommandCall(
        actor_of(coordinator), PLACE, EDIT, {"id": number, **answers}, from_form=True
    )
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
            error=said(reply),
            invalid=reply.invalid_field,
            status=422,
        )
    # Saved, unchanged, or decided meanwhile: Post/Redirect/Get, as Approve and Reject,
    # and the queue says which, once (the chat's sentence may name whoever decided).
    await back_to_queue(request, coordinator, reply, int(number))


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
