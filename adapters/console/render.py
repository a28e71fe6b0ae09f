"""Neutral messages as plain terminal text, buttons as numbered choices."""

from __future__ import annotations

from collections.abc import Callable

from bot.messages import Actions, Context, Fields, Heading, Message, Section, plain_text

INDENT = "  "


def render(message: Message, number: Callable[[int], int]) -> list[str]:
    """Lines for one message; `number(i)` gives the click number of its i-th button."""
    lines: list[str] = []
    button_index = 0
    for block in message.blocks:
        match block:
            case Heading(text=heading):
                lines.append(f"{INDENT}== {heading} ==")
            case Section(text=spans):
                lines.extend(INDENT + line for line in plain_text(spans).splitlines())
            case Context(text=spans):
                lines.append(f"{INDENT}({plain_text(spans)})")
            case Fields(fields=fields):
                lines.extend(f"{INDENT}{f.label}: {plain_text(f.value)}" for f in fields)
            case Actions(buttons=buttons):
                choices = []
                for button in buttons:
                    choices.append(f"[{number(button_index)}] {button.label}")
                    button_index += 1
                lines.append(INDENT + "  ".join(choices) + "   (type /click N)")
    return lines
