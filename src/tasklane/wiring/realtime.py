"""The WebSocket API's route function's container: the connection store (the table only;
no PostgreSQL, no cursor secret)."""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING

from tasklane.wiring.base import Container, Root

if TYPE_CHECKING:
    from tasklane.domain.ports.live import ConnectionStore


class RealtimeContainer(Container):
    @cached_property
    def connections(self) -> ConnectionStore:
        from tasklane.dal.dynamodb.connections import DynamoConnections

        return DynamoConnections(self.table)


root: Root[RealtimeContainer] = Root(RealtimeContainer)
