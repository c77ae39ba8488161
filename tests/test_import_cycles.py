"""No import cycles between escolta's own modules, counting imports inside functions.

A cycle hidden in a function-local import is still a cycle (style.md): the graph below is
built from every ``import`` statement in ``src/escolta``, at module level and inside
functions and classes, with relative imports resolved. The rules for an edge, importer
``M`` to target ``T``:

- ``import a.b.c`` and ``from a.b import c`` where ``a.b.c`` is a module: ``M -> a.b.c``;
  ``from a.b import name`` where ``name`` is not a submodule: ``M -> a.b`` (its ``__init__``).
- importing ``T`` runs the ``__init__`` of every package above ``T``, so ``M`` also gets an
  edge to each of those packages that does not already contain ``M`` (a package containing
  ``M`` is initialised before ``M`` runs, so that edge is not taken at run time). Hence a
  package's ``__init__`` importing its own submodules is not a cycle by itself, while a
  submodule importing its own package's ``__init__`` that imports it back is.
- imports under ``if TYPE_CHECKING:`` never run and are left out.

Strongly connected components come from Tarjan's algorithm (written here: networkx is not
a dependency); a cycle is then found inside each component by breadth-first search, and
checked to be a cycle of the graph by the test itself.
"""

from __future__ import annotations

import ast
from collections import deque
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

SRC = Path(__file__).resolve().parents[1] / "src"
ROOT = "escolta"


