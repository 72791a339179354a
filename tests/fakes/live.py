"""``ConnectionStore`` in memory, on the shared :class:`tests.fakes.table.InMemoryTable` (the
items in the adapter's layout), and ``ConnectionPoster`` in memory."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from tasklane.dal.dynamodb import connections as dal
from tasklane.dal.dynamodb import items as it
from tasklane.domain.errors import LimitReached, NotFound
from tasklane.domain.models import Role
from tasklane.domain.ports.live import MAX_SUBSCRIPTIONS, OpenConnection, Subscriber
from tests.fakes.table import InMemoryTable, row


class InMemoryConnections:
    def __init__(self, table: InMemoryTable) -> None:
        self._table = table
        #: Queries run, by operation: ``subscribers`` and ``user_connections``.
        self.queries: list[str] = []

    def open_connection(
        self, connection_id: str, user_id: str, now: datetime, token_expires_at: int
    ) -> None:
        self._table.put(dal.connection_item(connection_id, user_id, now, token_expires_at))

    def close_connection(self, connection_id: str) -> None:
        found = self._table.items.pop(row(dal.connection_key(connection_id)), None)
        if found is None:
            return
        for project_id in found.get("projects", {}).get("SS", []):
            self._table.items.pop(row(dal.subscription_key(project_id, connection_id)), None)

    def subscribe(
        self,
        connection_id: str,
        user_id: str,
        project_id: str,
        now: datetime,
        token_expires_at: int,
    ) -> Role:
        member = self._table.get(it.member_key(project_id, user_id))
        if member is None:
            raise NotFound("project not found")
        role = Role(member["role"]["S"])
        connection = self._table.get(dal.connection_key(connection_id))
        if connection is None or connection["user_id"]["S"] != user_id:
            raise NotFound("connection not found")
        projects = set(connection.get("projects", {}).get("SS", []))
        if project_id not in projects and len(projects) >= MAX_SUBSCRIPTIONS:
            raise LimitReached(
                "subscriptions",
                MAX_SUBSCRIPTIONS,
                f"a connection follows at most {MAX_SUBSCRIPTIONS} projects",
            )
        self._table.put(
            dal.subscription_item(project_id, connection_id, user_id, role, now, token_expires_at)
        )
        connection["projects"] = {"SS": sorted(projects | {project_id})}
        return role

    def unsubscribe(self, connection_id: str, project_id: str) -> None:
        self.drop_subscriptions(project_id, [connection_id])

    def subscribers(self, project_id: str) -> list[Subscriber]:
        self.queries.append("subscribers")
        pk = dal.subscription_pk(project_id)
        found = [item for (p, _), item in sorted(self._table.items.items()) if p == pk]
        return [dal.subscriber(item) for item in found]

    def user_connections(self, user_id: str) -> list[OpenConnection]:
        self.queries.append("user_connections")
        pk = dal.user_connections_pk(user_id)
        found = [
            item for item in self._table.items.values() if item.get("gsi1pk", {}).get("S") == pk
        ]
        return [dal.user_connection(item) for item in sorted(found, key=lambda i: i["gsi1sk"]["S"])]

    def drop_subscriptions(self, project_id: str, connection_ids: Sequence[str]) -> None:
        for connection_id in connection_ids:
            self._table.items.pop(row(dal.subscription_key(project_id, connection_id)), None)
            connection = self._table.get(dal.connection_key(connection_id))
            if connection is not None and "projects" in connection:
                left = sorted(set(connection["projects"]["SS"]) - {project_id})
                if left:
                    connection["projects"] = {"SS": left}
                else:
                    del connection["projects"]


class InMemoryPoster:
    """Records every post and close; connections in ``gone`` answer as API Gateway does for
    a closed one, and a closed one is gone."""

    def __init__(self) -> None:
        self.posts: list[tuple[str, bytes]] = []
        self.closed: list[str] = []
        self.gone: set[str] = set()

    def post(self, connection_id: str, data: bytes) -> bool:
        if connection_id in self.gone:
            return False
        self.posts.append((connection_id, data))
        return True

    def close(self, connection_id: str) -> None:
        self.closed.append(connection_id)
        self.gone.add(connection_id)
