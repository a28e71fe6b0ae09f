"""Whatever locale a platform sends for a person, the bot picks a language it speaks."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.i18n import available_languages, language_name, spoken_language


@pytest.mark.parametrize(
    ("locale", "fallback", "expected"),
    [
        ("es-419", "en", "es"),
        ("es-ES", "en", "es"),
        ("en_US", "es", "en"),
        ("EN-gb", "es", "en"),
        ("xx-YY", "es", "es"),  # Babel knows no such locale: the coalition's language
        ("pt-BR", "es", "es"),  # a real locale the bot has no catalog for
        ("", "es", "es"),
        (None, "en", "en"),
        ("-", "es", "es"),
        ("zh-Hant-TW", "en", "en"),
    ],
)
def test_a_platform_locale_becomes_a_language_the_bot_speaks(
    locale: str | None, fallback: str, expected: str
) -> None:
    assert spoken_language(locale, fallback) == expected


@settings(max_examples=100, deadline=None)
@given(locale=st.text(max_size=20), fallback=st.sampled_from(available_languages()))
def test_any_locale_at_all_gives_a_spoken_language(locale: str, fallback: str) -> None:
    assert spoken_language(locale, fallback) in available_languages()


@pytest.mark.parametrize(
    ("code", "expected"),
    [("es", "Español (es)"), ("en", "English (en)"), ("xx", "xx"), ("xx-YY", "xx-YY"), ("", "")],
)
def test_languages_are_named_in_their_own_language_or_left_as_codes(
    code: str, expected: str
) -> None:
    assert language_name(code) == expected


@settings(max_examples=100, deadline=None)
@given(code=st.text(max_size=12))
def test_naming_a_language_never_raises(code: str) -> None:
    assert language_name(code) == code or language_name(code).endswith(f"({code})")
