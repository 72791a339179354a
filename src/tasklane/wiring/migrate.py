"""The migrations function's container: the database instance, reached with the master
secret (``TASKLANE_DB_AUTH=secret``), for one invocation per deploy.

An engine, not the unit of work the other functions use (``wiring.relational``): the
migrations run SQL and Alembic, none of the stores, so the function's bundle carries
neither the stores nor the models they import (``infra.import_trace``).
"""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING

from tasklane.wiring.base import Container, Root

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine


class MigrateContainer(Container):
    @cached_property
    def engine(self) -> Engine:
        from tasklane.dal.postgres.engine import create_engine
        from tasklane.settings import Env

        if not self.settings.db.host:
            raise RuntimeError(f"{Env.DB_HOST} is not set")
        return create_engine(self.settings.db, self.settings.region)

    def close(self) -> None:
        engine = self.__dict__.get("engine")
        if engine is not None:
            engine.dispose()


root: Root[MigrateContainer] = Root(MigrateContainer)
