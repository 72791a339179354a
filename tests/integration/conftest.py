"""The handlers, in-process, against the session's moto server (reset per test: the ``aws``
fixture of ``tests/servers.py``) and, for the tests that ask for ``pg``, its embedded
PostgreSQL (every table emptied), which the functions of the test then use."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import pytest
from sqlalchemy import event
from sqlalchemy.engine import Engine

from tasklane.local.bootstrap import LocalConfig
from tasklane.local.invoke import invoke
from tasklane.local.launcher import update_environ
from tasklane.local.postgres import LocalDatabase
from tasklane.wiring import functions
from tests.integration.support import purge
from tests.servers import session_database

if TYPE_CHECKING:
    from tasklane.wiring.api import ApiContainer


@dataclass
class Reply:
    status: int
    headers: dict[str, str]
    body: Any

    @property
    def error_code(self) -> str | None:
        return (
            self.body["error"]["code"]
            if isinstance(self.body, dict) and "error" in self.body
            else None
        )


@dataclass
class AwsCalls:
    """DynamoDB requests the handler made, by operation, counted with botocore hooks."""

    operations: Counter[str] = field(default_factory=Counter)
    scanned: int = 0

    @property
    def total(self) -> int:
        return sum(self.operations.values())

    def clear(self) -> None:
        self.operations.clear()
        self.scanned = 0


class Api:
    """Calls ``lambda_handler`` with API Gateway REST proxy events, as a given user."""

    def __init__(self, handler: Any) -> None:
        self._handler = handler

    def call(
        self,
        method: str,
        path: str,
        user: str | None = "user-a",
        body: Any = None,
        headers: dict[str, str] | None = None,
        query: dict[str, Any] | None = None,
        raw_body: str | None = None,
        claims: dict[str, Any] | None = None,
    ) -> Reply:
        """``claims`` replace the defaults: ``<user>@example.com``, verified."""
        headers = dict(headers or {})
        text = raw_body
        if body is not None:
            text = json.dumps(body)
            headers.setdefault("Content-Type", "application/json")
        params = [(k, str(v)) for k, v in (query or {}).items() if v is not None]
        token = (
            {
                "sub": user,
                "email": f"{user}@example.com",
                "email_verified": True,
                "token_use": "id",
                **(claims or {}),
            }
            if user
            else None
        )
        response = invoke(
            self._handler,
            method,
            path,
            claims=token,
            body=(text or "").encode(),
            headers=list(headers.items()),
            query=params,
        )
        out_headers = {name.lower(): value for name, value in response.headers}
        raw = response.body.decode()
        try:
            parsed = json.loads(raw) if raw else None
        except ValueError:
            parsed = raw
        return Reply(response.status, out_headers, parsed)

    def get(self, path: str, **kwargs: Any) -> Reply:
        return self.call("GET", path, **kwargs)

    def post(self, path: str, body: Any = None, **kwargs: Any) -> Reply:
        return self.call("POST", path, body=body, **kwargs)

    def patch(self, path: str, body: Any = None, **kwargs: Any) -> Reply:
        return self.call("PATCH", path, body=body, **kwargs)

    def delete(self, path: str, **kwargs: Any) -> Reply:
        return self.call("DELETE", path, **kwargs)


@pytest.fixture
def api(aws: LocalConfig) -> Api:
    from tasklane.handlers.api import lambda_handler

    return Api(lambda_handler)


@pytest.fixture
def api_container(aws: LocalConfig) -> ApiContainer:
    """The api function's container for this test (fresh: ``aws`` reset the roots); parts
    can be replaced with ``override`` before the first request uses them."""
    from tasklane.wiring.api import root

    return root.get()


@pytest.fixture
def aws_calls(aws: LocalConfig) -> Iterator[AwsCalls]:
    from tasklane.wiring.api import root

    calls = AwsCalls()
    client = root.get().aws.dynamodb

    def before(model: Any, **_: Any) -> None:
        calls.operations[model.name] += 1

    def after(http_response: Any, parsed: Any, model: Any, **_: Any) -> None:
        calls.scanned += int(parsed.get("ScannedCount", 0))

    client.meta.events.register("before-call.dynamodb", before)
    client.meta.events.register("after-call.dynamodb", after)
    yield calls
    client.meta.events.unregister("before-call.dynamodb", before)
    client.meta.events.unregister("after-call.dynamodb", after)


class Statements:
    """Every SQL statement the engine sent, for round-trip counts and RDS Proxy checks."""

    def __init__(self) -> None:
        self.sql: list[str] = []

    def clear(self) -> None:
        self.sql.clear()

    def __len__(self) -> int:
        return len(self.sql)


@pytest.fixture(scope="session")
def _statements(pg_engine: Engine) -> Statements:
    recorded = Statements()

    def before(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        recorded.sql.append(statement)

    event.listen(pg_engine, "before_cursor_execute", before)
    return recorded


@pytest.fixture
def pg(
    pg_tables: Engine, _statements: Statements, database: LocalDatabase, aws: LocalConfig
) -> Iterator[Engine]:
    """An empty projection and profile store, which the api, events and reminders functions
    of this test use (their containers are fresh: ``aws`` reset the roots)."""
    from tasklane.wiring import api, events, reminders

    pg_engine = pg_tables
    saved = update_environ(database.environment())
    functions.reset()
    shared = session_database(pg_engine)
    for root in (api.root, events.root, reminders.root):
        root.get().override(database=shared)
    _statements.clear()
    yield pg_engine
    functions.reset()
    update_environ(saved)


@pytest.fixture
def statements(pg: Engine, _statements: Statements) -> Statements:
    return _statements


@pytest.fixture
def notif(aws: LocalConfig) -> Iterator[LocalConfig]:
    """The notification queue and sender named in the functions' environment (their
    containers read them), the queue and its DLQ purged afterwards."""
    from tasklane.local.launcher import update_environ
    from tasklane.wiring import functions

    saved = update_environ(
        {"TASKLANE_NOTIFICATIONS_QUEUE_URL": aws.queue_url, "TASKLANE_MAIL_SENDER": aws.mail_sender}
    )
    functions.reset()  # the containers read the queue and the sender from the environment
    yield aws
    purge(aws)
    update_environ(saved)
    functions.reset()


@pytest.fixture
def exchange(aws: LocalConfig) -> Iterator[LocalConfig]:
    """The exchange bucket and the export and import queues named in the functions'
    environment (their containers read them)."""
    saved = update_environ(
        {
            "TASKLANE_EXCHANGE_BUCKET": aws.exchange_bucket,
            "TASKLANE_EXPORTS_QUEUE_URL": aws.exports_queue_url,
            "TASKLANE_IMPORTS_QUEUE_URL": aws.imports_queue_url,
        }
    )
    functions.reset()
    yield aws
    update_environ(saved)
    functions.reset()
