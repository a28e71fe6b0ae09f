"""The resource library's commands and buttons, declared once for every platform."""

from __future__ import annotations

from dataclasses import replace

from bot.catalogue import Action, Command, Option, OptionKind
from bot.i18n import N_
from bot.options import number_of, topics_option
from bot.resources import audit, editing, retire, review, search, suggest
from bot.resources.model import (
    DESCRIPTION_MAX,
    LEVELS,
    QUERY_MAX,
    REASON_MAX,
    TITLE_MAX,
    TOPIC_MAX,
    TOPICS_MAX,
    URL_MAX,
    Sort,
)
from bot.roles import Role

K = OptionKind


def _id(help_text: str) -> Option:
    return number_of("id", help_text, N_("Resource number"), example="12")


_TITLE = Option(
    "title",
    K.TEXT,
    N_("The resource's title"),
    N_("Title"),
    max_length=TITLE_MAX,
    example="Housing and Health Toolkit",
)
_DESCRIPTION = Option(
    "description",
    K.LONG_TEXT,
    N_("A sentence or two on what it is and who it helps"),
    N_("Description"),
    max_length=DESCRIPTION_MAX,
)
# An empty answer keeps the current value (forms leave out blank fields), so
# removing a description needs a word of its own.
_DESCRIPTION_EDIT = replace(
    _DESCRIPTION,
    help=N_("A sentence or two on what it is and who it helps; type - to remove it"),
)
_URL = Option(
    "url",
    K.URL,
    N_("The web address, starting with https://"),
    N_("Link"),
    required=True,
    max_length=URL_MAX,
    aliases=("link",),
    example="https://www.cdc.gov/health-equity/",
)
_TYPE = Option(
    "type",
    K.CHOICE,
    N_("What kind of resource it is"),
    N_("Type"),
    choices_from="resource_types",
    example="toolkit",
)
_TOPICS = topics_option(max_length=TOPIC_MAX, maximum=TOPICS_MAX)
_LANGUAGE = Option("language", K.LANGUAGE, N_("The resource's language"), N_("Language"))
# "level", not "jurisdiction": a profile's jurisdiction is a place (a county), this
# is a level of government. The old name still works when typed.
_LEVEL = Option(
    "level",
    K.CHOICE,
    N_("The level of government it applies to: local, state or national"),
    N_("Level"),
    choices=LEVELS,
    aliases=("jurisdiction",),
)

COMMANDS = (
    Command(
        ("resource", "suggest"),
        N_("Suggest a resource for the library; coordinators review it"),
        suggest.suggest,
        (
            _URL,
            Option(
                _TITLE.name,
                _TITLE.kind,
                _TITLE.help,
                _TITLE.label,
                required=True,
                max_length=TITLE_MAX,
                example=_TITLE.example,
            ),
            _DESCRIPTION,
            Option(
                _TYPE.name,
                _TYPE.kind,
                _TYPE.help,
                _TYPE.label,
                required=True,
                choices_from="resource_types",
                example=_TYPE.example,
            ),
            _TOPICS,
            _LEVEL,
            _LANGUAGE,
        ),
        form=True,
        form_title=N_("Suggest a resource"),
    ),
    Command(
        ("resource", "search"),
        N_("Search the resource library"),
        search.search,
        (
            Option(
                "query",
                K.TEXT,
                N_("Words to look for in titles, descriptions and topics"),
                N_("Search words"),
                max_length=QUERY_MAX,
                example="housing toolkit",
                takes_rest=True,
            ),
            Option(
                "type", K.CHOICE, N_("Only this kind"), N_("Type"), choices_from="resource_types"
            ),
            Option("topic", K.TEXT, N_("Only this topic"), N_("Topic"), max_length=TOPIC_MAX),
            Option("language", K.LANGUAGE, N_("Only this language"), N_("Language")),
            replace(_LEVEL, help=N_("Only this level of government")),
            Option(
                "sort",
                K.CHOICE,
                N_("newest first, or best match first"),
                N_("Order"),
                choices=tuple(s.value for s in Sort),
                aliases=("order",),
            ),
            Option(
                "page",
                K.INTEGER,
                N_("Which page of results"),
                N_("Page"),
                minimum=1,
                maximum=10_000,
            ),
        ),
    ),
    Command(("resource", "recent"), N_("See the newest resources in the library"), search.recent),
    Command(
        ("resource", "view"),
        N_("See one resource, with who suggested and approved it"),
        search.view,
        (_id(N_("The resource's number, as shown in lists")),),
    ),
    Command(
        ("resource", "pending"),
        N_("See suggested resources waiting for review, oldest first"),
        review.pending,
        role=Role.COORDINATOR,
    ),
    Command(
        ("resource", "reject"),
        N_("Reject a suggested resource, with a reason for its suggester"),
        review.reject,
        (
            _id(N_("The suggestion's number")),
            Option(
                "reason",
                K.LONG_TEXT,
                N_("Why it is not added; the suggester sees this"),
                N_("Reason"),
                required=True,
                max_length=REASON_MAX,
                example="Already covered by #3",
            ),
        ),
        role=Role.COORDINATOR,
        form_title=N_("Reject a suggested resource"),
    ),
    Command(
        ("resource", "edit"),
        N_("Correct a resource, waiting for review or in the library: any field, the link too"),
        editing.edit,
        (
            _id(N_("The resource's number, as shown in lists")),
            replace(_URL, required=False),
            _TITLE,
            _DESCRIPTION_EDIT,
            _TYPE,
            _TOPICS,
            _LEVEL,
            _LANGUAGE,
        ),
        role=Role.COORDINATOR,
        form_title=N_("Correct a resource"),
    ),
    Command(
        ("resource", "retire"),
        N_("Take a resource out of the library, with a reason; its history is kept"),
        retire.ask,
        (
            _id(N_("The resource's number, as shown in lists")),
            Option(
                "reason",
                K.LONG_TEXT,
                N_("Why it leaves the library; kept in the audit trail"),
                N_("Reason"),
                required=True,
                max_length=REASON_MAX,
                example="Replaced by the 2026 edition",
            ),
        ),
        role=Role.COORDINATOR,
        form_title=N_("Retire a resource"),
    ),
    Command(
        ("resource", "audit"),
        N_("See every decision and edit in the resource library"),
        audit.audit,
        (
            number_of(
                "id", N_("Only this resource's history"), N_("Resource number"), required=False
            ),
        ),
        role=Role.COORDINATOR,
    ),
)

ACTIONS = (
    Action("resource.approve", review.approve, Role.COORDINATOR),
    Action("resource.reject", review.ask_reason, Role.COORDINATOR),
    Action("resource.edit", editing.open_form, Role.COORDINATOR),
    Action("resource.retire", retire.confirm, Role.COORDINATOR),
    Action("resource.keep", retire.keep, Role.COORDINATOR),
)
