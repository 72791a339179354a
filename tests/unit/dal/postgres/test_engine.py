"""How connections authenticate: IAM tokens per new connection, renewed before expiry;
the secret read once."""

from __future__ import annotations

from typing import Any

from tasklane.dal.postgres.engine import (
    IAM_TOKEN_REUSE_SECONDS,
    IamTokenSource,
    SecretSource,
    connect_args,
    create_engine,
)
from tasklane.settings import DatabaseSettings


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
