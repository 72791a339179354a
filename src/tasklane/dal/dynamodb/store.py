"""``Store`` on DynamoDB.

Round trips per operation (what the benchmarks count): create, get, update and delete are
one request each — a TransactWriteItems that checks the caller's membership and writes, or
a BatchGetItem that reads the item and the membership together. A list page is two: the
membership GetItem and one Query that reads at most ``limit + 1`` items.
"""

from __future__ import annotations

import random
import time
from collections.abc import Collection, Iterator, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any, cast

from botocore.exceptions import ClientError

from tasklane.dal import aws
from tasklane.dal.dynamodb import items as it
from tasklane.domain.errors import Conflict, Forbidden, NotFound, PreconditionFailed
from tasklane.domain.ids import split_task_id
from tasklane.domain.models import (
    Priority,
    Project,
    Role,
    SortKey,
    Status,
    Task,
    TaskQuery,
    format_time,
)
from tasklane.domain.ports import Page, PageKey

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient

#: A transaction that collides with another one on the same item is retried this often
#: (its conditions are evaluated again, so a retry can never lose an update).
_CONFLICT_RETRIES = 3
_BATCH_WRITE_SIZE = 25


class _Cancelled(Exception):
    """A transaction was refused; ``reasons`` align with its TransactItems."""

    def __init__(self, reasons: list[dict[str, Any]]) -> None:
        super().__init__("transaction cancelled")
        self.reasons = reasons

    def failed(self, position: int) -> bool:
        return self.reasons[position].get("Code") == "ConditionalCheckFailed"

    def item(self, position: int) -> dict[str, Any] | None:
        return self.reasons[position].get("Item")


