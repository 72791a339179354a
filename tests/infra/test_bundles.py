"""Each function's bundle carries what its handler imports, and no heavy library it does not.

The bundles are built for the Lambda runtime (Python 3.13, ARM64), whose wheels this machine
cannot import. So each handler's selection (the same requirement lines, the same ``tasklane``
files) is also built for this machine's Python and platform, and every module the handler
can import (infra.import_trace: module-level and lazy imports alike) is imported from it in
a clean interpreter: ``-I -S``, no site-packages, nothing but the bundle and the stdlib.
test_synth.py checks the Lambda builds themselves (architecture, bytecode, wheel tags).
"""

from __future__ import annotations

import json
import os
import platform
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from aws_cdk import aws_lambda as lambda_
from infra.bundling import PACKAGE, LambdaBundle, contents, runtime_requirements
from infra.import_trace import closure, normalise, trace

from tests.conftest import TEST_ENVIRONMENT

HANDLERS = sorted(
    p.stem for p in (PACKAGE / "handlers").glob("*.py") if "def lambda_handler" in p.read_text()
)
#: The libraries a bundle should carry only when its handler uses the database.
HEAVY = frozenset({"sqlalchemy", "psycopg", "psycopg-binary", "alembic", "mako"})
DATABASE = frozenset({"sqlalchemy", "psycopg", "psycopg-binary"})
#: Which of them each function needs: the notifier, the sweeper, the exporter, the
#: importer, the webhooks worker and the live-update functions run outside the VPC and
#: never touch PostgreSQL; only the migrations runner runs Alembic.
EXPECTED_HEAVY = {
    "api": DATABASE,
    "events": DATABASE,
    "reminders": DATABASE,
    "migrate": HEAVY,
    "notifier": frozenset(),
    "sweeper": frozenset(),
    "exporter": frozenset(),
    "importer": frozenset(),
    "webhooks": frozenset(),
    # Live updates (infra/realtime.py): outside the VPC, no PostgreSQL.
    "realtime_authorizer": frozenset(),
    "realtime": frozenset(),
    "live": frozenset(),
}
#: Imports every name given, in a clean interpreter whose path starts with the bundle.
CHECK = """
import importlib, json, sys
sys.path.insert(0, sys.argv[1])
missing = {}
for name in json.loads(sys.argv[2]):
    try:
        importlib.import_module(name)
    except Exception as exc:
        missing[name] = f"{type(exc).__name__}: {exc}"
print(json.dumps(missing))
"""


def test_every_handler_is_covered() -> None:
    assert set(HANDLERS) == set(EXPECTED_HEAVY)


@pytest.fixture(scope="module")
def requirements() -> str:
    return runtime_requirements()


