"""The core's buttons as persistent Discord buttons.

All a button's state is in its custom_id ("cb:join.approve:17"), and the class
is registered with the client as a DynamicItem: any process started later
handles a click on a button an earlier one posted.
"""

from __future__ import annotations

import logging
import re
from typing import Any, Protocol, cast

import discord

from adapters.discord import limits
from adapters.discord.text import plain
from bot.messages import Button, ButtonStyle

log = logging.getLogger(__name__)

PREFIX = "cb"
# What a button's custom_id looks like; a neutral button that does not fit is left out.
TEMPLATE = re.compile(r"cb:(?P<action>[a-z][a-z0-9_.]*):(?P<target>.+)")
_STYLES = {
    ButtonStyle.DEFAULT: discord.ButtonStyle.secondary,
    ButtonStyle.PRIMARY: discord.ButtonStyle.primary,
    ButtonStyle.DANGER: discord.ButtonStyle.danger,
}


class ClickHandler(Protocol):
    """What the client offers its buttons (a protocol, so this module needs no client import)."""

    async def claim(self, interaction: discord.Interaction[Any]) -> bool: ...

    async def handle_click(
        self, interaction: discord.Interaction[Any], action: str, target: str
    ) -> None: ...


class ActionButton(
    discord.ui.DynamicItem[discord.ui.Button[discord.ui.View]],
    template=TEMPLATE,
):
    def __init__(
        self,
        action: str,
        target: str,
        *,
        label: str = "",
        style: discord.ButtonStyle = discord.ButtonStyle.secondary,
        row: int | None = None,
    ) -> None:
        super().__init__(
            discord.ui.Button(
                label=label or action, style=style, custom_id=custom_id(action, target)
            ),
            row=row,
        )
        self.action = action
        self.target = target

    @classmethod
    async def from_custom_id(
        cls,
        interaction: discord.Interaction[Any],
        item: discord.ui.Item[Any],
        match: re.Match[str],
        /,
    ) -> ActionButton:
        button = cast(discord.ui.Button[discord.ui.View], item)
        return cls(match["action"], match["target"], label=button.label or "", style=button.style)

    async def interaction_check(self, interaction: discord.Interaction[Any], /) -> bool:
        return await cast(ClickHandler, interaction.client).claim(interaction)

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        handler = cast(ClickHandler, interaction.client)
        await handler.handle_click(interaction, self.action, self.target)


def custom_id(action: str, target: str) -> str:
    return f"{PREFIX}:{action}:{target}"


def encodable(button: Button) -> bool:
    """Whether the button can be a Discord custom_id; if not, an error is logged."""
    identifier = custom_id(button.action, button.target)
    if len(identifier) > limits.CUSTOM_ID or not TEMPLATE.fullmatch(identifier):
        # A bug in a declaration, not something a person can fix: leave the button out.
        log.error("button %r cannot be a Discord custom_id (100 characters at most)", identifier)
        return False
    return True


def action_button(button: Button, *, row: int) -> ActionButton | None:
    """The Discord button for a neutral one; None (and an error logged) if it cannot be encoded."""
    if not encodable(button):
        return None
    return ActionButton(
        button.action,
        button.target,
        label=plain(button.label, limits.BUTTON_LABEL),
        style=_STYLES[button.style],
        row=row,
    )
