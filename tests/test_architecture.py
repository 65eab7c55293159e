"""The shape of the code, checked: layers, no import cycles, public names only, small modules.

The package is layered (bottom up): terms, model and errors; vocab; the
backends and the file loader; core; query, sparql and io; validate and the
command line.  A module imports only from its own layer or below, at the top
of the file or inside a function alike; the app imports ``graph`` and its own
components, never one page from another; ``graph`` never imports streamlit.
"""

from __future__ import annotations

import ast
from pathlib import Path

import networkx as nx
import pytest

ROOT = Path(__file__).parent.parent
MAX_LINES = 500

#: Layer of each module, by longest matching prefix.
LAYERS = {
    "graph.terms": 0,
    "graph.model": 0,
    "graph.errors": 0,
    "graph.vocab": 1,
    "graph.backends": 2,
    "graph.io.loading": 2,
    "graph.io.nesting": 2,
    "graph.io.parse_worker": 2,
    "graph.core": 3,
    "graph.query": 4,
    "graph.sparql": 4,
    "graph.io": 4,
    "graph.validate": 5,
    "graph.cli": 6,
    "graph": 7,  # the package's lazy re-exports
}
#: Imports that reach up a layer on purpose, each inside a function and said why there.
UPWARD = {
    ("graph.core.kg", "graph.query.search"),  # resolve() ranks names with search
    ("graph.core.examples", "graph.io.loading"),  # same layer; listed for clarity
    # a query process also runs path searches and readings, imported with the first one
    ("graph.backends.query_worker", "graph.query.isolated"),
}
#: Private names of other modules that are part of the platform, not of this project.
ALLOWED_PRIVATE = {
    "_exit",
    "_replace",
    "_asdict",
    "_fields",
    "_make",
    "_getframe",
    "_MAXHEADERS",  # http.client's cap on response headers, raised in graph/backends/http.py
}


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def _modules(package: str) -> dict[str, ast.Module]:
    return {
        _module_name(p): ast.parse(p.read_text(encoding="utf-8"), filename=str(p))
        for p in sorted((ROOT / package).rglob("*.py"))
    }


GRAPH = _modules("graph")
APP = {**_modules("app"), "streamlit_app": ast.parse((ROOT / "streamlit_app.py").read_text())}


def _resolve(module: str, node: ast.ImportFrom, is_package: bool) -> str:
    if not node.level:
        return node.module or ""
    base = module.split(".")
    base = base if is_package else base[:-1]
    base = base[: len(base) - (node.level - 1)]
    return ".".join([*base, node.module] if node.module else base)


