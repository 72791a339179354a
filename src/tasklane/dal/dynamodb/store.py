"""``Store`` on DynamoDB.

Round trips per operation (what the benchmarks count): create, get, update and delete are
one request each — a TransactWriteItems that checks the caller's membership and writes, or
a BatchGetItem that reads the item and the membership together. A list page is two: the
membership GetItem (or a BatchGetItem of the membership and the task, for comments) and one
Query that reads at most ``limit + 1`` items. Exceptions, each said at its method: the
tasks assigned to the caller are one Query (gsi1, no membership read: a stream consumer
unassigns removed members), and the first page of members may take a third request (the
owner's membership, when the caller is someone else).
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
from tasklane.domain.errors import (
    Conflict,
    Forbidden,
    NotFound,
    PreconditionFailed,
    ValidationFailed,
)
from tasklane.domain.ids import split_task_id
from tasklane.domain.models import (
    Comment,
    Member,
    Person,
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
#: The assignee named by a write is not a member of the task's project.
NOT_A_MEMBER = {"assignee_id": "must be a member of the project"}


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

    def _exists_check(self, key: it.Key) -> dict[str, Any]:
        return {
            "ConditionCheck": {
                "TableName": self._table,
                "Key": key,
                "ConditionExpression": "attribute_exists(pk)",
            }
        }

    def _assignee_check(
        self, project_id: str, user_id: str, assignee_id: str | None
    ) -> list[dict[str, Any]]:
        """The assignee's membership, in the write's transaction. None: nothing to check;
        the caller: their own check covers it (a transaction may touch an item once)."""
        if assignee_id is None or assignee_id == user_id:
            return []
        return [self._exists_check(it.member_key(project_id, assignee_id))]

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

    def _page(
        self, request: dict[str, Any], limit: int, start: PageKey | None, keys: tuple[str, ...]
    ) -> tuple[list[it.Item], PageKey | None]:
        """One Query of ``limit + 1`` items from ``start``: the page and where the next one
        starts."""
        if start:
            request["ExclusiveStartKey"] = it.expand_key(start)
        response = self._db.query(**request, Limit=limit + 1)
        found = response.get("Items", [])
        return found[:limit], _next_key(found, limit, response, keys)

    def _gsi1_page(
        self, partition: str, limit: int, start: PageKey | None
    ) -> tuple[list[it.Item], PageKey | None]:
        request = {
            "TableName": self._table,
            "IndexName": "gsi1",
            "KeyConditionExpression": "gsi1pk = :pk",
            "ExpressionAttributeValues": {":pk": {"S": partition}},
        }
        return self._page(request, limit, start, _GSI1_KEYS)

    # Projects -------------------------------------------------------------------------
    def create_project(self, project: Project, owner: Person | None = None) -> None:
        project_item, member_item = it.project_to_items(project, owner)
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
        members, next_key = self._gsi1_page(it.user_pk(user_id), limit, start)
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

    def _partition_keys(self, project_id: str, prefix: str = "") -> Iterator[it.Key]:
        """The keys of the project's items (whose sort key starts with ``prefix``)."""
        values = {":pk": {"S": it.project_pk(project_id)}}
        condition = "pk = :pk"
        if prefix:
            values[":prefix"] = {"S": prefix}
            condition += " AND begins_with(sk, :prefix)"
        query: dict[str, Any] = {
            "TableName": self._table,
            "KeyConditionExpression": condition,
            "ExpressionAttributeValues": values,
            "ProjectionExpression": "pk, sk",
            "ConsistentRead": True,
        }
        return self._keys(query)

    def _keys(self, query: dict[str, Any]) -> Iterator[it.Key]:
        """The primary keys of every item the Query finds, page by page."""
        while True:
            response = self._db.query(**query)
            for item in response.get("Items", []):
                yield {"pk": item["pk"], "sk": item["sk"]}
            if "LastEvaluatedKey" not in response:
                return
            query["ExclusiveStartKey"] = response["LastEvaluatedKey"]

    def purge_project(self, project_id: str) -> int:
        return self._delete_all(self._partition_keys(project_id))

    def _delete_all(self, keys: Iterator[it.Key]) -> int:
        deleted = 0
        batch: list[it.Key] = []
        for key in keys:
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
        assignee = self._assignee_check(task.project_id, user_id, task.assignee_id)
        try:
            self._transact([self._member_check(task.project_id, user_id, roles), *assignee, put])
        except _Cancelled as exc:
            if assignee and exc.failed(1) and not exc.failed(0):
                raise ValidationFailed("the assignee is not a member", NOT_A_MEMBER) from exc
            if exc.failed(1 + len(assignee)):
                raise Conflict("a task with this id already exists") from exc
            self._raise_for(exc, target=1 + len(assignee), what="project")

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
        expression = _TaskUpdate(task_id, user_id, now)
        for field, value in changes.items():
            expression.change(field, value)
        rendered = expression.render()
        update = {
            "Update": {
                "TableName": self._table,
                "Key": it.task_key(task_id),
                "UpdateExpression": rendered,
                "ConditionExpression": condition,
                "ExpressionAttributeNames": expression.names,
                "ExpressionAttributeValues": values | expression.values,
                "ReturnValuesOnConditionCheckFailure": "ALL_OLD",
            }
        }
        assignee = self._assignee_check(parts[0], user_id, changes.get("assignee_id"))
        try:
            self._transact([self._member_check(parts[0], user_id, roles), *assignee, update])
        except _Cancelled as exc:
            if assignee and exc.failed(1) and not exc.failed(0):
                raise ValidationFailed("the assignee is not a member", NOT_A_MEMBER) from exc
            self._raise_for(exc, target=1 + len(assignee), what="task")

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
        found, next_key = self._page(request, query.limit, start, key_names)
        return Page([it.task_from_item(item) for item in found], next_key)

    # Assignments ----------------------------------------------------------------------
    def list_assigned(self, user_id: str, limit: int, start: PageKey | None) -> Page[Task]:
        """One Query on gsi1 (eventually consistent, like every GSI read)."""
        found, next_key = self._gsi1_page(it.assignee_pk(user_id), limit, start)
        return Page([it.task_from_item(item) for item in found], next_key)

    def clear_assignments(self, project_id: str, user_id: str, now: datetime) -> int:
        """One Query page on gsi1 per 100 of the user's assignments, then one
        TransactWriteItems per task of the project: the unassignment, with checks that the
        user has not become a member again (then their assignments stand) and that the
        project still exists (a deleted one's tasks are purged)."""
        changed = 0
        for key in self._assigned_keys(project_id, user_id):
            unassign = {
                "Update": {
                    "TableName": self._table,
                    "Key": key,
                    "UpdateExpression": "SET #version = #version + :one, #updated = :now, "
                    "#by = :user REMOVE #assignee, #gsi1pk",
                    "ConditionExpression": "#assignee = :user",
                    "ExpressionAttributeNames": {
                        "#version": "version",
                        "#updated": "updated_at",
                        "#by": "updated_by",
                        "#assignee": "assignee_id",
                        "#gsi1pk": "gsi1pk",
                    },
                    "ExpressionAttributeValues": {
                        ":one": {"N": "1"},
                        ":now": {"S": format_time(now)},
                        ":user": {"S": user_id},
                    },
                }
            }
            gone = {
                "ConditionCheck": {
                    "TableName": self._table,
                    "Key": it.member_key(project_id, user_id),
                    "ConditionExpression": "attribute_not_exists(pk)",
                }
            }
            # A deleted project's tasks are purged anyway: no pointless changes to them.
            project = self._exists_check(it.project_key(project_id))
            try:
                self._transact([gone, project, unassign])
            except _Cancelled as exc:
                if exc.failed(0) or exc.failed(1):
                    return changed  # a member again, or the project is gone
                continue  # reassigned or deleted meanwhile: nothing to clear
            changed += 1
        return changed

    def _assigned_keys(self, project_id: str, user_id: str) -> Iterator[it.Key]:
        query: dict[str, Any] = {
            "TableName": self._table,
            "IndexName": "gsi1",
            "KeyConditionExpression": "gsi1pk = :assignee",
            "FilterExpression": "#project = :project",
            "ExpressionAttributeNames": {"#project": "project_id"},
            "ExpressionAttributeValues": {
                ":assignee": {"S": it.assignee_pk(user_id)},
                ":project": {"S": project_id},
            },
            "ProjectionExpression": "pk, sk",
            "Limit": 100,
        }
        return self._keys(query)

    # Members --------------------------------------------------------------------------
    def create_member(
        self, project_id: str, member: Member, user_id: str, roles: Collection[Role]
    ) -> None:
        """One TransactWriteItems: the caller's role and the new membership."""
        if member.user_id == user_id:
            raise Conflict("you are already a member of this project")
        put = {
            "Put": {
                "TableName": self._table,
                "Item": it.member_to_item(project_id, member),
                "ConditionExpression": "attribute_not_exists(pk)",
            }
        }
        try:
            self._transact([self._member_check(project_id, user_id, roles), put])
        except _Cancelled as exc:
            if not exc.failed(0) and exc.failed(1):
                raise Conflict("the user is already a member of this project") from exc
            self._raise_for(exc, target=1, what="project")

    def get_member(self, project_id: str, member_id: str, user_id: str) -> Member | None:
        """One BatchGetItem: the membership asked for and the caller's."""
        keys = [it.member_key(project_id, user_id)]
        if member_id != user_id:
            keys.append(it.member_key(project_id, member_id))
        by_sk = {item["sk"]["S"]: item for item in self._batch_get(keys)}
        if f"MEMBER#{user_id}" not in by_sk:
            return None
        found = by_sk.get(f"MEMBER#{member_id}")
        return it.member_from_item(found) if found is not None else None

    def list_members(
        self, project_id: str, user_id: str, limit: int, start: PageKey | None
    ) -> Page[Member]:
        """A BatchGetItem (the caller's membership and the project, for its owner), one
        Query (the other members, at most ``limit + 1`` read), and on the first page a
        GetItem of the owner's membership when the caller is not the owner: 2-3 requests."""
        mine, project = it.member_key(project_id, user_id), it.project_key(project_id)
        by_sk = {item["sk"]["S"]: item for item in self._batch_get([mine, project])}
        if mine["sk"]["S"] not in by_sk or "PROJECT" not in by_sk:
            raise NotFound("project not found")
        owner_id = by_sk["PROJECT"]["owner_id"]["S"]
        first: list[Member] = []
        if start is None:
            owner = by_sk.get(f"MEMBER#{owner_id}") or self._db.get_item(
                TableName=self._table, Key=it.member_key(project_id, owner_id), ConsistentRead=True
            ).get("Item")
            if owner is not None:
                first.append(it.member_from_item(owner))
            # The owner takes one place of the first page; the Query fills the others,
            # starting before every membership ("MEMBER#" sorts before "MEMBER#<id>").
            start, limit = {"pk": mine["pk"]["S"], "sk": "MEMBER#"}, limit - len(first)
            if limit == 0:
                return Page(first, start)
        request = {
            "TableName": self._table,
            "KeyConditionExpression": "pk = :pk AND begins_with(sk, :member)",
            "FilterExpression": "#role <> :owner",
            "ExpressionAttributeNames": {"#role": "role"},
            "ExpressionAttributeValues": {
                ":pk": mine["pk"],
                ":member": {"S": "MEMBER#"},
                ":owner": {"S": Role.owner.value},
            },
            "ConsistentRead": True,
        }
        found, next_key = self._page(request, limit, start, ("pk", "sk"))
        return Page(first + [it.member_from_item(item) for item in found], next_key)

    def update_member(
        self, project_id: str, member_id: str, user_id: str, roles: Collection[Role], role: Role
    ) -> None:
        """One TransactWriteItems: the caller's role, and the change unless it is the
        owner's membership (of one's own role: the one write, the role in its condition)."""
        update = _member_write(
            {
                "Update": {
                    "TableName": self._table,
                    "Key": it.member_key(project_id, member_id),
                    "UpdateExpression": "SET #role = :role",
                    "ExpressionAttributeValues": {":role": {"S": role.value}},
                }
            },
            "Update",
        )
        self._member_change(project_id, member_id, user_id, roles, update, "Update")

    def remove_member(
        self, project_id: str, member_id: str, user_id: str, roles: Collection[Role]
    ) -> None:
        """One TransactWriteItems: the caller's role and the removal (for leaving, of the
        caller's own membership alone, its role in the delete's condition)."""
        delete = _member_write(
            {"Delete": {"TableName": self._table, "Key": it.member_key(project_id, member_id)}},
            "Delete",
        )
        self._member_change(project_id, member_id, user_id, roles, delete, "Delete")

    def _member_change(
        self,
        project_id: str,
        member_id: str,
        user_id: str,
        roles: Collection[Role],
        write: dict[str, Any],
        kind: str,
    ) -> None:
        if member_id == user_id:
            # One item, once per transaction: the caller's role joins the write's condition.
            check = self._member_check(project_id, user_id, roles)["ConditionCheck"]
            body = write[kind]
            body["ConditionExpression"] += f" AND {check['ConditionExpression']}"
            body["ExpressionAttributeValues"] |= check["ExpressionAttributeValues"]
            items = [write]
        else:
            items = [self._member_check(project_id, user_id, roles), write]
        try:
            self._transact(items)
        except _Cancelled as exc:
            if len(items) == 1 and exc.failed(0):
                _raise_member_refusal(exc.item(0), refused=True)
            if len(items) == 2 and not exc.failed(0) and exc.failed(1):
                _raise_member_refusal(exc.item(1))
            self._raise_for(exc, target=len(items) - 1, what="member")

    # Comments -------------------------------------------------------------------------
    def create_comment(self, comment: Comment, user_id: str, roles: Collection[Role]) -> None:
        """One TransactWriteItems: the caller's role, the task's existence, the comment."""
        project_id = it.task_project(comment.task_id)
        put = {
            "Put": {
                "TableName": self._table,
                "Item": it.comment_to_item(comment),
                "ConditionExpression": "attribute_not_exists(pk)",
            }
        }
        task = self._exists_check(it.task_key(comment.task_id))
        try:
            self._transact([self._member_check(project_id, user_id, roles), task, put])
        except _Cancelled as exc:
            if exc.failed(0):
                self._raise_for(exc, target=1, what="task")
            if exc.failed(1):
                raise NotFound("task not found") from exc
            if exc.failed(2):
                raise Conflict("a comment with this id already exists") from exc
            self._raise_for(exc, target=2, what="comment")

    def get_comment(self, task_id: str, comment_id: str, user_id: str) -> Comment | None:
        """One BatchGetItem: the comment and the caller's membership."""
        key = it.comment_key(task_id, comment_id)
        mine = it.member_key(it.task_project(task_id), user_id)
        by_sk = {item["sk"]["S"]: item for item in self._batch_get([key, mine])}
        found = by_sk.get(key["sk"]["S"])
        if found is None or mine["sk"]["S"] not in by_sk:
            return None
        return it.comment_from_item(found)

    def list_comments(
        self, task_id: str, user_id: str, limit: int, start: PageKey | None
    ) -> Page[Comment]:
        """Two requests: a BatchGetItem (the caller's membership and the task) and one
        Query of the task's comments reading at most ``limit + 1`` items."""
        project_id = it.task_project(task_id)
        keys = [it.member_key(project_id, user_id), it.task_key(task_id)]
        if len(self._batch_get(keys)) < len(keys):
            raise NotFound("task not found")
        request = {
            "TableName": self._table,
            "KeyConditionExpression": "pk = :pk AND begins_with(sk, :prefix)",
            "ExpressionAttributeValues": {
                ":pk": {"S": it.project_pk(project_id)},
                ":prefix": {"S": it.comment_prefix(task_id)},
            },
            "ConsistentRead": True,
        }
        found, next_key = self._page(request, limit, start, ("pk", "sk"))
        return Page([it.comment_from_item(item) for item in found], next_key)

    def update_comment(
        self,
        task_id: str,
        comment_id: str,
        user_id: str,
        roles: Collection[Role],
        body: str,
        expected_version: int | None,
        now: datetime,
    ) -> None:
        """One TransactWriteItems: the caller's role, and the change of their comment."""
        update = self._comment_write(
            "Update", task_id, comment_id, user_id, expected_version, author_only=True
        )
        write = update["Update"]
        write["UpdateExpression"] = "SET #body = :body, #updated = :now, #version = #version + :one"
        write.setdefault("ExpressionAttributeNames", {}).update(
            {"#body": "body", "#updated": "updated_at", "#version": "version"}
        )
        write.setdefault("ExpressionAttributeValues", {}).update(
            {":body": {"S": body}, ":now": {"S": format_time(now)}, ":one": {"N": "1"}}
        )
        self._comment_transact(task_id, user_id, roles, update, user_id)

    def delete_comment(
        self,
        task_id: str,
        comment_id: str,
        user_id: str,
        roles: Collection[Role],
        expected_version: int | None,
        *,
        any_author: bool,
    ) -> None:
        """One TransactWriteItems: the caller's role, and the deletion."""
        delete = self._comment_write(
            "Delete", task_id, comment_id, user_id, expected_version, author_only=not any_author
        )
        self._comment_transact(task_id, user_id, roles, delete, None if any_author else user_id)

    def _comment_write(
        self,
        kind: str,
        task_id: str,
        comment_id: str,
        user_id: str,
        expected_version: int | None,
        *,
        author_only: bool,
    ) -> dict[str, Any]:
        condition, values = self._guard(expected_version)
        names: dict[str, str] = {"#version": "version"} if expected_version is not None else {}
        if author_only:
            condition += " AND #author = :me"
            names["#author"] = "author_id"
            values[":me"] = {"S": user_id}
        body: dict[str, Any] = {
            "TableName": self._table,
            "Key": it.comment_key(task_id, comment_id),
            "ConditionExpression": condition,
            "ReturnValuesOnConditionCheckFailure": "ALL_OLD",
        }
        # DynamoDB refuses empty expression maps: only what the condition uses.
        if names:
            body["ExpressionAttributeNames"] = names
        if values:
            body["ExpressionAttributeValues"] = values
        return {kind: body}

    def _comment_transact(
        self,
        task_id: str,
        user_id: str,
        roles: Collection[Role],
        write: dict[str, Any],
        author: str | None,
    ) -> None:
        member = self._member_check(it.task_project(task_id), user_id, roles)
        try:
            self._transact([member, write])
        except _Cancelled as exc:
            if not exc.failed(0) and exc.failed(1):
                _raise_comment_refusal(exc.item(1), author)
            self._raise_for(exc, target=1, what="comment")

    def purge_task_comments(self, task_id: str) -> int:
        """A Query (keys only) per 1 MB of comments and a BatchWriteItem per 25."""
        return self._delete_all(
            self._partition_keys(it.task_project(task_id), it.comment_prefix(task_id))
        )


