"""The audit trail: every suggestion, edit and decision, with the values before and after."""

from __future__ import annotations

from typing import Any

from bot.catalogue import Args
from bot.context import Context
from bot.errors import UserError
from bot.i18n import N_
from bot.messages import Block, Code, Message, Reply, Section, Strong, say, text
from bot.messages import Context as Line
from bot.resources.model import AuditAction, AuditEntry

_ACTIONS = {
    AuditAction.SUGGESTED: N_("{by} suggested #{number} on {when}."),
    AuditAction.EDITED: N_("{by} edited #{number} on {when}."),
    AuditAction.APPROVED: N_("{by} approved #{number} on {when}."),
    AuditAction.REJECTED: N_("{by} rejected #{number} on {when}."),
    AuditAction.RETIRED: N_("{by} retired #{number} from the library on {when}."),
}
OWN_SUGGESTION = "own_suggestion"  # in an approval's `after`: the approver suggested it
_SELF_APPROVED = N_("{by} approved #{number}, their own suggestion, on {when}.")
SHOWN = 25


async def record(
    ctx: Context,
    resource_id: int,
    action: AuditAction,
    *,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> None:
    member = ctx.member
    await ctx.uow.resource_audit.record(
        AuditEntry(
            resource_id=resource_id,
            action=action,
            by_member_id=member.id if member else None,
            by_name=member.name if member else ctx.actor.user_id,
            at=ctx.clock.now(),
            before=before or {},
            after=after or {},
        )
    )


async def audit(ctx: Context, args: Args) -> Reply:
    number = args.get("id")
    if number is not None and await ctx.uow.resources.get(number) is None:
        raise UserError(
            "There is no resource #{number}. See what waits for review with {command}.",
            number=str(number),
            command=Code("/coalition resource pending"),
        )
    entries = await ctx.uow.resource_audit.history(number, limit=SHOWN)
    if not entries:
        return Reply(message=say(ctx.tr("Nothing is recorded in the resource library yet.")))
    blocks: list[Block] = [Section(ctx.tr("Changes to the resource library, newest first:"))]
    for entry in entries:
        template = _SELF_APPROVED if entry.after.get(OWN_SUGGESTION) else _ACTIONS[entry.action]
        blocks.append(
            Section(
                ctx.tr(
                    template,
                    # Someone who left keeps their entries, without their name.
                    by=Strong(entry.by_name or ctx.tr.plain("Former member")),
                    number=str(entry.resource_id),
                    when=ctx.moment(entry.at),
                )
            )
        )
        changed = changed_fields(entry)
        if changed:
            blocks.append(Line(text(changed)))
    return Reply(message=Message(tuple(blocks)))


def changed_fields(entry: AuditEntry) -> str:
    """What changed, as "field: before → after"; a new suggestion lists what was given."""
    lines = []
    for key in sorted((set(entry.before) | set(entry.after)) - {OWN_SUGGESTION}):
        old, new = entry.before.get(key), entry.after.get(key)
        if old == new:
            continue
        shown_new = _short(new)
        lines.append(
            f"{key}: {_short(old)} → {shown_new}" if key in entry.before else f"{key}: {shown_new}"
        )
    return "; ".join(lines)


def _short(value: Any) -> str:
    shown = ", ".join(map(str, value)) if isinstance(value, list) else str(value)
    return shown if len(shown) <= 80 else shown[:77] + "..."
