"""No import cycles anywhere in the repository, and the layers import in one direction
(docs/architecture.md, "The dependency rule")."""

from __future__ import annotations

import pytest

from tests.architecture.support import Module, in_package, modules


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def test_no_import_cycles_anywhere() -> None:
    """Deferred imports count too: a cycle through a function body is still a knot."""
    graph = {name: {i.module for i in m.imports} for name, m in modules().items()}
    assert _cycles(graph) == []


def test_the_cycle_finder_finds_cycles() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}, "e": set()}
    assert _cycles(graph) == [["a", "b", "c"]]


#: What each layer of the package may import of the package (any other module: no).
ALLOWED: dict[str, tuple[str, ...]] = {
    "tasklane.domain": ("tasklane.domain",),
    "tasklane.logic": (
        "tasklane.domain",
        "tasklane.logic",
        "tasklane.observability",
        "tasklane.resources",
        "tasklane.settings",
    ),
    "tasklane.dal": (
        "tasklane.domain",
        "tasklane.dal",
        "tasklane.observability",
        "tasklane.resources",
        "tasklane.settings",
    ),
    "tasklane.api": (
        "tasklane.domain",
        "tasklane.api",
        "tasklane.observability",
        "tasklane.resources",
        "tasklane.settings",
    ),
}


def _package_modules(package: str) -> list[Module]:
    return [m for name, m in modules().items() if in_package(name, package)]


@pytest.mark.parametrize("layer", sorted(ALLOWED))
def test_each_layer_imports_only_what_it_may(layer: str) -> None:
    wrong = [
        f"{m.name}:{i.line} imports {i.module}"
        for m in _package_modules(layer)
        for i in m.imports
        if in_package(i.module, "tasklane")
        and i.module != "tasklane"  # the package itself: its version
        and not any(in_package(i.module, allowed) for allowed in ALLOWED[layer])
    ]
    assert wrong == []


def test_only_the_cli_and_the_tests_use_the_local_runtime() -> None:
    users = sorted(
        {
            name
            for name, m in modules().items()
            if in_package(name, "tasklane")
            and not in_package(name, "tasklane.local")
            and not in_package(name, "tasklane.cli")
            and any(in_package(i.module, "tasklane.local") for i in m.imports)
        }
    )
    assert users == []


def test_handlers_get_their_services_from_their_own_composition_root() -> None:
    wrong = [
        f"{m.name}:{i.line} imports {i.module}"
        for m in _package_modules("tasklane.handlers")
        for i in m.imports
        if in_package(i.module, "tasklane.wiring")
        and i.module != "tasklane.wiring." + m.name.rpartition(".")[2]
    ]
    assert wrong == []


def _reachable(start: str) -> set[str]:
    """What importing ``start`` can run: its imports (deferred ones too) and, for each
    module, the packages around it, whose ``__init__`` runs first (as infra.import_trace
    reads it to choose what a function's bundle holds)."""
    known = modules()
    seen: set[str] = set()
    pending = [start]
    while pending:
        name = pending.pop()
        if name in seen or name not in known:
            continue
        seen.add(name)
        parts = name.split(".")
        pending += [".".join(parts[:i]) for i in range(1, len(parts))]
        pending += [i.module for i in known[name].imports]
    return seen


@pytest.mark.parametrize(
    "handler",
    sorted(m.name for m in _package_modules("tasklane.handlers") if m.name != "tasklane.handlers"),
)
def test_a_handler_reaches_no_other_functions_container(handler: str) -> None:
    """Each function's bundle holds what its handler can import: reaching another
    function's container would ship that function's libraries too (the notifier with
    SQLAlchemy)."""
    own = "tasklane.wiring." + handler.rpartition(".")[2]
    shared = {"tasklane.wiring", "tasklane.wiring.base", "tasklane.wiring.relational"}
    containers = {n for n in _reachable(handler) if in_package(n, "tasklane.wiring")}
    assert containers - shared <= {own}
