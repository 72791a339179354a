"""A fresh machine has Python, Node and apt, and no uv on PATH: the Makefile installs its own
copy into .tools/bin, and every script that starts uv must find that copy (``devtools.uv``).

The subprocess tests run the audit entry point and the Lambda bundling's ``uv export`` with a
PATH from which every uv is gone (as ``.ci/run`` does), so a bare ``uv`` cannot come back.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import devtools
import pytest
from devtools.fresh_path import MAKEFILE_TOOLS, without_makefile_tools

ROOT = Path(__file__).resolve().parents[3]


def _executable(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("#!/bin/sh\necho fake\n")
    path.chmod(0o755)
    return path


def _which(name: str, path: str) -> str | None:
    return shutil.which(name, path=path)


def test_fresh_path_drops_the_makefile_tools_and_keeps_the_rest(tmp_path: Path) -> None:
    system = tmp_path / "system"
    for name in ("uv", "uvx", "python9", "node9"):
        _executable(system / name)
    other = _executable(tmp_path / "other" / "git9").parent
    repo_tools = _executable(tmp_path / "repo" / ".tools" / "bin" / "uv").parent

    path = without_makefile_tools(
        os.pathsep.join([str(system), str(other), str(repo_tools)]),
        tmp_path / "scratch",
        keep=repo_tools,
    )

    folders = path.split(os.pathsep)
    assert folders[1:] == [str(other), str(repo_tools)]
    assert all(_which(tool, path) for tool in ("python9", "node9", "git9"))
    assert Path(_which("uv", path) or "").parent == repo_tools  # only the repo's own copy
    assert _which("uvx", path) is None
    assert not any((Path(folders[0]) / tool).exists() for tool in MAKEFILE_TOOLS)


def test_uv_is_looked_up_in_env_then_the_private_copy_then_path(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    private = _executable(tmp_path / ".tools" / "bin" / "uv")
    on_path = _executable(tmp_path / "bin" / "uv")
    monkeypatch.setenv("PATH", str(on_path.parent))

    monkeypatch.setenv("UV", "/opt/named/uv")
    assert devtools.uv(tmp_path) == "/opt/named/uv"
    monkeypatch.delenv("UV")
    assert devtools.uv(tmp_path) == str(private)
    private.unlink()
    assert devtools.uv(tmp_path) == str(on_path)
    monkeypatch.setenv("PATH", str(tmp_path / "nowhere"))
    with pytest.raises(FileNotFoundError, match="make install"):
        devtools.uv(tmp_path)


@pytest.fixture(scope="module")
def fresh_environment(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """This process's environment with no uv on PATH; $UV names the uv that runs us, as
    `uv run` and the Makefile do."""
    uv = devtools.uv()
    path = without_makefile_tools(os.environ["PATH"], tmp_path_factory.mktemp("fresh-path"))
    assert _which("uv", path) is None
    return {**os.environ, "PATH": path, "UV": uv}


def test_the_audit_entry_point_exports_the_lock_without_uv_on_path(
    fresh_environment: dict[str, str],
) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "audit", "requirements"],
        cwd=ROOT,
        env=fresh_environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    pinned = [line for line in done.stdout.splitlines() if "==" in line]
    assert len(pinned) > 50  # every group: runtime, local, dev and CDK
    assert any(line.startswith("pip-audit==") for line in pinned)


def test_the_lambda_bundling_exports_the_lock_without_uv_on_path(
    fresh_environment: dict[str, str],
) -> None:
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            "from infra.bundling import runtime_requirements; print(runtime_requirements())",
        ],
        cwd=ROOT,
        env=fresh_environment,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-4000:]
    names = {re.split(r"[=\[ ]", line, maxsplit=1)[0] for line in done.stdout.splitlines()}
    assert {"boto3", "pydantic", "aws-lambda-powertools"} <= names
    assert not {"pytest", "moto", "aws-cdk-lib"} & names  # runtime dependencies only


def test_the_quick_loops_cover_every_test_folder() -> None:
    """`make unit|integration|e2e|web-test|infra-test` together run every suite."""
    makefile = (ROOT / "Makefile").read_text()
    loops = re.findall(
        r"^(?:unit|integration|e2e|web-test|infra-test):.*\n\t\$\(PYTEST\) -q (.+)$",
        makefile,
        re.MULTILINE,
    )
    covered = [folder for line in loops for folder in line.split()]
    suites = sorted(
        f"tests/{d.name}" for d in (ROOT / "tests").iterdir() if any(d.glob("test_*.py"))
    )
    assert sorted(covered) == suites