def module_files(src: Path = SRC) -> dict[str, Path]:
    """Every escolta module name with its file; a package is named by its ``__init__``."""
    modules = {}
    for path in sorted((src / ROOT).rglob("*.py")):
        parts = list(path.relative_to(src).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        modules[".".join(parts)] = path
    return modules


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _imports(tree: ast.AST) -> Iterator[ast.Import | ast.ImportFrom]:
    """Every import statement, at any depth, except those under ``if TYPE_CHECKING:``."""
    stack = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            yield node
        if isinstance(node, ast.If) and _is_type_checking(node.test):
            stack.extend(node.orelse)
            continue
        stack.extend(ast.iter_child_nodes(node))


def _resolve(module: str, is_package: bool, node: ast.ImportFrom) -> str:
    """The absolute module a ``from`` import names, relative levels resolved."""
    if node.level == 0:
        return node.module or ""
    base = module.split(".") if is_package else module.split(".")[:-1]
    base = base[: len(base) - (node.level - 1)]
    return ".".join(base + ([node.module] if node.module else []))


def _named_targets(module: str, is_package: bool, node, modules) -> Iterator[str]:
    if isinstance(node, ast.Import):
        for alias in node.names:
            yield alias.name
        return
    target = _resolve(module, is_package, node)
    for alias in node.names:
        submodule = f"{target}.{alias.name}"
        yield submodule if submodule in modules else target


def _ancestors(name: str) -> Iterator[str]:
    parts = name.split(".")
    for end in range(1, len(parts)):
        yield ".".join(parts[:end])


def _inside(module: str, package: str) -> bool:
    return module == package or module.startswith(package + ".")


def import_graph(modules: dict[str, Path] | None = None) -> dict[str, set[str]]:
    """The edges between escolta modules that an import can take at run time."""
    modules = module_files() if modules is None else modules
    graph: dict[str, set[str]] = {name: set() for name in modules}
    for module, path in modules.items():
        is_package = path.name == "__init__.py"
        for node in _imports(ast.parse(path.read_text(), filename=str(path))):
            for named in _named_targets(module, is_package, node, modules):
                if not _inside(named, ROOT):
                    continue
                # ``import a.b.c`` of a name that is not a module reaches its longest module
                while named not in modules and "." in named:
                    named = named.rsplit(".", 1)[0]
                if named in modules and named != module:
                    graph[module].add(named)
                for package in _ancestors(named):
                    if package in modules and not _inside(module, package):
                        graph[module].add(package)
    return graph


def strongly_connected(graph: dict[str, set[str]]) -> list[list[str]]:
    """Tarjan's strongly connected components (iterative), each sorted, larger than one."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    components = []
    for root in sorted(graph):
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, successors = work[-1]
            for successor in successors:
                if successor not in index:
                    index[successor] = low[successor] = len(index)
                    stack.append(successor)
                    on_stack.add(successor)
                    work.append((successor, iter(sorted(graph[successor]))))
                    break
                if successor in on_stack:
                    low[node] = min(low[node], index[successor])
            else:
                work.pop()
                if work:
                    parent = work[-1][0]
                    low[parent] = min(low[parent], low[node])
                if low[node] == index[node]:
                    component = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.append(member)
                        if member == node:
                            break
                    if len(component) > 1:
                        components.append(sorted(component))
    return sorted(components)


def cycle_through(graph: dict[str, set[str]], start: str, within: set[str]) -> list[str]:
    """A shortest cycle from ``start`` back to it, using only modules in ``within``."""
    came_from: dict[str, str] = {}
    queue = deque([start])
    while queue:
        node = queue.popleft()
        for successor in sorted(graph[node] & within):
            if successor == start:
                path = [node]
                while path[-1] != start:
                    path.append(came_from[path[-1]])
                return [*reversed(path), start]
            if successor not in came_from:
                came_from[successor] = node
                queue.append(successor)
    raise AssertionError(f"{start} is in no cycle within {sorted(within)}")


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """One cycle per strongly connected component, through its first module."""
    return [cycle_through(graph, c[0], set(c)) for c in strongly_connected(graph)]


def _describe(found: list[list[str]]) -> str:
    return "\n".join(" -> ".join(cycle) for cycle in found)


# The checker checks itself: on graphs drawn by hand, against brute force, on packages.


@pytest.mark.parametrize(
    ("graph", "expected"),
    [
        pytest.param({"a": {"b"}, "b": {"c"}, "c": set()}, [], id="chain"),
        pytest.param({"a": {"b"}, "b": {"a"}}, [["a", "b"]], id="two"),
        pytest.param(
            {"a": {"b"}, "b": {"c"}, "c": {"a", "d"}, "d": {"e"}, "e": {"d"}},
            [["a", "b", "c"], ["d", "e"]],
            id="two-components",
        ),
        pytest.param({"a": {"b", "c"}, "b": {"d"}, "c": {"d"}, "d": set()}, [], id="diamond"),
    ],
)
def test_strongly_connected_on_hand_drawn_graphs(graph, expected):
    assert strongly_connected(graph) == expected


def _mutually_reachable(graph: dict[str, set[str]]) -> list[list[str]]:
    """The components by brute force: Warshall's transitive closure, then the classes of
    nodes that reach each other (an independent check on Tarjan's algorithm)."""
    nodes = sorted(graph)
    reach = {(u, v): v in graph[u] for u in nodes for v in nodes}
    for k in nodes:
        for u in nodes:
            for v in nodes:
                reach[u, v] = reach[u, v] or (reach[u, k] and reach[k, v])
    classes = {tuple(v for v in nodes if v == u or (reach[u, v] and reach[v, u]))
               for u in nodes}
    return sorted(list(c) for c in classes if len(c) > 1)


@st.composite
def _graphs(draw) -> dict[str, set[str]]:
    nodes = [f"m{i}" for i in range(draw(st.integers(1, 7)))]
    return {u: set(draw(st.lists(st.sampled_from(nodes), max_size=3))) - {u} for u in nodes}


@settings(max_examples=100, deadline=None)
@given(_graphs())
def test_strongly_connected_matches_brute_force(graph):
    assert strongly_connected(graph) == _mutually_reachable(graph)
    for cycle in cycles(graph):
        assert cycle[0] == cycle[-1]
        assert all(b in graph[a] for a, b in zip(cycle, cycle[1:], strict=False))


def _write(root: Path, files: dict[str, str]) -> dict[str, Path]:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return module_files(root)


@pytest.mark.parametrize(
    ("files", "expected"),
    [
        pytest.param(
            {
                "escolta/__init__.py": "",
                "escolta/p/__init__.py": "from escolta.p.a import f\n",
                "escolta/p/a.py": "from escolta.p import b\ndef f():\n    pass\n",
                "escolta/p/b.py": "",
            },
            [],
            id="init-importing-its-submodules-is-no-cycle",
        ),
        pytest.param(
            {
                "escolta/__init__.py": "",
                "escolta/p/__init__.py": "from escolta.p.a import f\n",
                "escolta/p/a.py": "def f():\n    from escolta.p import g\n",
                "escolta/p/b.py": "",
            },
            [["escolta.p", "escolta.p.a", "escolta.p"]],
            id="submodule-importing-its-init-back",
        ),
        pytest.param(
            {
                "escolta/__init__.py": "",
                "escolta/p/__init__.py": "",
                "escolta/p/a.py": "def f():\n    from . import b\n",
                "escolta/p/b.py": "class C:\n    def g(self):\n        from .a import f\n",
            },
            [["escolta.p.a", "escolta.p.b", "escolta.p.a"]],
            id="relative-and-function-local",
        ),
        pytest.param(
            {
                "escolta/__init__.py": "",
                "escolta/p/__init__.py": "from escolta.p.a import f\n",
                "escolta/p/a.py": "import escolta.q.c\n",
                "escolta/q/__init__.py": "",
                "escolta/q/c.py": "from escolta.p import b\n",
                "escolta/p/b.py": "",
            },
            [["escolta.p", "escolta.p.a", "escolta.q.c", "escolta.p"]],
            id="through-another-package-init",
        ),
        pytest.param(
            {
                "escolta/__init__.py": "",
                "escolta/a.py": (
                    "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    import escolta.b\n"
                ),
                "escolta/b.py": "import escolta.a\n",
            },
            [],
            id="type-checking-only",
        ),
    ],
)
def test_cycles_on_hand_written_packages(tmp_path, files, expected):
    assert cycles(import_graph(_write(tmp_path, files))) == expected


# The house.


@pytest.fixture(scope="module")
def house() -> dict[str, set[str]]:
    return import_graph()


def test_the_graph_sees_the_package(house):
    assert "escolta.protect.scenario" in house
    assert "escolta.errors" in house["escolta.protect.scenario"]
    # cycle_sweep imports the solver inside the function: the edge is counted all the same
    assert "escolta.protect.solve" in house["escolta.protect.phones.sweep"]


def test_no_import_cycle_at_all(house):
    found = cycles(house)
    assert not found, "import cycles:\n" + _describe(found)
