"""Search words: what a person typed, reduced to plain words before storage sees it.

Letters and digits only, lower-cased, PostgreSQL's English stop words dropped.
No quote, parenthesis, asterisk, NEAR, AND or OR can then reach a full-text
engine as syntax, and SQLite and PostgreSQL are asked the same question.
"""

from __future__ import annotations

import re
import unicodedata

from bot.resources.model import QUERY_TERMS_MAX

_WORD = re.compile(r"[^\W_]+")
# PostgreSQL's English stop words: it ignores them, so SQLite is not asked for them either.
STOP_WORDS = frozenset(
    """a about above after again against all am an and any are as at be because been before
    being below between both but by can did do does doing don down during each few for
    from further had has have having he her here hers herself him himself his how i if
    in into is it its itself just me more most my myself no nor not now of off on once
    only or other our ours ourselves out over own s same she should so some such t than
    that the their theirs them themselves then there these they this those through to
    too under until up very was we were what when where which while who whom why will
    with you your yours yourself yourselves""".split()  # noqa: SIM905 (a list of 127 quoted words reads worse)
)


def search_terms(typed: str) -> tuple[str, ...]:
    """The words worth searching for, in order, each once."""
    words = (w.lower() for w in _WORD.findall(typed))
    kept = dict.fromkeys(w for w in words if w not in STOP_WORDS and len(w) <= 60)
    return tuple(kept)[:QUERY_TERMS_MAX]


def without_controls(typed: str) -> str:
    """`typed` less control characters and lone surrogates: no one means them, no
    topic holds them, and PostgreSQL refuses them in any text it is sent."""
    return "".join(c for c in typed if unicodedata.category(c) not in {"Cc", "Cs"})