class DynamoStore:
    def __init__(self, table_name: str, client: DynamoDBClient | None = None) -> None:
        self._table = table_name
        self._client = client

    @property
    def _db(self) -> DynamoDBClient:
        return self._client or aws.dynamodb()

    # Building blocks ------------------------------------------------------------------
    def _member_check(
        self, project_id: str, user_id: str, roles: Collection[Role]
    ) -> dict[str, Any]:
        placeholders = {f":role{n}": {"S": role.value} for n, role in enumerate(roles)}
        return {
            "ConditionCheck": {
                "TableName": self._table,
                "Key": it.member_key(project_id, user_id),
                "ConditionExpression": f"#role IN ({', '.join(placeholders)})",
                "ExpressionAttributeNames": {"#role": "role"},
                "ExpressionAttributeValues": placeholders,
                "ReturnValuesOnConditionCheckFailure": "ALL_OLD",
            }
        }

    @staticmethod
    def _guard(expected_version: int | None) -> tuple[str, dict[str, Any]]:
        """Condition for a write to an existing item, optionally at a known version."""
        if expected_version is None:
            return "attribute_exists(pk)", {}
        return "attribute_exists(pk) AND #version = :expected", {
            ":expected": {"N": str(expected_version)}
        }

    def _transact(self, items: list[dict[str, Any]]) -> None:
        for attempt in range(_CONFLICT_RETRIES + 1):
            try:
                self._db.transact_write_items(TransactItems=items)  # type: ignore[arg-type]
                return
            except ClientError as exc:
                if exc.response["Error"]["Code"] != "TransactionCanceledException":
                    raise
                reasons = cast("list[dict[str, Any]]", exc.response.get("CancellationReasons", []))
                conflict = any(r.get("Code") == "TransactionConflict" for r in reasons)
                if not conflict or attempt == _CONFLICT_RETRIES:
                    raise _Cancelled(reasons) from exc
                time.sleep(random.uniform(0.005, 0.02) * (attempt + 1))  # noqa: S311

    @staticmethod
    def _raise_for(cancelled: _Cancelled, target: int, what: str, member: int = 0) -> None:
        """Turns a refused transaction into the error the client should see."""
        if cancelled.failed(member):
            if cancelled.item(member) is None:
                raise NotFound(f"{what} not found")
            raise Forbidden(f"your role in this project does not allow this change to the {what}")
        if cancelled.failed(target):
            if cancelled.item(target) is None:
                raise NotFound(f"{what} not found")
            raise PreconditionFailed(
                f"the {what} has changed since you read it; read it again and retry"
            )
        if any(r.get("Code") == "TransactionConflict" for r in cancelled.reasons):
            raise Conflict(f"the {what} is being changed by another request; retry")
        raise RuntimeError(f"transaction cancelled: {cancelled.reasons}")

    def _batch_get(self, keys: list[it.Key]) -> list[it.Item]:
        """Reads ``keys`` (at most 100), strongly consistent, retrying unprocessed keys."""
        found: list[it.Item] = []
        request: dict[str, Any] = {self._table: {"Keys": keys, "ConsistentRead": True}}
        while request:
            response = self._db.batch_get_item(RequestItems=request)
            found += response.get("Responses", {}).get(self._table, [])
            request = dict(response.get("UnprocessedKeys") or {})
            if request:
                time.sleep(0.05)
        return found

    # Projects -------------------------------------------------------------------------
    def create_project(self, project: Project) -> None:
        project_item, member_item = it.project_to_items(project)
        not_there = "attribute_not_exists(pk)"
        try:
            self._transact(
                [
                    {
                        "Put": {
                            "TableName": self._table,
                            "Item": project_item,
                            "ConditionExpression": not_there,
                        }
                    },
                    {
                        "Put": {
                            "TableName": self._table,
                            "Item": member_item,
                            "ConditionExpression": not_there,
                        }
                    },
                ]
            )
        except _Cancelled as exc:
            raise Conflict("project already exists") from exc

    def get_project(self, project_id: str, user_id: str) -> Project | None:
        found = self._batch_get([it.project_key(project_id), it.member_key(project_id, user_id)])
        by_sk = {item["sk"]["S"]: item for item in found}
        project, member = by_sk.get("PROJECT"), by_sk.get(f"MEMBER#{user_id}")
        if project is None or member is None:
            return None
        return it.project_from_item(project, Role(member["role"]["S"]))

    def list_projects(self, user_id: str, limit: int, start: PageKey | None) -> Page[Project]:
        query: dict[str, Any] = {
            "TableName": self._table,
            "IndexName": "gsi1",
            "KeyConditionExpression": "gsi1pk = :user",
            "ExpressionAttributeValues": {":user": {"S": it.user_pk(user_id)}},
            "Limit": limit + 1,
        }
        if start:
            query["ExclusiveStartKey"] = it.expand_key(start)
        response = self._db.query(**query)
        members = response.get("Items", [])
        next_key = _next_key(members, limit, response, ("pk", "sk", "gsi1pk", "gsi1sk"))
        members = members[:limit]
        if not members:
            return Page([], next_key)
        projects = {
            item["pk"]["S"]: item
            for item in self._batch_get([it.project_key(m["project_id"]["S"]) for m in members])
        }
        result = [
            it.project_from_item(projects[m["pk"]["S"]], Role(m["role"]["S"]))
            for m in members
            if m["pk"]["S"] in projects
        ]
        return Page(result, next_key)

    def update_project(
        self,
        project_id: str,
        user_id: str,
        roles: Collection[Role],
        changes: dict[str, Any],
        expected_version: int | None,
        now: datetime,
    ) -> None:
        condition, values = self._guard(expected_version)
        names = {"#version": "version", "#updated": "updated_at"}
        sets = ["#version = #version + :one", "#updated = :now"]
        values |= {":one": {"N": "1"}, ":now": {"S": format_time(now)}}
        for n, (field, value) in enumerate(changes.items()):
            names[f"#f{n}"] = field
            values[f":f{n}"] = it.serialize({"v": value})["v"]
            sets.append(f"#f{n} = :f{n}")
        update = {
            "Update": {
                "TableName": self._table,
                "Key": it.project_key(project_id),
                "UpdateExpression": "SET " + ", ".join(sets),
                "ConditionExpression": condition,
                "ExpressionAttributeNames": names,
                "ExpressionAttributeValues": values,
                "ReturnValuesOnConditionCheckFailure": "ALL_OLD",
            }
        }
        try:
            self._transact([self._member_check(project_id, user_id, roles), update])
        except _Cancelled as exc:
            self._raise_for(exc, target=1, what="project")

    def delete_project(
        self, project_id: str, user_id: str, roles: Collection[Role], expected_version: int | None
    ) -> None:
        member_check = self._member_check(project_id, user_id, roles)["ConditionCheck"]
        condition, values = self._guard(expected_version)
        delete_project: dict[str, Any] = {
            "TableName": self._table,
            "Key": it.project_key(project_id),
            "ConditionExpression": condition,
            "ReturnValuesOnConditionCheckFailure": "ALL_OLD",
        }
        if values:
            delete_project |= {
                "ExpressionAttributeNames": {"#version": "version"},
                "ExpressionAttributeValues": values,
            }
        try:
            self._transact([{"Delete": member_check}, {"Delete": delete_project}])
        except _Cancelled as exc:
            self._raise_for(exc, target=1, what="project")

    def project_has_tasks(self, project_id: str) -> bool:
        response = self._db.query(
            TableName=self._table,
            KeyConditionExpression="pk = :pk AND begins_with(sk, :task)",
            ExpressionAttributeValues={
                ":pk": {"S": it.project_pk(project_id)},
                ":task": {"S": "TASK#"},
            },
            ProjectionExpression="pk",
            ConsistentRead=True,
            Limit=1,
        )
        return bool(response.get("Items"))

    def _partition_keys(self, project_id: str) -> Iterator[it.Key]:
        query: dict[str, Any] = {
            "TableName": self._table,
            "KeyConditionExpression": "pk = :pk",
            "ExpressionAttributeValues": {":pk": {"S": it.project_pk(project_id)}},
            "ProjectionExpression": "pk, sk",
            "ConsistentRead": True,
        }
        while True:
            response = self._db.query(**query)
            for item in response.get("Items", []):
                yield {"pk": item["pk"], "sk": item["sk"]}
            if "LastEvaluatedKey" not in response:
                return
            query["ExclusiveStartKey"] = response["LastEvaluatedKey"]

    def purge_project(self, project_id: str) -> int:
        deleted = 0
        batch: list[it.Key] = []
        for key in self._partition_keys(project_id):
            batch.append(key)
            if len(batch) == _BATCH_WRITE_SIZE:
                deleted += self._delete_keys(batch)
                batch = []
        if batch:
            deleted += self._delete_keys(batch)
        return deleted

    def _delete_keys(self, keys: Sequence[it.Key]) -> int:
        request: dict[str, Any] = {self._table: [{"DeleteRequest": {"Key": key}} for key in keys]}
        while request:
            response = self._db.batch_write_item(RequestItems=request)
            request = dict(response.get("UnprocessedItems") or {})
            if request:
                time.sleep(0.05)
        return len(keys)

    # Tasks ----------------------------------------------------------------------------
    def create_task(self, task: Task, user_id: str, roles: Collection[Role]) -> None:
        put = {
            "Put": {
                "TableName": self._table,
                "Item": it.task_to_item(task),
                "ConditionExpression": "attribute_not_exists(pk)",
            }
        }
        try:
            self._transact([self._member_check(task.project_id, user_id, roles), put])
        except _Cancelled as exc:
            if exc.failed(1):
                raise Conflict("a task with this id already exists") from exc
            self._raise_for(exc, target=1, what="project")

    def get_task(self, task_id: str, user_id: str) -> Task | None:
        parts = split_task_id(task_id)
        if parts is None:
            return None
        found = self._batch_get([it.task_key(task_id), it.member_key(parts[0], user_id)])
        task = next((i for i in found if i["sk"]["S"].startswith("TASK#")), None)
        member = any(i["sk"]["S"] == f"MEMBER#{user_id}" for i in found)
        return it.task_from_item(task) if task is not None and member else None

    def update_task(
        self,
        task_id: str,
        user_id: str,
        roles: Collection[Role],
        changes: dict[str, Any],
        expected_version: int | None,
        now: datetime,
    ) -> None:
        parts = split_task_id(task_id)
        if parts is None:
            raise NotFound("task not found")
        condition, values = self._guard(expected_version)
        expression = _TaskUpdate(task_id, now)
        for field, value in changes.items():
            expression.change(field, value)
        update = {
            "Update": {
                "TableName": self._table,
                "Key": it.task_key(task_id),
                "UpdateExpression": expression.render(),
                "ConditionExpression": condition,
                "ExpressionAttributeNames": expression.names,
                "ExpressionAttributeValues": values | expression.values,
                "ReturnValuesOnConditionCheckFailure": "ALL_OLD",
            }
        }
        try:
            self._transact([self._member_check(parts[0], user_id, roles), update])
        except _Cancelled as exc:
            self._raise_for(exc, target=1, what="task")

    def delete_task(
        self, task_id: str, user_id: str, roles: Collection[Role], expected_version: int | None
    ) -> None:
        parts = split_task_id(task_id)
        if parts is None:
            raise NotFound("task not found")
        condition, values = self._guard(expected_version)
        delete: dict[str, Any] = {
            "TableName": self._table,
            "Key": it.task_key(task_id),
            "ConditionExpression": condition,
            "ReturnValuesOnConditionCheckFailure": "ALL_OLD",
        }
        if values:
            delete |= {
                "ExpressionAttributeNames": {"#version": "version"},
                "ExpressionAttributeValues": values,
            }
        try:
            self._transact([self._member_check(parts[0], user_id, roles), {"Delete": delete}])
        except _Cancelled as exc:
            self._raise_for(exc, target=1, what="task")

    def list_tasks(
        self, project_id: str, user_id: str, query: TaskQuery, start: PageKey | None
    ) -> Page[Task]:
        member = self._db.get_item(
            TableName=self._table,
            Key=it.member_key(project_id, user_id),
            ConsistentRead=True,
            ProjectionExpression="pk",
        )
        if "Item" not in member:
            raise NotFound("project not found")
        request, key_names = _task_query(self._table, project_id, query)
        if start:
            request["ExclusiveStartKey"] = it.expand_key(start)
        response = self._db.query(**request)
        found = response.get("Items", [])
        next_key = _next_key(found, query.limit, response, key_names)
        return Page([it.task_from_item(item) for item in found[: query.limit]], next_key)


