"""The core's forms as Discord modals.

A Discord modal holds at most five inputs. A form with more fields is asked in
steps of five, required fields first; between steps an ephemeral message offers
"Continue" and, when everything left is optional, "Finish now". This keeps every
field of the core's form reachable (a new field in the catalogue is never
silently dropped) while a busy person answers only what is required in one
modal. Lists of up to 25 choices are select menus inside the modal (Label
components, discord.py 2.6+), so nobody has to type "Epidemiology" exactly;
longer lists and time zones are text, checked by the core.

The answers so far are kept in the database (form_sessions.py), keyed by a random
token that the modal's and buttons' custom_ids carry, so any replica goes on with
the next step. A modal's submit is read from the interaction's data by whichever
replica claims it (client.py), not by the discord.py object that sent the modal.

A validation error is answered privately with the core's sentence (what was
wrong, what to type) and a "Change my answers" button that reopens the step
with the wrong field, filled with what was typed.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any, Protocol, cast

import discord

from adapters.discord import limits
from adapters.discord.form_sessions import FORM_TTL, FormSession
from adapters.discord.text import plain
from bot.i18n import Translator, language_name
from bot.messages import FormField

MODAL_PREFIX = "cbm"
BUTTON_PREFIX = "cbf"
_CHOOSES = {"choice", "choices", "language", "boolean"}


class FormHandler(Protocol):
    async def claim(self, interaction: discord.Interaction[Any]) -> bool: ...

    async def handle_form_button(
        self, interaction: discord.Interaction[Any], token: str, step: str, page: int
    ) -> None: ...


# -- the modal ------------------------------------------------------------------------


class FormModal(discord.ui.Modal):
    """One step of a form. Its custom_id names the session and the step."""

    def __init__(self, session: FormSession, page: int, tr: Translator) -> None:
        title = session.form.title
        if len(session.pages) > 1:
            step = f" ({page + 1}/{len(session.pages)})"
            title = plain(title, limits.MODAL_TITLE - len(step)) + step
        # Discord refuses a modal, a label or an option without text.
        super().__init__(
            title=plain(title, limits.MODAL_TITLE) or limits.ELLIPSIS,
            custom_id=f"{MODAL_PREFIX}:{session.token}:{page}",
            timeout=FORM_TTL.total_seconds(),
        )
        for form_field in session.pages[page]:
            component = _input(form_field, session.value(form_field), tr)
            self.add_item(
                discord.ui.Label(
                    text=plain(form_field.label or form_field.name, limits.LABEL_TEXT)
                    or limits.ELLIPSIS,
                    description=plain(form_field.hint, limits.LABEL_DESCRIPTION) or None,
                    component=component,
                )
            )

    async def interaction_check(self, interaction: discord.Interaction[Any], /) -> bool:
        # The submit is handled from the raw interaction by the replica that claims it
        # (client.py), whichever sent the modal: this object only describes the modal.
        return False


def modal_answers(data: Mapping[str, Any], page: tuple[FormField, ...]) -> dict[str, Any]:
    """What a modal's submit says for each field of its step (Discord's wire format)."""
    given = {str(c.get("custom_id")): c for c in _inputs(data.get("components") or [])}
    found: dict[str, Any] = {}
    for form_field in page:
        component = given.get(form_field.name)
        if component is None:
            continue
        if "values" not in component:  # a text input
            found[form_field.name] = str(component.get("value") or "")
        elif form_field.multiple:
            found[form_field.name] = tuple(component["values"])
        else:
            found[form_field.name] = component["values"][0] if component["values"] else ""
    return found


def _inputs(components: list[Any]) -> Iterator[Mapping[str, Any]]:
    """The inputs of a submit, inside action rows or labels."""
    for component in components:
        if "component" in component:  # a Label
            yield from _inputs([component["component"]])
        elif "components" in component:  # an action row
            yield from _inputs(component["components"])
        elif "custom_id" in component:
            yield component


def _input(
    form_field: FormField, value: Any, tr: Translator
) -> discord.ui.TextInput[Any] | discord.ui.Select[Any]:
    options = _options(form_field, tr)
    if form_field.kind in _CHOOSES and 0 < len(options) <= limits.SELECT_OPTIONS:
        chosen = (
            set(value)
            if isinstance(value, tuple | list)
            else {v.strip().lower() for v in str(value).split(",") if v.strip()}
        )
        for option in options:
            option.default = option.value.lower() in {str(c).lower() for c in chosen}
        return discord.ui.Select(
            custom_id=form_field.name,
            options=options,
            min_values=1 if form_field.required else 0,
            max_values=len(options) if form_field.multiple else 1,
            required=form_field.required,
        )
    long = form_field.kind == "long_text"
    maximum = min(form_field.max_length, limits.TEXT_INPUT)
    shown = ", ".join(value) if isinstance(value, tuple | list) else str(value or "")
    return discord.ui.TextInput(
        custom_id=form_field.name,
        style=discord.TextStyle.paragraph if long else discord.TextStyle.short,
        required=form_field.required,
        default=shown[:maximum] or None,
        max_length=maximum,
    )


def _options(form_field: FormField, tr: Translator) -> list[discord.SelectOption]:
    if form_field.kind == "boolean":
        return [
            discord.SelectOption(label=tr.plain("Yes"), value="yes"),
            discord.SelectOption(label=tr.plain("No"), value="no"),
        ]
    if any(len(c) > limits.OPTION_VALUE for c in form_field.choices):
        return []  # cannot be a select's value: asked as text instead
    return [
        discord.SelectOption(
            label=plain(choice_label(form_field.kind, c), limits.OPTION_LABEL) or limits.ELLIPSIS,
            value=c,
        )
        for c in form_field.choices
    ]


def choice_label(kind: str, choice: str) -> str:
    """How a choice reads: languages by their own name ("Español (es)")."""
    return language_name(choice) if kind == "language" else choice


# -- buttons between steps ------------------------------------------------------------


class FormButton(
    discord.ui.DynamicItem[discord.ui.Button[discord.ui.View]],
    template=re.compile(r"cbf:(?P<token>[0-9a-f]{16}):(?P<step>open|finish|fix):(?P<page>\d+)"),
):
    """Continue a form, finish it, or change answers. Registered with the client, so a click
    after a restart is answered (the form has expired) instead of failing silently."""

    def __init__(
        self,
        token: str,
        step: str,
        page: int,
        *,
        label: str,
        style: discord.ButtonStyle = discord.ButtonStyle.primary,
    ) -> None:
        super().__init__(
            discord.ui.Button(
                label=plain(label, limits.BUTTON_LABEL),
                style=style,
                custom_id=f"{BUTTON_PREFIX}:{token}:{step}:{page}",
            )
        )
        self.token = token
        self.step = step
        self.page = page

    @classmethod
    async def from_custom_id(
        cls,
        interaction: discord.Interaction[Any],
        item: discord.ui.Item[Any],
        match: re.Match[str],
        /,
    ) -> FormButton:
        button = cast(discord.ui.Button[discord.ui.View], item)
        return cls(
            match["token"],
            match["step"],
            int(match["page"]),
            label=button.label or "",
            style=button.style,
        )

    async def interaction_check(self, interaction: discord.Interaction[Any], /) -> bool:
        return await cast(FormHandler, interaction.client).claim(interaction)

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        handler = cast(FormHandler, interaction.client)
        await handler.handle_form_button(interaction, self.token, self.step, self.page)


def step_prompt(session: FormSession, tr: Translator) -> tuple[str, list[discord.ui.Item[Any]]]:
    """What to say between two steps, and its buttons."""
    done = len(session.seen)
    left = session.unseen_fields()
    names = ", ".join(f.label for f in left)
    next_page = session.next_page()
    assert next_page is not None
    items: list[discord.ui.Item[Any]] = [
        FormButton(session.token, "open", next_page, label=tr.plain("Continue"))
    ]
    if any(f.required for f in left):
        text = tr.plain(
            "Step {step} of {steps} is saved. Choose Continue to answer the rest: {fields}.",
            step=done,
            steps=len(session.pages),
            fields=names,
        )
    else:
        text = tr.plain(
            "Step {step} of {steps} is saved. The rest is optional ({fields}): "
            "choose Continue to fill it in, or Finish now.",
            step=done,
            steps=len(session.pages),
            fields=names,
        )
        items.append(
            FormButton(
                session.token,
                "finish",
                next_page,
                label=tr.plain("Finish now"),
                style=discord.ButtonStyle.secondary,
            )
        )
    return text, items


def fix_button(session: FormSession, page: int, tr: Translator) -> FormButton:
    return FormButton(session.token, "fix", page, label=tr.plain("Change my answers"))


def open_button(session: FormSession, tr: Translator) -> FormButton:
    """For a form that came back too late to open as a modal (after a deferral)."""
    return FormButton(session.token, "open", 0, label=tr.plain("Open the form"))


def expired(tr: Translator) -> str:
    return tr.plain(
        "This form has expired or was already sent. Type the command again to start over."
    )
