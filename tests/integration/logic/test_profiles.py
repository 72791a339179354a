"""Profiles on PostgreSQL: eight cold containers seeing a new user at once make one row."""

from __future__ import annotations

import threading

from sqlalchemy import text
from sqlalchemy.engine import Engine

from tests.servers import session_database


def test_concurrent_first_requests_create_one_row(pg: Engine) -> None:
    from tasklane.domain.profiles import Identity
    from tasklane.logic.profiles import KnownUsers, ProfileService

    barrier = threading.Barrier(8)
    results: list[str] = []
    errors: list[BaseException] = []

    def first_request() -> None:
        # A service per thread: eight cold containers seeing the same new user at once.
        service = ProfileService(session_database(pg), KnownUsers())
        barrier.wait()
        try:
            results.append(service.get(Identity(sub="new-user", email="n@example.com")).user_id)
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=first_request) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert results == ["new-user"] * 8
    with pg.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM profiles")).scalar_one() == 1
