"""How connections authenticate: IAM tokens per new connection, renewed before expiry;
the secret read once."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import certifi
import pytest

from tasklane.dal.postgres import engine as engine_module
from tasklane.dal.postgres.engine import (
    IAM_TOKEN_REUSE_SECONDS,
    RDS_CA_BUNDLE,
    IamTokenSource,
    SecretSource,
    connect_args,
    create_engine,
)
from tasklane.settings import DatabaseSettings, Settings


class FakeRds:
    def __init__(self) -> None:
        self.calls: list[dict[str, Any]] = []

    def generate_db_auth_token(self, **kwargs: Any) -> str:
        self.calls.append(kwargs)
        return f"token-{len(self.calls)}"


def test_iam_tokens_are_made_per_connection_and_renewed_before_expiry() -> None:
    settings = DatabaseSettings(host="proxy.example", port=5432, user="app", auth="iam")
    now = [0.0]
    rds = FakeRds()
    source = IamTokenSource(settings, "eu-west-1", client=rds, clock=lambda: now[0])
    assert source() == source() == "token-1"
    now[0] += IAM_TOKEN_REUSE_SECONDS
    assert source() == "token-2"
    assert rds.calls[0] == {
        "DBHostname": "proxy.example",
        "Port": 5432,
        "DBUsername": "app",
        "Region": "eu-west-1",
    }


def test_the_engine_hands_each_new_connection_a_fresh_password() -> None:
    settings = DatabaseSettings(host="proxy.example", user="app", auth="iam", sslmode="require")
    passwords = iter(["first", "second"])
    engine = create_engine(settings, "eu-west-1", source=lambda: next(passwords))
    params: list[dict[str, Any]] = [{}, {}]
    for cparams in params:
        engine.dialect.dispatch.do_connect(engine.dialect, None, [], cparams)
    assert [p["password"] for p in params] == ["first", "second"]
    args = connect_args(settings)
    assert args["prepare_threshold"] is None  # no server-side prepares: RDS Proxy would pin
    assert args["sslmode"] == "require"


def test_secret_source_reads_the_secret_once() -> None:
    class FakeSecrets:
        calls = 0

        def get_secret_value(self, SecretId: str) -> dict[str, str]:
            self.calls += 1
            return {"SecretString": '{"username": "u", "password": "p"}'}

    fake = FakeSecrets()
    source = SecretSource("arn:secret", client=fake)
    assert source() == source() == "p"
    assert fake.calls == 1


# --- TLS per mode (issue 14, finding 8) -----------------------------------------------------


def test_locally_no_tls_arguments_are_sent() -> None:
    """The embedded server listens on a Unix socket: libpq's defaults, as before."""
    local = Settings.from_environment({"TASKLANE_LOCAL_MODE": "1", "TASKLANE_DB_HOST": "/run"})
    args = connect_args(local.db)
    assert "sslmode" not in args
    assert "sslrootcert" not in args


def test_aws_verifies_the_proxy_against_the_amazon_roots_certifi_ships() -> None:
    """The proxy's certificate comes from ACM: an Amazon Root CA in certifi's store."""
    environment = {"TASKLANE_DB_AUTH": "iam", "TASKLANE_DB_SSLMODE": "verify-full"}
    args = connect_args(Settings.from_environment(environment).db)
    assert args["sslmode"] == "verify-full"
    assert args["sslrootcert"] == certifi.where()
    roots = Path(args["sslrootcert"]).read_text()
    assert all(f"Amazon Root CA {n}" in roots for n in (1, 2, 3, 4))


def test_a_configured_ca_bundle_is_the_one_trusted(tmp_path: Path) -> None:
    bundle = tmp_path / "roots.pem"
    bundle.write_text("not read here: libpq reads it when it connects")
    settings = DatabaseSettings(sslmode="verify-full", ca_bundle=str(bundle))
    assert connect_args(settings)["sslrootcert"] == str(bundle)
    # A mode that does not verify sends no roots (libpq would ignore them).
    assert "sslrootcert" not in connect_args(settings._replace(sslmode="require"))


def test_a_missing_ca_bundle_fails_with_its_cause(tmp_path: Path) -> None:
    settings = DatabaseSettings(sslmode="verify-full", ca_bundle=str(tmp_path / "gone.pem"))
    with pytest.raises(RuntimeError, match=r"TASKLANE_DB_CA_BUNDLE.*docs/deploy\.md"):
        connect_args(settings)


def test_the_rds_ca_bundle_is_package_data_of_the_engine() -> None:
    """Where docs/deploy.md tells the operator to put it, and where infra points the
    migrations function (tests/infra/test_database.py checks the other side)."""
    assert RDS_CA_BUNDLE.parent == Path(engine_module.__file__).parent
    assert RDS_CA_BUNDLE.name == "rds-ca-bundle.pem"
    deploy = (Path(__file__).parents[4] / "docs" / "deploy.md").read_text()
    assert "src/tasklane/dal/postgres/rds-ca-bundle.pem" in deploy
