"""The package layout holds: no import cycle between packages, the kernel imports no other package, domain
packages never import launchers, developer tools or the command line, and only the settings module and the
launchers touch `os.environ`."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from bot.core.paths import PROJECT_ROOT

ROOTS = ("bot", "actions")
ENTRY_POINTS = {"bot.runtime", "bot.devtools", "bot.cli"}
"""Packages that start or drive kefu; nothing below them may import them."""
ALLOWED = {
    "bot.core": set(),
    "bot.accounts": {"bot.core"},
    "bot.analytics": {"bot.core"},
    "bot.observability": {"bot.core", "bot.analytics"},
    "bot.branches": {"bot.core"},
    "bot.channels": {"bot.core", "bot.accounts", "bot.observability"},
    "bot.kb": {"bot.core"},
    "bot.faq": {"bot.core", "bot.kb"},
    "bot.privacy": {"bot.core", "bot.accounts", "bot.observability"},
    "bot.handoff": {"bot.core", "bot.privacy", "bot.observability"},
    "bot.lifecycle": {"bot.core", "bot.accounts", "bot.analytics", "bot.handoff"},
    "bot.nlu": {"bot.core", "bot.kb", "bot.branches"},
    "bot.db": {"bot.core", "bot.accounts", "bot.analytics", "bot.handoff", "bot.kb", "bot.branches", "bot.privacy"},
    "bot.content": {"bot.core", "bot.db", "bot.kb", "bot.branches"},
    "bot.editing": {"bot.core", "bot.db", "bot.kb", "bot.content"},
    "bot.console": {"bot.core", "bot.accounts", "bot.handoff", "bot.content", "bot.editing", "bot.kb",
                    "bot.privacy", "bot.observability", "bot.operations"},
    "bot.operations": {"bot.core", "bot.analytics", "bot.db", "bot.handoff", "bot.kb", "bot.content"},
    "actions": {"bot.core", "bot.accounts", "bot.branches", "bot.content", "bot.faq", "bot.handoff", "bot.nlu",
                "bot.privacy", "bot.observability"},
}
"""What each package may import, as its docstring says; the entry points may import any domain package."""
KB_LAYERS = {
    "bot.kb.index": {"bot.kb.index", "bot.kb.entry"},
    "bot.kb.rank": {"bot.kb.index", "bot.kb.rank", "bot.kb.entry"},
}
"""Inside the knowledge base: indexes know nothing of ranking, and neither knows the engine."""
ENVIRONMENT_READERS = {"bot/core/settings.py", "bot/runtime/serve.py", "bot/runtime/scaled.py"}


def package_of(module: str) -> str:
    """`bot.kb.index.tokenizer` -> `bot.kb`; `actions.gate` -> `actions`; `bot.cli.main` -> `bot.cli`."""
    parts = module.split(".")
    return ".".join(parts[:2]) if parts[0] == "bot" and len(parts) > 1 else parts[0]


def module_name(path: Path) -> str:
    return ".".join(path.relative_to(PROJECT_ROOT).with_suffix("").parts).removesuffix(".__init__")


def imported_modules(path: Path) -> set[str]:
    """Every module of the project that `path` imports, at any depth of the file."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return {name for name in found if name.split(".")[0] in ROOTS}


def source_files() -> list[Path]:
    return sorted(path for root in ROOTS for path in (PROJECT_ROOT / root).rglob("*.py"))


def package_graph() -> dict[str, set[str]]:
    """Package -> the other packages it imports."""
    graph: dict[str, set[str]] = {}
    for path in source_files():
        own = package_of(module_name(path))
        targets = {package_of(name) for name in imported_modules(path)}
        graph.setdefault(own, set()).update(target for target in targets if target not in (own, "bot"))
    return graph


def module_graph() -> dict[str, set[str]]:
    """Module -> the project's modules it imports by name."""
    modules = {module_name(path): path for path in source_files()}
    return {name: {target for target in imported_modules(path) if target in modules} - {name}
            for name, path in modules.items()}


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """A cycle of packages, e.g. [a, b, a], or None."""
    state: dict[str, str] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = "open"
        stack.append(node)
        for target in sorted(graph.get(node, ())):
            if state.get(target) == "open":
                return [*stack[stack.index(target):], target]
            if target not in state and (cycle := visit(target)):
                return cycle
        state[node] = "done"
        stack.pop()
        return None

    for node in sorted(graph):
        if node not in state and (cycle := visit(node)):
            return cycle
    return None


def test_find_cycle_reports_a_cycle_and_accepts_a_tree() -> None:
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b", "c"}, "b": {"c"}, "c": set()}) is None


def test_no_import_cycle_between_packages() -> None:
    assert find_cycle(package_graph()) is None


def test_no_import_cycle_between_modules() -> None:
    assert find_cycle(module_graph()) is None


def test_the_kernel_imports_no_other_package() -> None:
    assert package_graph()["bot.core"] == set()


@pytest.mark.parametrize("entry_point", sorted(ENTRY_POINTS))
def test_domain_packages_never_import_entry_points(entry_point: str) -> None:
    importers = {
        package for package, targets in package_graph().items()
        if entry_point in targets and package not in ENTRY_POINTS
    }
    assert importers == set()


def test_packages_import_only_what_their_docstrings_allow() -> None:
    graph = package_graph()
    assert set(graph) - {"bot"} == set(ALLOWED) | ENTRY_POINTS, "a new package: add it to ALLOWED"
    beyond = {package: graph[package] - allowed for package, allowed in ALLOWED.items() if graph[package] - allowed}
    assert beyond == {}


def test_launchers_never_import_developer_tools_or_the_command_line() -> None:
    graph = package_graph()
    assert graph["bot.runtime"] & {"bot.devtools", "bot.cli"} == set()
    assert "bot.cli" not in graph["bot.devtools"]


@pytest.mark.parametrize("layer", sorted(KB_LAYERS))
def test_knowledge_base_layers(layer: str) -> None:
    imports = {
        target for path in (PROJECT_ROOT / layer.replace(".", "/")).glob("*.py")
        for target in imported_modules(path) if target.startswith("bot.kb")
    }
    outside = {name for name in imports if not any(name.startswith(allowed) for allowed in KB_LAYERS[layer])}
    assert outside == set()


def test_only_settings_and_launchers_read_the_environment() -> None:
    readers = {
        str(path.relative_to(PROJECT_ROOT)) for path in source_files()
        if "os.environ" in path.read_text(encoding="utf-8") or "getenv" in path.read_text(encoding="utf-8")
    }
    assert readers <= ENVIRONMENT_READERS


def test_every_package_states_its_responsibility() -> None:
    undocumented = [
        str(init.relative_to(PROJECT_ROOT)) for root in ROOTS for init in (PROJECT_ROOT / root).rglob("__init__.py")
        if not ast.get_docstring(ast.parse(init.read_text(encoding="utf-8")))
    ]
    assert undocumented == []


def test_tests_mirror_the_packages() -> None:
    packages = {path.parent.name for path in (PROJECT_ROOT / "bot").glob("*/__init__.py")}
    missing = sorted(name for name in packages if not (PROJECT_ROOT / "tests" / name).is_dir())
    assert missing == []
