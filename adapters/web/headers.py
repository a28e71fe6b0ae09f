"""Headers every response carries, and errors as pages a person can read."""

from __future__ import annotations

import logging
import uuid

from aiohttp import web
from aiohttp.typedefs import Handler

from adapters.web.pages import render

log = logging.getLogger(__name__)

EMBED_PREFIX = "/embed/"
# No inline script or style anywhere: scripts and the stylesheet are files of this site.
_POLICY = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "form-action 'self'; base-uri 'none'; frame-ancestors {frames}"
)


def content_policy(path: str) -> str:
    """Only /embed/ pages may be shown inside another site's page."""
    return _POLICY.format(frames="*" if path.startswith(EMBED_PREFIX) else "'none'")


@web.middleware
async def security_headers(request: web.Request, handler: Handler) -> web.StreamResponse:
    try:
        response = await handler(request)
    except web.HTTPException as refusal:
        _protect(request, refusal)
        raise
    _protect(request, response)
    return response


def _protect(request: web.Request, response: web.StreamResponse) -> None:
    if response.prepared:  # a streamed response already sent its headers, set before
        return
    headers = response.headers
    headers["Content-Security-Policy"] = content_policy(request.path)
    headers["X-Content-Type-Options"] = "nosniff"
    headers["Referrer-Policy"] = "strict-origin-when-cross-origin"
    if not request.path.startswith(EMBED_PREFIX):
        headers["X-Frame-Options"] = "DENY"  # for browsers that predate frame-ancestors
    if request.path.startswith("/dashboard"):
        # Members' names, the member list's CSV: not for a shared computer's cache or a proxy.
        headers["Cache-Control"] = "no-store"


@web.middleware
async def plain_errors(request: web.Request, handler: Handler) -> web.StreamResponse:
    """A missing page or a failure is a page with a sentence, never a bare error."""
    try:
        return await handler(request)
    except web.HTTPNotFound:
        return render(request, "missing.html", status=404)
    except web.HTTPException:
        raise
    except Exception:
        reference = uuid.uuid4().hex[:8]
        log.exception("web page %s failed (reference %s)", _loggable(request), reference)
        return render(request, "failed.html", status=500, reference=reference)


def _loggable(request: web.Request) -> str:
    """The path, less a sign-in link's or a personal calendar feed's secret token."""
    if request.path.startswith("/dashboard/login/"):
        return "/dashboard/login/…"
    if request.path.startswith("/calendar/"):
        return "/calendar/….ics"
    return request.path
