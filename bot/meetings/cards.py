"""How meetings, announcements and reminders look, in the neutral message model."""

from __future__ import annotations

from collections.abc import Mapping

from babel.dates import format_date, format_time

from bot.discussions.model import OccurrenceDiscussion
from bot.i18n import N_, Translator
from bot.meetings.direct import meeting_time, reader_time
from bot.meetings.model import Answer, Meeting, Occurrence, occurrence_target
from bot.meetings.ruletext import describe_rule
from bot.messages import (
    Actions,
    Block,
    Button,
    ButtonStyle,
    Code,
    Context,
    Field,
    Fields,
    Heading,
    Link,
    Message,
    Moment,
    Plain,
    Section,
    Span,
    Strong,
    Text,
    text,
    usage,
)
from bot.timefmt import moment
from bot.timezones import to_local

RSVP_ACTIONS = {
    Answer.GOING: "meeting.rsvp_yes",
    Answer.MAYBE: "meeting.rsvp_maybe",
    Answer.NOT_GOING: "meeting.rsvp_no",
}
# Opens (or links to) the occurrence's discussion: bot/discussions/occurrence.py.
DISCUSS_ACTION = "meeting.discuss"
# "I'm here" on the starting-now reminder. Declared here, handled by the attendance
# capability (bot/attendance/checkin.py), so meetings never imports attendance.
CHECKIN_ACTION = "meeting.checkin"
ANSWER_LABELS = {
    Answer.GOING: N_("Going"),
    Answer.MAYBE: N_("Maybe"),
    Answer.NOT_GOING: N_("Can't go"),
}


def local_time(tr: Translator, meeting: Meeting, occurrence: Occurrence) -> str:
    """The start in the meeting's own zone, named: "9:00 AM America/Los_Angeles"."""
    local = to_local(occurrence.start, meeting.timezone)
    return f"{format_time(local, 'short', locale=tr.language)} {meeting.timezone}"


def when(tr: Translator, meeting: Meeting, occurrence: Occurrence) -> tuple[Span, ...]:
    """A Moment each reader sees in their zone, then the time in the meeting's own zone.

    Renderers that cannot localise (the terminal) show the date from the fallback,
    so the wall time is not said twice.
    """
    local = to_local(occurrence.start, meeting.timezone)
    day = format_date(local, "medium", locale=tr.language)
    return (Moment(occurrence.start, day), Plain(" · "), Plain(local_time(tr, meeting, occurrence)))


def repeats(tr: Translator, meeting: Meeting) -> str:
    return describe_rule(tr, meeting.rule, meeting.start)


def rsvp_buttons(tr: Translator, meeting: Meeting, occurrence: Occurrence) -> Actions:
    target = occurrence_target(meeting.id, occurrence.key)
    styles = {Answer.GOING: ButtonStyle.PRIMARY}
    return Actions(
        tuple(
            Button(
                tr.plain(ANSWER_LABELS[answer]),
                action,
                target,
                styles.get(answer, ButtonStyle.DEFAULT),
            )
            for answer, action in RSVP_ACTIONS.items()
        )
    )


def counts_line(tr: Translator, counts: Mapping[Answer, int]) -> Context:
    return Context(
        tr(
            "Going: {going} · Maybe: {maybe} · Can't go: {no}",
            going=str(counts.get(Answer.GOING, 0)),
            maybe=str(counts.get(Answer.MAYBE, 0)),
            no=str(counts.get(Answer.NOT_GOING, 0)),
        )
    )


def details(tr: Translator, meeting: Meeting, occurrence: Occurrence) -> Fields:
    fields = [
        Field(tr.plain("When"), when(tr, meeting, occurrence)),
        Field(tr.plain("Length"), text(tr.plain("{minutes} minutes", minutes=meeting.duration))),
        Field(tr.plain("Repeats"), text(repeats(tr, meeting))),
    ]
    if meeting.link:
        fields.append(Field(tr.plain("Join"), (Link(meeting.link, meeting.link),)))
    if meeting.agenda:
        fields.append(Field(tr.plain("Agenda"), text(meeting.agenda)))
    if meeting.topics:
        fields.append(Field(tr.plain("Topics"), text(", ".join(meeting.topics))))
    return Fields(tuple(fields))


