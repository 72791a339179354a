"""The layout's rules that are not about imports: file sizes, one reader of the
environment, no module-level service singletons."""

from __future__ import annotations

import ast

from tests.architecture.support import PACKAGE, ROOT, in_package, modules

MAX_LINES = 500
#: The only modules of the package that may read the environment: the settings, and the
#: local runtime's launcher (it sets the functions' environment on this machine).
ENVIRONMENT_READERS = ("tasklane.settings", "tasklane.local.launcher")


def test_no_file_in_src_is_over_500_lines() -> None:
    long = {
        str(path.relative_to(ROOT)): lines
        for path in PACKAGE.rglob("*.py")
        if (lines := len(path.read_text().splitlines())) > MAX_LINES
    }
    assert long == {}


def _environment_reads(tree: ast.AST) -> list[int]:
    lines: list[int] = []
    for node in ast.walk(tree):
        if (isinstance(node, ast.Attribute) and node.attr in ("environ", "environb", "getenv")) or (
            isinstance(node, ast.ImportFrom)
            and node.module == "os"
            and any(a.name in ("environ", "environb", "getenv", "putenv") for a in node.names)
        ):
            lines.append(node.lineno)
    return sorted(lines)


def test_only_the_settings_and_the_local_launcher_read_the_environment() -> None:
    readers = {
        name: lines
        for name, m in modules().items()
        if in_package(name, "tasklane")
        and name not in ENVIRONMENT_READERS
        and (lines := _environment_reads(m.tree))
    }
    assert readers == {}


def test_the_environment_check_sees_every_way_of_reading_it() -> None:
    code = "import os\nfrom os import getenv\nos.environ.get('A')\nos.getenv('B')\n"
    assert _environment_reads(ast.parse(code)) == [2, 3, 4]


#: Module-level caches of immutable data (not services), with why each is one.
CACHED_DATA = {
    "tasklane.domain.zones._zones": "the IANA time zone names: a frozenset",
    "tasklane.logic.notifications.templates.layout": "an e-mail layout read from the package",
}


def _classes(package: str) -> set[str]:
    return {
        node.name
        for name, m in modules().items()
        if in_package(name, package)
        for node in m.tree.body
        if isinstance(node, ast.ClassDef)
    }


def _singletons(name: str, tree: ast.Module, services: set[str]) -> list[str]:
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Global):
            found.append(f"{name}:{node.lineno} global {', '.join(node.names)}")
    for node in tree.body:
        if isinstance(node, ast.FunctionDef):
            cached = any(
                ast.unparse(d).split(".")[-1] in ("cache", "lru_cache", "lru_cache()")
                for d in node.decorator_list
            )
            if cached and f"{name}.{node.name}" not in CACHED_DATA:
                found.append(f"{name}:{node.lineno} a cached factory: {node.name}()")
        elif isinstance(node, ast.AnnAssign) and isinstance(node.value, ast.Constant):
            optional = "None" in ast.unparse(node.annotation)
            if optional and node.value.value is None:
                found.append(f"{name}:{node.lineno} a lazily set module global")
        value = node.value if isinstance(node, ast.Assign | ast.AnnAssign) else None
        if isinstance(value, ast.Call):
            called = ast.unparse(value.func).split(".")[-1]
            if called in services:
                found.append(f"{name}:{node.lineno} a module-level {called}")
    return found


def test_no_module_level_service_singletons() -> None:
    """Services are parts of a function's container (``tasklane.wiring``), made per
    container; a module may hold the container's root, Powertools' per-process objects and
    the resolver, never a service of its own."""
    services = _classes("tasklane.dal") | _classes("tasklane.logic") | _classes("tasklane.wiring")
    services.discard("Root")
    found = [
        problem
        for name, m in modules().items()
        if in_package(name, "tasklane")
        for problem in _singletons(name, m.tree, services)
    ]
    assert found == []


def test_the_singleton_check_sees_the_patterns_it_forbids() -> None:
    code = (
        "from functools import cache\n"
        "_engine: Engine | None = None\n"
        "store = DynamoProjects(table)\n"
        "@cache\n"
        "def client(): ...\n"
        "def use(x):\n"
        "    global _engine\n"
    )
    found = _singletons("m", ast.parse(code), {"DynamoProjects"})
    assert found == [
        "m:7 global _engine",
        "m:2 a lazily set module global",
        "m:3 a module-level DynamoProjects",
        "m:5 a cached factory: client()",
    ]


def test_the_environment_variable_names_are_spelled_once() -> None:
    """The CDK app, the local launcher and the runtime name the variables through
    ``tasklane.settings.Env`` (declared in ``tasklane.env_names``): a name spelled out twice
    can drift."""
    from tasklane.settings import Env

    names = {v for k, v in vars(Env).items() if not k.startswith("_") and isinstance(v, str)}
    spelled = [
        f"{name}:{node.lineno} {node.value}"
        for name, m in modules().items()
        if (in_package(name, "tasklane") or in_package(name, "infra"))
        and name != "tasklane.env_names"
        for node in ast.walk(m.tree)
        if isinstance(node, ast.Constant) and node.value in names
    ]
    assert spelled == []
