"""The one table, as every DynamoDB adapter uses it: transactions, batch reads, pages.

Each adapter (projects, tasks, members, comments, attachments, notifications) holds a
:class:`Table` and builds its own requests; what they share lives here, once:

- :meth:`Table.transact` runs a TransactWriteItems, retrying collisions with another
  transaction, and raises :class:`TransactionCancelled` when a condition refused it: the
  one way a refused transaction is decoded (which action failed, and the item it found).
- :meth:`Table.batch_get` reads up to 100 keys strongly consistent, retrying unprocessed keys.
- :meth:`Table.page` reads one page of a Query (``limit + 1`` items) and says where the next
  one starts; :func:`next_key` is that rule on its own (the fakes use it too).
- :meth:`Table.keys` and :meth:`Table.delete_all` walk and purge a set of items.
- :meth:`Table.member_check` and :meth:`Table.exists_check` are the ConditionChecks most
  writes start with: the caller's role in the project, or an item's existence.
"""

from __future__ import annotations

import random
import time
import uuid
from collections.abc import Callable, Collection, Iterator, Sequence
from typing import TYPE_CHECKING, Any, NoReturn, cast

from botocore.exceptions import ClientError

from tasklane.dal.dynamodb import items as it
from tasklane.domain.errors import Conflict, Forbidden, NotFound, PreconditionFailed
from tasklane.domain.models import Role
from tasklane.domain.ports.pages import PageKey
from tasklane.domain.trash import project_archived

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient

#: A transaction that collides with another one on the same item is retried this often
#: (its conditions are evaluated again, so a retry can never lose an update).
CONFLICT_RETRIES = 3
BATCH_WRITE_SIZE = 25
#: The key attributes of gsi1 pages (the table's keys break ties).
GSI1_KEYS = ("pk", "sk", "gsi1pk", "gsi1sk")


class TransactionCancelled(Exception):
    """A transaction was refused; ``reasons`` align with its TransactItems."""

    def __init__(self, reasons: list[dict[str, Any]]) -> None:
        super().__init__("transaction cancelled")
        self.reasons = reasons

    def failed(self, position: int) -> bool:
        """The action at ``position`` failed its condition."""
        return self.reasons[position].get("Code") == "ConditionalCheckFailed"

    def item(self, position: int) -> it.Item | None:
        """The item the action at ``position`` found (``ReturnValuesOnConditionCheckFailure``
        ``ALL_OLD``); None when there was none or it was not asked for."""
        return self.reasons[position].get("Item")

    @property
    def condition_failed(self) -> bool:
        """Some condition failed (rather than a lasting collision with another writer)."""
        return any(r.get("Code") == "ConditionalCheckFailed" for r in self.reasons)

    @property
    def collided(self) -> bool:
        return any(r.get("Code") == "TransactionConflict" for r in self.reasons)

    def raise_for(self, target: int, what: str, member: int = 0) -> NoReturn:
        """The error the client should see, for a write at ``target`` guarded by the
        caller's membership check at ``member``."""
        if self.failed(member):
            if self.item(member) is None:
                raise NotFound(f"{what} not found")
            raise Forbidden(f"your role in this project does not allow this change to the {what}")
        if self.failed(target):
            if self.item(target) is None:
                raise NotFound(f"{what} not found")
            raise PreconditionFailed(
                f"the {what} has changed since you read it; read it again and retry"
            )
        if self.collided:
            raise Conflict(f"the {what} is being changed by another request; retry")
        raise RuntimeError(f"transaction cancelled: {self.reasons}")


