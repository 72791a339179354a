"""What the functions send PostgreSQL never pins an RDS Proxy session (see engine.py)."""

from __future__ import annotations

import re

from sqlalchemy.engine import Engine

from tasklane.local.bootstrap import LocalConfig
from tests.integration.conftest import Api, Statements
from tests.integration.support import sync

_PINNING = re.compile(
    r"^\s*(SET|RESET|PREPARE|DEALLOCATE|DISCARD|LISTEN|NOTIFY|LOCK)\b|TEMP(ORARY)?\s+TABLE"
    r"|pg_advisory",
    re.IGNORECASE,
)


def test_no_statement_would_pin_an_rds_proxy_session(
    api: Api, aws: LocalConfig, pg: Engine, statements: Statements
) -> None:
    api.post("/projects/inbox/tasks", {"title": "x"})
    sync(aws)
    api.get("/me")
    api.patch("/me", {"time_zone": "Asia/Tokyo"})
    api.get("/search", query={"q": "x"})
    api.get("/stats")
    assert len(statements) > 5
    assert [s for s in statements.sql if _PINNING.search(s)] == []
