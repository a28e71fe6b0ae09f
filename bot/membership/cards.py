"""How members, requests and welcomes look, in the neutral message model."""

from __future__ import annotations

from bot.config import Config
from bot.i18n import N_, Translator
from bot.membership.model import JoinRequest, Member
from bot.messages import (
    Actions,
    Button,
    ButtonStyle,
    Code,
    Context,
    Field,
    Fields,
    Heading,
    Message,
    Moment,
    Section,
    Strong,
    text,
    usage,
)


def profile_card(tr: Translator, member: Member, *, own: bool) -> Message:
    p = member.profile
    fields = [
        Field(tr.plain("Organization"), text(p.organization)),
        Field(tr.plain("Jurisdiction"), text(p.jurisdiction or "—")),
        Field(tr.plain("Role or discipline"), text(p.discipline or "—")),
        Field(tr.plain("Region"), text(p.region or "—")),
        Field(tr.plain("Interests"), text(", ".join(p.interests) or "—")),
        Field(tr.plain("Time zone"), text(p.timezone)),
    ]
    if own:  # whether someone else gets reminders is theirs to know
        fields.append(
            Field(
                tr.plain("Meeting reminders by direct message"), text(_on_off(tr, p.dm_reminders))
            )
        )
        if len(member.identities) > 1:  # linked accounts: one of them gets the reminders
            where = p.dm_platform.capitalize() or tr.plain("Where you last used me")
            fields.append(Field(tr.plain("Reminders on"), text(where)))
    blocks: list[Heading | Section | Fields | Context] = [
        Heading(p.display_name),
        Fields(tuple(fields)),
    ]
    if own:
        listed = (
            tr.plain("You are listed in the directory.")
            if p.listed
            else tr.plain("You are hidden from the directory.")
        )
        blocks.append(
            Context(
                (
                    *text(listed + " "),
                    *tr("Change anything with {command}.", command=Code("/coalition profile edit")),
                )
            )
        )
        turn = (
            N_("To turn meeting reminders by direct message off, type {command}.")
            if p.dm_reminders
            else N_("To turn meeting reminders by direct message on, type {command}.")
        )
        flipped = usage("profile edit", ("dm_reminders", "no" if p.dm_reminders else "yes"))
        blocks.append(Context(tr(turn, command=flipped)))
    return Message(tuple(blocks))


def _on_off(tr: Translator, on: bool) -> str:
    return tr.plain("on") if on else tr.plain("off")


def welcome(tr: Translator, config: Config, member: Member) -> Message:
    return Message(
        (
            Heading(tr.plain("Welcome to {coalition}!", coalition=config.coalition.name)),
            Section(
                tr(
                    "Good to have you, {name}. Here is what you can do next:",
                    name=Strong(member.name),
                )
            ),
            Section(
                tr(
                    "• See and edit your profile: {command}",
                    command=Code("/coalition profile view"),
                )
            ),
            Section(
                tr(
                    "• Find colleagues by region, discipline or interest: {command}",
                    command=Code("/coalition directory"),
                )
            ),
            Section(tr("• See everything I can do: {command}", command=Code("/coalition help"))),
        )
    )


def join_request_card(
    tr: Translator,
    member: Member,
    request: JoinRequest,
    *,
    decided: Moment | None = None,
    decided_by: str | None = None,
) -> Message:
    """The post coordinators decide on; once decided, the buttons give way to the outcome."""
    p = member.profile
    blocks: list[Heading | Section | Fields | Context | Actions] = [
        Heading(tr.plain("Request to join")),
        Section(
            tr(
                "{name} from {organization} would like to join.",
                name=Strong(p.display_name),
                organization=Strong(p.organization),
            )
        ),
        Fields(
            (
                Field(tr.plain("Role or discipline"), text(p.discipline or "—")),
                Field(tr.plain("Region"), text(p.region or "—")),
                Field(tr.plain("Jurisdiction"), text(p.jurisdiction or "—")),
            )
        ),
    ]
    if request.decision == "pending":
        target = str(request.id)
        blocks.append(
            Actions(
                (
                    Button(tr.plain("Approve"), "join.approve", target, ButtonStyle.PRIMARY),
                    Button(tr.plain("Decline"), "join.decline", target, ButtonStyle.DANGER),
                )
            )
        )
    else:
        assert decided is not None
        template = (
            N_("Approved by {name} on {when}.")
            if request.decision == "approved"
            else N_("Declined by {name} on {when}.")
        )
        blocks.append(Context(tr(template, name=Strong(decided_by or "?"), when=decided)))
    return Message(tuple(blocks))
