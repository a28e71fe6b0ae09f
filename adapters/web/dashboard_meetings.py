"""The dashboard's meetings: upcoming occurrences with their answers, and Cancel and Edit.

Reading is the same storage the chat reads (`meeting list`, `meeting attendees`).
Every change goes through the dispatcher as the chat's command or button does
(`meeting cancel`, `meeting edit`, `meeting.cancel_confirm`), from the platform `web`:
the same role check, the same checks of what was typed and the same error sentences,
the same direct messages to those going, and the same refresh of the chat's
announcements. The web adds no rule.
"""

from __future__ import annotations

from dataclasses import dataclass

from aiohttp import web

from adapters.web.dashboard_access import Coordinator, outside, signed_in
from adapters.web.dashboard_actions import (
    actor_of,
    checked_form,
    number_in,
    said,
    shown_once,
    take_outcome,
)
from adapters.web.dashboard_coming import COMING, ComingStore, coming
from adapters.web.pages import reader_language, render, site
from adapters.web.unlisted import unlisted_among, unlisted_label
from bot.i18n import translator
from bot.identity import Place
from bot.invocation import Click, CommandCall
from bot.meetings.cancel import CONFIRM_ACTION
from bot.meetings.cards import ANSWER_LABELS
from bot.meetings.model import Answer, Meeting, Occurrence
from bot.meetings.ports import Attendee
from bot.meetings.public import AHEAD
from bot.meetings.recurrence import next_occurrences
from bot.meetings.ruletext import describe_rule

PLACE = Place("web", "dashboard", "meetings")
# Occurrences of one meeting shown with their answers: a weekly series shows two months.
OCCURRENCES = 8
# What the edit form offers, as the chat's `meeting edit` options are named.
EDITABLE = ("title", "agenda", "date", "time", "timezone", "duration", "link", "topics")
FIELD_MAX = 1000  # the longest option (the agenda); the core checks each one's own limit


@dataclass(frozen=True, slots=True)
class Upcoming:
    meeting: Meeting
    occurrence: Occurrence
    counts: dict[Answer, int]


@dataclass(frozen=True, slots=True)
class Answers:
    occurrence: Occurrence
    people: dict[Answer, list[str]]


async def meetings_page(request: web.Request) -> web.Response:
    coordinator = await signed_in(request)
    if coordinator is None:
        return outside(request)
    now = site(request).app.clock.now()
    async with site(request).app.storage.reading() as uow:
        shown = await coming(uow, request.app[COMING], now)
        # One read for every row's counts, not one per row.
        counts = await uow.rsvps.counts_of([(m.id, o.key) for m, o in shown])
    rows = [Upcoming(m, o, counts[m.id, o.key]) for m, o in shown]
    return render(
        request,
        "dashboard_meetings.html",
        section="meetings",
        rows=rows,
        answers=list(Answer),
        labels=ANSWER_LABELS,
        csrf=coordinator.csrf,
        me=coordinator.member.name,
        outcome=await take_outcome(request, coordinator),
    )


async def meeting_page(request: web.Request) -> web.Response:
    coordinator = await signed_in(request)
    if coordinator is None:
        return outside(request)
    outcome = await take_outcome(request, coordinator)
    return await _meeting_view(request, coordinator, number_in(request), outcome)


async def _meeting_view(
    request: web.Request,
    coordinator: Coordinator,
    number: int,
    outcome: str,
    typed: dict[str, str] | None = None,
    invalid: str = "",
) -> web.Response:
    """The meeting's page; after a refused edit, with what was typed and the field marked."""
    now = site(request).app.clock.now()
    async with site(request).app.storage.reading() as uow:
        meeting = await uow.meetings.get(number)
        if meeting is None:
            raise web.HTTPNotFound()
        changes = (await uow.meetings.changes([meeting.id])).get(meeting.id, {})
        coming = (
            [] if meeting.cancelled else next_occurrences([(meeting, changes)], now, now + AHEAD)
        )
        replies = [
            (o, await uow.rsvps.attendees(meeting.id, o.key)) for _, o in coming[:OCCURRENCES]
        ]
        hidden = await unlisted_among(uow, (p.member_id for _, people in replies for p in people))
    label = unlisted_label(request)
    answers = [Answers(o, _by_answer(people, hidden, label)) for o, people in replies]
    tr = translator(reader_language(request, site(request).app.config.coalition.language))
    return render(
        request,
        "dashboard_meeting.html",
        section="meetings",
        status=400 if invalid else 200,
        meeting=meeting,
        repeats=describe_rule(tr, meeting.rule, meeting.start),
        answers=answers,
        more=max(0, len(coming) - OCCURRENCES),
        kinds=list(Answer),
        labels=ANSWER_LABELS,
        fields=_current(meeting) | (typed or {}),
        topics=site(request).app.config.lists.topics,
        invalid=invalid,
        csrf=coordinator.csrf,
        me=coordinator.member.name,
        outcome=outcome,
    )


