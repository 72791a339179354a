"""The repository's Python modules and their imports, read as source (nothing is imported)."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SRC = ROOT / "src"
PACKAGE = SRC / "tasklane"
#: Every top-level folder of Python code in the repository (src/ holds the package).
TOP_LEVEL = ("tests", "benchmarks", "infra", "load", "audit", "devtools", "migrations", "smoke")


@dataclass(frozen=True, slots=True)
class Import:
    module: str
    line: int
    #: Inside a function (deferred to the call), not at module level.
    deferred: bool


@dataclass(slots=True)
class Module:
    name: str
    path: Path
    tree: ast.Module
    imports: list[Import] = field(default_factory=list)


def _name(path: Path, base: Path) -> str:
    return ".".join(path.relative_to(base).with_suffix("").parts).removesuffix(".__init__")


def _files() -> Iterator[tuple[str, Path]]:
    for path in sorted(PACKAGE.rglob("*.py")):
        yield _name(path, SRC), path
    for top in TOP_LEVEL:
        for path in sorted((ROOT / top).rglob("*.py")):
            if "node_modules" not in path.parts:
                yield _name(path, ROOT), path


def _type_checking(node: ast.AST) -> bool:
    return isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test)


@cache
def modules() -> dict[str, Module]:
    """Every module, with the imports it makes of other modules of the repository:
    module-level and deferred ones, not those only type checkers see (``TYPE_CHECKING``).
    ``from package import module`` is an import of the module (not of the package)."""
    found = {name: Module(name, path, ast.parse(path.read_text())) for name, path in _files()}
    for module in found.values():
        _collect(module, module.tree, found, deferred=False)
    return found


def _collect(module: Module, node: ast.AST, known: dict[str, Module], *, deferred: bool) -> None:
    for child in ast.iter_child_nodes(node):
        if _type_checking(child):
            continue
        inner = deferred or isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef)
        if isinstance(child, ast.Import):
            for alias in child.names:
                _add(module, alias.name, child.lineno, inner, known)
        elif isinstance(child, ast.ImportFrom):
            base = _absolute(module, child)
            targets = [f"{base}.{a.name}" for a in child.names if f"{base}.{a.name}" in known]
            for target in targets or [base]:
                _add(module, target, child.lineno, inner, known)
        _collect(module, child, known, deferred=inner)


def _absolute(module: Module, node: ast.ImportFrom) -> str:
    if not node.level:
        return node.module or ""
    parts = module.name.split(".")
    if module.path.name != "__init__.py":
        parts = parts[:-1]
    parts = parts[: len(parts) - (node.level - 1)]
    return ".".join([*parts, *([node.module] if node.module else [])])


def _add(module: Module, target: str, line: int, deferred: bool, known: dict[str, Module]) -> None:
    # ``import a.b.c`` runs a, a.b and a.b.c; the deepest one we know is the dependency.
    while target and target not in known:
        target = target.rpartition(".")[0]
    if target and target != module.name:
        module.imports.append(Import(target, line, deferred))


def in_package(name: str, package: str) -> bool:
    return name == package or name.startswith(package + ".")
