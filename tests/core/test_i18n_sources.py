"""Every sentence reaches the catalogs, whichever code path says it.

tests/core/test_i18n.py checks the catalogs against what extraction finds; these
tests check that extraction finds everything: they read the source of bot/ and
adapters/ and fail on a sentence said in a way extraction cannot see (a
translator called under another name, a msgid built at run time), and on count
phrases that repeat their noun ("2 replies replies") in any language.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache

import pytest
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po

from bot.i18n import LOCALE_DIR, available_languages
from bot.locale.extract import KEYWORDS, SOURCES, extract

# Calls whose first (FieldError: second) argument is a msgid, by the called name.
MSGID_POSITION = {"tr": 0, "plain": 0, "plural": 0, "N_": 0, "UserError": 0, "FieldError": 1}
# Arguments that pass on a msgid marked where it was declared, not built here. Each is
# checked at its source: catalogue help and labels (N_ in commands.py, see
# test_every_declared_sentence_is_extracted), a raised error's msgid (checked where
# raised, by this file), a role's label (N_ in bot/roles.py).
PASSED_ON = {
    "error.msgid",
    "needed.label",
    "command.role.label",
    "option.help",
    "c.help",
    "command.help",
    "option.label or option.name",
    "command.form_title or command.help",
    "form_field.label",
    "form_field.hint",
    "field.label or field.name",
    "field.hint",
    # An evaluation's question: the default template's are N_() in bot/config.py; a
    # coalition's own template is shown as written in config.toml.
    "question.text",
}
PLACEHOLDER = re.compile(r"\{(\w+)\}")


@dataclass(frozen=True)
class Said:
    where: str
    call: ast.Call
    function: ast.AST | None  # the enclosing function, where variables are looked up


@cache  # parsed once for every check here (nothing changes the trees)
def _parsed() -> dict[str, ast.Module]:
    return {
        f"{source.name}/{path.relative_to(source)}": ast.parse(path.read_text())
        for source in SOURCES
        for path in sorted(source.rglob("*.py"))
    }


def _sources() -> Iterator[tuple[str, ast.Module]]:
    yield from _parsed().items()


@cache
def _template() -> Catalog:
    return extract()


def _called_name(call: ast.Call) -> str | None:
    func = call.func
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return None


def _is_translator(node: ast.expr) -> bool:
    """Whether an expression names a translator: `tr`, `ctx.tr`, `their_tr`, `translator(x)`."""
    if isinstance(node, ast.Name):
        return node.id == "tr" or node.id.endswith("_tr")
    if isinstance(node, ast.Attribute):  # not `self._tr(interaction)`, which makes one
        return node.attr == "tr"
    if isinstance(node, ast.Call):
        return isinstance(node.func, ast.Name) and node.func.id == "translator"
    return False


def _calls(modules: dict[str, ast.Module] | None = None) -> Iterator[Said]:
    for where, module in (modules or _parsed()).items():
        parents: dict[ast.AST, ast.AST] = {}
        for node in ast.walk(module):
            for child in ast.iter_child_nodes(node):
                parents[child] = node
        for node in ast.walk(module):
            if isinstance(node, ast.Call):
                function: ast.AST | None = node
                while function is not None and not isinstance(
                    function, ast.FunctionDef | ast.AsyncFunctionDef
                ):
                    function = parents.get(function)
                yield Said(f"{where}:{node.lineno}", node, function)


def _translation_calls(
    modules: dict[str, ast.Module] | None = None,
) -> Iterator[tuple[Said, int]]:
    """Calls that say a sentence, with the position of their msgid argument."""
    for said in _calls(modules):
        call, name = said.call, _called_name(said.call)
        if name in {"plain", "plural"} and isinstance(call.func, ast.Attribute):
            if _is_translator(call.func.value):
                yield said, 0
        elif name in {"N_", "UserError", "FieldError"} and isinstance(call.func, ast.Name):
            yield said, MSGID_POSITION[name]
        elif _is_translator(call.func):
            yield said, 0


def _marked(value: ast.expr) -> bool:
    """A literal, N_("literal"), or a choice between those."""
    if isinstance(value, ast.Constant):
        return isinstance(value.value, str)
    if isinstance(value, ast.Call):
        return _called_name(value) == "N_" and all(_marked(a) for a in value.args)
    if isinstance(value, ast.IfExp):
        return _marked(value.body) and _marked(value.orelse)
    if isinstance(value, ast.Dict | ast.Tuple | ast.List):
        items = value.values if isinstance(value, ast.Dict) else value.elts
        return all(_marked(item) for item in items)
    return False


def _assignments(scope: ast.AST, name: str) -> list[ast.expr]:
    found: list[ast.expr] = []
    for node in ast.walk(scope):
        if isinstance(node, ast.Assign | ast.AnnAssign) and node.value is not None:
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            if any(isinstance(t, ast.Name) and t.id == name for t in targets):
                found.append(node.value)
    return found


def _parameter_values(said: Said, name: str, modules: dict[str, ast.Module]) -> list[ast.expr]:
    """What callers pass for a function's parameter, found by the function's name."""
    function = said.function
    assert isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef)
    names = [a.arg for a in (*function.args.posonlyargs, *function.args.args)]
    position = names.index(name) if name in names else None
    values: list[ast.expr] = []
    for module in modules.values():
        for node in ast.walk(module):
            if isinstance(node, ast.Call) and _called_name(node) == function.name:
                values += [k.value for k in node.keywords if k.arg == name]
                if position is not None and position < len(node.args):
                    values.append(node.args[position])
    return values


def _top_level(modules: dict[str, ast.Module], name: str) -> list[ast.expr]:
    """Module-level values bound to `name` in any module (tables are imported by name)."""
    found: list[ast.expr] = []
    for module in modules.values():
        for node in module.body:
            if isinstance(node, ast.Assign | ast.AnnAssign):
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                if any(isinstance(t, ast.Name) and t.id == name for t in targets) and node.value:
                    found.append(node.value)
    return found


def _msgid_is_seen(
    said: Said, value: ast.expr, modules: dict[str, ast.Module], depth: int = 0
) -> bool:
    if _marked(value) or ast.unparse(value) in PASSED_ON:
        return True
    if depth > 3:
        return False
    if isinstance(value, ast.IfExp):
        return all(_msgid_is_seen(said, v, modules, depth + 1) for v in (value.body, value.orelse))
    base = value
    while isinstance(base, ast.Subscript):  # TABLE[key] or TABLE[key][0]
        base = base.value
    if isinstance(value, ast.Subscript) and isinstance(base, ast.Name):
        table = _top_level(modules, base.id)
        return bool(table) and all(_marked(v) for v in table)
    if isinstance(value, ast.Name):
        if said.function is not None:
            bound = _assignments(said.function, value.id)
            if bound:
                return all(_msgid_is_seen(said, v, modules, depth + 1) for v in bound)
        table = _top_level(modules, value.id)
        if table:
            return all(_marked(v) for v in table)
        if said.function is not None:  # a parameter: every caller must pass a marked msgid
            passed = _parameter_values(said, value.id, modules)
            return bool(passed) and all(_marked(v) for v in passed)
    return False


def _unseen(modules: dict[str, ast.Module]) -> list[str]:
    """Sentences said in a way `make messages` cannot see."""
    unseen = []
    for said, position in _translation_calls(modules):
        args = said.call.args
        if position >= len(args) or not _msgid_is_seen(said, args[position], modules):
            unseen.append(f"{said.where}: {ast.unparse(said.call)[:100]}")
        elif _called_name(said.call) not in KEYWORDS:  # their_tr("..."): call it tr
            unseen.append(f"{said.where}: {ast.unparse(said.call.func)}(...)")
    return unseen


def test_every_msgid_is_a_sentence_extraction_sees() -> None:
    assert _unseen(dict(_sources())) == [], "say these with a literal, or N_() where chosen"


def test_the_check_catches_sentences_made_at_run_time() -> None:
    source = """
