"""Web addresses: only http and https, cleaned for publishing, keyed to catch duplicates.

Two suggestions of one page rarely look identical: "HTTPS://Example.org:443/toolkit/"
and "http://www.example.org/toolkit?utm_source=newsletter#top" are the same
resource. `normalize_url` gives two things:

- the link to publish: the address as given, less what only says how someone
  arrived (tracking parameters such as utm_*, fbclid, gclid, mc_cid, mc_eid)
  and less any user name or password; scheme and host in lower case, the
  default port left out. Its path, its other parameters (in their order) and its
  fragment are kept as typed: "#section-3" points somewhere on the page. A
  fragment is dropped only when it says nothing: empty, or made of tracking
  parameters only ("#utm_source=x").
- the duplicate key, stored (hashed) under a unique constraint: https for http
  too, the host without "www.", no default port, percent escapes written one
  way, no trailing slash, parameters without trackers and sorted, and no
  fragment, except a single-page application's route ("#/reports", "#!/reports"),
  which names a page of its own.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, quote, unquote_plus, urlencode, urlsplit, urlunsplit

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
    "twclid",
    "li_fat_id",
    "_ga",
    "_gl",
    "_hsenc",
    "_hsmi",
    "mkt_tok",
    "ref_src",
    "oly_enc_id",
    "oly_anon_id",
    "vero_id",
    "wickedid",
}
_ESCAPE = re.compile(r"%([0-9A-Fa-f]{2})")
_STRAY_PERCENT = re.compile(r"%(?![0-9A-Fa-f]{2})")
_HOST = re.compile(r"[a-z0-9_-]+(\.[a-z0-9_-]+)+")
_UNRESERVED = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
# What may stay as typed in a key's path or route; the rest is percent-encoded.
_PATH_SAFE = "/%:@!$&'()*+,;=~"
EXAMPLE = "https://www.cdc.gov/health-equity/"


def normalize_url(raw: str, option: str = "url") -> tuple[str, str]:
    """The link to publish and its duplicate key; a FieldError says what to fix."""
    url = raw.strip()
    if len(url) > URL_MAX:
        raise FieldError(
            option,
            "That link is {length} characters long; the most I accept is {limit}.",
            length=str(len(url)),
            limit=str(URL_MAX),
        )
    if any(c.isspace() or _is_control(c) for c in url) or not _encodable(url):
        raise _not_a_link(option, url)
    scheme_match = _SCHEME.match(url)
    if scheme_match is not None and url[scheme_match.end() :][:1].isdigit():
        scheme_match = None  # "cdc.gov:8080/x" is a host and a port, not a scheme
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
    scheme = parts.scheme.lower()
    if scheme not in _DEFAULT_PORTS or "." not in host:
        raise _not_a_link(option, url)
    try:
        ascii_host = host.encode("idna").decode("ascii").lower()
    except UnicodeError:
        raise _not_a_link(option, url) from None
    if not _HOST.fullmatch(ascii_host):  # an IPv6 literal, or symbols no host name holds
        raise _not_a_link(option, url)
    if port == _DEFAULT_PORTS[scheme]:
        port = None
    shown_port = f":{port}" if port is not None else ""
    fragment = parts.fragment if _meaningful(parts.fragment) else ""
    # User info ("user:pass@") is dropped: it is never part of which page it is,
    # and a password must not be published.
    published = urlunsplit(
        (scheme, host + shown_port, parts.path, _without_trackers(parts.query), fragment)
    )
    key = _key(ascii_host + shown_port, parts.path, parts.query, fragment)
    if len(published) > URL_MAX or len(key) > URL_MAX:
        raise FieldError(
            option,
            "That link is too long once written out in full ({length} characters); the most I accept is {limit}.",
            length=str(max(len(published), len(key))),
            limit=str(URL_MAX),
        )
    return published, key


def url_key(raw: str) -> str:
    """The duplicate key of a link; a FieldError if it is not one."""
    return normalize_url(raw)[1]


def _key(netloc: str, path: str, query: str, fragment: str) -> str:
    host, colon, port = netloc.partition(":")
    while host.startswith("www.") and "." in host[4:]:
        host = host[4:]
    path = _escaped(path) or "/"
    if path != "/":
        path = path.rstrip("/") or "/"
    pairs = sorted(
        (name, value)
        for name, value in parse_qsl(query, keep_blank_values=True)
        if not _is_tracking(name)
    )
    route = _escaped(fragment) if fragment.startswith(("/", "!")) else ""
    # http and https are one page for duplicates: sites serve both, or redirect.
    return urlunsplit(("https", host + colon + port, path, urlencode(pairs), route))


def _escaped(text: str) -> str:
    """Percent escapes written one way: non-ASCII encoded, hex in capitals,
    unreserved characters ("%7E" is "~") decoded."""
    # A "%" that starts no escape is a percent sign: written as one, it cannot
    # join a decoded character into a new escape the next time round.
    encoded = quote(_STRAY_PERCENT.sub("%25", text), safe=_PATH_SAFE)

    def one(match: re.Match[str]) -> str:
        character = chr(int(match.group(1), 16))
        return character if character in _UNRESERVED else "%" + match.group(1).upper()

    return _ESCAPE.sub(one, encoded)


def _without_trackers(query: str) -> str:
    """The query as typed, less its tracking parameters (the rest keep their order)."""
    return "&".join(
        piece
        for piece in query.split("&")
        if piece and not _is_tracking(unquote_plus(piece.partition("=")[0]))
    )


def _meaningful(fragment: str) -> bool:
    """Whether a fragment points somewhere: not empty, not only tracking parameters."""
    if not fragment:
        return False
    return "=" not in fragment or bool(_without_trackers(fragment))


def _is_tracking(key: str) -> bool:
    lowered = key.lower()
    return lowered in _TRACKING or lowered.startswith(_TRACKING_PREFIXES)


def _is_control(character: str) -> bool:
    return ord(character) < 32 or 127 <= ord(character) < 160


def _encodable(text: str) -> bool:
    """False for text that no web address can hold (a lone surrogate from a bad client)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _not_a_link(option: str, url: str) -> FieldError:
    shown = url if len(url) <= 60 else url[:57] + "..."
    shown = "".join("\ufffd" if _is_control(c) else c for c in shown)
    shown = shown.encode("utf-8", "replace").decode("utf-8")
    return FieldError(
        option,
        "{value} is not a web link I can use. Give the full address, for example: {example}",
        value=Strong(shown),
        example=Code(EXAMPLE),
    )
