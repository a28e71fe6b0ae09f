"""Time zones as people name them ("Eastern", "PST", "hora del este"), stored as IANA names.

Coalitions are mostly in the United States, where nobody types America/New_York:
they type Eastern, ET or EST. Those names (and the Spanish ones members use) map
to the IANA zone; anything else is matched against IANA names in any letter case.
Suggestions come from the zones of the coalition's own part of the world first.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from datetime import UTC, datetime
from functools import cache
from zoneinfo import ZoneInfo, available_timezones

# Names people type, reduced by `_key`, and the IANA zone each means.
_ALIASES = {
    "America/New_York": ("eastern", "east", "et", "est", "edt", "este", "oriental"),
    "America/Chicago": ("central", "ct", "cst", "cdt", "centro"),
    "America/Denver": ("mountain", "mt", "mst", "mdt", "montana", "rocky mountain"),
    "America/Phoenix": ("arizona", "az", "phoenix"),
    "America/Los_Angeles": ("pacific", "pt", "pst", "pdt", "pacifico"),
    "America/Anchorage": ("alaska", "akst", "akdt", "akt"),
    "Pacific/Honolulu": ("hawaii", "hawaiian", "hst", "hawaii aleutian", "hawai"),
    "America/Puerto_Rico": ("atlantic", "ast", "puerto rico", "atlantico"),
    "Pacific/Guam": ("chamorro", "chst", "guam"),
    "America/Indiana/Indianapolis": ("east indiana", "indiana"),
    "UTC": ("utc", "gmt", "z", "zulu", "universal", "coordinated universal"),
}
# Words around a zone's name that do not change which zone it is.
_FILLER = {
    "time", "timezone", "zone", "standard", "daylight", "saving", "savings", "us", "usa", "u s",
    "united", "states", "and", "canada", "hora", "horario", "tiempo", "zona", "del", "de",
    "la", "el", "los", "estandar", "verano", "of", "the",
}  # fmt: skip
_SHORT_NAMES = {
    "America/New_York": "Eastern",
    "America/Chicago": "Central",
    "America/Denver": "Mountain",
    "America/Phoenix": "Arizona",
    "America/Los_Angeles": "Pacific",
    "America/Anchorage": "Alaska",
    "Pacific/Honolulu": "Hawaii",
}
_WORD = re.compile(r"[a-z]+")
# Offered first where a list of zones opens empty: the zones of US health departments,
# states and territories.
US_ZONES = (
    "America/New_York",
    "America/Chicago",
    "America/Denver",
    "America/Phoenix",
    "America/Los_Angeles",
    "America/Anchorage",
    "Pacific/Honolulu",
    "America/Puerto_Rico",
    "Pacific/Guam",
    "Pacific/Pago_Pago",
)


def _key(name: str) -> str:
    """ "Eastern Time (US & Canada)" -> "eastern"; "Hora del Pacífico" -> "pacifico"."""
    plain = unicodedata.normalize("NFKD", name.lower())
    plain = "".join(c for c in plain if not unicodedata.combining(c))
    return " ".join(w for w in _WORD.findall(plain) if w not in _FILLER)


@cache
def _by_lower_name() -> dict[str, str]:
    return {name.lower(): name for name in available_timezones() if "/" in name or name == "UTC"}


@cache
def _by_alias() -> dict[str, str]:
    return {alias: zone for zone, aliases in _ALIASES.items() for alias in aliases}


def canonical_timezone(name: str) -> str | None:
    """The IANA name of `name` ("america/chicago", "Eastern", "PST", "hora del este"), or None."""
    cleaned = name.strip()
    if len(cleaned) > 80:
        return None
    found = _by_lower_name().get(cleaned.lower().replace(" ", "_"))
    # Old IANA links people still use ("US/Eastern") become the zone they stand for.
    if found is not None and not found.startswith("US/"):
        return found
    return _by_alias().get(_key(cleaned), found)


def _region(home: str) -> str:
    return home.split("/", 1)[0] if "/" in home else home


def suggest_timezones(name: str, home: str = "America/Chicago", limit: int = 3) -> list[str]:
    """Zones close to `name`: the names people type first, then IANA names near `home`."""
    key = _key(name[:80])
    near = difflib.get_close_matches(key, list(_by_alias()), n=limit, cutoff=0.6)
    found = list(dict.fromkeys(_by_alias()[n] for n in near))
    region = _region(home).lower()
    local = [n for n in _by_lower_name() if n.startswith(region + "/")]
    lowered = name.strip().lower().replace(" ", "_")[:80]
    for close in difflib.get_close_matches(lowered, local, n=limit, cutoff=0.6):
        found.append(_by_lower_name()[close])
    return list(dict.fromkeys(found))[:limit]


def common_timezones(home: str = "America/Chicago") -> list[str]:
    """The zones to offer as examples: the coalition's own, then the main US ones."""
    return list(dict.fromkeys([home, *_SHORT_NAMES]))[:4]


def all_timezones() -> list[str]:
    return sorted(_by_lower_name().values())


def search_timezones(typed: str, home: str | None = None) -> list[str]:
    """Zones for a menu or an autocomplete, best first, as a person types.

    Nothing typed: `home` (the coalition's zone), the US zones, then every other.
    Otherwise the zone the words name ("Eastern", "PST"), then zones whose name or
    last part starts with them ("chicago" finds America/Chicago first), then zones
    that contain them.
    """
    zones = all_timezones()
    wanted = typed.strip().lower().replace(" ", "_")[:80]
    if not wanted:
        first = [z for z in (home, *US_ZONES) if z]
        return list(dict.fromkeys([*first, *zones]))
    named = canonical_timezone(typed)
    starts, contains = [], []
    for name in zones:
        lowered = name.lower()
        if lowered.startswith(wanted) or lowered.rsplit("/", 1)[-1].startswith(wanted):
            starts.append(name)
        elif wanted in lowered:
            contains.append(name)
    return list(dict.fromkeys([*([named] if named else []), *starts, *contains]))


def zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


def to_utc(local: datetime, zone: str) -> datetime:
    """A naive wall time in `zone` as an aware UTC instant.

    Wall times that do not exist (2:30 on the night clocks spring forward) are
    read with the offset before the change, as most calendars do.
    """
    return local.replace(tzinfo=ZoneInfo(zone)).astimezone(UTC)


def to_local(instant: datetime, zone: str) -> datetime:
    return instant.astimezone(ZoneInfo(zone)).replace(tzinfo=None)
