"""Words of a typed command, and how to quote a value so it reads back the same.

Chat rules, not shell rules: people type apostrophes (O'Brien, don't) far more
often than they quote with them, so a single quote only quotes a whole value
('Board meeting'); double quotes, straight or the curly ones chat apps make,
quote anywhere. `quote` is the inverse of `split_words` for one value, so every
example the bot shows can be copied back as it is.
"""

from __future__ import annotations

from dataclasses import dataclass

_DOUBLE = frozenset('"\u201c\u201d')
_ESCAPED = _DOUBLE | {"\\"}


@dataclass(frozen=True, slots=True)
class Word:
    text: str  # quotes removed
    # How many leading characters were typed outside quotes: name="Maria Lopez" is a
    # name=value word, "name=Maria Lopez" (all in quotes) a plain value.
    unquoted: int


class UnclosedQuote(ValueError):
    """A double quote opened and never closed."""


def split_words(text: str) -> list[Word]:
    words: list[Word] = []
    i, n = 0, len(text)
    while i < n:
        if text[i].isspace():
            i += 1
            continue
        i = _word(text, i, words)
    return words


def _word(text: str, i: int, words: list[Word]) -> int:
    """Read one word starting at `i`; return where it ends."""
    out: list[str] = []
    unquoted: int | None = None
    n = len(text)
    start = i
    while i < n and not text[i].isspace():
        char = text[i]
        if char in _DOUBLE:
            unquoted = len(out) if unquoted is None else unquoted
            i = _double_quoted(text, i + 1, out)
        elif char == "'" and _opens_single(text, start, i, out):
            unquoted = len(out) if unquoted is None else unquoted
            close = _single_close(text, i + 1)
            out.append(text[i + 1 : close])
            i = close + 1
        else:
            out.append(char)
            i += 1
    value = "".join(out)
    words.append(Word(value, len(value) if unquoted is None else unquoted))
    return i


def _double_quoted(text: str, i: int, out: list[str]) -> int:
    n = len(text)
    while i < n:
        char = text[i]
        if char == "\\" and i + 1 < n and text[i + 1] in _ESCAPED:
            out.append(text[i + 1])
            i += 2
        elif char in _DOUBLE:
            return i + 1
        else:
            out.append(char)
            i += 1
    raise UnclosedQuote(text)


def _opens_single(text: str, start: int, i: int, out: list[str]) -> bool:
    """A single quote at the start of a value ('x' or name='x') that is closed at a word's end."""
    before = "".join(out)
    at_value_start = i == start or (before.endswith("=") and i - start == len(before))
    return at_value_start and _single_close(text, i + 1) >= 0


def _single_close(text: str, i: int) -> int:
    """The closing single quote: one followed by a space or the end; -1 if none."""
    n = len(text)
    while True:
        found = text.find("'", i)
        if found < 0:
            return -1
        if found + 1 == n or text[found + 1].isspace():
            return found
        i = found + 1


def quote(value: str, *, always: bool = False) -> str:
    """`value` as typed, in double quotes when it needs them: reads back as `value`."""
    # "=" is quoted too: a bare word with one would read back as an option.
    plain = (
        value
        and not any(c.isspace() or c in _ESCAPED or c == "=" for c in value)
        and value[0] != "'"
    )
    if plain and not always:
        return value
    escaped = "".join("\\" + c if c in _ESCAPED else c for c in value)
    return f'"{escaped}"'