#: The key attributes of gsi1 pages (the table's keys break ties).
_GSI1_KEYS = ("pk", "sk", "gsi1pk", "gsi1sk")


def _member_write(write: dict[str, Any], kind: str) -> dict[str, Any]:
    """A write of an existing membership that is not the owner's."""
    body = write[kind]
    body["ConditionExpression"] = "attribute_exists(pk) AND #role <> :owner"
    body["ExpressionAttributeNames"] = {"#role": "role"}
    body["ExpressionAttributeValues"] = body.get("ExpressionAttributeValues", {}) | {
        ":owner": {"S": Role.owner.value}
    }
    body["ReturnValuesOnConditionCheckFailure"] = "ALL_OLD"
    return write


def _raise_member_refusal(item: it.Item | None, *, refused: bool = False) -> None:
    """Why a membership write was refused: it is not there, it is the owner's, or (for a
    change of one's own membership, ``refused``) the caller's role does not allow it."""
    if item is None:
        raise NotFound("member not found")
    if item.get("role", {}).get("S") == Role.owner.value:
        raise Conflict("the owner's membership cannot change; the owner cannot leave")
    if refused:
        raise Forbidden("your role in this project does not allow this change to the member")
    raise RuntimeError("membership write refused for no known reason")


def _raise_comment_refusal(item: it.Item | None, author: str | None) -> None:
    if item is None:
        raise NotFound("comment not found")
    if author is not None and item.get("author_id", {}).get("S") != author:
        raise Forbidden("only its author can change this comment")
    raise PreconditionFailed("the comment has changed since you read it; read it again and retry")


