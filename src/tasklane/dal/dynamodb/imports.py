"""``ImportSink`` on DynamoDB: an import's writes, each with the claim of its key.

Round trips: a project is one TransactWriteItems (the claim, the project, the owner's
membership); a task is one TransactWriteItems of at most 100 actions (the importer's
membership check, the assignee's when there is one, the claim, the task and its first
comments); each further comment is one conditional PutItem. A claim that exists already
cancels the transaction and returns what it names (``ReturnValuesOnConditionCheckFailure``),
so a re-run reads nothing up front.

Imports count as the API's writes do (``counters``): a project under the owner's project
limit, a task under its project's task limit, each in its own transaction (a refusal is
``LimitReached``, which stops the import); a task's ``comment_count`` starts at the comments
written with it, and :meth:`add_comments` adds the rest (one UpdateItem per task).

Claims are items of their own type (``import_claim``), which the stream consumers skip.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import Any

from botocore.exceptions import ClientError

from tasklane.dal.dynamodb import counters
from tasklane.dal.dynamodb import items as it
from tasklane.dal.dynamodb.counters import COMMENT_COUNT
from tasklane.dal.dynamodb.table import Table, TransactionCancelled
from tasklane.dal.dynamodb.tasks import NOT_A_MEMBER
from tasklane.domain.errors import Conflict, ValidationFailed
from tasklane.domain.models import Comment, Person, Project, Role, Task
from tasklane.domain.ports.limits import Quota

#: A transaction holds at most 100 actions: the checks, the claim, the task and its count
#: take 5.
TRANSACTION_COMMENTS = 90


def _put(table: Table, item: it.Item, *, return_old: bool = False) -> dict[str, Any]:
    put: dict[str, Any] = {
        "TableName": table.name,
        "Item": item,
        "ConditionExpression": "attribute_not_exists(pk)",
    }
    if return_old:
        put["ReturnValuesOnConditionCheckFailure"] = "ALL_OLD"
    return {"Put": put}


def _claim(key: it.Key, claimed_key: str, **values: str) -> it.Item:
    return {**key, **it.serialize({"type": "import_claim", "key": claimed_key, **values})}


class DynamoImportSink:
    def __init__(self, table: Table) -> None:
        self._table = table

    def transaction_comments(self) -> int:
        return TRANSACTION_COMMENTS

    def create_project(
        self, key: str, project: Project, owner: Person, quota: Quota | None = None
    ) -> str:
        claim = _claim(it.project_claim_key(project.owner_id, key), key, project_id=project.id)
        project_item, member_item = it.project_to_items(project, owner)
        counter = counters.user_counters_key(project.owner_id)
        counted = (
            counters.raise_by_one(self._table.name, counter, "projects", quota.maximum)
            if quota is not None
            else counters.raise_unbounded(self._table.name, counter, "projects")
        )
        try:
            self._table.transact(
                [
                    _put(self._table, claim, return_old=True),
                    _put(self._table, project_item),
                    _put(self._table, member_item),
                    counted,
                ]
            )
        except TransactionCancelled as exc:
            earlier = exc.item(0)
            if exc.failed(0) and earlier is not None:
                return str(earlier["project_id"]["S"])
            if exc.failed(1) or exc.failed(2):
                raise Conflict("a project with this id already exists") from exc
            if quota is not None and exc.failed(3):
                raise counters.limit_reached(quota, "projects") from exc
            raise
        return project.id

    def create_task(
        self,
        key: str,
        task: Task,
        comments: Sequence[Comment],
        user_id: str,
        roles: Collection[Role],
        quota: Quota | None = None,
    ) -> tuple[str, bool]:
        if len(comments) > TRANSACTION_COMMENTS:
            raise ValueError(f"at most {TRANSACTION_COMMENTS} comments go with the task")
        checks = [self._table.member_check(task.project_id, user_id, roles)]
        if task.assignee_id is not None and task.assignee_id != user_id:
            checks.append(
                self._table.exists_check(it.member_key(task.project_id, task.assignee_id))
            )
        claim = _claim(it.task_claim_key(task.project_id, key), key, task_id=task.id)
        task_item = it.task_to_item(task) | {COMMENT_COUNT: {"N": str(len(comments))}}
        actions = [
            *checks,
            _put(self._table, claim, return_old=True),
            _put(self._table, task_item),
            *(_put(self._table, it.comment_to_item(c)) for c in comments),
            counters.count_task(self._table.name, task.project_id, quota),
        ]
        claim_at = len(checks)
        try:
            # Like every other write: an archived project (409) or one being purged (404)
            # takes no imported task.
            self._table.transact(actions, writable_project=task.project_id)
        except TransactionCancelled as exc:
            if exc.failed(0):
                exc.raise_for(target=claim_at + 1, what="project")
            if claim_at == 2 and exc.failed(1):
                raise ValidationFailed("the assignee is not a member", NOT_A_MEMBER) from exc
            earlier = exc.item(claim_at)
            if exc.failed(claim_at) and earlier is not None:
                return str(earlier["task_id"]["S"]), False
            if quota is not None and exc.failed(len(actions) - 1):
                raise counters.limit_reached(quota, "tasks in this project") from exc
            if any(exc.failed(n) for n in range(claim_at + 1, len(actions) - 1)):
                raise Conflict("an imported task or comment with this id exists") from exc
            raise
        return task.id, True

    def add_comments(self, comments: Sequence[Comment]) -> int:
        written = 0
        for comment in comments:
            try:
                self._table.client.put_item(
                    TableName=self._table.name,
                    Item=it.comment_to_item(comment),
                    ConditionExpression="attribute_not_exists(pk)",
                )
            except ClientError as exc:
                if exc.response["Error"]["Code"] != "ConditionalCheckFailedException":
                    raise
                continue
            written += 1
        if written:
            # Counted on the task item as a comment's create does (not under the limit: the
            # import's own comments-per-task limit is lower).
            try:
                self._table.client.update_item(
                    TableName=self._table.name,
                    Key=it.task_key(comments[0].task_id),
                    UpdateExpression="ADD #count :n",
                    ConditionExpression="attribute_exists(pk)",
                    ExpressionAttributeNames={"#count": COMMENT_COUNT},
                    ExpressionAttributeValues={":n": {"N": str(written)}},
                )
            except ClientError as exc:  # the task was deleted meanwhile: nothing to count
                if exc.response["Error"]["Code"] != "ConditionalCheckFailedException":
                    raise
        return written
