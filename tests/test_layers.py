"""The shape of the package (ARCHITECTURE.md): layers that import only downwards, no import cycles
(imports inside functions count), small modules, and few of them at the top of sitegen/."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "sitegen"

# Lowest first: a module may import its own layer and those before it, never one after it.
LAYERS = ["version", "core", "schema", "config", "content", "model", "media", "editor", "outputs",
          "render", "search", "builder", "check", "importer", "serve", "cli"]
MAX_LINES = 600
MAX_TOP_MODULES = 12


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def modules() -> dict[str, Path]:
    return {module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}


def imports_of(name: str, path: Path, known: dict[str, Path]) -> set[str]:
    """The sitegen modules that `name` imports, wherever the import statement is (in a function too)."""
    package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[:len(anchor) - (node.level - 1)]
                base = ".".join(anchor + ([base] if base else []))
            targets = [base] + [f"{base}.{alias.name}" for alias in node.names]
        elif isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "import_module" and node.args:
            targets = []  # importlib.import_module: only sitegen/__init__.py's lazy names, which are checked below
            if isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str):
                targets = [node.args[0].value]
        else:
            continue
        found |= {t for t in targets if t in known and t != name}
    return found


def layer_of(name: str) -> int | None:
    """The layer of a module; None for sitegen/__init__.py, the facade above every layer."""
    parts = name.split(".")
    return LAYERS.index(parts[1]) if len(parts) > 1 else None


def graph() -> dict[str, set[str]]:
    known = modules()
    return {name: imports_of(name, path, known) for name, path in known.items()}


def upward_imports(edges: dict[str, set[str]]) -> list[str]:
    wrong = []
    for name, targets in edges.items():
        layer = layer_of(name)
        for target in sorted(targets):
            target_layer = layer_of(target)
            if layer is not None and (target_layer is None or target_layer > layer):
                wrong.append(f"{name} imports {target}: {LAYERS[layer]} may not import {LAYERS[target_layer] if target_layer is not None else 'sitegen'}")
    return wrong


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(edges[node]):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(edges):
        if node not in index:
            visit(node)
    return found


def test_every_subpackage_is_a_layer() -> None:
    folders = {p.name for p in PACKAGE.iterdir() if (p / "__init__.py").is_file()}
    assert folders == set(LAYERS) - {"version"}, "a new subpackage needs its place in LAYERS (and in ARCHITECTURE.md)"


def test_layers_import_only_downwards() -> None:
    assert upward_imports(graph()) == []


def test_no_import_cycles() -> None:
    assert cycles(graph()) == []


def test_modules_stay_small() -> None:
    long = {name: n for name, path in modules().items() if (n := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES}
    assert long == {}


def test_few_modules_at_the_top() -> None:
    top = [p for p in PACKAGE.glob("*.py")]
    assert len(top) <= MAX_TOP_MODULES


def test_the_lazy_names_of_sitegen_exist() -> None:
    import sitegen

    for name in sitegen.__all__:
        assert getattr(sitegen, name) is not None


@pytest.mark.parametrize("source, target, complaint", [
    ("sitegen.core.errors", "sitegen.builder.api", "core may not import build"),
    ("sitegen.model.site", "sitegen.outputs.host", "model may not import outputs"),
])
def test_an_upward_import_is_caught(source: str, target: str, complaint: str) -> None:
    edges = graph()
    edges[source] = edges[source] | {target}
    assert any(complaint in line for line in upward_imports(edges))


def test_a_cycle_is_caught() -> None:
    edges = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert cycles(edges) == [["a", "b", "c"]]