class _TaskUpdate:
    """Builds one UpdateExpression: changed fields, their index keys, version and times."""

    def __init__(self, task_id: str, now: datetime) -> None:
        self._task_id = task_id
        self.names = {"#version": "version", "#updated": "updated_at"}
        self.values: dict[str, Any] = {":one": {"N": "1"}, ":now": {"S": format_time(now)}}
        self._sets = ["#version = #version + :one", "#updated = :now"]
        self._removes: list[str] = []

    def _set(self, attribute: str, value: Any) -> None:
        n = len(self.names)
        self.names[f"#a{n}"] = attribute
        self.values[f":a{n}"] = it.serialize({"v": value})["v"]
        self._sets.append(f"#a{n} = :a{n}")

    def _remove(self, attribute: str) -> None:
        n = len(self.names)
        self.names[f"#a{n}"] = attribute
        self._removes.append(f"#a{n}")

    def change(self, field: str, value: Any) -> None:
        if field == "due_at":
            if value is None:
                self._remove("due_at")
            else:
                self._set("due_at", value)
            self._set("lsi_due_sk", it.due_sort_key(value, self._task_id))
        elif field == "priority":
            priority = Priority(value)
            self._set("priority", priority.value)
            self._set("lsi_priority_sk", it.priority_sort_key(priority, self._task_id))
        elif field == "status":
            status = Status(value)
            self._set("status", status.value)
            if status is Status.done:
                # Completing a done task again keeps its first completion time.
                self.names["#completed"] = "completed_at"
                self._sets.append("#completed = if_not_exists(#completed, :now)")
            else:
                self._remove("completed_at")
        else:
            self._set(field, value)

    def render(self) -> str:
        expression = "SET " + ", ".join(self._sets)
        if self._removes:
            expression += " REMOVE " + ", ".join(self._removes)
        return expression


