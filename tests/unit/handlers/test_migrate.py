"""The migrations runner (handlers/migrate.py): the app user, then Alembic, then grants."""

from __future__ import annotations

from contextlib import contextmanager
from typing import Any

import pytest

from tasklane.handlers import migrate
from tasklane.settings import Settings
from tasklane.wiring.migrate import MigrateContainer, root


class FakeEngine:
    def __init__(self, log: list[str]) -> None:
        self.log = log
        self.disposed = False

    @contextmanager
    def begin(self) -> Any:
        yield self

    def execute(self, statement: Any) -> None:
        self.log.append(" ".join(str(statement).split()))

    def dispose(self) -> None:
        self.disposed = True


@contextmanager
def migrating(engine: FakeEngine, **environment: str) -> Any:
    """The migrate function's container from ``environment``, its ``engine`` the fake."""
    container = MigrateContainer(Settings.from_environment(environment))
    container.override(engine=engine)
    with root.overridden(container):
        yield


def test_creates_the_iam_user_before_migrating_and_grants_after(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    log: list[str] = []
    engine = FakeEngine(log)
    monkeypatch.setattr(
        "tasklane.dal.postgres.migrate.upgrade",
        lambda e, location: log.append(f"upgrade {e is engine} {location}"),
    )
    with migrating(
        engine, TASKLANE_DB_APP_USER="tasklane_app", TASKLANE_MIGRATIONS_DIR="/var/task/migrations"
    ):
        result = migrate.lambda_handler({}, _context())

    assert result == {"status": "migrated", "app_user": "tasklane_app"}
    upgrade_at = log.index("upgrade True /var/task/migrations")
    assert "CREATE ROLE tasklane_app LOGIN" in log[0]
    assert "GRANT rds_iam TO tasklane_app" in log[0]
    assert upgrade_at == 1
    grants = log[upgrade_at + 1 :]
    assert (
        "GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO tasklane_app"
        in (grants)
    )
    assert any(g.startswith("ALTER DEFAULT PRIVILEGES") and "ON TABLES" in g for g in grants)
    # Data access only: the app user never gets DDL or ownership.
    assert not any("CREATE ON" in g or "ALL PRIVILEGES" in g or "OWNER" in g for g in grants)
    assert engine.disposed


def test_the_engine_is_disposed_when_a_migration_fails(monkeypatch: pytest.MonkeyPatch) -> None:
    engine = FakeEngine([])

    def fail(_: Any, location: str) -> None:
        raise RuntimeError("migration 0002 failed")

    monkeypatch.setattr("tasklane.dal.postgres.migrate.upgrade", fail)
    with migrating(engine), pytest.raises(RuntimeError, match="0002"):
        migrate.lambda_handler({}, _context())
    assert engine.disposed


@pytest.mark.parametrize("name", ["Tasklane", "x; DROP TABLE tasks", "a-b", "", "x" * 64])
def test_refuses_a_user_name_that_is_not_a_plain_identifier(name: str) -> None:
    with pytest.raises(ValueError, match="identifier"):
        migrate.app_user_statements(name)
    with pytest.raises(ValueError, match="identifier"):
        migrate.grant_statements(name)


def test_the_engine_uses_the_secret_and_tls_from_the_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    seen: list[tuple[Any, str]] = []
    monkeypatch.setattr(
        "tasklane.dal.postgres.engine.create_engine",
        lambda settings, region: seen.append((settings, region)) or "engine",
    )
    container = MigrateContainer(
        Settings.from_environment(
            {
                "AWS_REGION": "eu-west-1",
                "TASKLANE_DB_HOST": "db.example.internal",
                "TASKLANE_DB_AUTH": "secret",
                "TASKLANE_DB_SECRET_ARN": "arn:aws:secretsmanager:eu-west-1:1:secret:x",
                "TASKLANE_DB_SSLMODE": "require",
            }
        )
    )

    assert container.engine == "engine"
    ((settings, region),) = seen
    assert (settings.host, settings.auth, settings.sslmode) == (
        "db.example.internal",
        "secret",
        "require",
    )
    assert settings.secret_arn.endswith(":secret:x")
    assert region == "eu-west-1"


def _context() -> Any:
    class Context:
        function_name = "migrate"
        memory_limit_in_mb = 512
        invoked_function_arn = "arn:aws:lambda:eu-west-1:123456789012:function:migrate"
        aws_request_id = "req-1"

    return Context()
