"""Forms: a command's own options, as declared, translated and pre-filled.

The dispatcher shows one when a form command is given no options, or not all
its required ones (pre-filled with those it was given); use cases
show one from a button (Reject asks for a reason, Edit for the corrections).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from bot.arguments import choices_for
from bot.context import Context
from bot.identity import Identity
from bot.messages import Form, FormField, Given, Usage


def form_for(
    ctx: Context,
    path: tuple[str, ...],
    values: Mapping[str, str],
    *,
    hidden: frozenset[str] = frozenset(),
) -> Form:
    """A form for the command at `path`; submitting it runs that command. Options named
    in `hidden` are left out (optional ones only: the command still takes them typed)."""
    command = ctx.catalogue.command(path)
    assert command is not None, path
    fields = tuple(
        FormField(
            name=option.name,
            label=ctx.tr.plain(option.label or option.name),
            hint=ctx.tr.plain(option.help),
            kind=option.kind.value,
            required=option.required,
            choices=choices_for(option, ctx.config),
            value=values.get(option.name, ""),
            max_length=option.max_length,
        )
        for option in command.options
        if option.name not in hidden or option.required
    )
    typed = Usage(
        command.name,
        tuple(Given(f.name, f.value or "...") for f in fields if f.required),
    )
    return Form(
        command=path,
        title=ctx.tr.plain(command.form_title or command.help),
        fields=fields,
        unavailable=ctx.tr(
            "The form took too long to open. Type {command} to do it without the form "
            "(your answers in place of ...), or try again.",
            command=typed,
        ),
        language=ctx.tr.language,
    )


def form_value(value: Any) -> str:
    """A value as given to a command (typed, from Discord; text, from chat) as a form's text."""
    match value:
        case None:
            return ""
        case bool():
            return "yes" if value else "no"
        case Identity(user_id=user_id):
            return user_id
        case list() | tuple():
            return ", ".join(form_value(v) for v in value)
        case _:
            return str(value).strip()
