"""The live function's container: the fan-out from the table's stream to the WebSocket API
(the table and the Management API only; no PostgreSQL, so it runs outside the VPC)."""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING

from tasklane.wiring.base import Container, Root

if TYPE_CHECKING:
    from tasklane.domain.live import HighWater
    from tasklane.domain.ports.live import ConnectionPoster, ConnectionStore


class LiveContainer(Container):
    @cached_property
    def connections(self) -> ConnectionStore:
        from tasklane.dal.dynamodb.connections import DynamoConnections

        return DynamoConnections(self.table)

    @cached_property
    def poster(self) -> ConnectionPoster:
        from tasklane.dal.live_posts import ManagementApiPoster

        endpoint = self.settings.realtime.endpoint
        if not endpoint:
            raise RuntimeError("TASKLANE_REALTIME_ENDPOINT must be set for the live function")
        client = self.aws.management_api(endpoint)
        return ManagementApiPoster(lambda: client)

    @cached_property
    def high_water(self) -> HighWater:
        """Kept for the container's life: drops records replayed across batches."""
        from tasklane.domain.live import HighWater

        return HighWater()


root: Root[LiveContainer] = Root(LiveContainer)
