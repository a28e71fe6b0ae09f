"""One translation layer for every sentence the bot says to a person.

Messages are gettext catalogs (bot/locale/<lang>/LC_MESSAGES/coalition.po),
read with Babel. English is the source language: an msgid is the English text.
Adding a language is adding a catalog; tests/core/test_i18n.py checks that
every catalog covers every message the code uses.

Use in the core:  tr("Welcome, {name}!", name=Strong(member.name))  -> Text
                  tr.plain("Approve")                                -> str
                  tr.plural("{count} member", "{count} members", n)  -> str
Mark text that is translated later (catalogue help) with N_("...").
"""

from __future__ import annotations

import re
import string
from functools import cache, lru_cache
from pathlib import Path

from babel import Locale, UnknownLocaleError
from babel.messages.pofile import read_po

from bot.messages import Plain, Span, Text

LOCALE_DIR = Path(__file__).parent / "locale"
DOMAIN = "coalition"
SOURCE_LANGUAGE = "en"

_PLACEHOLDER = re.compile(r"\{(\w+)\}")


def N_(msgid: str) -> str:
    """Mark a string for translation without translating it now."""
    return msgid


@cache
def _catalog(language: str) -> dict[str | tuple[str, str], str | tuple[str, ...]]:
    path = LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po"
    if not path.exists():
        return {}
    with path.open("rb") as handle:
        catalog = read_po(handle, locale=language)
    entries: dict[str | tuple[str, str], str | tuple[str, ...]] = {}
    for message in catalog:
        if not message.id or not message.string or message.fuzzy:
            continue
        key = message.id if isinstance(message.id, str) else (message.id[0], message.id[1])
        entries[key] = message.string if isinstance(message.string, str) else tuple(message.string)
    return entries


@cache
def available_languages() -> tuple[str, ...]:
    """The source language and every language with a catalog, sorted after it."""
    found = sorted(p.parent.parent.name for p in LOCALE_DIR.glob(f"*/LC_MESSAGES/{DOMAIN}.po"))
    return (SOURCE_LANGUAGE, *[lang for lang in found if lang != SOURCE_LANGUAGE])


def locale_language(locale: str | None) -> str | None:
    """The language of a platform's locale ("es-419", "es-LA", "en_US" -> "es", "en");
    None when there is none. Whether the bot speaks it is `spoken_language`'s question."""
    code = (locale or "").replace("_", "-").split("-")[0].strip().lower()
    return code or None


def spoken_language(locale: str | None, fallback: str) -> str:
    """A platform's locale ("es-419", "en_US", "xx-YY") as a language the bot speaks.

    `fallback` (the coalition's language) for a locale with no catalog, or one Babel
    does not know: Slack and Discord pass on whatever the person's client sends.
    """
    code = locale_language(locale)
    return code if code in available_languages() else fallback


def language_name(code: str) -> str:
    """A language by its own name, for choosing it ("Español (es)"); the code if unknown."""
    try:
        name = Locale.parse(code.replace("-", "_")).get_display_name(code) or code
    except (ValueError, TypeError, UnknownLocaleError):
        return code
    return f"{name[:1].upper()}{name[1:]} ({code})"


class Translator:
    """The bot's sentences in one language."""

    def __init__(self, language: str) -> None:
        self.language = language if language in available_languages() else SOURCE_LANGUAGE
        self._entries = _catalog(self.language) if self.language != SOURCE_LANGUAGE else {}

    def plain(self, msgid: str, **values: object) -> str:
        translated = self._entries.get(msgid, msgid)
        assert isinstance(translated, str)
        return _format(translated, values)

    def plural(self, singular: str, plural: str, count: int, **values: object) -> str:
        forms = self._entries.get((singular, plural))
        if isinstance(forms, tuple) and forms:
            # Both languages we ship use the "one / other" plural rule.
            chosen = forms[0] if count == 1 or len(forms) == 1 else forms[1]
        else:
            chosen = singular if count == 1 else plural
        return _format(chosen, {"count": count, **values})

    def __call__(self, msgid: str, **values: str | Span) -> Text:
        """Translate and split around placeholders, so values stay separate spans.

        Keeping user-supplied values as their own spans lets adapters style and
        escape them without ever parsing the sentence.
        """
        translated = self._entries.get(msgid, msgid)
        assert isinstance(translated, str)
        spans: list[Span] = []
        for text, name in _pieces(translated):
            if name is None:
                spans.append(Plain(text))
            else:
                value = values[name]
                spans.append(Plain(value) if isinstance(value, str) else value)
        return tuple(spans)


@lru_cache(maxsize=4096)
def _pieces(template: str) -> tuple[tuple[str, str | None], ...]:
    """A sentence as literal text (text, None) and placeholders ("", name), in order;
    split once per sentence, since the same few are said again and again."""
    pieces: list[tuple[str, str | None]] = []
    position = 0
    for match in _PLACEHOLDER.finditer(template):
        if match.start() > position:
            pieces.append((template[position : match.start()], None))
        pieces.append(("", match.group(1)))
        position = match.end()
    if position < len(template):
        pieces.append((template[position:], None))
    return tuple(pieces)


def _format(template: str, values: dict[str, object]) -> str:
    if not values and "{" not in template and "}" not in template:
        return template  # most labels and sentences: nothing to fill in
    # string.Formatter with named fields only: a translator's typo raises in tests.
    return string.Formatter().vformat(template, (), values)


@cache
def translator(language: str) -> Translator:
    return Translator(language)
