"""The reminders function's container: the scheduled run (PostgreSQL and the queue)."""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING

from tasklane.wiring.base import Container, Root, close_database

if TYPE_CHECKING:
    from tasklane.dal.postgres.database import PostgresDatabase
    from tasklane.logic.notifications.reminders import Reminders


class RemindersContainer(Container):
    @cached_property
    def database(self) -> PostgresDatabase:
        from tasklane.wiring.relational import database

        return database(self.settings)

    @cached_property
    def reminders(self) -> Reminders:
        from tasklane.dal.queue import SqsJobQueue
        from tasklane.logic.notifications.reminders import Reminders

        queue = SqsJobQueue(self.settings.notifications.queue_url, lambda: self.aws.sqs)
        return Reminders(self.database, queue)

    def close(self) -> None:
        close_database(self)


root: Root[RemindersContainer] = Root(RemindersContainer)