class Table:
    """One DynamoDB table and the client that reaches it (made on first use)."""

    def __init__(self, name: str, client: Callable[[], DynamoDBClient]) -> None:
        self.name = name
        self._client = client

    @property
    def client(self) -> DynamoDBClient:
        return self._client()

    # Condition checks ----------------------------------------------------------------
    def member_check(
        self, project_id: str, user_id: str, roles: Collection[Role]
    ) -> dict[str, Any]:
        """The caller is a member of the project with one of ``roles`` (the item found is
        returned on failure: absent means NotFound, another role Forbidden)."""
        placeholders = {f":role{n}": {"S": role.value} for n, role in enumerate(roles)}
        return {
            "ConditionCheck": {
                "TableName": self.name,
                "Key": it.member_key(project_id, user_id),
                "ConditionExpression": f"#role IN ({', '.join(placeholders)})",
                "ExpressionAttributeNames": {"#role": "role"},
                "ExpressionAttributeValues": placeholders,
                "ReturnValuesOnConditionCheckFailure": "ALL_OLD",
            }
        }

    def check_role(self, project_id: str, user_id: str, roles: Collection[Role], what: str) -> None:
        """A read's access check (one GetItem): NotFound unless the caller is a member,
        Forbidden unless with one of ``roles``."""
        found = self.client.get_item(
            TableName=self.name,
            Key=it.member_key(project_id, user_id),
            ConsistentRead=True,
            ProjectionExpression="#role",
            ExpressionAttributeNames={"#role": "role"},
        ).get("Item")
        if found is None:
            raise NotFound(f"{what} not found")
        if found["role"]["S"] not in {role.value for role in roles}:
            raise Forbidden(f"your role in this project does not allow this on the {what}")

    def exists_check(self, key: it.Key) -> dict[str, Any]:
        return {
            "ConditionCheck": {
                "TableName": self.name,
                "Key": key,
                "ConditionExpression": "attribute_exists(pk)",
            }
        }

    def live_project_check(self, project_id: str) -> dict[str, Any]:
        """The project exists and is not marked deleted (a consumer's late write into a
        project being purged writes nothing)."""
        return {
            "ConditionCheck": {
                "TableName": self.name,
                "Key": it.project_key(project_id),
                "ConditionExpression": "attribute_exists(pk) AND attribute_not_exists(#deleted)",
                "ExpressionAttributeNames": {"#deleted": "deleted_at"},
            }
        }

    def _writable(self, project_id: str) -> dict[str, Any]:
        # A project item not written yet (a new user's Inbox) is not archived either. A
        # project marked deleted takes no writes (its members are gone, so their check
        # speaks first; this one holds for writes without one).
        return {
            "ConditionCheck": {
                "TableName": self.name,
                "Key": it.project_key(project_id),
                "ConditionExpression": "attribute_not_exists(#archived) "
                "AND attribute_not_exists(#deleted)",
                "ExpressionAttributeNames": {"#archived": "archived_at", "#deleted": "deleted_at"},
                "ReturnValuesOnConditionCheckFailure": "ALL_OLD",
            }
        }

    def guarded_delete(self, key: it.Key, expected_version: int | None) -> dict[str, Any]:
        """The Delete action of an existing item, optionally at a known version (the item
        found is returned on failure: absent means NotFound, another version 412)."""
        condition, values = self.guard(expected_version)
        delete: dict[str, Any] = {
            "TableName": self.name,
            "Key": key,
            "ConditionExpression": condition,
            "ReturnValuesOnConditionCheckFailure": "ALL_OLD",
        }
        if values:
            delete |= {
                "ExpressionAttributeNames": {"#version": "version"},
                "ExpressionAttributeValues": values,
            }
        return {"Delete": delete}

    @staticmethod
    def guard(expected_version: int | None) -> tuple[str, dict[str, Any]]:
        """Condition for a write to an existing item, optionally at a known version."""
        if expected_version is None:
            return "attribute_exists(pk)", {}
        return "attribute_exists(pk) AND #version = :expected", {
            ":expected": {"N": str(expected_version)}
        }

    # Requests ------------------------------------------------------------------------
    def transact(self, actions: list[dict[str, Any]], writable_project: str | None = None) -> None:
        """One TransactWriteItems. Raises :class:`TransactionCancelled` when a condition
        refused it, or when it still collided after :data:`CONFLICT_RETRIES` retries.

        ``writable_project``: the write goes into that project, which must not be archived
        (409) nor marked deleted (404) (a ConditionCheck appended last, so the actions'
        positions stay as the caller's; their first is the caller's membership check, which
        speaks first when both fail).
        """
        if writable_project is not None:
            actions = [*actions, self._writable(writable_project)]
        for attempt in range(CONFLICT_RETRIES + 1):
            try:
                # The token makes the SDK's own retry (after a timeout) idempotent: without
                # it, a retried create meets its own first write and answers 409.
                self.client.transact_write_items(
                    TransactItems=actions,  # type: ignore[arg-type]
                    ClientRequestToken=str(uuid.uuid4()),
                )
                return
            except ClientError as exc:
                if exc.response["Error"]["Code"] != "TransactionCanceledException":
                    raise
                reasons = cast("list[dict[str, Any]]", exc.response.get("CancellationReasons", []))
                cancelled = TransactionCancelled(reasons)
                # The project's check is last; the caller's membership, first, speaks first.
                closed = writable_project is not None and cancelled.failed(len(actions) - 1)
                if closed and not cancelled.failed(0):
                    if "deleted_at" in (cancelled.item(len(actions) - 1) or {}):
                        raise NotFound("project not found") from exc
                    raise project_archived() from exc
                if not cancelled.collided or attempt == CONFLICT_RETRIES:
                    raise cancelled from exc
                time.sleep(random.uniform(0.005, 0.02) * (attempt + 1))  # noqa: S311

    def batch_get(
        self, keys: list[it.Key], attributes: Sequence[str] | None = None
    ) -> list[it.Item]:
        """Reads ``keys`` (at most 100), strongly consistent, retrying unprocessed keys;
        ``attributes`` projects each item to those names."""
        request: dict[str, Any] = {"Keys": keys, "ConsistentRead": True}
        if attributes:
            names = {f"#a{n}": name for n, name in enumerate(attributes)}
            request |= {
                "ProjectionExpression": ", ".join(names),
                "ExpressionAttributeNames": names,
            }
        pending: dict[str, Any] = {self.name: request}
        found: list[it.Item] = []
        while pending:
            response = self.client.batch_get_item(RequestItems=pending)
            found += response.get("Responses", {}).get(self.name, [])
            pending = dict(response.get("UnprocessedKeys") or {})
            if pending:
                time.sleep(0.05)
        return found

    def page(
        self, request: dict[str, Any], limit: int, start: PageKey | None, keys: tuple[str, ...]
    ) -> tuple[list[it.Item], PageKey | None]:
        """One Query of ``limit + 1`` items from ``start``: the page and where the next one
        starts (``keys``: the key attributes of the table or index it reads)."""
        if start:
            request["ExclusiveStartKey"] = it.expand_key(start)
        response = self.client.query(**request, Limit=limit + 1)
        found = response.get("Items", [])
        return found[:limit], next_key(found, limit, response, keys)

    def gsi1_page(
        self,
        partition: str,
        limit: int,
        start: PageKey | None,
        forward: bool = True,
        *,
        hidden: bool = True,
    ) -> tuple[list[it.Item], PageKey | None]:
        """``hidden=False`` leaves out the items marked ``deleted_at`` (a task's prepared
        next occurrence, on its assignee's list before it is revealed)."""
        request: dict[str, Any] = {
            "TableName": self.name,
            "IndexName": "gsi1",
            "KeyConditionExpression": "gsi1pk = :pk",
            "ExpressionAttributeValues": {":pk": {"S": partition}},
            "ScanIndexForward": forward,
        }
        if not hidden:
            request["FilterExpression"] = "attribute_not_exists(#deleted)"
            request["ExpressionAttributeNames"] = {"#deleted": "deleted_at"}
        return self.page(request, limit, start, GSI1_KEYS)

    def require_member(self, project_id: str, user_id: str) -> None:
        """One consistent read of the caller's membership; NotFound (the project is none of
        theirs) when absent."""
        member = self.client.get_item(
            TableName=self.name,
            Key=it.member_key(project_id, user_id),
            ConsistentRead=True,
            ProjectionExpression="pk",
        )
        if "Item" not in member:
            raise NotFound("project not found")

    def keys(self, query: dict[str, Any]) -> Iterator[it.Key]:
        """The primary keys of every item the Query finds, page by page."""
        while True:
            response = self.client.query(**query)
            for item in response.get("Items", []):
                yield {"pk": item["pk"], "sk": item["sk"]}
            if "LastEvaluatedKey" not in response:
                return
            query["ExclusiveStartKey"] = response["LastEvaluatedKey"]

    def partition_keys(self, project_id: str, prefix: str = "") -> Iterator[it.Key]:
        """The keys of the project's items (whose sort key starts with ``prefix``)."""
        values = {":pk": {"S": it.project_pk(project_id)}}
        condition = "pk = :pk"
        if prefix:
            values[":prefix"] = {"S": prefix}
            condition += " AND begins_with(sk, :prefix)"
        return self.keys(
            {
                "TableName": self.name,
                "KeyConditionExpression": condition,
                "ExpressionAttributeValues": values,
                "ProjectionExpression": "pk, sk",
                "ConsistentRead": True,
            }
        )

    def delete_all(self, keys: Iterator[it.Key]) -> int:
        """Deletes every key, a BatchWriteItem per 25; returns how many."""
        deleted = 0
        batch: list[it.Key] = []
        for key in keys:
            batch.append(key)
            if len(batch) == BATCH_WRITE_SIZE:
                deleted += self.delete_keys(batch)
                batch = []
        if batch:
            deleted += self.delete_keys(batch)
        return deleted

    def delete_keys(self, keys: Sequence[it.Key]) -> int:
        """One BatchWriteItem of up to 25 deletes, retrying unprocessed items."""
        request: dict[str, Any] = {self.name: [{"DeleteRequest": {"Key": key}} for key in keys]}
        while request:
            response = self.client.batch_write_item(RequestItems=request)
            request = dict(response.get("UnprocessedItems") or {})
            if request:
                time.sleep(0.05)
        return len(keys)


def next_key(
    found: Sequence[it.Item], limit: int, response: Any, key_names: tuple[str, ...]
) -> PageKey | None:
    """Where the next page starts.

    The Query read ``limit + 1`` items. If more than ``limit`` matched, the page ends at the
    last item shown; otherwise it ends where DynamoDB stopped reading (a filtered page may
    be short while more items follow).
    """
    if len(found) > limit:
        last = found[limit - 1]
        return {name: last[name]["S"] for name in key_names}
    evaluated = response.get("LastEvaluatedKey")
    return it.flatten_key(evaluated) if evaluated else None
