"""The whole app synthesizes as `make synth` does: CDK's own validation and cdk-nag on
(an unacknowledged finding makes ``synth`` raise), then cfn-lint on the template, and the
Lambda asset is the bundle we mean to ship."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from infra.bundle_check import bundle_problems
from infra.config import LAMBDA_PYTHON
from infra.web import PLACEHOLDER

from tests.infra.conftest import ROOT, cfn_lint


@pytest.fixture(scope="module")
def assembly(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from infra.app import build_app

    outdir = tmp_path_factory.mktemp("cdk.out")
    with pytest.MonkeyPatch.context() as patch:
        patch.delenv("CDK_VALIDATION", raising=False)
        app, _ = build_app({"stage": "dev"}, outdir=str(outdir), nag=True)
        app.synth()  # raises on any cdk-nag finding that is not acknowledged
    return outdir


def test_cdk_nag_reports_no_unacknowledged_finding(assembly: Path) -> None:
    report = json.loads((assembly / "validation-report.json").read_text())
    for plugin in report["pluginReports"]:
        assert plugin["conclusion"] == "success", plugin["violations"]
        for suppressed in plugin.get("suppressedViolations", []):
            reason = suppressed.get("reason") or suppressed.get("suppressionReason") or ""
            assert len(str(reason)) > 40 or "reason" not in suppressed, suppressed


def test_cfn_lint_is_clean(assembly: Path) -> None:
    assert cfn_lint(assembly / "Tasklane-dev.template.json") == []


def _asset_dir(assembly: Path, marker: str) -> Path:
    """The one zipped directory asset holding ``marker`` (a function's handler module, or
    the web build's ``server.js``)."""
    manifest: dict[str, Any] = json.loads((assembly / "Tasklane-dev.assets.json").read_text())
    dirs = [
        assembly / a["source"]["path"]
        for a in manifest["files"].values()
        if a["source"].get("packaging") == "zip"
        and (assembly / a["source"]["path"] / marker).exists()
    ]
    assert len(dirs) == 1, dirs
    found: Path = dirs[0]
    return found


def _function_bundles(assembly: Path) -> dict[str, Path]:
    """Each function's handler → the asset directory its code comes from."""
    template = json.loads((assembly / "Tasklane-dev.template.json").read_text())
    found: dict[str, Path] = {}
    for resource in template["Resources"].values():
        properties = resource.get("Properties", {})
        if resource["Type"] != "AWS::Lambda::Function":
            continue
        if not str(properties.get("Handler", "")).startswith("tasklane."):
            continue
        key = properties["Code"]["S3Key"]
        found[properties["Handler"]] = assembly / f"asset.{key.removesuffix('.zip')}"
    return found


def test_lambda_bundle_is_arm64_with_runtime_bytecode(assembly: Path) -> None:
    bundle = _asset_dir(assembly, "tasklane/handlers/api.py")
    tag = LAMBDA_PYTHON.replace(".", "")
    native = list(bundle.glob("pydantic_core/*.so"))
    assert native, "pydantic-core's extension is missing"
    assert all(f"cpython-{tag}-aarch64-linux-gnu" in p.name for p in native), native
    # Bytecode for the runtime's Python, for our code and the dependencies alike.
    assert (bundle / "tasklane/handlers/__pycache__" / f"api.cpython-{tag}.pyc").is_file()
    assert list(bundle.glob(f"aws_lambda_powertools/__pycache__/*.cpython-{tag}.pyc"))
    # Unchecked-hash bytecode (flags = 0b01 in the header): valid whatever the zip's mtimes.
    header = (bundle / "tasklane/handlers/__pycache__" / f"api.cpython-{tag}.pyc").read_bytes()
    assert int.from_bytes(header[4:8], "little") == 0b01
    # Only runtime dependencies: no test, local-runtime or CDK packages.
    for absent in ("moto", "pytest", "aws_cdk", "uvicorn", "tasklane/local"):
        assert not (bundle / absent).exists(), absent
    size = sum(p.stat().st_size for p in bundle.rglob("*") if p.is_file())
    assert size < 250 * 1024 * 1024  # Lambda's limit for an unzipped function
    # The Alembic migrations go with the migrations runner only (TASKLANE_MIGRATIONS_DIR).
    migrate = _asset_dir(assembly, "tasklane/handlers/migrate.py")
    assert (migrate / "migrations/env.py").is_file()
    assert list(migrate.glob("migrations/versions/0001_*.py"))
    assert not (bundle / "migrations").exists()


def test_every_bundled_wheel_and_library_fits_the_lambda_runtime(assembly: Path) -> None:
    """Python 3.13 on ARM64 cannot run here (x86_64): the wheel tags, Requires-Python and
    the shared objects' ELF machine say whether the bundle would import there."""
    for bundle in set(_function_bundles(assembly).values()):
        assert len(list(bundle.glob("*.dist-info"))) >= 10  # the pinned runtime dependencies
        assert bundle_problems(bundle, LAMBDA_PYTHON, "aarch64") == [], bundle


def test_every_function_ships_its_own_handler_and_only_what_it_imports(assembly: Path) -> None:
    bundles = _function_bundles(assembly)
    # api, events, migrate, sweeper, notifier, reminders, exporter, importer, webhooks, and
    # live updates' realtime_authorizer, realtime (routes) and live (fan-out)
    assert len(bundles) == 12, bundles
    for handler, bundle in bundles.items():
        module = handler.rsplit(".", 1)[0]
        assert (bundle / (module.replace(".", "/") + ".py")).is_file(), handler
    # tests/infra/test_bundles.py checks the selections; here, that the stack uses them.
    for name in ("notifier", "sweeper", "exporter", "importer", "webhooks", "realtime", "live"):
        bundle = bundles[f"tasklane.handlers.{name}.lambda_handler"]
        assert not (bundle / "sqlalchemy").exists(), name
        assert not (bundle / "psycopg").exists(), name
    assert (bundles["tasklane.handlers.api.lambda_handler"] / "sqlalchemy").is_dir()


def test_web_servers_get_the_placeholder_without_a_web_build(assembly: Path) -> None:
    """The tests pin the placeholder (conftest); `make synth` takes web/.next/standalone
    when it is built (infra.web.web_build_dir, tested in test_web.py)."""
    web = _asset_dir(assembly, "server.js")
    assert (web / "README.md").read_text() == (PLACEHOLDER / "README.md").read_text()
    template = (assembly / "Tasklane-dev.template.json").read_text()
    assert f"{web.name.removeprefix('asset.')}.zip" in template  # the user data fetches it


def test_synth_is_deterministic(tmp_path: Path) -> None:
    """The same code gives the same template, whatever the process's hash seed.

    Otherwise every synth differs (set order, say), the API deployment's hash changes and
    every `cdk deploy` rolls out a new deployment although nothing changed.
    """
    templates = []
    for seed in ("1", "2"):
        outdir = tmp_path / f"seed-{seed}"
        subprocess.run(
            [sys.executable, "-m", "infra.app"],
            cwd=ROOT,
            env={
                **os.environ,
                "PYTHONHASHSEED": seed,
                "CDK_OUTDIR": str(outdir),
                "CDK_VALIDATION": "false",
                "TASKLANE_STAGE": "dev",
            },
            check=True,
            capture_output=True,
            timeout=300,
        )
        templates.append((outdir / "Tasklane-dev.template.json").read_text())
    assert templates[0] == templates[1]
