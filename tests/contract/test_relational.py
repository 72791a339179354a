"""The ``Relational`` contract (tasklane.domain.ports.relational): a transaction commits when
its block ends and rolls back, whole, when the block raises."""

from __future__ import annotations

import pytest

from tasklane.domain.profiles import Identity

from .conftest import Backend

ADA = Identity(sub="user-ada", email="ada@example.com", name="Ada")


def test_a_block_that_ends_commits(backend: Backend) -> None:
    database = backend.database()
    with database.transaction() as tx:
        tx.profiles.upsert(ADA)
    with database.transaction() as tx:
        assert tx.profiles.get(ADA.sub) is not None


def test_a_block_that_raises_rolls_back_everything_it_did(backend: Backend) -> None:
    database = backend.database()
    seen = []

    def work() -> None:
        with database.transaction() as tx:
            tx.profiles.upsert(ADA)
            seen.append(tx.profiles.get(ADA.sub))  # seen inside the transaction
            raise RuntimeError("the enqueue failed")

    with pytest.raises(RuntimeError):
        work()
    assert seen[0] is not None
    with database.transaction() as tx:
        assert tx.profiles.get(ADA.sub) is None
