"""Public pages made once per version of what they show, and 304s that make nothing.

A public page (the library, one resource, the sessions) is the same for everyone
who asks with the same address and language while the data under it is
unchanged. So each is named by a validator computed *before* any work: a hash of

- the site's own version (templates, catalogs, configuration: `site_version`),
- a data version read in one primary-key lookup (the library's version row,
  raised in the same transaction as every approval, edit and retirement; the
  meetings' `sessions_version` and the minute),
- the full path and query, and the reader's language.

That validator is the ETag: a browser or proxy holding it gets a 304 without a
search, a row or a template. Otherwise the page is taken from a small in-process
store keyed on the same validator, or made and kept there. Because the data
version is read from the database on every request, a replica never serves a
page older than the last commit it can see: there is nothing to expire or to
tell other replicas. Only public pages come here; the dashboard and personal
feeds never do (they are per person).
"""

from __future__ import annotations

import hashlib
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from aiohttp import web

from adapters.web.kept import Kept
from adapters.web.pages import TEMPLATES_DIR
from bot.config import Config
from bot.i18n import LOCALE_DIR

# Pages kept per process: a library page is 20 to 40 KB, so at most about 10 MB.
KEEP = 256


@dataclass
class PageCache:
    """Made pages by validator, the least recently used dropped first; `pages.limit`
    0 keeps none (the benchmark sets it)."""

    pages: Kept[str, bytes] = field(default_factory=lambda: Kept(KEEP))
    made: int = 0  # pages made (for the benchmark and tests: a hit makes none)

    def get(self, tag: str) -> bytes | None:
        return self.pages.get(tag)

    def put(self, tag: str, body: bytes) -> None:
        self.made += 1
        self.pages.put(tag, body)


PAGES = web.AppKey("public_pages", PageCache)
SITE_VERSION = web.AppKey("site_version", str)


def site_version(config: Config) -> str:
    """What a page owes to this process rather than to the data: the templates, the
    catalogs and the configuration. Read once at start; replicas running the same
    release and configuration agree on it, so their ETags agree too."""
    digest = hashlib.sha256(repr(config).encode())
    for folder, pattern in ((TEMPLATES_DIR, "*.html"), (LOCALE_DIR, "*/LC_MESSAGES/*.po")):
        for path in sorted(folder.glob(pattern)):
            digest.update(path.name.encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def validator(request: web.Request, data_version: str, language: str) -> str:
    parts = (request.app[SITE_VERSION], data_version, language, request.path_qs)
    return hashlib.sha256("\x00".join(parts).encode()).hexdigest()[:24]


def _holds(request: web.Request, tag: str) -> bool:
    asked = {t.strip() for t in request.headers.get("If-None-Match", "").split(",")}
    return f'"{tag}"' in asked or f'W/"{tag}"' in asked or "*" in asked


async def public_page(
    request: web.Request,
    data_version: str | None,
    language: str,
    make: Callable[[], Awaitable[web.Response]],
) -> web.Response:
    """The page `make` gives, or a 304, or the same page made earlier for this version.

    `data_version` None: the store keeps no version, so the page is made every time
    and carries no ETag. Only a 200 is kept: a 404 or a page with a problem is cheap.
    """
    if data_version is None:
        return await make()
    tag = validator(request, data_version, language)
    # no-cache: a browser asks every time, and mostly gets a 304. Vary: the language
    # comes from Accept-Language when no ?lang= is given.
    headers = {"ETag": f'"{tag}"', "Cache-Control": "no-cache", "Vary": "Accept-Language"}
    if _holds(request, tag):
        return web.Response(status=304, headers=headers)
    store = request.app[PAGES]
    body = store.get(tag)
    if body is None:
        response = await make()
        if response.status != 200 or not isinstance(response.body, bytes):
            return response
        body = response.body
        store.put(tag, body)
    return web.Response(body=body, content_type="text/html", charset="utf-8", headers=headers)
