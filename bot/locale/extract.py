"""Which sentences the code uses: shared by `make messages` and the catalog test.

Keywords: tr(...), tr.plain(...), tr.plural(singular, plural, n), N_(...),
UserError(msgid, ...) and FieldError(field, msgid, ...).
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir

KEYWORDS: dict[str, tuple[int, ...] | None] = {
    "tr": None,
    "plain": None,
    "plural": (1, 2),
    "N_": None,
    "UserError": None,
    "FieldError": (2,),
}
PACKAGE = Path(__file__).parent.parent
# Adapters say a few sentences of their own ("Continue", "…(shortened)"), also translated.
_FIXED_DATE = datetime(2026, 1, 1, tzinfo=UTC)
SOURCES = (PACKAGE, PACKAGE.parent / "adapters")
# The web pages' templates say their sentences with _("...") and plural("...", "...", n),
# the page's translator (adapters/web/pages.py `render`); Jinja's own extractor reads them.
TEMPLATES = PACKAGE.parent / "adapters" / "web" / "templates"
TEMPLATE_KEYWORDS: dict[str, tuple[int, ...] | None] = {"_": None, "plural": (1, 2)}


def extract() -> Catalog:
    # A fixed date and no line numbers: the catalogs change only when a sentence does,
    # so branches that add sentences in different files merge cleanly.
    catalog = Catalog(project="coalition-bot", charset="utf-8", creation_date=_FIXED_DATE)
    for source in SOURCES:
        for filename, lineno, message, comments, context in extract_from_dir(
            str(source), method_map=[("**.py", "python")], keywords=KEYWORDS
        ):
            location = f"{source.name}/{filename}"
            catalog.add(
                message, None, [(location, lineno)], auto_comments=comments, context=context
            )
    for filename, lineno, message, comments, context in extract_from_dir(
        str(TEMPLATES),
        method_map=[("**.html", "jinja2.ext:babel_extract")],
        keywords=TEMPLATE_KEYWORDS,
    ):
        location = f"adapters/web/templates/{filename}"
        catalog.add(message, None, [(location, lineno)], auto_comments=comments, context=context)
    return catalog


if __name__ == "__main__":
    # `make messages`: write the template, then merge it into every language's catalog.
    from babel.messages.pofile import read_po, write_po

    template = extract()
    with (PACKAGE / "locale" / "coalition.pot").open("wb") as pot:
        write_po(pot, template, width=100, omit_header=False, include_lineno=False)
    for po in (PACKAGE / "locale").glob("*/LC_MESSAGES/coalition.po"):
        with po.open("rb") as existing:
            catalog = read_po(existing)
        catalog.update(template, no_fuzzy_matching=True)
        with po.open("wb") as updated:
            write_po(updated, catalog, width=100, ignore_obsolete=True, include_lineno=False)
        missing = sum(1 for m in catalog if m.id and not m.string)
        print(f"{po}: {len(catalog)} messages, {missing} untranslated")