LABELS = {"a": N_("Alpha"), "b": "b" + suffix}

def say(ctx, error, kind, reason):
    their_tr = translator("es")
    fine = N_("Fine") if kind else N_("Also fine")
    picked = LABELS[kind]
    ctx.tr("Literal {name}", name=x)
    ctx.tr(fine)
    ctx.tr(f"Hello {ctx.name}")
    ctx.tr.plain("Count: " + str(kind))
    their_tr("Hola")
    translator("es").plain(picked)
    raise FieldError("field", reason)
"""
    found = _unseen({"bot/example.py": ast.parse(source)})
    assert [line.split(": ", 1)[1][:24] for line in found] == [
        "ctx.tr(f'Hello {ctx.name",
        "ctx.tr.plain('Count: ' +",
        "their_tr(...)",
        "translator('es').plain(p",
        "FieldError('field', reas",
    ]


def test_every_literal_msgid_is_in_the_template() -> None:
    known = {m.id if isinstance(m.id, str) else m.id[0] for m in _template() if m.id}
    missing = []
    for said, position in _translation_calls():
        args = said.call.args
        if position < len(args):
            value = args[position]
            if not (isinstance(value, ast.Constant) and isinstance(value.value, str)):
                continue
            if value.value not in known:
                missing.append(f"{said.where}: {value.value[:60]}")
    assert missing == []


def test_every_declared_sentence_is_extracted() -> None:
    """Help, labels and titles of every command and option, which help and forms pass on."""
    from bot.registry import build_catalogue
    from bot.roles import Role

    known = {m.id for m in _template() if isinstance(m.id, str)}
    declared: list[str] = [role.label for role in Role]
    for command in build_catalogue().commands.values():
        declared += [command.help, command.form_title or command.help]
        for option in command.options:
            declared += [option.help, option.label or option.name]
    assert sorted({d for d in declared if d not in known}) == []


def _plural_placeholders(function: ast.AST) -> dict[str, tuple[str, str]]:
    """Placeholders that a function fills with a count phrase made by tr.plural."""
    found: dict[str, tuple[str, str]] = {}

    def phrase(value: ast.expr) -> tuple[str, str] | None:
        if isinstance(value, ast.Call) and _called_name(value) == "plural":
            singular, plural = value.args[0], value.args[1]
            if isinstance(singular, ast.Constant) and isinstance(plural, ast.Constant):
                return str(singular.value), str(plural.value)
        return None

    for node in ast.walk(function):
        if isinstance(node, ast.Call):
            for keyword in node.keywords:
                made = phrase(keyword.value) if keyword.arg else None
                if made and keyword.arg:
                    found[keyword.arg] = made
        elif isinstance(node, ast.Dict):
            for key, value in zip(node.keys, node.values, strict=True):
                made = phrase(value)
                if made and isinstance(key, ast.Constant) and isinstance(key.value, str):
                    found[key.value] = made
    return found


def _words_around(template: str, placeholder: str) -> list[tuple[str, str]]:
    """(word before, word after) each place the placeholder appears."""
    around = []
    for match in re.finditer(r"\{" + placeholder + r"\}", template):
        before = re.findall(r"[\w']+", PLACEHOLDER.sub(" ", template[: match.start()]))
        after = re.findall(r"[\w']+", PLACEHOLDER.sub(" ", template[match.end() :]))
        around.append((before[-1] if before else "", after[0] if after else ""))
    return around


def _count_sentences() -> Iterator[tuple[str, str, tuple[str, str]]]:
    """(where, sentence, its count phrase's singular and plural), for each filled placeholder."""
    for said in _calls():
        if said.function is None or not _is_translator(said.call.func):
            continue
        if not said.call.args or not isinstance(said.call.args[0], ast.Constant):
            continue
        sentence = str(said.call.args[0].value)
        phrases = _plural_placeholders(said.function)
        for name in PLACEHOLDER.findall(sentence):
            if name in phrases:
                yield said.where, sentence, phrases[name]


@pytest.mark.parametrize("language", available_languages())
def test_count_phrases_do_not_repeat_their_words(language: str) -> None:
    """ "{replies} replies" with replies = "2 replies" says "2 replies replies"."""
    entries: dict[str | tuple[str, ...], str | tuple[str, ...]] = {}
    if language != "en":
        with (LOCALE_DIR / language / "LC_MESSAGES" / "coalition.po").open("rb") as handle:
            for message in read_po(handle, locale=language):
                if message.id and message.string:
                    key = message.id if isinstance(message.id, str) else tuple(message.id[:2])
                    entries[key] = (
                        message.string if isinstance(message.string, str) else tuple(message.string)
                    )
    sentences = list(_count_sentences())
    assert sentences, "the check found no count phrases: has the code changed shape?"
    doubled = []
    for where, sentence, (singular, plural) in sentences:
        translated = entries.get(sentence, sentence)
        forms = entries.get((singular, plural), (singular, plural))
        assert isinstance(translated, str)
        for form in forms:
            words = re.findall(r"[\w']+", PLACEHOLDER.sub(" ", form))
            if not words:
                continue
            for name in PLACEHOLDER.findall(translated):
                for before, after in _words_around(translated, name):
                    if after.lower() == words[-1].lower() or before.lower() == words[0].lower():
                        doubled.append(f"{where}: {translated!r} with {form!r}")
    assert doubled == []
