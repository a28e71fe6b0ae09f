"""What the terminal has shown: numbered messages, their numbered buttons, their latest version.

A message keeps its number through edits; each version gets new button
numbers, so a number always names one button of one version. The bot's posts
are stored under this session's tag and their number ("a1b2c3.4"), so an edit
of a post made in an earlier session (a live RSVP count) is never shown as an
edit of this session's message of the same number.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from adapters.console.render import render
from bot.i18n import Translator
from bot.identity import Place
from bot.messages import Button, Message

Out = Callable[[str], None]


@dataclass
class ShownButton:
    button: Button
    place: Place
    message_id: int
    stale: bool = False


@dataclass
class ShownMessage:
    message: Message
    place: Place
    buttons: list[int]


class Screen:
    def __init__(self, out: Out, files: Path, tr: Translator, tag: str | None = None) -> None:
        self.out = out
        self.files = files
        self.tr = tr
        # Unique per session, so the posts it stores never collide with another session's.
        self.tag = tag or secrets.token_hex(3)
        self._buttons: dict[int, ShownButton] = {}
        self._messages: dict[int, ShownMessage] = {}
        self._posted: dict[str, int] = {}  # a stored post's id -> its number on this screen
        self._next = 1

    @property
    def next_number(self) -> int:
        """The number the next message shown will get, for headers that name it."""
        return self._next

    def posted_id(self, number: int) -> str:
        """The id a post shown as `number` is stored under (for edits and replies)."""
        for posted, shown in self._posted.items():
            if shown == number:
                return posted
        posted = f"{self.tag}.{number}"
        self._posted[posted] = number
        return posted

    def place_of(self, number: int) -> Place | None:
        shown = self._messages.get(number)
        return shown.place if shown is not None else None

    def button(self, number: int) -> ShownButton | None:
        return self._buttons.get(number)

    def show(self, header: str, message: Message, place: Place, number: int | None = None) -> int:
        """Print a message (a new version of message `number`, if given), number its buttons,
        and save its attachments; returns its number."""
        if number is None:
            number = self._next
            self._next += 1
        else:
            self._retire(number)
        buttons: list[int] = []

        def button_number(index: int) -> int:
            n = len(self._buttons) + 1
            self._buttons[n] = ShownButton(message.buttons[index], place, number)
            buttons.append(n)
            return n

        self.out(header)
        for line in render(message, button_number):
            self.out(line)
        self._messages[number] = ShownMessage(message, place, buttons)
        for attachment in message.attachments:
            path = self.files / attachment.filename
            path.write_bytes(attachment.content)
            self.out("  " + self.tr.plain("(file saved: {path})", path=str(path)))
        return number

    def edit(self, posted: str, message: Message, place: Place) -> None:
        """The bot edited a post: show the new version under the post's number."""
        tr, shown_in = self.tr, where(place, self.tr)
        number = self._posted.get(posted)
        if number is not None and number in self._messages:
            header = tr.plain(
                "[bot updated a message in {place}] (message {number})",
                place=shown_in,
                number=number,
            )
            self.show(header, message, place, number)
            return
        # Posted before this session: a new number here, kept for its later edits.
        header = tr.plain(
            "[bot updated a message it posted in {place} before this session] (message {number})",
            place=shown_in,
            number=self._next,
        )
        self._posted[posted] = self.show(header, message, place)

    def show_current(self, number: int) -> None:
        """Show message `number` as it is now, with new numbers for its buttons."""
        shown = self._messages[number]
        header = self.tr.plain(
            "[message {number} in {place}, as it is now]",
            number=number,
            place=where(shown.place, self.tr),
        )
        self.show(header, shown.message, shown.place, number)
        if not shown.message.buttons:
            self.out("  " + self.tr.plain("(it has no buttons now)"))

    def _retire(self, number: int) -> None:
        shown = self._messages.get(number)
        for n in shown.buttons if shown is not None else ():
            self._buttons[n].stale = True


def where(place: Place, tr: Translator) -> str:
    if place.is_direct:
        return tr.plain("DM with @{user}", user=place.channel)
    return f"#{place.channel}"
