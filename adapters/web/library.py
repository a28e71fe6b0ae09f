"""The public library: search with filters, one resource, the page on suggesting one.

The search is the chat's (bot/resources/search.py `library_query`, the same
repository search); what the public may see is bot/resources/public.py.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from aiohttp import web
from multidict import MultiMapping

from adapters.web.page_cache import public_page
from adapters.web.pages import reader_language, render, site
from bot.config import Config
from bot.errors import FieldError
from bot.i18n import Translator, translator
from bot.messages import plain_text
from bot.resources.model import LEVELS, TOPIC_MAX, SearchPage, SearchQuery, Sort
from bot.resources.public import in_library, shown_suggester
from bot.resources.search import VALUES_MAX, library_query

PER_PAGE = 20
# Page numbers past this are no page at all (the search counts at most SEARCH_COUNT_CAP).
PAGE_MAX = 10_000
FILTERS = ("type", "topic", "language", "level")


@dataclass
class Asked:
    """What the reader asked for, as far as it makes sense; `notes` say what was set aside."""

    words: str = ""
    # Each filter's values (its checkboxes): any of them matches; filters combine.
    filters: dict[str, list[str]] = field(default_factory=dict)
    sort: Sort | None = None
    page: int = 1
    notes: list[str] = field(default_factory=list)


def choices(config: Config) -> dict[str, tuple[str, ...]]:
    lists = config.lists
    return {
        "type": lists.resource_types,
        "topic": lists.topics,
        "language": lists.languages,
        "level": LEVELS,
    }


def read_request(query: MultiMapping[str], config: Config, tr: Translator) -> Asked:
    asked = Asked(words=query.get("q", ""))
    known = choices(config)
    left_out = False
    for name in FILTERS:
        # A filter may be given several times (?type=toolkit&type=video): any matches.
        for value in (v.strip() for v in query.getall(name, [])[:VALUES_MAX]):
            if not value:
                continue
            # A topic may be any a resource holds; the others only what the coalition lists.
            fits = len(value) <= TOPIC_MAX if name == "topic" else value in known[name]
            if not fits:
                left_out = True
            elif value not in asked.filters.setdefault(name, []):
                asked.filters[name].append(value)
        if not asked.filters.get(name):
            asked.filters.pop(name, None)
    if left_out:
        asked.notes.append(tr.plain("A filter was not one of the choices, so it was left out."))
    sort = query.get("sort", "")
    if sort in {s.value for s in Sort}:
        asked.sort = Sort(sort)
    page = query.get("page", "1")
    if page.isascii() and page.isdigit() and 1 <= int(page) <= PAGE_MAX:
        asked.page = int(page)
    else:
        asked.notes.append(tr.plain("That page number does not exist, so here is the first page."))
    return asked


async def library_version(request: web.Request) -> str | None:
    """The library's version, for adapters/web/page_cache.py (one primary-key read)."""
    async with site(request).app.storage.reading() as uow:
        version = await uow.resources.library_version()
    return None if version is None else f"library {version}"


async def library_page(request: web.Request) -> web.Response:
    language = reader_language(request, site(request).app.config.coalition.language)
    return await public_page(
        request, await library_version(request), language, lambda: _library_page(request)
    )


async def _library_page(request: web.Request) -> web.Response:
    current = site(request)
    config = current.app.config
    tr = translator(reader_language(request, config.coalition.language))
    asked = read_request(request.query, config, tr)
    problem = ""
    found = SearchPage(page=asked.page, per_page=PER_PAGE)
    try:
        query = _query(asked)
    except FieldError as error:
        problem = plain_text(tr(error.msgid, **error.values))
        query = _query(Asked(filters=asked.filters, sort=asked.sort))
    if not problem:
        async with current.app.storage.reading() as uow:
            found = await uow.resources.search(query)
    # What paging links keep: the words, the sort and every filter value understood.
    shown: dict[str, str | list[str]] = {
        k: v for k, v in request.query.items() if k in {"q", "sort"} and v
    }
    shown |= asked.filters
    return render(
        request,
        "library.html" if not request.path.startswith("/embed/") else "embed_library.html",
        embed=request.path.startswith("/embed/"),
        asked=asked,
        notes=asked.notes,
        problem=problem,
        found=found,
        sort=query.sort.value,
        choices=choices(config),
        shown=shown,
    )


def _query(asked: Asked) -> SearchQuery:
    return library_query(
        asked.words,
        type=asked.filters.get("type", ()),
        topic=asked.filters.get("topic", ()),
        language=asked.filters.get("language", ()),
        level=asked.filters.get("level", ()),
        sort=asked.sort,
        page=asked.page,
        per_page=PER_PAGE,
    )


async def resource_page(request: web.Request) -> web.Response:
    config = site(request).app.config
    # Who suggested it, when shown, depends on the members too (a name, leaving the
    # directory), which the library's version does not follow: then made every time.
    version = None if config.web.show_suggested_by else await library_version(request)
    language = reader_language(request, config.coalition.language)
    return await public_page(request, version, language, lambda: _resource_page(request))


async def _resource_page(request: web.Request) -> web.Response:
    current = site(request)
    number = request.match_info["id"]
    resource = None
    suggester = None
    if number.isascii() and number.isdigit() and len(number) < 12:
        async with current.app.storage.reading() as uow:
            resource = await in_library(uow, int(number))
            if resource is not None:
                suggester = await shown_suggester(uow, current.app.config, resource)
    if resource is None:
        return render(request, "no_resource.html", status=404, number=number[:20])
    return render(request, "resource.html", resource=resource, suggester=suggester)


async def suggest_page(request: web.Request) -> web.Response:
    return render(request, "suggest.html")


def add_routes(router: web.UrlDispatcher) -> None:
    router.add_get("/library", library_page, name="library")
    router.add_get("/library/{id}", resource_page, name="resource")
    router.add_get("/suggest", suggest_page, name="suggest")
    router.add_get("/embed/library", library_page, name="embed_library")
