"""Help, generated from the catalogue so it can never disagree with it."""

from __future__ import annotations

import difflib

from bot.arguments import choices_for
from bot.catalogue import Args, Command, Option, OptionKind
from bot.context import CommandInfo, Commands, Context
from bot.errors import UserError
from bot.i18n import N_, Translator
from bot.messages import Code, Field, Fields, Heading, Message, Reply, Section, text
from bot.messages import Context as Line
from bot.roles import Role


async def show(ctx: Context, args: Args) -> Reply:
    topic = args.get("command")
    if not topic:
        return Reply(message=_overview(ctx.catalogue, ctx.tr, ctx.role, ctx.config.coalition.name))
    path = tuple(topic.lower().removeprefix("/coalition").split())
    if command := ctx.catalogue.command(path):
        return Reply(message=command_help(ctx, command))
    if len(path) == 1 and ctx.catalogue.is_group(path[0]):
        return Reply(message=_group(ctx.catalogue, ctx.tr, ctx.role, path[0]))
    raise _not_found(ctx.catalogue, topic)


def _overview(catalogue: Commands, tr: Translator, role: Role, coalition: str) -> Message:
    """Every command the role may use, one line each."""
    commands = catalogue.visible_to(role)
    fields = tuple(Field(f"/coalition {c.name}", text(tr.plain(c.help))) for c in commands)
    return Message(
        (
            Heading(tr.plain("What I can do in {coalition}", coalition=coalition)),
            Fields(fields),
            Line(
                tr(
                    "For the details of one command, type {example}.",
                    example=Code("/coalition help join"),
                )
            ),
        )
    )


def _group(catalogue: Commands, tr: Translator, role: Role, group: str) -> Message:
    """A group's subcommands ("help resource"): those the role may use, else all of them."""
    commands = catalogue.groups()[group]
    shown = [c for c in commands if c.role <= role] or commands
    fields = tuple(Field(f"/coalition {c.name}", text(tr.plain(c.help))) for c in shown)
    return Message(
        (
            Heading(f"/coalition {group}"),
            Fields(fields),
            Line(
                tr(
                    "For the details of one command, type {example}.",
                    example=Code(f"/coalition help {shown[0].name}"),
                )
            ),
        )
    )


def _not_found(catalogue: Commands, topic: str) -> UserError:
    names = sorted({" ".join(p) for p in catalogue.commands} | set(catalogue.groups()))
    close = difflib.get_close_matches(topic.lower().strip(), names, n=1, cutoff=0.5)
    if close:
        return UserError(
            "There is no command {name}. Did you mean {suggestion}?",
            name=Code(topic),
            suggestion=Code(f"/coalition help {close[0]}"),
        )
    return UserError(
        "There is no command {name}. Type {help} to see them all.",
        name=Code(topic),
        help=Code("/coalition help"),
    )


def command_help(ctx: Context, command: CommandInfo) -> Message:
    tr = ctx.tr
    fields = tuple(Field(_option_title(tr, o), text(_option_text(ctx, o))) for o in command.options)
    blocks: list[Heading | Section | Fields | Line] = [
        Heading(f"/coalition {command.name}"),
        Section(text(tr.plain(command.help))),
    ]
    if fields:
        blocks.append(Fields(fields))
    today = ctx.clock.now().date()
    required = (o for o in command.options if o.required and o.example_on(today))
    example = command.usage(*required, today=today)
    blocks.append(Line(tr("Example: {example}", example=example)))
    if command.form:
        blocks.append(Line(tr("Type it with no options and I'll ask for each one.")))
    blocks.append(Line(tr("Who can use it: {role}.", role=tr.plain(command.role.label))))
    return Message(tuple(blocks))


def _option_title(tr: Translator, option: Option) -> str:
    suffix = tr.plain(" (required)") if option.required else ""
    if option.aliases:
        suffix += tr.plain(" (or {names})", names=", ".join(option.aliases))
    return f"{option.name}{suffix}"


def _option_text(ctx: Context, option: Option) -> str:
    described = ctx.tr.plain(option.help)
    choices = choices_for(option, ctx.config)
    if choices and option.kind is OptionKind.TAGS:  # suggestions: other values are welcome
        described += " — " + ctx.tr.plain("for example: {choices}", choices=", ".join(choices))
    elif choices:
        described += " — " + ctx.tr.plain("one of: {choices}", choices=", ".join(choices))
    return described


HELP_TOPIC = N_(
    "A command or a group of commands to explain, such as join, profile edit or resource"
)

HELP = Command(
    ("help",),
    N_("Show what I can do, or explain one command"),
    show,
    (Option("command", OptionKind.TEXT, HELP_TOPIC, N_("Command"), max_length=60),),
    role=Role.GUEST,
)