def agenda_line(tr: Translator, discussion: OccurrenceDiscussion, platform: str) -> Context:
    """The occurrence's discussion, linked to its thread where the reader's platform has one."""
    url = discussion.url(platform)
    return Context(
        tr(
            "Agenda and notes: {title} (discussion {number})",
            title=Link(url, discussion.title) if url else Strong(discussion.title),
            number=Code(f"#{discussion.discussion_id}"),
        )
    )


def meeting_card(
    tr: Translator,
    meeting: Meeting,
    occurrence: Occurrence | None,
    counts: Mapping[Answer, int] | None = None,
    *,
    heading: str | None = None,
    buttons: bool = True,
    discussion: OccurrenceDiscussion | None = None,
    platform: str = "",
    note: Text = (),
) -> Message:
    blocks: list[Block] = [Heading(heading or meeting.title)]
    if heading:
        blocks.append(Section((Strong(meeting.title),)))
    if note:
        blocks.append(Section(note))
    if meeting.cancelled or occurrence is None:
        blocks.append(Section(tr("This meeting is cancelled.")))
        return Message(tuple(blocks))
    blocks.append(details(tr, meeting, occurrence))
    if counts is not None:
        blocks.append(counts_line(tr, counts))
    if discussion is not None:
        blocks.append(agenda_line(tr, discussion, platform))
    if buttons:
        rsvp = rsvp_buttons(tr, meeting, occurrence)
        discuss = Button(
            tr.plain("Agenda and notes"),
            DISCUSS_ACTION,
            occurrence_target(meeting.id, occurrence.key),
        )
        blocks.append(Actions((*rsvp.buttons, discuss)))
    blocks.append(
        Context(
            tr(
                "Meeting {id}. Add it to your calendar: {command}",
                id=str(meeting.id),
                command=usage("meeting ics", ("id", str(meeting.id))),
            )
        )
    )
    return Message(tuple(blocks))


def announcement(
    tr: Translator,
    meeting: Meeting,
    occurrence: Occurrence | None,
    counts: Mapping[Answer, int],
    *,
    discussion: OccurrenceDiscussion | None = None,
    platform: str = "",
    note: Text = (),
) -> Message:
    return meeting_card(
        tr,
        meeting,
        occurrence,
        counts,
        heading=tr.plain("New meeting"),
        discussion=discussion,
        platform=platform,
        note=note,
    )


def reminder(
    tr: Translator,
    meeting: Meeting,
    occurrence: Occurrence,
    offset: int,
    *,
    late: bool,
    direct: bool,
    discussion: OccurrenceDiscussion | None = None,
    platform: str = "",
    reader_zone: str = "",
) -> Message:
    theirs = reader_time(tr, occurrence.start, meeting.timezone, reader_zone) if reader_zone else ""
    if offset == 0:
        headline = tr("{title} is starting now.", title=Strong(meeting.title))
    elif theirs:
        # Said in both zones, as words: a platform's own localised time shows the
        # reader's device zone, which may not be the one in their profile.
        headline = tr(
            "Reminder: {title} starts at {when} ({local} your time).",
            title=Strong(meeting.title),
            when=Plain(meeting_time(tr, occurrence.start, meeting.timezone)),
            local=Plain(theirs),
        )
    else:
        headline = tr(
            "Reminder: {title} starts at {when}.",
            title=Strong(meeting.title),
            when=moment(occurrence.start, meeting.timezone, tr.language),
        )
    blocks: list[Block] = [Section(headline), details(tr, meeting, occurrence)]
    if discussion is not None:
        blocks.append(agenda_line(tr, discussion, platform))
    if direct:
        blocks.append(
            Context(
                tr(
                    "You said you're going. Turn these messages off with {command}.",
                    command=usage("profile edit", ("dm_reminders", "no")),
                )
            )
        )
    if late:
        blocks.append(Context(tr("This reminder is late: I was offline when it was due.")))
    answers = rsvp_buttons(tr, meeting, occurrence)
    if offset == 0:
        # Checking in is open from shortly before the start to the end: the
        # starting-now reminder is the one people have in front of them then.
        target = occurrence_target(meeting.id, occurrence.key)
        here = Button(tr.plain("I'm here"), CHECKIN_ACTION, target, ButtonStyle.PRIMARY)
        answers = Actions((here, *answers.buttons))
    blocks.append(answers)
    return Message(tuple(blocks))
