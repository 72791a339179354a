"""The migrations function's container: the database instance, reached with the master
secret (``TASKLANE_DB_AUTH=secret``), for one invocation per deploy."""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING

from tasklane.wiring.base import Container, Root, close_database

if TYPE_CHECKING:
    from tasklane.dal.postgres.database import PostgresDatabase


class MigrateContainer(Container):
    @cached_property
    def database(self) -> PostgresDatabase:
        from tasklane.wiring.relational import database

        return database(self.settings)

    def close(self) -> None:
        close_database(self)


root: Root[MigrateContainer] = Root(MigrateContainer)
