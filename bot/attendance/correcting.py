"""`meeting attendance`: coordinators see who is marked at an occurrence, and correct it.

Members to add or take off are typed as mentions or names separated by commas, so the
same command works in Slack, Discord and the terminal (no platform has a checklist of
every member that the others could match).
"""

from __future__ import annotations

from bot.arguments import member_ref
from bot.attendance.model import CHECKIN_EARLY, Present, Source
from bot.attendance.occurrences import occurrence_or_error
from bot.catalogue import Args
from bot.context import Context
from bot.errors import FieldError, UserError
from bot.i18n import N_
from bot.meetings.lookup import meeting_or_error
from bot.meetings.model import Meeting, Occurrence
from bot.members import Member
from bot.messages import Message, Plain, Reply, Section, Span, Strong, Text, usage

SOURCE_LABELS = {
    Source.CHECKIN: N_("checked in"),
    Source.COORDINATOR: N_("marked by a coordinator"),
    Source.IMPORT: N_("imported"),
}
# More names than this in one option is a paste gone wrong, not a correction.
NAMES_MAX = 100


async def attendance(ctx: Context, args: Args) -> Reply:
    ctx.require_member()
    meeting = await meeting_or_error(ctx, int(args["id"]))
    occurrence = await occurrence_or_error(ctx, meeting, args["occurrence"])
    adding = await _members(ctx, "members", str(args.get("members", "")))
    removing = await _members(ctx, "remove", str(args.get("remove", "")))
    both = {m.id for m in adding} & {m.id for m in removing}
    if both:
        name = next(m.name for m in adding if m.id in both)
        raise FieldError(
            "remove",
            "{name} is both in members and in remove. Name each member in one of them.",
            name=Strong(name),
        )
    now = ctx.clock.now()
    if adding and now < occurrence.start - CHECKIN_EARLY:
        raise FieldError(
            "occurrence",
            "{title} on {when} has not started yet, so nobody can be marked present.",
            title=Strong(meeting.title),
            when=ctx.moment(occurrence.start),
        )
    said: list[Text] = []
    if adding:
        added = await ctx.uow.attendance.mark(
            meeting.id, occurrence.key, [m.id for m in adding], Source.COORDINATOR, now
        )
        # Naming only those newly marked: "Marked present: -." read as a mistake
        # when every member named was marked already.
        newly = [m.name for m in adding if m.id in added]
        if newly:
            said.append(ctx.tr("Marked present: {names}.", names=Plain(", ".join(newly))))
        already = [m.name for m in adding if m.id not in added]
        if already:
            said.append(ctx.tr("Already marked: {names}.", names=Plain(", ".join(already))))
    if removing:
        marked = {p.member_id for p in await ctx.uow.attendance.present(meeting.id, occurrence.key)}
        await ctx.uow.attendance.unmark(meeting.id, occurrence.key, [m.id for m in removing])
        gone = [m.name for m in removing if m.id in marked]
        if gone:
            said.append(ctx.tr("No longer marked: {names}.", names=Plain(", ".join(gone))))
        absent = [m.name for m in removing if m.id not in marked]
        if absent:
            said.append(ctx.tr("Were not marked: {names}.", names=Plain(", ".join(absent))))
    present = await ctx.uow.attendance.present(meeting.id, occurrence.key)
    return Reply(message=_card(ctx, meeting, occurrence, present, said))


async def _members(ctx: Context, option: str, typed: str) -> list[Member]:
    pieces = [p.strip() for p in typed.split(",") if p.strip()]
    if len(pieces) > NAMES_MAX:
        raise FieldError(
            option, "Name at most {count} members at once.", count=Plain(str(NAMES_MAX))
        )
    found: dict[int, Member] = {}
    for piece in pieces:
        try:
            member = await ctx.resolve_member(member_ref(piece, ctx.actor))
        except UserError as error:
            if error.msgid.startswith("More than one member"):
                raise FieldError(option, error.msgid, **error.values) from None
            raise FieldError(
                option,
                "I can't find the member {name}. Check the spelling, or mention them with @.",
                name=Strong(piece),
            ) from None
        found.setdefault(member.id, member)
    return list(found.values())


def _card(
    ctx: Context,
    meeting: Meeting,
    occurrence: Occurrence,
    present: list[Present],
    said: list[Text],
) -> Message:
    count = ctx.tr.plural("{count} member present", "{count} members present", len(present))
    heading = ctx.tr(
        "Attendance at {title} on {when}: {count}.",
        title=Strong(meeting.title),
        when=ctx.moment(occurrence.start),
        count=Plain(count),
    )
    blocks = [Section(line) for line in said]
    blocks.append(Section(heading))
    if present:
        spans: list[Span] = []
        for person in present:
            if spans:
                spans.append(Plain(", "))
            spans += [
                Strong(person.name),
                Plain(f" ({ctx.tr.plain(SOURCE_LABELS[person.source])})"),
            ]
        blocks.append(Section(tuple(spans)))
    else:
        example = usage(
            "meeting attendance",
            ("id", str(meeting.id)),
            ("occurrence", occurrence.key.isoformat()),
            ("members", "@maria,@lee"),
        )
        blocks.append(
            Section(
                ctx.tr(
                    "Nobody is marked yet. Mark members present with {command}.", command=example
                )
            )
        )
    return Message(tuple(blocks))