def _imports(
    modules: dict[str, ast.Module], *, top_level_only: bool
) -> list[tuple[str, str, ast.AST]]:
    """(importer, imported module, node) for every import, optionally only module-level ones."""
    out = []
    for name, tree in modules.items():
        is_package = (ROOT / name.replace(".", "/") / "__init__.py").exists()
        nodes = _top_level(tree) if top_level_only else _runtime(tree)
        for node in nodes:
            if isinstance(node, ast.Import):
                out += [(name, alias.name, node) for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                target = _resolve(name, node, is_package)
                out.append((name, target, node))
                for alias in node.names:  # ``from . import panel`` imports a module
                    candidate = f"{target}.{alias.name}"
                    if candidate in modules:
                        out.append((name, candidate, node))
    return out


def _top_level(tree: ast.Module) -> list[ast.AST]:
    """Module-level statements, leaving out ``if TYPE_CHECKING:`` blocks."""
    nodes: list[ast.AST] = []
    for stmt in tree.body:
        if isinstance(stmt, ast.If) and "TYPE_CHECKING" in ast.unparse(stmt.test):
            continue
        nodes.append(stmt)
        if isinstance(stmt, ast.If | ast.Try):
            nodes.extend(ast.walk(stmt))
    return nodes


def _runtime(tree: ast.Module) -> list[ast.AST]:
    """Every node that runs: all of the module but its ``if TYPE_CHECKING:`` blocks."""
    skip = {
        id(n)
        for stmt in tree.body
        if isinstance(stmt, ast.If) and "TYPE_CHECKING" in ast.unparse(stmt.test)
        for n in ast.walk(stmt)
    }
    return [n for n in ast.walk(tree) if id(n) not in skip]


def _layer(module: str) -> int:
    for prefix in sorted(LAYERS, key=len, reverse=True):
        if module == prefix or module.startswith(prefix + "."):
            return LAYERS[prefix]
    raise AssertionError(f"{module} is in no layer; add it to LAYERS")


def _within(module: str, package: str) -> bool:
    return module == package or module.startswith(package + ".")


def test_no_import_cycles_at_module_level() -> None:
    G = nx.DiGraph()
    G.add_nodes_from(GRAPH)
    for importer, imported, _ in _imports(GRAPH, top_level_only=True):
        if imported in GRAPH and imported != importer:
            G.add_edge(importer, imported)
    cycles = list(nx.simple_cycles(G))
    assert not cycles, f"import cycles: {cycles}"


def test_layers_import_downwards_only() -> None:
    wrong = []
    for importer, imported, _ in _imports(GRAPH, top_level_only=False):
        if not _within(imported, "graph") or imported == "graph" or importer == "graph":
            continue
        if imported not in GRAPH and imported.rsplit(".", 1)[0] not in GRAPH:
            continue
        if _layer(imported) > _layer(importer) and (importer, imported) not in UPWARD:
            wrong.append(f"{importer} -> {imported}")
    assert not wrong, "imports up a layer: " + ", ".join(sorted(set(wrong)))


@pytest.mark.parametrize(("name", "modules"), [("graph", GRAPH), ("app", APP)])
def test_no_private_names_of_other_modules(name, modules) -> None:
    wrong = []
    for module, tree in modules.items():
        own = _own_private_names(tree)
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom):
                wrong += [
                    f"{module}: from {node.module} import {a.name}"
                    for a in node.names
                    if a.name.startswith("_") and not a.name.startswith("__")
                ]
            elif isinstance(node, ast.Attribute) and _private(node.attr) and node.attr not in own:
                owner = node.value
                if isinstance(owner, ast.Name) and owner.id in ("self", "cls"):
                    continue
                if isinstance(owner, ast.Call) and ast.unparse(owner.func) == "super":
                    continue
                wrong.append(f"{module}: {ast.unparse(node)}")
    assert not wrong, "private names used across modules: " + "; ".join(wrong)


def _own_private_names(tree: ast.Module) -> set[str]:
    """Private functions, methods and attributes the module itself defines."""
    own = {
        n.name
        for n in ast.walk(tree)
        if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)
    }
    own |= {
        t.attr
        for n in ast.walk(tree)
        if isinstance(n, ast.Assign | ast.AnnAssign)
        for t in (n.targets if isinstance(n, ast.Assign) else [n.target])
        if isinstance(t, ast.Attribute)
    }
    return {name for name in own if name.startswith("_")}


def _private(attr: str) -> bool:
    return attr.startswith("_") and not attr.startswith("__") and attr not in ALLOWED_PRIVATE


def test_graph_never_imports_streamlit() -> None:
    found = [
        f"{m} imports {i}"
        for m, i, _ in _imports(GRAPH, top_level_only=False)
        if i.split(".")[0] in ("streamlit", "app")
    ]
    assert not found


def test_no_page_imports_another_page() -> None:
    found = [
        f"{m} imports {i}"
        for m, i, _ in _imports(APP, top_level_only=False)
        if _within(m, "app.pages") and _within(i, "app.pages") and i != "app.pages"
    ]
    assert not found


def test_the_app_uses_the_graph_package_through_its_modules() -> None:
    """The app reads no store and no backend directly: it calls ``graph``."""
    found = [
        f"{m} imports {i}"
        for m, i, _ in _imports(APP, top_level_only=False)
        if i.split(".")[0] in ("pyoxigraph", "rdflib") or _within(i, "graph.backends")
    ]
    assert not found


@pytest.mark.parametrize("package", ["graph", "app"])
def test_modules_stay_small(package) -> None:
    long = {
        str(p.relative_to(ROOT)): n
        for p in (ROOT / package).rglob("*.py")
        if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert not long, f"modules over {MAX_LINES} lines: {long}"
