"""The core stays platform-neutral (no chat, SQL or scheduler library, no wall clock)
and untangled: no import cycle anywhere in bot/, and a kernel that knows no capability."""

from __future__ import annotations

import ast
from collections.abc import Iterator, Mapping
from pathlib import Path

import pytest

CORE = Path(__file__).parents[2] / "bot"
FORBIDDEN = {
    "slack_bolt",
    "slack_sdk",
    "discord",
    "sqlalchemy",
    "apscheduler",
    "aiohttp",
    "asyncpg",
    "aiosqlite",
}
CORE_FILES = sorted(CORE.rglob("*.py"))


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


@pytest.mark.parametrize("path", CORE_FILES, ids=lambda p: str(p.relative_to(CORE)))
def test_core_imports_no_platform_sql_or_scheduler(path: Path) -> None:
    assert imported_modules(path) & FORBIDDEN == set()


@pytest.mark.parametrize("path", CORE_FILES, ids=lambda p: str(p.relative_to(CORE)))
def test_core_never_reads_the_wall_clock(path: Path) -> None:
    source = path.read_text(encoding="utf-8")
    for call in ("datetime.now(", "datetime.utcnow(", "time.time(", "date.today("):
        assert call not in source, (
            f"{path.name} reads the clock with {call}; use the injected Clock"
        )


def test_the_check_itself_catches_a_forbidden_import(tmp_path: Path) -> None:
    bad = tmp_path / "bad.py"
    bad.write_text("from slack_bolt import App\nimport sqlalchemy.orm\n")
    assert imported_modules(bad) == {"slack_bolt", "sqlalchemy"}


def module_name(path: Path, root: Path = CORE) -> str:
    parts = [root.name, *path.relative_to(root).with_suffix("").parts]
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def import_graph(root: Path = CORE) -> dict[str, set[str]]:
    """Each module of the package at `root` and the modules of it that it imports.

    Every import counts, those under `if TYPE_CHECKING:` and inside functions too:
    a cycle hidden from the interpreter is still two modules that cannot be
    understood, or moved, one without the other.
    """
    modules = {module_name(p, root): p for p in sorted(root.rglob("*.py"))}
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        found: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                found.update(a.name for a in node.names if a.name in modules)
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    up = package.split(".")[: len(package.split(".")) - node.level + 1]
                    base = ".".join([*up, base] if base else up)
                for alias in node.names:
                    if f"{base}.{alias.name}" in modules:  # a module: from bot import help
                        found.add(f"{base}.{alias.name}")
                    elif base in modules:  # a name in a module
                        found.add(base)
        graph[name] = found - {name}
    return graph


def cycles(graph: Mapping[str, set[str]]) -> Iterator[list[str]]:
    """One path around each cycle, found by depth-first search."""
    done: set[str] = set()
    for start in sorted(set(graph) - done):
        if start in done:
            continue
        # The path being walked: each module with the imports of it not yet followed.
        path: list[tuple[str, Iterator[str]]] = [(start, iter(sorted(graph[start])))]
        while path:
            module, following = path[-1]
            step = next(following, None)
            walked = [m for m, _ in path]
            if step is None:
                path.pop()
                done.add(module)
            elif step in walked:
                yield [*walked[walked.index(step) :], step]
            elif step not in done:
                path.append((step, iter(sorted(graph[step]))))


def test_the_core_has_no_import_cycle() -> None:
    found = [" -> ".join(cycle) for cycle in cycles(import_graph())]
    assert found == []


def test_the_cycle_check_sees_imports_made_only_for_type_checking(tmp_path: Path) -> None:
    package = tmp_path / "pkg"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "a.py").write_text("from pkg.b import B\n")
    (package / "b.py").write_text(
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from pkg import a\n"
    )
    (package / "c.py").write_text("from . import a\n")
    graph = import_graph(package)
    assert graph == {"pkg": set(), "pkg.a": {"pkg.b"}, "pkg.b": {"pkg.a"}, "pkg.c": {"pkg.a"}}
    assert list(cycles(graph)) == [["pkg.a", "pkg.b", "pkg.a"]]