def _task_query(
    table: str, project_id: str, query: TaskQuery
) -> tuple[dict[str, Any], tuple[str, ...]]:
    """The Query for one list page, and the key attributes of the index it reads."""
    names: dict[str, str] = {}
    values: dict[str, Any] = {":pk": {"S": it.project_pk(project_id)}}
    filters: list[str] = []
    request: dict[str, Any] = {
        "TableName": table,
        "Limit": query.limit + 1,
        "ScanIndexForward": query.order == "asc",
        "ConsistentRead": True,
    }
    after = format_time(query.due_after) if query.due_after else None
    before = format_time(query.due_before) if query.due_before else None

    if query.sort is SortKey.due:
        request["IndexName"] = "lsi_due"
        key_names: tuple[str, ...] = ("pk", "sk", "lsi_due_sk")
        key_condition = "pk = :pk"
        if after or before:
            # "DUE#<t>" sorts before every "DUE#<t>#<task>", and ":" after every digit, so
            # BETWEEN gives exactly after <= due_at < before, without undated tasks.
            key_condition += " AND lsi_due_sk BETWEEN :lo AND :hi"
            values[":lo"] = {"S": f"DUE#{after or ''}"}
            values[":hi"] = {"S": f"DUE#{before or ':'}"}
    elif query.sort is SortKey.priority:
        request["IndexName"] = "lsi_priority"
        key_names = ("pk", "sk", "lsi_priority_sk")
        key_condition = "pk = :pk"
    else:
        key_names = ("pk", "sk")
        key_condition = "pk = :pk AND begins_with(sk, :task)"
        values[":task"] = {"S": "TASK#"}

    if query.sort is not SortKey.due:
        if after:
            names["#due"] = "due_at"
            values[":after"] = {"S": after}
            filters.append("#due >= :after")
        if before:
            names["#due"] = "due_at"
            values[":before"] = {"S": before}
            filters.append("#due < :before")
    if query.status is not None:
        names["#status"] = "status"
        values[":status"] = {"S": query.status.value}
        filters.append("#status = :status")
    if query.priority is not None:
        names["#priority"] = "priority"
        values[":priority"] = {"S": query.priority.value}
        filters.append("#priority = :priority")
    if query.label is not None:
        names["#labels"] = "labels"
        values[":label"] = {"S": query.label}
        filters.append("contains(#labels, :label)")

    request["KeyConditionExpression"] = key_condition
    request["ExpressionAttributeValues"] = values
    if names:
        request["ExpressionAttributeNames"] = names
    if filters:
        request["FilterExpression"] = " AND ".join(filters)
    return request, key_names


def _next_key(
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
