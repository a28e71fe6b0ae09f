"""A meeting's topics: chosen from the coalition's `[lists] topics`, as resources' are, so
the website can offer one calendar feed per topic (`/calendar/topic/{slug}.ics`)."""

from __future__ import annotations

import difflib
import re
import unicodedata

from bot.errors import FieldError
from bot.messages import Strong, usage

TOPIC_MAX = 60
TOPICS_MAX = 5


def check_topics(typed: tuple[str, ...], listed: tuple[str, ...]) -> tuple[str, ...]:
    """The topics in their listed spelling. Unlike a resource, a meeting takes only listed
    topics: a feed per topic is only useful if everyone spells a topic the same way."""
    known = {topic.lower(): topic for topic in listed}
    chosen: list[str] = []
    for topic in typed:
        found = known.get(topic.lower())
        if found is None:
            close = difflib.get_close_matches(topic.lower(), list(known), n=1, cutoff=0.5)
            if close:
                raise FieldError(
                    "topics",
                    "{value} is not one of the coalition's topics. Did you mean {suggestion}? The topics are: {allowed}.",
                    value=Strong(topic),
                    suggestion=usage("", ("topics", known[close[0]])),
                    allowed=", ".join(listed),
                )
            raise FieldError(
                "topics",
                "{value} is not one of the coalition's topics. Choose from: {allowed}.",
                value=Strong(topic),
                allowed=", ".join(listed),
            )
        if found not in chosen:
            chosen.append(found)
    return tuple(chosen)


def topic_slug(topic: str) -> str:
    """The topic as it appears in an address: "Climate & Health" -> "climate-health".
    Accents are dropped; a topic with no Latin letter or digit at all keeps a short hash."""
    plain = unicodedata.normalize("NFKD", topic).encode("ascii", "ignore").decode().lower()
    slug = re.sub(r"[^a-z0-9]+", "-", plain).strip("-")
    if slug:
        return slug
    return "topic-" + format(sum(ord(c) * 31**i for i, c in enumerate(topic)) % 16**8, "08x")


def topic_of_slug(slug: str, listed: tuple[str, ...]) -> str | None:
    """The listed topic an address names, or None (two topics with one slug: the first)."""
    return next((topic for topic in listed if topic_slug(topic) == slug), None)
