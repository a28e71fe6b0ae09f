"""How resources look: the review post, the published card, list lines, the full view."""

from __future__ import annotations

from bot.config import Config
from bot.i18n import N_, Translator
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
    Section,
    Strong,
    Text,
    text,
)
from bot.resources.model import Resource, ResourceStatus, Retirement
from bot.timefmt import moment


def _fields(tr: Translator, resource: Resource) -> Fields:
    return Fields(
        (
            Field(tr.plain("Type"), text(resource.type)),
            Field(tr.plain("Topics"), text(", ".join(resource.topics) or "—")),
            Field(tr.plain("Level"), text(resource.jurisdiction or "—")),
            Field(tr.plain("Language"), text(resource.language)),
        )
    )


def _description(resource: Resource) -> list[Block]:
    return [Section(text(resource.description))] if resource.description else []


def outcome(tr: Translator, config: Config, resource: Resource) -> Text:
    """Who decided and when, in the coalition's zone: the line that replaces the buttons."""
    assert resource.decided_at is not None
    when = moment(resource.decided_at, config.coalition.timezone, tr.language)
    name = Strong(resource.decided_by_name or "?")
    if resource.self_approved:
        # Allowed (a coalition may have one coordinator), so it is said wherever it shows.
        return tr(
            "Approved by {name}, who suggested it, on {when}: no second coordinator reviewed it.",
            name=name,
            when=when,
        )
    if resource.status is not ResourceStatus.REJECTED:
        return tr("Approved by {name} on {when}.", name=name, when=when)
    return tr(
        "Rejected by {name} on {when}. Reason: {reason}",
        name=name,
        when=when,
        reason=resource.reason,
    )


def review_card(tr: Translator, config: Config, resource: Resource) -> Message:
    """The post coordinators decide on; once decided, the buttons give way to the outcome."""
    blocks: list[Block] = [
        Heading(tr.plain("Suggested resource #{number}", number=resource.id)),
        Section(
            tr(
                "{name} suggested {link}",
                name=Strong(resource.suggested_by_name),
                link=Link(resource.url, resource.title),
            )
        ),
        *_description(resource),
        _fields(tr, resource),
    ]
    if resource.status is ResourceStatus.PENDING:
        target = str(resource.id)
        blocks.append(
            Actions(
                (
                    Button(tr.plain("Approve"), "resource.approve", target, ButtonStyle.PRIMARY),
                    Button(tr.plain("Edit"), "resource.edit", target),
                    Button(tr.plain("Reject"), "resource.reject", target, ButtonStyle.DANGER),
                )
            )
        )
    else:
        blocks.append(Context(outcome(tr, config, resource)))
    return Message(tuple(blocks))


def resource_card(tr: Translator, resource: Resource) -> Message:
    """What the resources channel shows of a newly approved resource."""
    return Message(
        (
            Heading(resource.title),
            Section((Link(resource.url, resource.url),)),
            *_description(resource),
            _fields(tr, resource),
            Context(
                tr(
                    "Suggested by {name}. Details: {command}",
                    name=Strong(resource.suggested_by_name),
                    command=Code(f"/coalition resource view {resource.id}"),
                )
            ),
        )
    )


def resource_line(tr: Translator, resource: Resource) -> Section:
    """One resource in a list: number, linked title, type and topics."""
    about = ", ".join((resource.type, *resource.topics))
    return Section(
        (
            Strong(f"#{resource.id} "),
            Link(resource.url, resource.title),
            *text(f" — {about}"),
        )
    )


_STATUS = {
    ResourceStatus.PENDING: N_("waiting for review"),
    ResourceStatus.APPROVED: N_("in the library"),
    ResourceStatus.REJECTED: N_("not accepted"),
    ResourceStatus.RETIRED: N_("retired from the library"),
}


def resource_view(
    tr: Translator, config: Config, resource: Resource, retirement: Retirement | None = None
) -> Message:
    """Everything about one resource, with who suggested, who decided, and who retired it."""
    suggested = moment(resource.suggested_at, config.coalition.timezone, tr.language)
    blocks: list[Block] = [
        Heading(f"#{resource.id} {resource.title}"),
        Section((Link(resource.url, resource.url),)),
        *_description(resource),
        _fields(tr, resource),
        Context(
            tr(
                "Suggested by {name} on {when}. Status: {status}.",
                name=Strong(resource.suggested_by_name),
                when=suggested,
                status=tr.plain(_STATUS[resource.status]),
            )
        ),
    ]
    if resource.decided_at is not None:
        blocks.append(Context(outcome(tr, config, resource)))
    if retirement is not None and retirement.done_at is not None:
        when = moment(retirement.done_at, config.coalition.timezone, tr.language)
        blocks.append(
            Context(
                tr(
                    "Retired by {name} on {when}. Reason: {reason}",
                    name=Strong(retirement.asked_by_name),
                    when=when,
                    reason=retirement.reason,
                )
            )
        )
    return Message(tuple(blocks))