def _by_answer(people: list[Attendee], hidden: set[int], label: str) -> dict[Answer, list[str]]:
    """Names per answer; an unlisted member is counted, and shown as `label`."""
    named = {p.member_id: label if p.member_id in hidden else p.name for p in people}
    return {answer: [named[p.member_id] for p in people if p.answer is answer] for answer in Answer}


def _current(meeting: Meeting) -> dict[str, str]:
    """The edit form's values, written as the chat's options take them."""
    return {
        "title": meeting.title,
        "agenda": meeting.agenda,
        "date": meeting.start.date().isoformat(),
        "time": meeting.start.strftime("%H:%M"),
        "timezone": meeting.timezone,
        "duration": str(meeting.duration),
        "link": meeting.link,
        "topics": ", ".join(meeting.topics),
    }


def _here(request: web.Request, number: int) -> str:
    return str(request.app.router["dashboard_meeting"].url_for(id=str(number)))


async def cancel(request: web.Request) -> web.StreamResponse:
    checked = await checked_form(request)
    if isinstance(checked, web.Response):
        return checked
    coordinator, form = checked
    number = number_in(request)
    app = site(request).app
    dispatcher = app.dispatcher
    occurrence = form.get("occurrence", "")[:20]
    if occurrence:
        # One date of a series: the chat's `meeting cancel ID occurrence=DATE`.
        call = CommandCall(
            actor_of(coordinator),
            PLACE,
            ("meeting", "cancel"),
            {"id": str(number), "occurrence": occurrence},
            from_form=True,
        )
        reply = await dispatcher.run(call)
    elif form.get("confirm") != "yes":
        tr = translator(reader_language(request, app.config.coalition.language))
        unsure = tr.plain(
            "Nothing was cancelled. To cancel the whole meeting, tick the box that says so "
            "and press the button again."
        )
        await shown_once(request, coordinator, unsure, _here(request, number))
    else:
        # The whole meeting: the chat asks first, with a button; here the form's own
        # confirmation is that button, so it runs the button's use case.
        reply = await dispatcher.click(
            Click(actor_of(coordinator), PLACE, CONFIRM_ACTION, str(number))
        )
    await shown_once(request, coordinator, said(reply), _here(request, number))


async def edit(request: web.Request) -> web.StreamResponse:
    checked = await checked_form(request)
    if isinstance(checked, web.Response):
        return checked
    coordinator, form = checked
    number = number_in(request)
    app = site(request).app
    async with app.storage.reading() as uow:
        meeting = await uow.meetings.get(number)
    if meeting is None:
        raise web.HTTPNotFound()
    options: dict[str, str] = {"id": str(number)}
    occurrence = form.get("occurrence", "")[:20]
    if occurrence:
        # Moving one date of a series: the chat's `meeting edit ID scope=this occurrence=DATE`.
        options |= {"scope": "this", "occurrence": occurrence}
        options |= {k: form[k][:FIELD_MAX] for k in ("date", "time") if form.get(k)}
    else:
        # Only what the coordinator changed, as they would type it in chat: the core
        # then checks it and says "Nothing to change" when nothing did.
        shown = _current(meeting)
        options |= {
            k: form[k][:FIELD_MAX].strip()
            for k in EDITABLE
            if k in form and form[k].strip() != shown[k]
        }
        if options.get("topics") == "":
            options["topics"] = "none"  # emptied: the chat's word for no topics
        # A checkbox sends nothing when unticked: the form says it showed the box.
        public = "yes" if form.get("public") == "yes" else "no"
        if "public_shown" in form and (public == "yes") != meeting.public:
            options["public"] = public
    call = CommandCall(actor_of(coordinator), PLACE, ("meeting", "edit"), options, from_form=True)
    reply = await app.dispatcher.run(call)
    if not occurrence and reply.invalid_field in EDITABLE:
        # Refused: the form comes back as typed, with the core's sentence and the field
        # marked, so nothing typed is lost (nothing was saved, so nothing to send twice).
        typed = {k: form[k][:FIELD_MAX] for k in EDITABLE if k in form}
        field = reply.invalid_field or ""
        return await _meeting_view(request, coordinator, number, said(reply), typed, field)
    await shown_once(request, coordinator, said(reply), _here(request, number))


def add_routes(application: web.Application) -> None:
    application[COMING] = ComingStore()
    router = application.router
    router.add_get("/dashboard/meetings", meetings_page, name="dashboard_meetings")
    router.add_get("/dashboard/meetings/{id}", meeting_page, name="dashboard_meeting")
    router.add_post("/dashboard/meetings/{id}/cancel", cancel, name="dashboard_meeting_cancel")
    router.add_post("/dashboard/meetings/{id}/edit", edit, name="dashboard_meeting_edit")
