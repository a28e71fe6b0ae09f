"""Web addresses: only http and https, normalized so the same page is caught twice.

Two suggestions of one page rarely look identical: "HTTPS://Example.org:443/toolkit/"
and "https://example.org/toolkit?utm_source=newsletter#top" are the same resource.
The normalized form is stored beside the URL as typed, under a unique constraint.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from bot.errors import FieldError
from bot.messages import Code, Strong
from bot.resources.model import URL_MAX

_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*):")
_DEFAULT_PORTS = {"http": 80, "https": 443}
# Parameters that say how someone arrived, not what the page is.
_TRACKING_PREFIXES = ("utm_",)
_TRACKING = {
    "fbclid",
    "gclid",
    "dclid",
    "gbraid",
    "wbraid",
    "msclkid",
    "mc_eid",
    "mc_cid",
    "igshid",
    "yclid",
    "_ga",
    "_gl",
    "mkt_tok",
    "ref_src",
}
EXAMPLE = "https://www.cdc.gov/health-equity/"


def normalize_url(raw: str, option: str = "url") -> tuple[str, str]:
    """The URL as given (trimmed) and its normalized key; a FieldError says what to fix."""
    url = raw.strip()
    if len(url) > URL_MAX:
        raise FieldError(
            option,
            "That link is {length} characters long; the most I accept is {limit}.",
            length=str(len(url)),
            limit=str(URL_MAX),
        )
    if any(c.isspace() for c in url):
        raise _not_a_link(option, url)
    scheme_match = _SCHEME.match(url)
    if scheme_match is None and "." in url.split("/")[0]:
        url = "https://" + url  # "cdc.gov/toolkit": people often leave the scheme out
    elif scheme_match is not None and scheme_match.group(1).lower() not in _DEFAULT_PORTS:
        raise FieldError(
            option,
            "Only web links starting with http:// or https:// can be suggested, not {scheme}. For example: {example}",
            scheme=Code(scheme_match.group(1).lower() + ":"),
            example=Code(EXAMPLE),
        )
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        raise _not_a_link(option, url) from None
    host = (parts.hostname or "").rstrip(".")
    if parts.scheme.lower() not in _DEFAULT_PORTS or not host or "." not in host:
        raise _not_a_link(option, url)
    try:
        ascii_host = host.encode("idna").decode("ascii").lower()
    except UnicodeError:
        raise _not_a_link(option, url) from None
    scheme = parts.scheme.lower()
    netloc = ascii_host
    if port is not None and port != _DEFAULT_PORTS[scheme]:
        netloc = f"{ascii_host}:{port}"
    path = parts.path or "/"
    if path != "/":
        path = path.rstrip("/") or "/"
    query = urlencode(
        sorted(
            (key, value)
            for key, value in parse_qsl(parts.query, keep_blank_values=True)
            if not _is_tracking(key)
        )
    )
    # User info ("user:pass@") is dropped: it is never part of which page it is.
    return url, urlunsplit((scheme, netloc, path, query, ""))


def _is_tracking(key: str) -> bool:
    lowered = key.lower()
    return lowered in _TRACKING or lowered.startswith(_TRACKING_PREFIXES)


def _not_a_link(option: str, url: str) -> FieldError:
    shown = url if len(url) <= 60 else url[:57] + "..."
    return FieldError(
        option,
        "{value} is not a web link I can use. Give the full address, for example: {example}",
        value=Strong(shown),
        example=Code(EXAMPLE),
    )
