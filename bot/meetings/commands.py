"""The meeting commands and RSVP buttons, declared once for every platform."""

from __future__ import annotations

from bot.catalogue import Action, Command, Option, OptionKind
from bot.i18n import N_
from bot.meetings import browse, calendar, cancel, edit, personal, rsvp, schedule
from bot.meetings.model import AGENDA_MAX, LINK_MAX, MAX_DURATION_MINUTES, TITLE_MAX
from bot.meetings.topics import TOPIC_MAX, TOPICS_MAX
from bot.options import number_of
from bot.roles import Role

K = OptionKind

_ID = number_of(
    "id",
    N_("The meeting's number, as the meeting list shows it"),
    N_("Meeting number"),
    example="3",
)
_OCCURRENCE = Option(
    "occurrence",
    K.DATE,
    N_("The date of one meeting of a series, as YYYY-MM-DD (leave out for the next one)"),
    N_("Date of the occurrence"),
)


def _details(*, for_schedule: bool) -> tuple[Option, ...]:
    required = for_schedule
    return (
        Option(
            "title",
            K.TEXT,
            N_("What the meeting is called"),
            N_("Title"),
            required=required,
            max_length=TITLE_MAX,
            example="Learning session: heat and health",
        ),
        Option(
            "date",
            K.DATE,
            N_("The day, as YYYY-MM-DD"),
            N_("Date"),
            required=required,
        ),
        Option(
            "time",
            K.TIME,
            N_("The start time, such as 14:30 or 9am"),
            N_("Start time"),
            required=required,
            example="9am",
        ),
        Option(
            "timezone",
            K.TIMEZONE,
            N_(
                "The meeting's time zone, such as Eastern, Pacific or America/Chicago (default: yours)"
            ),
            N_("Time zone"),
        ),
        Option(
            "duration",
            K.DURATION,
            N_("How long, in minutes or like 1h30m (default 60)"),
            N_("Length"),
            minimum=1,
            maximum=MAX_DURATION_MINUTES,
            aliases=("length",),
        ),
        Option(
            "link",
            K.URL,
            N_("The link to join, starting with https://"),
            N_("Join link"),
            max_length=LINK_MAX,
        ),
        Option(
            "public",
            K.BOOLEAN,
            N_(
                "Show the join link on the coalition's public web pages and calendar feed (yes or no, default no)"
            ),
            N_("Public join link"),
        ),
        Option(
            "agenda", K.LONG_TEXT, N_("What will be discussed"), N_("Agenda"), max_length=AGENDA_MAX
        ),
        Option(
            "topics",
            K.TAGS,
            N_("Topics, separated by commas, from the coalition's list (none: no topics)"),
            N_("Topics"),
            choices_from="topics",
            max_length=TOPIC_MAX,
            maximum=TOPICS_MAX,
            clearable=True,
        ),
        Option(
            "channel",
            K.TEXT,
            N_("The channel to announce it in (default: the announcements channel)"),
            N_("Channel"),
            max_length=80,
        ),
        Option(
            "repeat",
            K.REPEAT,
            N_('none, weekly, "every 2 weeks", "2nd thursday", or an iCalendar RRULE'),
            N_("Repeat"),
            max_length=200,
        ),
        Option(
            "reminders",
            K.TEXT,
            N_('When to remind before it, such as "1d, 15m", or none (default: the coalition\'s)'),
            N_("Reminders"),
            max_length=100,
        ),
    )


COMMANDS = (
    Command(
        ("meeting", "schedule"),
        N_("Schedule a meeting, once or repeating, and announce it"),
        schedule.schedule,
        _details(for_schedule=True),
        role=Role.COORDINATOR,
        form=True,
        form_title=N_("Schedule a meeting"),
    ),
    Command(
        ("meeting", "list"),
        N_("See upcoming meetings"),
        browse.upcoming,
        (
            Option(
                "page",
                K.INTEGER,
                N_("Which page of the list, 15 meetings a page (default 1)"),
                N_("Page"),
                minimum=1,
                maximum=1000,
                example="2",
            ),
        ),
    ),
    Command(
        ("meeting", "view"),
        N_("See one meeting, with buttons to answer"),
        browse.view,
        (_ID, _OCCURRENCE),
    ),
    Command(
        ("meeting", "edit"),
        N_("Change or move a meeting: one occurrence or the whole series"),
        edit.edit,
        (
            _ID,
            *_details(for_schedule=False),
            Option(
                "scope",
                K.CHOICE,
                N_("this: only the occurrence given; series: every occurrence (default)"),
                N_("Change"),
                choices=("this", "series"),
                aliases=("change",),
            ),
            _OCCURRENCE,
        ),
        role=Role.COORDINATOR,
    ),
    Command(
        ("meeting", "cancel"),
        N_("Cancel one occurrence, or the whole meeting"),
        cancel.cancel,
        (_ID, _OCCURRENCE),
        role=Role.COORDINATOR,
    ),
    Command(
        ("meeting", "attendees"),
        N_("See who is coming to a meeting"),
        browse.attendees,
        (_ID, _OCCURRENCE),
        role=Role.COORDINATOR,
    ),
    Command(
        ("meeting", "ics"),
        N_("Get a calendar file for a meeting, or for the whole series"),
        calendar.ics,
        (
            _ID,
            Option("series", K.BOOLEAN, N_("yes: every meeting of the series"), N_("Whole series")),
            _OCCURRENCE,
        ),
    ),
    Command(
        ("meeting", "feed"),
        N_("Get your own calendar feed of the meetings you answered Going or Maybe"),
        personal.feed,
        (
            Option(
                "revoke",
                K.BOOLEAN,
                N_("yes: end your feed, so its address stops working"),
                N_("Revoke"),
            ),
        ),
    ),
)

ACTIONS = (
    Action("meeting.rsvp_yes", rsvp.going),
    Action("meeting.rsvp_maybe", rsvp.maybe),
    Action("meeting.rsvp_no", rsvp.not_going),
    Action(cancel.CONFIRM_ACTION, cancel.confirm, Role.COORDINATOR),
    Action(cancel.KEEP_ACTION, cancel.keep, Role.COORDINATOR),
)
