"""How the directory compares names: "maria" finds "María", "LÓPEZ" finds "López".

Storage keeps a folded copy of each name and organization and folds what is
searched the same way, so SQLite and PostgreSQL compare the same plain strings
(neither database's own collations, which differ, are involved).
"""

from __future__ import annotations

import unicodedata

# Accents (combining marks once decomposed), and characters nobody means to search
# for: controls, format characters such as zero-width joiners, lone surrogates.
_DROPPED = frozenset({"Mn", "Cc", "Cf", "Cs"})
# The one letter whose capital folds to another letter: Turkish dotless "ı" is "I" in
# capitals, which folds to "i". Read as "i", as its dot were an accent, so "ILHAN" finds it.
_DOTLESS = str.maketrans({"ı": "i"})


def fold(text: str) -> str:
    """Case folded, without accents or invisible characters, spaces collapsed."""
    decomposed = unicodedata.normalize("NFD", text.casefold().translate(_DOTLESS))
    kept = "".join(c for c in decomposed if unicodedata.category(c) not in _DROPPED)
    # Recomposed, so letters that decompose without accents (Hangul) keep their length.
    return " ".join(unicodedata.normalize("NFC", kept).split())
