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


def fold(text: str) -> str:
    """Case folded, without accents or invisible characters, spaces collapsed."""
    decomposed = unicodedata.normalize("NFD", text.casefold())
    kept = "".join(c for c in decomposed if unicodedata.category(c) not in _DROPPED)
    # Recomposed, so letters that decompose without accents (Hangul) keep their length.
    return " ".join(unicodedata.normalize("NFC", kept).split())
