"""One time-zone search and one reading of locales, for every platform (bot/timezones.py,
bot/i18n.py)."""

from __future__ import annotations

import pytest

from bot.i18n import locale_language, spoken_language
from bot.timezones import US_ZONES, all_timezones, search_timezones


def test_nothing_typed_offers_the_coalitions_zone_then_the_us_zones_then_the_rest() -> None:
    found = search_timezones("", "Europe/Madrid")
    assert found[: 1 + len(US_ZONES)] == ["Europe/Madrid", *US_ZONES]
    assert sorted(found) == all_timezones()


@pytest.mark.parametrize(
    ("typed", "first"),
    [
        ("chicago", "America/Chicago"),
        ("Eastern", "America/New_York"),
        ("pst", "America/Los_Angeles"),
        ("los angeles", "America/Los_Angeles"),
        ("pago", "Pacific/Pago_Pago"),
    ],
)
def test_the_zone_people_mean_comes_first(typed: str, first: str) -> None:
    assert search_timezones(typed)[0] == first


def test_zones_starting_with_the_words_come_before_those_only_containing_them() -> None:
    found = search_timezones("new")
    assert found.index("America/New_York") < found.index("America/North_Dakota/New_Salem")
    assert all("new" in zone.lower() for zone in found)


@pytest.mark.parametrize(
    ("locale", "language", "spoken"),
    [
        ("es-419", "es", "es"),
        ("es-LA", "es", "es"),
        ("en_US", "en", "en"),
        ("fr-FR", "fr", "es"),
        ("", None, "es"),
        (None, None, "es"),
    ],
)
def test_a_platform_locale_is_read_the_same_everywhere(
    locale: str | None, language: str | None, spoken: str
) -> None:
    assert locale_language(locale) == language
    assert spoken_language(locale, "es") == spoken
