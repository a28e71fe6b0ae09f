"""What every page shares: the site, its templates, the reader's language, rendering."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

import jinja2
from aiohttp import web
from babel.dates import format_date, format_time

from adapters.bootstrap import App
from bot.config import WebSettings
from bot.i18n import Translator, available_languages, language_name, spoken_language, translator

HERE = Path(__file__).parent
STATIC_DIR = HERE / "static"
TEMPLATES_DIR = HERE / "templates"


@dataclass(frozen=True)
class Site:
    app: App
    settings: WebSettings
    templates: jinja2.Environment


SITE = web.AppKey("site", Site)


def environment() -> jinja2.Environment:
    # Autoescape everywhere: every value a member typed is text, never markup.
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES_DIR),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        auto_reload=False,  # templates ship with the code: no stat() on every page
        trim_blocks=True,
        lstrip_blocks=True,
    )


def site(request: web.Request) -> Site:
    return request.app[SITE]


def chosen_language(request: web.Request) -> str | None:
    """The language asked for with ?lang=, if the bot speaks it."""
    asked = request.query.get("lang", "")
    return asked if asked in available_languages() else None


def reader_language(request: web.Request, fallback: str) -> str:
    """?lang= first, then the browser's Accept-Language by preference, then `fallback`."""
    chosen = chosen_language(request)
    if chosen:
        return chosen
    ranked: list[tuple[float, int, str]] = []
    for position, item in enumerate(request.headers.get("Accept-Language", "").split(",")[:20]):
        tag, _, params = item.strip().partition(";")
        weight = 1.0
        if params.strip().startswith("q="):
            try:
                weight = float(params.strip()[2:])
            except ValueError:
                weight = 0.0
        if tag and tag != "*" and weight > 0:
            ranked.append((-weight, position, tag))
    for _, _, tag in sorted(ranked):
        spoken = spoken_language(tag, "")
        if spoken:
            return spoken
    return fallback


def link(
    request: web.Request,
    name: str,
    query: Mapping[str, str | Sequence[str]] | None = None,
    **parts: str,
) -> str:
    """A route's path, keeping a language the reader chose with ?lang=; a list value is
    the parameter repeated (?type=toolkit&type=video)."""
    params = {k: v if isinstance(v, str) else list(v) for k, v in (query or {}).items()}
    chosen = chosen_language(request)
    if chosen and "lang" not in params:
        params["lang"] = chosen
    url = request.app.router[name].url_for(**parts)
    return str(url.with_query(params) if params else url)


def when(language: str) -> Any:
    """(date_of, date_time): dates and times as the templates write them in `language`."""

    def date_of(value: date) -> str:
        return _long_date(value.date() if isinstance(value, datetime) else value, language)

    def date_time(value: datetime, zone: str) -> str:
        if value.tzinfo is None:  # a local time read as the machine's: not worth keeping
            return _date_time(value, zone, language)
        return _kept_date_time(value, zone, language)

    return date_of, date_time


# Dates written out, kept: a list of a hundred meetings formatted each with babel on
# every request was a good part of the page. Only dates and times are kept.
FORMATTED_KEPT = 4096


@lru_cache(maxsize=FORMATTED_KEPT)
def _long_date(day: date, language: str) -> str:
    return format_date(day, format="long", locale=language)


def _date_time(value: datetime, zone: str, language: str) -> str:
    local = value.astimezone(_zone(zone))
    day = format_date(local, format="full", locale=language)
    return f"{day}, {format_time(local, format='short', locale=language)}"


# An aware instant in a zone is one local time, so it names its text (equal instants
# of other offsets included).
_kept_date_time = lru_cache(maxsize=FORMATTED_KEPT)(_date_time)


def _zone(name: str) -> Any:
    from zoneinfo import ZoneInfo

    return ZoneInfo(name)


def render(
    request: web.Request,
    template: str,
    *,
    status: int = 200,
    embed: bool = False,
    **values: Any,
) -> web.Response:
    """A page in the reader's language; `embed`: the bare kind an iframe shows."""
    current = site(request)
    language = reader_language(request, current.app.config.coalition.language)
    tr: Translator = translator(language)
    date_of, date_time = when(language)
    other = [code for code in available_languages() if code != language]
    switches = [
        (language_name(code), str(request.rel_url.update_query(lang=code)), code) for code in other
    ]
    body = current.templates.get_template(template).render(
        _=tr.plain,
        plural=tr.plural,
        lang=language,
        switches=switches,
        coalition=current.app.config.coalition.name,
        embed=embed,
        link=lambda name, query=None, **parts: link(request, name, query, **parts),
        date_of=date_of,
        date_time=date_time,
        **values,
    )
    return web.Response(text=body, status=status, content_type="text/html", charset="utf-8")
