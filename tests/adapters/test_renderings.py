"""The adapters' last renderings, kept by message object (adapters/renderings.py)."""

from __future__ import annotations

from adapters.renderings import Renderings
from bot.messages import Message, Section, text


def message(words: str) -> Message:
    return Message((Section(text(words)),))


def test_a_rendering_is_kept_for_that_very_message_and_variant() -> None:
    kept: Renderings[str] = Renderings(size=4)
    help_message = message("help")
    assert kept.get(help_message, "en") is None
    assert kept.keep(help_message, "en", "rendered") == "rendered"
    assert kept.get(help_message, "en") == "rendered"
    assert kept.get(help_message, "es") is None  # another variant is rendered anew
    # An equal message made afresh is not the same object: it is rendered anew too.
    assert message("help") == help_message and kept.get(message("help"), "en") is None


def test_past_its_size_the_oldest_rendering_is_dropped() -> None:
    kept: Renderings[int] = Renderings(size=2)
    first, second, third = message("1"), message("2"), message("3")
    for number, each in enumerate((first, second, third)):
        kept.keep(each, None, number)
    assert kept.get(first, None) is None
    assert (kept.get(second, None), kept.get(third, None)) == (1, 2)
