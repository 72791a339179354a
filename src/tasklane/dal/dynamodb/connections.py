"""``ConnectionStore`` on DynamoDB (docs/realtime.md, docs/architecture.md "The table").

======================  =======================  =================  =========================
item                    pk                       sk                 other
======================  =======================  =================  =========================
connection              CONNECTION#<conn id>     CONNECTION         user_id, projects (a set),
                                                                    token_expires_at;
                                                                    gsi1: LIVEUSER#<user id>,
                                                                    <conn id>; TTL expires_at
subscription            LIVE#<project id>        <conn id>          user_id, role,
                                                                    token_expires_at; TTL
======================  =======================  =================  =========================

``token_expires_at`` is the connection's ID token's ``exp``, copied onto each subscription so
the fan-out's Queries see it without another read. TTL (``expires_at``) is only clean-up,
past API Gateway's 2-hour limit.

Subscriptions have their own partition per project, not the project's: a project's readers
(lists, the purge, the export) never meet them, and the fan-out's Query for a project's
subscribers reads nothing else. Their ``type`` is one no stream consumer handles.

Round trips: opening is one PutItem; subscribing a GetItem of the membership and one
TransactWriteItems (the membership unchanged, the subscription, the connection's set);
unsubscribing a BatchWriteItem and an UpdateItem; closing a GetItem and a BatchWriteItem
per 25 items; a project's subscribers one Query (one per 1 MB page), a user's connections
one Query.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from tasklane.dal.dynamodb import items as it
from tasklane.dal.dynamodb.table import Table, TransactionCancelled
from tasklane.domain.errors import LimitReached, NotFound
from tasklane.domain.models import Role
from tasklane.domain.ports.live import (
    CONNECTION_TTL_SECONDS,
    MAX_SUBSCRIPTIONS,
    OpenConnection,
    Subscriber,
)

CONNECTION_TYPE = "live_connection"
SUBSCRIPTION_TYPE = "live_subscription"


def connection_key(connection_id: str) -> it.Key:
    return {"pk": {"S": f"CONNECTION#{connection_id}"}, "sk": {"S": "CONNECTION"}}


def subscription_pk(project_id: str) -> str:
    return f"LIVE#{project_id}"


def subscription_key(project_id: str, connection_id: str) -> it.Key:
    return {"pk": {"S": subscription_pk(project_id)}, "sk": {"S": connection_id}}


def user_connections_pk(user_id: str) -> str:
    return f"LIVEUSER#{user_id}"


def expires_at(now: datetime) -> int:
    return int(now.timestamp()) + CONNECTION_TTL_SECONDS


def connection_item(
    connection_id: str, user_id: str, now: datetime, token_expires_at: int
) -> it.Item:
    return {
        **connection_key(connection_id),
        "type": {"S": CONNECTION_TYPE},
        "user_id": {"S": user_id},
        "gsi1pk": {"S": user_connections_pk(user_id)},
        "gsi1sk": {"S": connection_id},
        "token_expires_at": {"N": str(token_expires_at)},
        "expires_at": {"N": str(expires_at(now))},
    }


def subscription_item(
    project_id: str,
    connection_id: str,
    user_id: str,
    role: Role,
    now: datetime,
    token_expires_at: int,
) -> it.Item:
    return {
        **subscription_key(project_id, connection_id),
        "type": {"S": SUBSCRIPTION_TYPE},
        "user_id": {"S": user_id},
        "role": {"S": role.value},
        "token_expires_at": {"N": str(token_expires_at)},
        "expires_at": {"N": str(expires_at(now))},
    }


def _token_expires_at(item: it.Item) -> int | None:
    # Absent on items written before expiries were stored (gone within 2 hours of a deploy).
    value = item.get("token_expires_at", {}).get("N")
    return int(value) if value is not None else None


def subscriber(item: it.Item) -> Subscriber:
    return Subscriber(
        connection_id=item["sk"]["S"],
        user_id=item["user_id"]["S"],
        role=Role(item["role"]["S"]),
        token_expires_at=_token_expires_at(item),
    )


def user_connection(item: it.Item) -> OpenConnection:
    """A user's connection from its gsi1 entry."""
    return OpenConnection(item["gsi1sk"]["S"], _token_expires_at(item))