@pytest.fixture(scope="module")
def host_bundles(requirements: str, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Each handler's bundle built for this machine (cached like the Lambda ones)."""
    root = tmp_path_factory.mktemp("bundles")
    built: dict[str, Path] = {}
    for name in HANDLERS:
        bundle = LambdaBundle(
            contents(f"tasklane.handlers.{name}.lambda_handler", requirements),
            python_version=f"{sys.version_info.major}.{sys.version_info.minor}",
            architecture=lambda_.Architecture.X86_64,
            platform=f"{platform.machine()}-manylinux_2_28",
            bytecode=False,
        )
        built[name] = root / name
        built[name].mkdir()
        bundle.build(built[name])
    return built


def _imports(name: str) -> list[str]:
    found = trace([f"tasklane.handlers.{name}"], PACKAGE.parent)
    return sorted(found.modules) + sorted(found.third_party)


def _missing(bundle: Path, names: list[str]) -> dict[str, str]:
    done = subprocess.run(  # our interpreter, fixed arguments
        [sys.executable, "-I", "-S", "-c", CHECK, str(bundle), json.dumps(names)],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
        env={**TEST_ENVIRONMENT, "PATH": os.environ["PATH"], "AWS_DEFAULT_REGION": "us-east-1"},
        cwd=bundle,
    )
    missing: dict[str, str] = json.loads(done.stdout)
    return missing


def _distributions(bundle: Path) -> set[str]:
    return {normalise(p.name.split("-")[0]) for p in bundle.glob("*.dist-info")}


@pytest.mark.parametrize("name", HANDLERS)
def test_the_bundle_imports_everything_its_handler_imports(
    name: str, host_bundles: dict[str, Path]
) -> None:
    # Lazy imports included: the api's SQLAlchemy is imported on its first search only.
    names = _imports(name)
    assert f"tasklane.handlers.{name}" in names
    assert _missing(host_bundles[name], names) == {}


def test_the_api_trace_holds_every_route_area() -> None:
    """The api handler imports a route area on its first request (tasklane.api.app.Areas),
    by an import statement the trace reads: without it the bundle would lack the routes."""
    from tasklane.api.app import ROUTERS

    assert {f"tasklane.api.{name}" for name in ROUTERS} <= set(_imports("api"))


@pytest.mark.parametrize("name", HANDLERS)
def test_the_bundle_carries_no_heavy_library_its_handler_does_not_import(
    name: str, host_bundles: dict[str, Path], requirements: str
) -> None:
    bundle = host_bundles[name]
    assert _distributions(bundle) & HEAVY == EXPECTED_HEAVY[name]
    # Only the handler's own modules of the package, and no local runtime.
    selected = contents(f"tasklane.handlers.{name}.lambda_handler", requirements)
    shipped = {p.relative_to(bundle / "tasklane") for p in (bundle / "tasklane").rglob("*.py")}
    assert shipped == {p for p in selected.package_files if p.suffix == ".py"}
    assert not (bundle / "tasklane" / "local").exists()
    assert (bundle / "migrations" / "env.py").is_file() is (name == "migrate")


def test_a_bundle_lacking_a_module_fails_the_check(
    host_bundles: dict[str, Path], tmp_path: Path
) -> None:
    """The check above can fail: the notifier's bundle without pydantic."""
    broken = tmp_path / "notifier"
    shutil.copytree(host_bundles["notifier"], broken, symlinks=True)
    shutil.rmtree(broken / "pydantic")
    missing = _missing(broken, _imports("notifier"))
    assert "pydantic" in missing
    assert any(name.startswith("tasklane.") for name in missing), missing


def test_the_trace_reads_lazy_imports_and_skips_type_checking(tmp_path: Path) -> None:
    package = tmp_path / "app"
    (package / "sub").mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "sub" / "__init__.py").write_text("from . import leaf\n")
    (package / "sub" / "leaf.py").write_text("import json\n")
    (package / "sub" / "unused.py").write_text("import sqlite3\n")
    (package / "main.py").write_text(
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n    import typed_only\n"
        "def handler():\n    from app.sub import leaf\n    import requests.adapters\n"
        "    import zoneinfo\n"
    )
    found = trace(["app.main"], tmp_path)
    assert found.modules == {"app", "app.main", "app.sub", "app.sub.leaf"}
    assert "typed_only" not in found.externals
    assert {"requests", "json", "zoneinfo", "tzdata"} <= found.externals
    assert found.third_party == {"requests", "tzdata"}


def test_the_closure_follows_the_lock_and_the_extras_asked_for() -> None:
    lock = PACKAGE.parents[1] / "uv.lock"
    # The project asks for powertools[tracer]: its X-Ray SDK comes along.
    assert {"aws-xray-sdk", "wrapt"} <= closure({"aws-lambda-powertools"}, lock, "tasklane")
    assert {"psycopg-binary"} <= closure({"psycopg"}, lock, "tasklane")
    assert "sqlalchemy" not in closure({"boto3", "pydantic"}, lock, "tasklane")


def test_the_database_bundles_carry_the_roots_their_tls_checks_need(
    requirements: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 14, finding 8: certifi (the Amazon roots of RDS Proxy's certificate) ships with
    every function that uses PostgreSQL, and the RDS CA bundle, once fetched (docs/deploy.md),
    ships as package data of ``tasklane.dal.postgres`` at the path infra points the
    migrations function at (tests/infra/test_database.py)."""
    from infra.functions import RDS_CA_BUNDLE_IN_BUNDLE

    from infra import bundling
    from tasklane.dal.postgres.engine import RDS_CA_BUNDLE

    for name, heavy in EXPECTED_HEAVY.items():
        selected = contents(f"tasklane.handlers.{name}.lambda_handler", requirements)
        assert ("certifi" in selected.distributions) is bool(heavy), name
    migrate = contents("tasklane.handlers.migrate.lambda_handler", requirements)
    assert Path("dal/postgres/__init__.py") in migrate.package_files
    # The same selection over a package that holds the file (not fetched on this machine).
    package = tmp_path / "tasklane"
    for part in ("", "dal", "dal/postgres"):
        (package / part).mkdir(exist_ok=True)
        (package / part / "__init__.py").write_text("")
    (package / "dal" / "postgres" / "engine.py").write_text("")
    (package / "dal" / "postgres" / RDS_CA_BUNDLE.name).write_text("placeholder, never read")
    monkeypatch.setattr(bundling, "PACKAGE", package)
    shipped = bundling._files_of(["tasklane.dal.postgres", "tasklane.dal.postgres.engine"])
    assert RDS_CA_BUNDLE.relative_to(PACKAGE) in shipped
    assert f"tasklane/{RDS_CA_BUNDLE.relative_to(PACKAGE)}" == RDS_CA_BUNDLE_IN_BUNDLE
