"""The RDS CA bundle (docs/deploy.md, "Database TLS"): `make deploy` and `make diff` fetch it
when it is missing, over HTTPS, before the CDK CLI runs; the two commands never fetch it."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
URL = "https://truststore.pki.rds.amazonaws.com/global/global-bundle.pem"


def _dry_run(target: str, bundle: Path) -> list[str]:
    """What `make -n <target>` would run, with the bundle at ``bundle``."""
    done = subprocess.run(
        ["make", "-n", target, f"RDS_CA_BUNDLE={bundle}"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout.splitlines()


@pytest.mark.parametrize("target", ["deploy", "diff"])
def test_a_deploy_fetches_a_missing_bundle_before_the_cdk_cli(target: str, tmp_path: Path) -> None:
    lines = _dry_run(target, tmp_path / "rds-ca-bundle.pem")
    fetch = next(n for n, line in enumerate(lines) if line.startswith("curl "))
    assert "--proto '=https'" in lines[fetch]
    assert URL in lines[fetch]
    # Kept only when it holds certificates; then, and only then, the CDK CLI.
    assert "BEGIN CERTIFICATE" in lines[fetch + 1]
    assert "mv " in lines[fetch + 1]
    cdk = next(n for n, line in enumerate(lines) if f" {target} " in f" {line} " and "cdk" in line)
    assert fetch < cdk


def test_a_present_bundle_is_not_fetched_again(tmp_path: Path) -> None:
    bundle = tmp_path / "rds-ca-bundle.pem"
    bundle.write_text("-----BEGIN CERTIFICATE-----\n")
    assert not any(line.startswith("curl ") for line in _dry_run("deploy", bundle))


@pytest.mark.parametrize("target", ["run", "test"])
def test_the_two_commands_never_fetch_it(target: str, tmp_path: Path) -> None:
    lines = _dry_run(target, tmp_path / "rds-ca-bundle.pem")
    assert lines  # the dry run printed its commands
    assert not any(URL in line for line in lines)
