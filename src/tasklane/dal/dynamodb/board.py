"""``BoardStore`` on DynamoDB: the board index (``gsi_board``) and moves.

The index has a partition per status column (``BOARD#<project id>#<status>``) sorted by
``<position>#<task ulid>``, so a column page is a key condition; the task item carries
``position``, ``board_pk`` and ``board_sk`` from its creation (``items.task_to_item``), and a
status change by PATCH moves it to the other partition at the same position.

Round trips: a column page is two — a BatchGetItem of the caller's membership and the project
item, and one Query that reads at most ``limit + 1`` items (every column in turn, without a
status: one Query per column reached, still ``limit + 1`` items in all). A move is one
TransactWriteItems: the caller's role, each neighbour still in the column at the position the
client saw, and the task's conditional update. That update refuses a task in the trash, and
a recurring task moved to Done whose next occurrence is not written yet: its refusal carries
the task, which the caller completes with its next occurrence (``complete_occurrence``). The
reads a move may need first are one request each: ``placements`` (a BatchGetItem),
``last_position`` and ``position_after`` (a Query of one item).

**Tasks written before positions existed** have no board keys, so the index does not hold
them. A project item without ``board_indexed`` says some may exist: its first board read
gives each such task its creation key (the position the API already shows for it) with a
conditional update, then marks the project — once per project, no migration. Such an update
leaves ``version`` alone: nothing a client sees changes.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import datetime
from typing import Any

from botocore.exceptions import ClientError

from tasklane.dal.dynamodb import items as it
from tasklane.dal.dynamodb.table import Table, TransactionCancelled
from tasklane.dal.dynamodb.task_updates import explain_refusal, guard_completion
from tasklane.dal.dynamodb.tasks import add_filters
from tasklane.domain.board import NeighboursMoved, Placement, default_position
from tasklane.domain.errors import NotFound
from tasklane.domain.models import Role, Status, Task, TaskQuery, format_time
from tasklane.domain.ports.pages import Page, PageKey

#: The key attributes of a board index page (the table's keys break ties).
BOARD_KEYS = ("pk", "sk", "board_pk", "board_sk")
#: Sorts after every ULID character: ``<position>#~`` is past every task at ``position``.
_PAST_TIES = "#~"
#: A task that changes while it is being indexed is read and tried again this often.
_INDEX_ATTEMPTS = 3


def board_columns(query: TaskQuery) -> list[Status]:
    """The columns a board listing walks, in order."""
    columns = [query.status] if query.status is not None else list(Status)
    return columns if query.order == "asc" else columns[::-1]


class DynamoBoard:
    def __init__(self, table: Table) -> None:
        self._table = table

    # Reading the board ---------------------------------------------------------------
    def list_board(
        self, project_id: str, user_id: str, query: TaskQuery, start: PageKey | None
    ) -> Page[Task]:
        member, project = it.member_key(project_id, user_id), it.project_key(project_id)
        found = self._table.batch_get([member, project], ("pk", "sk", it.BOARD_INDEXED))
        by_sk = {item["sk"]["S"]: item for item in found}
        if member["sk"]["S"] not in by_sk or "PROJECT" not in by_sk:
            raise NotFound("project not found")
        if it.BOARD_INDEXED not in by_sk["PROJECT"]:
            self.index_project(project_id)
        columns = board_columns(query)
        resume: PageKey | None = None
        if start is not None:
            # A cursor names its column; without board_sk it starts at that column's top.
            names = [it.board_pk(project_id, status) for status in columns]
            if start.get("board_pk") in names:
                columns = columns[names.index(start["board_pk"]) :]
            resume = start if "board_sk" in start else None
        return self._walk(project_id, query, columns, resume)

    def _walk(
        self, project_id: str, query: TaskQuery, columns: list[Status], resume: PageKey | None
    ) -> Page[Task]:
        """Reads the columns in turn until ``limit + 1`` items are read or they end."""
        budget, found = query.limit + 1, []
        for n, status in enumerate(columns):
            request = self._column_query(project_id, status, query)
            if resume is not None:
                request["ExclusiveStartKey"] = it.expand_key(resume)
                resume = None
            response = self._table.client.query(**request, Limit=budget)
            found += response.get("Items", [])
            budget -= int(response.get("ScannedCount", len(response.get("Items", []))))
            if len(found) > query.limit:
                last = found[query.limit - 1]
                key = {name: last[name]["S"] for name in BOARD_KEYS}
                return Page(_tasks(found[: query.limit]), key)
            if "LastEvaluatedKey" in response:
                return Page(_tasks(found), it.flatten_key(response["LastEvaluatedKey"]))
            if budget <= 0 and n + 1 < len(columns):
                return Page(_tasks(found), {"board_pk": it.board_pk(project_id, columns[n + 1])})
        return Page(_tasks(found), None)

    def _column_query(self, project_id: str, status: Status, query: TaskQuery) -> dict[str, Any]:
        request: dict[str, Any] = {
            "TableName": self._table.name,
            "IndexName": it.BOARD_INDEX,
            "KeyConditionExpression": "board_pk = :column",
            "ExpressionAttributeValues": {":column": {"S": it.board_pk(project_id, status)}},
            "ScanIndexForward": query.order == "asc",
        }
        add_filters(request, query, due=True, status=False)
        return request

    def placements(
        self, project_id: str, user_id: str, task_ids: Collection[str]
    ) -> dict[str, Placement] | None:
        keys = [it.member_key(project_id, user_id), *(it.task_key(i) for i in task_ids)]
        attributes = ("pk", "sk", "task_id", "status", "position", "version", "deleted_at")
        found = self._table.batch_get(keys, attributes)
        if not any(item["sk"]["S"] == f"MEMBER#{user_id}" for item in found):
            return None
        result = {}
        for item in found:
            # A task in the trash is off the board: as good as missing.
            if item["sk"]["S"].startswith("TASK#") and "deleted_at" not in item:
                placement = _placement(item)
                result[placement.task_id] = placement
        return result

    def last_position(self, project_id: str, status: Status) -> str | None:
        return self._edge(project_id, status, None)

    def position_after(self, project_id: str, status: Status, position: str) -> str | None:
        return self._edge(project_id, status, position)

    def _edge(self, project_id: str, status: Status, after: str | None) -> str | None:
        """The column's last position, or (``after`` given) the first one past ``after``."""
        values = {":column": {"S": it.board_pk(project_id, status)}}
        condition = "board_pk = :column"
        if after is not None:
            values[":after"] = {"S": after + _PAST_TIES}
            condition += " AND board_sk > :after"
        response = self._table.client.query(
            TableName=self._table.name,
            IndexName=it.BOARD_INDEX,
            KeyConditionExpression=condition,
            ExpressionAttributeValues=values,
            ExpressionAttributeNames={"#position": "position"},
            ProjectionExpression="#position",
            ScanIndexForward=after is not None,
            Limit=1,
        )
        items = response.get("Items", [])
        return str(items[0]["position"]["S"]) if items else None

    # Moving ----------------------------------------------------------------------------
    def move_task(
        self,
        target: Placement,
        user_id: str,
        roles: Collection[Role],
        neighbours: Sequence[Placement],
        expected_version: int | None,
        now: datetime,
    ) -> None:
        project_id = it.task_project(target.task_id)
        checks = [self._neighbour_check(neighbour) for neighbour in neighbours]
        actions = [
            self._table.member_check(project_id, user_id, roles),
            *checks,
            self._move(target, user_id, expected_version, now),
        ]
        try:
            self._table.transact(actions, writable_project=project_id)
        except TransactionCancelled as exc:
            if not exc.failed(0) and any(exc.failed(1 + n) for n in range(len(checks))):
                raise NeighboursMoved(
                    "a neighbour moved since you read the column; read it again",
                    {"neighbours": [n.task_id for n in neighbours]},
                ) from exc
            moved = len(actions) - 1
            found = exc.item(moved) if exc.failed(moved) and not exc.failed(0) else None
            explain_refusal(found, target.status is Status.done, expected_version)
            exc.raise_for(target=moved, what="task")

    def _neighbour_check(self, neighbour: Placement) -> dict[str, Any]:
        """Still in that column at that position, and not in the trash (a task never moved
        since positions existed has no stored one: its creation key is its position)."""
        condition = (
            "attribute_not_exists(#deleted) AND #status = :status AND (#position = :position"
        )
        if neighbour.position == default_position(neighbour.task_id):
            condition += " OR attribute_not_exists(#position)"
        return {
            "ConditionCheck": {
                "TableName": self._table.name,
                "Key": it.task_key(neighbour.task_id),
                "ConditionExpression": condition + ")",
                "ExpressionAttributeNames": {
                    "#status": "status",
                    "#position": "position",
                    "#deleted": "deleted_at",
                },
                "ExpressionAttributeValues": {
                    ":status": {"S": neighbour.status.value},
                    ":position": {"S": neighbour.position},
                },
            }
        }

    def _move(
        self, target: Placement, user_id: str, expected_version: int | None, now: datetime
    ) -> dict[str, Any]:
        condition, values = Table.guard(expected_version)
        names = {
            "#version": "version",
            "#updated": "updated_at",
            "#by": "updated_by",
            "#status": "status",
            "#position": "position",
            "#board_pk": "board_pk",
            "#board_sk": "board_sk",
            "#completed": "completed_at",
            "#c_deleted": "deleted_at",
        }
        # A task in the trash is not on the board (404, as a PATCH answers).
        condition += " AND attribute_not_exists(#c_deleted)"
        if target.status is Status.done:
            # A recurring task is completed with its next occurrence (complete_occurrence):
            # this plain move is refused for it, and the refusal returns the task.
            condition += " AND " + guard_completion(names, values)
        values |= {
            ":one": {"N": "1"},
            ":now": {"S": format_time(now)},
            ":by": {"S": user_id},
            ":status": {"S": target.status.value},
            ":position": {"S": target.position},
            ":board_pk": {"S": it.board_pk(it.task_project(target.task_id), target.status)},
            ":board_sk": {"S": it.board_sk(target.position, target.task_id)},
        }
        expression = (
            "SET #version = #version + :one, #updated = :now, #by = :by, #status = :status, "
            "#position = :position, #board_pk = :board_pk, #board_sk = :board_sk"
        )
        if target.status is Status.done:
            # Completing a done task again keeps its first completion time (as a PATCH).
            expression += ", #completed = if_not_exists(#completed, :now)"
        else:
            expression += " REMOVE #completed"
        return {
            "Update": {
                "TableName": self._table.name,
                "Key": it.task_key(target.task_id),
                "UpdateExpression": expression,
                "ConditionExpression": condition,
                "ExpressionAttributeNames": names,
                "ExpressionAttributeValues": values,
                "ReturnValuesOnConditionCheckFailure": "ALL_OLD",
            }
        }

    # Tasks written before positions existed ---------------------------------------------
    def index_project(self, project_id: str) -> int:
        """Puts the project's tasks that have no board keys on the board index (at their
        creation keys) and marks the project; returns how many it indexed. Idempotent:
        concurrent runs write the same keys, and a task written meanwhile keeps its own."""
        query: dict[str, Any] = {
            "TableName": self._table.name,
            "KeyConditionExpression": "pk = :pk AND begins_with(sk, :task)",
            "FilterExpression": "attribute_not_exists(board_sk)",
            "ProjectionExpression": "pk, sk, task_id, #status",
            "ExpressionAttributeNames": {"#status": "status"},
            "ExpressionAttributeValues": {
                ":pk": {"S": it.project_pk(project_id)},
                ":task": {"S": "TASK#"},
            },
            "ConsistentRead": True,
        }
        indexed = 0
        while True:
            response = self._table.client.query(**query)
            for item in response.get("Items", []):
                indexed += self._index_task(item)
            if "LastEvaluatedKey" not in response:
                break
            query["ExclusiveStartKey"] = response["LastEvaluatedKey"]
        try:
            self._table.client.update_item(
                TableName=self._table.name,
                Key=it.project_key(project_id),
                UpdateExpression="SET #indexed = :yes",
                ConditionExpression="attribute_exists(pk)",
                ExpressionAttributeNames={"#indexed": it.BOARD_INDEXED},
                ExpressionAttributeValues={":yes": {"BOOL": True}},
            )
        except ClientError as exc:
            if exc.response["Error"]["Code"] != "ConditionalCheckFailedException":
                raise
        return indexed

    def _index_task(self, item: it.Item) -> int:
        task_id = item["task_id"]["S"]
        project_id = it.task_project(task_id)
        position = default_position(task_id)
        for _ in range(_INDEX_ATTEMPTS):
            try:
                self._table.client.update_item(
                    TableName=self._table.name,
                    Key={"pk": item["pk"], "sk": item["sk"]},
                    UpdateExpression="SET #board_pk = :column, #board_sk = :key, "
                    "#position = if_not_exists(#position, :position)",
                    ConditionExpression="attribute_exists(pk) "
                    "AND attribute_not_exists(#board_sk) AND #status = :status",
                    ExpressionAttributeNames={
                        "#board_pk": "board_pk",
                        "#board_sk": "board_sk",
                        "#position": "position",
                        "#status": "status",
                    },
                    ExpressionAttributeValues={
                        ":column": {"S": it.board_pk(project_id, item["status"]["S"])},
                        ":key": {"S": it.board_sk(position, task_id)},
                        ":position": {"S": position},
                        ":status": item["status"],
                    },
                )
                return 1
            except ClientError as exc:
                if exc.response["Error"]["Code"] != "ConditionalCheckFailedException":
                    raise
            # Deleted, indexed by a write meanwhile, or its status changed: read it again.
            current = self._table.client.get_item(
                TableName=self._table.name,
                Key={"pk": item["pk"], "sk": item["sk"]},
                ConsistentRead=True,
                ProjectionExpression="pk, sk, task_id, #status, board_sk",
                ExpressionAttributeNames={"#status": "status"},
            ).get("Item")
            if current is None or "board_sk" in current:
                return 0
            item = current
        return 0


def _placement(item: it.Item) -> Placement:
    task_id = item["task_id"]["S"]
    position = item.get("position", {}).get("S") or default_position(task_id)
    return Placement(task_id, Status(item["status"]["S"]), position, int(item["version"]["N"]))


def _tasks(items: list[it.Item]) -> list[Task]:
    return [it.task_from_item(item) for item in items]
