"""Links: what is published, and the key that catches one page suggested twice.

Table-driven cases say what the rules are; hypothesis closes the class: any
text gives a link or a sentence, normalizing is idempotent, and every way of
writing one page gives one key.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.errors import FieldError
from bot.resources.urls import normalize_url, url_key

FAST = settings(max_examples=100, deadline=None)
CDC = "https://www.cdc.gov/health-equity/index.html"


@pytest.mark.parametrize(
    "variant",
    [
        "https://www.cdc.gov/health-equity/index.html",
        "https://cdc.gov/health-equity/index.html",
        "HTTPS://WWW.CDC.GOV/health-equity/index.html",
        "http://www.cdc.gov/health-equity/index.html",
        "https://www.cdc.gov:443/health-equity/index.html",
        "https://www.cdc.gov/health-equity/index.html/",
        "https://www.cdc.gov/health-equity/index.html#section-2",
        "https://www.cdc.gov/health-equity/index.html#",
        "https://www.cdc.gov/health-equity/index.html?utm_source=news&utm_medium=email",
        "https://www.cdc.gov/health-equity/index.html?fbclid=abc&gclid=def&mc_cid=1&mc_eid=2",
        "https://www.cdc.gov/%68ealth-equity/index.html",
        "www.cdc.gov/health-equity/index.html",
        "cdc.gov/health-equity/index.html",
        "https://user:secret@www.cdc.gov/health-equity/index.html",
        "https://www.cdc.gov./health-equity/index.html",
    ],
)
def test_ways_of_writing_one_page_have_one_key(variant: str) -> None:
    assert url_key(variant) == url_key(CDC) == "https://cdc.gov/health-equity/index.html"


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("https://example.org/a", "https://example.org/b"),
        ("https://example.org/Report", "https://example.org/report"),  # paths keep their case
        ("https://example.org/?id=1", "https://example.org/?id=2"),
        ("https://example.org:8443/a", "https://example.org/a"),
        ("https://app.example.org/#/reports", "https://app.example.org/#/maps"),  # routes
        ("https://www.org/a", "https://org.org/a"),
    ],
)
def test_different_pages_keep_different_keys(one: str, other: str) -> None:
    assert url_key(one) != url_key(other)


@pytest.mark.parametrize(
    ("typed", "published"),
    [
        (
            "https://www.cdc.gov/toolkit?utm_source=newsletter&id=3&fbclid=x",
            "https://www.cdc.gov/toolkit?id=3",
        ),
        ("HTTPS://WWW.CDC.GOV:443/Toolkit/", "https://www.cdc.gov/Toolkit/"),
        ("https://cdc.gov/toolkit#section-3", "https://cdc.gov/toolkit#section-3"),
        ("https://cdc.gov/toolkit#utm_source=x&utm_medium=y", "https://cdc.gov/toolkit"),
        ("https://cdc.gov/toolkit#", "https://cdc.gov/toolkit"),
        ("https://cdc.gov/toolkit?b=2&a=1&mc_eid=9", "https://cdc.gov/toolkit?b=2&a=1"),
        ("https://user:secret@cdc.gov/toolkit", "https://cdc.gov/toolkit"),
        ("cdc.gov:8080/toolkit", "https://cdc.gov:8080/toolkit"),
        ("  http://cdc.gov/toolkit  ", "http://cdc.gov/toolkit"),
    ],
)
def test_the_published_link_loses_trackers_and_keeps_the_rest(typed: str, published: str) -> None:
    assert normalize_url(typed)[0] == published


@pytest.mark.parametrize(
    "typed",
    [
        "https://[::1]/x",
        "https://exa<mple.org/x",
        "https://example.org\x00/x",
        "\x00https://example.org/x",
        "https://\ud800.org/x",
        "https://" + "é" * 63 + ".org/x",
    ],
)
def test_what_no_host_holds_is_refused_with_a_sentence(typed: str) -> None:
    with pytest.raises(FieldError):
        normalize_url(typed)


def _normalized_or_refused(text: str) -> tuple[str, str] | None:
    try:
        return normalize_url(text)
    except FieldError:
        return None


# Text that looks like a link often enough to reach every rule, and any text at all.
_LINKISH = st.builds(
    str.__add__,
    st.sampled_from(["https://", "http://", "HTTP://", "", "www.", "ftp://", "https://www."]),
    st.text(alphabet=st.sampled_from(list("aZ09.-_~%/:?#&=@[]!+ é\u00e9\u212a\x00")), max_size=60),
)


@FAST
@given(st.one_of(st.text(max_size=300), _LINKISH))
def test_any_text_gives_a_link_or_a_sentence(text: str) -> None:
    result = _normalized_or_refused(text)
    if result is not None:
        published, key = result
        assert normalize_url(published) == (published, key)  # idempotent
        assert url_key(key) == key


_LOWER = "abcdefghijklmnopqrstuvwxyz0123456789"
_LABEL = st.text(alphabet=_LOWER, min_size=1, max_size=8)
_SEGMENT = st.text(alphabet=_LOWER + "ABCXYZ._~!$'()*+,;=:@-", min_size=1, max_size=12).filter(
    lambda s: s not in {".", ".."}
)
_PARAM = st.text(alphabet=_LOWER, min_size=1, max_size=6).filter(
    lambda s: s not in {"fbclid", "gclid", "dclid", "yclid"}
)
_VALUE = st.text(alphabet=_LOWER + "ABC", max_size=8)
_TRACKERS = st.lists(
    st.sampled_from(["utm_source", "utm_campaign", "fbclid", "gclid", "mc_cid", "mc_eid"]),
    max_size=3,
)


@st.composite
def equivalent_links(draw: st.DrawFn) -> tuple[str, str]:
    """One page, written plainly, and written in one of many other ways."""
    labels = draw(st.lists(_LABEL, min_size=1, max_size=3))
    host = ".".join([*labels, draw(st.sampled_from(["org", "gov", "com", "us"]))])
    segments = draw(st.lists(_SEGMENT, max_size=4))
    params = draw(st.lists(st.tuples(_PARAM, _VALUE), max_size=3, unique_by=lambda p: p[0]))
    path = "/" + "/".join(segments)
    query = "&".join(f"{k}={v}" for k, v in params)
    plain = f"https://{host}{path}" + (f"?{query}" if query else "")

    scheme = draw(st.sampled_from(["https", "http", "HTTPS", "Http"]))
    default = {"https": ":443", "http": ":80"}[scheme.lower()]
    shown_host = draw(st.sampled_from(["", "www.", "WWW."])) + draw(
        st.sampled_from([host, host.upper(), host.title()])
    )
    port = draw(st.sampled_from(["", default]))
    slash = draw(st.sampled_from(["", "/"])) if segments else ""
    shown_path = path if not segments else path.replace("~", "%7e", 1)
    mixed = [*params, *((t, draw(_VALUE)) for t in draw(_TRACKERS))]
    shuffled = draw(st.permutations(mixed))
    shown_query = "&".join(f"{k}={v}" for k, v in shuffled)
    fragment = draw(st.sampled_from(["", "#", "#top", "#section-2", "#utm_source=x"]))
    written = (
        f"{scheme}://{shown_host}{port}{shown_path}{slash}"
        + (f"?{shown_query}" if shown_query else "")
        + fragment
    )
    return plain, written


@FAST
@given(equivalent_links())
def test_equivalent_links_have_one_key(pair: tuple[str, str]) -> None:
    plain, written = pair
    assert url_key(written) == url_key(plain)