class _TaskUpdate:
    """Builds one UpdateExpression: changed fields, their index keys, version and times."""

    def __init__(self, task_id: str, user_id: str, now: datetime) -> None:
        self._task_id = task_id
        self.names = {"#version": "version", "#updated": "updated_at", "#by": "updated_by"}
        self.values: dict[str, Any] = {
            ":one": {"N": "1"},
            ":now": {"S": format_time(now)},
            ":by": {"S": user_id},
        }
        self._sets = ["#version = #version + :one", "#updated = :now", "#by = :by"]
        self._removes: list[str] = []
        self._due_changed = self._assigned = False

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
            due_key = it.due_sort_key(value, self._task_id)
            self._set("lsi_due_sk", due_key)
            self._set("gsi1sk", due_key)
            self._due_changed = True
        elif field == "assignee_id":
            if value is None:
                # Off gsi1: without its partition key the item is not on the index.
                self._remove("assignee_id")
                self._remove("gsi1pk")
            else:
                self._set("assignee_id", value)
                self._set("gsi1pk", it.assignee_pk(value))
                self._assigned = True
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
        if self._assigned and not self._due_changed:
            # Items older than gsi1sk's mirror of the due key get it when first assigned.
            self.names |= {"#gsi1sk": "gsi1sk", "#lsi_due": "lsi_due_sk"}
            self._sets.append("#gsi1sk = #lsi_due")
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
