"""Rendering shortcuts give exactly what the careful path gives."""

from __future__ import annotations

import pytest

from adapters.slack.limits import pack
from adapters.slack.render import mrkdwn_atoms
from bot.messages import Code, Plain, Span, Strong

SAMPLES: list[tuple[Span, ...]] = [
    (Plain("Tom & Jerry <b> say"), Strong(" hi "), Code("`x`")),
    (Strong("a&b"), Plain(" <!channel> "), Strong("   ")),
    (Plain(""), Code(" padded code ")),
]


@pytest.mark.parametrize("spans", SAMPLES)
def test_short_text_escaped_whole_matches_cutting_between_words(spans: tuple[Span, ...]) -> None:
    short = "".join(mrkdwn_atoms(spans, 3000))  # fits whole: the shortcut
    careful = pack(mrkdwn_atoms((*spans, Plain("x" * 600)), 3000), 3000)  # too long for it
    assert careful == [short + "x" * 600]
    assert ("<!channel>" not in short and "&amp;" in short) or "&" not in short