# The kernel: what runs any command of any capability. Every other module of bot/
# directly under it is an assembly point (ports.py: the unit of work of every
# capability's repositories; registry.py: the list of capabilities) or a capability's
# package.
KERNEL = {
    f"bot.{name}"
    for name in (
        "arguments",
        "capability",
        "capability_settings",
        "catalogue",
        "channels",
        "chat_words",
        "clock",
        "command_text",
        "config",
        "context",
        "control_chars",
        "delivery",
        "dispatcher",
        "durations",
        "errors",
        "forms",
        "help",
        "i18n",
        "identity",
        "invocation",
        "keyed_locks",
        "member_data",
        "members",
        "messages",
        "observing",
        "options",
        "platforms",
        "posted",
        "private_links",
        "roles",
        "timefmt",
        "timeparse",
        "timezones",
        "transaction",
        "whenargs",
    )
}
KERNEL_PACKAGES = {"bot.locale"}  # the translations
ASSEMBLY = {"bot.ports", "bot.registry"}
REGISTRY = CORE / "registry.py"


def registered_packages(registry: Path = REGISTRY) -> set[str]:
    """The capability packages bot/registry.py imports a declaration from.

    Read from the registry itself, so a new capability is its one registration line.
    """
    found: set[str] = set()
    for node in ast.walk(ast.parse(registry.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            parts = node.module.split(".")
            if len(parts) == 3 and parts[0] == "bot" and parts[2] == "capability":
                found.add(f"bot.{parts[1]}")
    return found


CAPABILITIES = registered_packages()


def reached(graph: Mapping[str, set[str]], start: str, stop: set[str]) -> set[str]:
    """The modules `start` imports, directly or through others, not looking past `stop`."""
    seen: set[str] = set()
    todo = [start]
    while todo:
        for module in graph[todo.pop()] - seen:
            seen.add(module)
            if module not in stop:
                todo.append(module)
    return seen


def test_every_module_of_bot_is_kernel_assembly_or_capability() -> None:
    top = {m for m in import_graph() if m.count(".") == 1 or m == "bot"} - {"bot"}
    packages = {m for m in top if (CORE / m.removeprefix("bot.")).is_dir()}
    assert top - packages == KERNEL | ASSEMBLY
    assert packages == CAPABILITIES | KERNEL_PACKAGES


@pytest.mark.parametrize("kernel", sorted(KERNEL | KERNEL_PACKAGES))
def test_the_kernel_imports_no_capability(kernel: str) -> None:
    """Not directly, nor through another module; the unit of work's type comes whole
    from bot/ports.py, where the capabilities' repositories are assembled."""
    found = reached(import_graph(), kernel, stop=ASSEMBLY)
    assert {m for m in found if m.rpartition(".")[0] in CAPABILITIES or m in CAPABILITIES} == set()
    assert "bot.registry" not in found


# The platforms' adapters translate; what a capability does with a platform's event
# reaches it through the kernel (`Dispatcher.event` and `Capability.listeners`), and
# what it shows through the neutral messages. adapters/bootstrap.py, the assembly,
# is where capabilities are named; the operators' CLI (export, status) names them too.
ADAPTERS = CORE.parent / "adapters"
PLATFORM_ADAPTERS = ("slack", "discord", "console")
PLATFORM_FILES = sorted(p for name in PLATFORM_ADAPTERS for p in (ADAPTERS / name).rglob("*.py"))


def imported_names(path: Path) -> set[str]:
    """Every module a file imports, by its full name (`from a.b import c`: a.b and a.b.c)."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def capabilities_imported(path: Path) -> set[str]:
    return {
        name
        for name in imported_names(path)
        if any(name == c or name.startswith(f"{c}.") for c in CAPABILITIES)
    }


@pytest.mark.parametrize("path", PLATFORM_FILES, ids=lambda p: str(p.relative_to(ADAPTERS)))
def test_platform_adapters_import_no_capability(path: Path) -> None:
    assert capabilities_imported(path) == set()


def test_the_adapter_check_sees_a_capability_however_it_is_imported(tmp_path: Path) -> None:
    bad = tmp_path / "bad.py"
    bad.write_text(
        "from bot import discussions\nimport bot.meetings.model\nfrom bot.invocation import X\n"
    )
    assert capabilities_imported(bad) == {"bot.discussions", "bot.meetings.model"}
    assert len(PLATFORM_FILES) > 30  # the folders were found


def test_the_capabilities_come_from_the_registry(tmp_path: Path) -> None:
    registry = tmp_path / "registry.py"
    registry.write_text(
        "from bot.capability import Capability\n"
        "from bot.polls.capability import POLLS\n"
        "from bot.matching.capability import MATCHING\n"
    )
    assert registered_packages(registry) == {"bot.polls", "bot.matching"}
    assert {"bot.meetings", "bot.polls", "bot.roster"} <= CAPABILITIES


# A capability imports no other capability's package, except along these edges,
# each a link between two capabilities that exists today and is kept on purpose.
# A new edge is a decision: add it here with its reason, or move what is shared to
# the kernel (as the date and time readers, channel names and time zones were).
ALLOWED_EDGES = {
    # Occurrence discussions: a meeting's card offers "Discuss", a discussion names
    # its occurrence, and the digest lists the week's meetings.
    ("bot.discussions", "bot.meetings"): "occurrence discussions, the digest's meetings",
    ("bot.meetings", "bot.discussions"): "a meeting's card shows its discussion",
    # Browsing discussions reads search terms as the library does.
    ("bot.discussions", "bot.resources"): "search terms read as the library's",
    # A meeting's link is checked as a resource's URL is.
    ("bot.meetings", "bot.resources"): "a meeting link checked as a resource URL",
    # Joining with an invitation code fills the profile from the roster's row; the
    # roster's rows are checked against the profile fields' lengths.
    ("bot.membership", "bot.roster"): "joining with an invitation code",
    ("bot.roster", "bot.membership"): "the profile fields' lengths",
    # An answered question is promoted through the library's own suggestion use case.
    ("bot.questions", "bot.resources"): "a question promoted as a library suggestion",
    # Attendance is kept per meeting occurrence: it finds the meeting and the occurrence
    # as meetings do, and handles the check-in button the starting-now reminder carries
    # (its action id is declared in meetings, so meetings never imports attendance).
    ("bot.attendance", "bot.meetings"): "occurrences found as meetings do; the check-in button",
    # An imported participants file names people as the directory does: folded the same way.
    ("bot.attendance", "bot.membership"): "imported names folded as the directory folds them",
    # An evaluation is sent at each occurrence's end, by DM to the account reminders use.
    ("bot.evaluations", "bot.meetings"): "occurrences' ends and the reminders' DM account",
    # A report lists every session held, answered or not: the meetings' own occurrences.
    ("bot.reports", "bot.meetings"): "the sessions held, expanded as meetings expand them",
}


def capability_of(module: str) -> str | None:
    return next((c for c in CAPABILITIES if module == c or module.startswith(f"{c}.")), None)


def capability_edges(graph: Mapping[str, set[str]]) -> dict[tuple[str, str], set[str]]:
    """Each (capability, other capability) one imports, with the imports that make it."""
    edges: dict[tuple[str, str], set[str]] = {}
    for module, imports in graph.items():
        own = capability_of(module)
        for imported in imports:
            other = capability_of(imported)
            if own and other and other != own:
                edges.setdefault((own, other), set()).add(f"{module} -> {imported}")
    return edges


def test_a_capability_imports_another_only_along_a_documented_edge() -> None:
    edges = capability_edges(import_graph())
    unexplained = {edge: why for edge, why in edges.items() if edge not in ALLOWED_EDGES}
    assert unexplained == {}
    # An edge no longer used comes off the list, so the list stays the truth.
    assert set(ALLOWED_EDGES) <= set(edges)
    assert not any(c == "bot.polls" for edge in edges for c in edge)


def test_the_edge_check_sees_one_capability_importing_another() -> None:
    graph = {"bot.polls.create": {"bot.meetings.schedule", "bot.timezones"}}
    assert capability_edges(graph) == {
        ("bot.polls", "bot.meetings"): {"bot.polls.create -> bot.meetings.schedule"}
    }
