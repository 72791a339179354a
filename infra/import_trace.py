"""What a Lambda handler can import, found by reading the source (nothing is run).

Every import statement counts, at module level and inside functions: the handlers import
heavy modules lazily, on the one path that needs them (the api imports SQLAlchemy on its
first search, not at cold start), and those must be in the bundle too. Imports under
``if TYPE_CHECKING:`` do not count: they never run. From the handler's module the trace
follows ``tasklane`` modules (and the packages around them, whose ``__init__`` runs first);
everything else it records by top-level name. The installed metadata then names the
distribution behind each top-level name, and ``uv.lock`` the distributions those depend on.

Imports no statement shows are declared where they happen: a stdlib module that loads a
distribution's data (:data:`IMPLIED`), or a driver named in a URL (``dal.postgres.engine``
imports psycopg itself for that reason).
"""

from __future__ import annotations

import ast
import importlib.metadata
import re
import sys
import tomllib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

#: Modules that import others at run time without an import statement, by top-level name:
#: ``zoneinfo`` reads the IANA database from the ``tzdata`` package where the system has
#: none (the Lambda runtime has none).
IMPLIED: dict[str, tuple[str, ...]] = {"zoneinfo": ("tzdata",)}


@dataclass(frozen=True)
class Trace:
    #: ``tasklane`` modules (dotted names), packages included.
    modules: frozenset[str]
    #: Top-level names of everything else imported (stdlib and third-party), with what
    #: they import without a statement (:data:`IMPLIED`).
    externals: frozenset[str]

    @property
    def third_party(self) -> frozenset[str]:
        return frozenset(n for n in self.externals if n not in sys.stdlib_module_names)


def normalise(name: str) -> str:
    """A distribution's name as the lock and the installers compare it (PEP 503)."""
    return re.sub(r"[-_.]+", "-", name).lower()


def trace(roots: Iterable[str], source: Path, extra_files: Iterable[Path] = ()) -> Trace:
    """The modules reachable from ``roots`` (dotted names under ``source``, the directory
    that holds the ``tasklane`` package), plus what ``extra_files`` (scripts outside it,
    such as Alembic's ``env.py``) import."""
    package = _package_name(source)
    modules: set[str] = set()
    externals: set[str] = set()
    pending = [m for root in roots for m in _with_parents(root)]
    for script in extra_files:
        pending += _imports_of(script, "", package, source, externals)
    while pending:
        name = pending.pop()
        if name in modules:
            continue
        path = _module_path(source, name)
        if path is None:
            raise ModuleNotFoundError(f"{name}: no such module under {source}")
        modules.add(name)
        pending += _imports_of(path, name, package, source, externals)
    implied = {i for name in externals for i in IMPLIED.get(name, ())}
    return Trace(frozenset(modules), frozenset(externals | implied))


def distributions(third_party: Iterable[str]) -> frozenset[str]:
    """The (normalised) distributions behind top-level import names, by installed metadata."""
    provided = _providers()
    found: set[str] = set()
    for name in third_party:
        if name not in provided:
            raise LookupError(f"no installed distribution provides the module {name!r}")
        found.update(provided[name])
    return frozenset(found)


def closure(roots: Iterable[str], lock: Path, project: str) -> frozenset[str]:
    """``roots`` and everything they depend on, per ``uv.lock``: the extras the project asks
    for included, environment markers left to the installer (a superset)."""
    packages = _lock_packages(lock)
    requested = {
        normalise(d["name"]): tuple(d.get("extra", ()))
        for d in packages[normalise(project)].get("dependencies", ())
    }
    seen: set[tuple[str, str]] = set()
    found: set[str] = set()
    pending = [
        (normalise(r), extra) for r in roots for extra in ("", *requested.get(normalise(r), ()))
    ]
    while pending:
        name, extra = pending.pop()
        if (name, extra) in seen:
            continue
        seen.add((name, extra))
        found.add(name)
        entry = packages[name]
        edges = (
            entry.get("optional-dependencies", {}).get(extra, [])
            if extra
            else entry.get("dependencies", [])
        )
        for edge in edges:
            target = normalise(edge["name"])
            pending += [(target, e) for e in ("", *edge.get("extra", ()))]
    return frozenset(found)


@cache
def _lock_packages(lock: Path) -> dict[str, dict[str, Any]]:
    return {normalise(p["name"]): p for p in tomllib.loads(lock.read_text())["package"]}


def _package_name(source: Path) -> str:
    names = [p.name for p in source.iterdir() if (p / "__init__.py").is_file()]
    if len(names) != 1:
        raise ValueError(f"expected one package in {source}, found {names}")
    return names[0]


@cache
def _providers() -> dict[str, frozenset[str]]:
    return {
        name: frozenset(normalise(d) for d in dists)
        for name, dists in importlib.metadata.packages_distributions().items()
    }


def _with_parents(name: str) -> list[str]:
    parts = name.split(".")
    return [".".join(parts[: i + 1]) for i in range(len(parts))]


def _module_path(source: Path, name: str) -> Path | None:
    base = source.joinpath(*name.split("."))
    for candidate in (base / "__init__.py", base.with_suffix(".py")):
        if candidate.is_file():
            return candidate
    return None


def _imports_of(
    path: Path, name: str, package: str, source: Path, externals: set[str]
) -> list[str]:
    """The package's modules ``path`` imports; other top-level names go to ``externals``."""
    found: list[str] = []
    is_package = path.name == "__init__.py"
    here = name if is_package else name.rpartition(".")[0]
    for node in _import_nodes(_parse(path)):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
            members: list[str] = []
        else:
            base = _absolute(node, here)
            targets = [base]
            members = [f"{base}.{alias.name}" for alias in node.names if alias.name != "*"]
        for target in targets:
            top = target.split(".")[0]
            if top != package:
                externals.add(top)
                continue
            found += _with_parents(target)
        # ``from tasklane.api import docs``: a submodule, when one exists by that name.
        found += [m for m in members if m.split(".")[0] == package and _module_path(source, m)]
    return found


def _absolute(node: ast.ImportFrom, here: str) -> str:
    if not node.level:
        return node.module or ""
    parts = here.split(".") if here else []
    base = parts[: len(parts) - node.level + 1]
    return ".".join([*base, *([node.module] if node.module else [])])


@cache
def _parse(path: Path) -> ast.Module:
    return ast.parse(path.read_bytes(), filename=str(path))


def _import_nodes(tree: ast.AST) -> Iterator[ast.Import | ast.ImportFrom]:
    """Every import statement, at any depth, except those under ``if TYPE_CHECKING:``."""
    for node in ast.iter_child_nodes(tree):
        if isinstance(node, ast.If) and _is_type_checking(node.test):
            for other in node.orelse:
                yield from _import_nodes_of(other)
            continue
        yield from _import_nodes_of(node)


def _import_nodes_of(node: ast.AST) -> Iterator[ast.Import | ast.ImportFrom]:
    if isinstance(node, ast.Import | ast.ImportFrom):
        yield node
    yield from _import_nodes(node)


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )
