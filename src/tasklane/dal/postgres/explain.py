"""EXPLAIN the statement a DAL function sends, without copying its SQL.

Tests and benchmarks check that search and stats use indexes: the check is only worth
something if it looks at the exact statement and parameters the code runs.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection


class _Captured(Exception):
    pass


class _Capture:
    """Stands in for a Connection: records the first statement, then stops the function."""

    def __init__(self) -> None:
        self.statement: Any = None
        self.params: dict[str, Any] = {}

    def execute(self, statement: Any, params: dict[str, Any]) -> Any:
        self.statement, self.params = statement, params
        raise _Captured


def explain(conn: Connection, call: Callable[[Any], Any]) -> str:
    """The plan of the statement ``call(connection)`` would execute first, as text."""
    from sqlalchemy import text

    capture = _Capture()
    with contextlib.suppress(_Captured):
        call(capture)
    if capture.statement is None:
        raise RuntimeError("the call executed no statement")
    rows = conn.execute(text("EXPLAIN " + capture.statement.text), capture.params).all()
    return "\n".join(row[0] for row in rows)


def scans(plan: str) -> list[str]:
    """The scan nodes of a plan, e.g. ``Bitmap Index Scan on tasks_search``."""
    nodes = []
    for line in plan.splitlines():
        node = line.strip().removeprefix("->").strip().split("  (")[0]
        if "Scan" in node:
            nodes.append(node)
    return nodes
