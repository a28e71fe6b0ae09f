"""Dates on pages are remembered once formatted (adapters/web/pages.py): the same
moment reads the same, and equal moments written in other zones keep their own day."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

from adapters.web.pages import when as _when


def test_equal_moments_in_other_zones_keep_their_own_date_and_zone() -> None:
    date_of, date_time = _when("en")
    late_utc = datetime(2026, 3, 2, 23, 30, tzinfo=UTC)
    same_in_tokyo = late_utc.astimezone(timezone(timedelta(hours=9)))
    assert late_utc == same_in_tokyo  # one key to a cache keyed on the moment alone
    assert date_of(late_utc) == "March 2, 2026"
    assert date_of(same_in_tokyo) == "March 3, 2026"
    assert date_of(late_utc.date()) == "March 2, 2026"
    assert date_time(late_utc, "UTC") == "Monday, March 2, 2026, 11:30\u202fPM"
    assert date_time(same_in_tokyo, "America/New_York") == "Monday, March 2, 2026, 6:30\u202fPM"
    assert date_time(late_utc, "Asia/Tokyo") == "Tuesday, March 3, 2026, 8:30\u202fAM"
    assert _when("es")[0](late_utc) == "2 de marzo de 2026"