class DynamoConnections:
    def __init__(self, table: Table) -> None:
        self._table = table

    def open_connection(
        self, connection_id: str, user_id: str, now: datetime, token_expires_at: int
    ) -> None:
        item = connection_item(connection_id, user_id, now, token_expires_at)
        self._table.client.put_item(TableName=self._table.name, Item=item)

    def close_connection(self, connection_id: str) -> None:
        found = self._table.client.get_item(
            TableName=self._table.name,
            Key=connection_key(connection_id),
            ConsistentRead=True,
            ProjectionExpression="projects",
        ).get("Item")
        if found is None:
            return
        projects = found.get("projects", {}).get("SS", [])
        keys = [connection_key(connection_id)]
        keys += [subscription_key(project_id, connection_id) for project_id in projects]
        self._table.delete_all(iter(keys))

    def subscribe(
        self,
        connection_id: str,
        user_id: str,
        project_id: str,
        now: datetime,
        token_expires_at: int,
    ) -> Role:
        member = self._table.client.get_item(
            TableName=self._table.name,
            Key=it.member_key(project_id, user_id),
            ConsistentRead=True,
            ProjectionExpression="#role",
            ExpressionAttributeNames={"#role": "role"},
        ).get("Item")
        if member is None:
            raise NotFound("project not found")
        role = Role(member["role"]["S"])
        subscription = subscription_item(
            project_id, connection_id, user_id, role, now, token_expires_at
        )
        actions: list[dict[str, Any]] = [
            {
                "ConditionCheck": {
                    "TableName": self._table.name,
                    "Key": it.member_key(project_id, user_id),
                    "ConditionExpression": "#role = :role",
                    "ExpressionAttributeNames": {"#role": "role"},
                    "ExpressionAttributeValues": {":role": {"S": role.value}},
                }
            },
            {"Put": {"TableName": self._table.name, "Item": subscription}},
            {
                "Update": {
                    "TableName": self._table.name,
                    "Key": connection_key(connection_id),
                    "UpdateExpression": "ADD projects :project",
                    # The connection is this user's, and has room (or has the project).
                    "ConditionExpression": "user_id = :user AND (attribute_not_exists(projects)"
                    " OR size(projects) < :max OR contains(projects, :id))",
                    "ExpressionAttributeValues": {
                        ":project": {"SS": [project_id]},
                        ":id": {"S": project_id},
                        ":user": {"S": user_id},
                        ":max": {"N": str(MAX_SUBSCRIPTIONS)},
                    },
                    "ReturnValuesOnConditionCheckFailure": "ALL_OLD",
                }
            },
        ]
        try:
            self._table.transact(actions)
        except TransactionCancelled as exc:
            if exc.failed(0):
                raise NotFound("project not found") from None
            if exc.failed(2):
                found = exc.item(2)
                if found is None or found.get("user_id", {}).get("S") != user_id:
                    raise NotFound("connection not found") from None
                raise LimitReached(
                    "subscriptions",
                    MAX_SUBSCRIPTIONS,
                    f"a connection follows at most {MAX_SUBSCRIPTIONS} projects",
                ) from None
            raise
        return role

    def unsubscribe(self, connection_id: str, project_id: str) -> None:
        self.drop_subscriptions(project_id, [connection_id])

    def subscribers(self, project_id: str) -> list[Subscriber]:
        found = self._query_all(
            {
                "KeyConditionExpression": "pk = :pk",
                "ExpressionAttributeValues": {":pk": {"S": subscription_pk(project_id)}},
                # A subscription acknowledged a moment ago must be seen.
                "ConsistentRead": True,
            }
        )
        return [subscriber(item) for item in found]

    def user_connections(self, user_id: str) -> list[OpenConnection]:
        found = self._query_all(
            {
                "IndexName": "gsi1",
                "KeyConditionExpression": "gsi1pk = :pk",
                "ExpressionAttributeValues": {":pk": {"S": user_connections_pk(user_id)}},
                "ProjectionExpression": "gsi1sk, token_expires_at",
            }
        )
        return [user_connection(item) for item in found]

    def _query_all(self, query: dict[str, Any]) -> list[it.Item]:
        """Every item the Query finds: one request per 1 MB page (one, in practice)."""
        query = {"TableName": self._table.name, **query}
        found: list[it.Item] = []
        while True:
            response = self._table.client.query(**query)
            found += response.get("Items", [])
            if "LastEvaluatedKey" not in response:
                return found
            query["ExclusiveStartKey"] = response["LastEvaluatedKey"]

    def drop_subscriptions(self, project_id: str, connection_ids: Sequence[str]) -> None:
        if not connection_ids:
            return
        self._table.delete_all(iter([subscription_key(project_id, c) for c in connection_ids]))
        for connection_id in connection_ids:
            # Only the connection's count of subscriptions; a connection gone meanwhile
            # must not be written back into existence.
            try:
                self._table.client.update_item(
                    TableName=self._table.name,
                    Key=connection_key(connection_id),
                    UpdateExpression="DELETE projects :project",
                    ConditionExpression="attribute_exists(pk)",
                    ExpressionAttributeValues={":project": {"SS": [project_id]}},
                )
            except self._table.client.exceptions.ConditionalCheckFailedException:
                continue
