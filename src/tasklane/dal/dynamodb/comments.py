"""``CommentStore`` on DynamoDB: comments in the task's project partition, sort key
``COMMENT#<task ulid>#<comment ulid>``, so a task's comments are one Query, oldest first.

Round trips: create, change and delete are one TransactWriteItems each (the caller's
membership check with the write; creating also checks that the task exists); reading one is
a BatchGetItem of the comment and the membership; a page is a BatchGetItem (membership and
task) and one Query reading at most ``limit + 1`` items.

Comments per task (``LimitSettings.comments_per_task``) are counted by ``comment_count`` on
the task item: creating raises it in the Update that also checks the task is there and not
in the trash (a transaction may touch the task item once), refused at the limit (409
``limit_reached``); deleting lowers it. Nothing that reads task items looks at it (the
stream consumers, the projection and the webhooks take named fields), as for
``attachment_count``.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime
from typing import Any, NoReturn

from tasklane.dal.dynamodb import counters
from tasklane.dal.dynamodb import items as it
from tasklane.dal.dynamodb.table import Table, TransactionCancelled
from tasklane.domain.errors import Conflict, Forbidden, NotFound, PreconditionFailed
from tasklane.domain.models import Comment, Role, format_time
from tasklane.domain.ports.limits import Quota
from tasklane.domain.ports.pages import Page, PageKey


class DynamoComments:
    def __init__(self, table: Table) -> None:
        self._table = table

    def create_comment(
        self, comment: Comment, user_id: str, roles: Collection[Role], quota: Quota | None = None
    ) -> None:
        """One TransactWriteItems: the caller's role, the task's existence and its count of
        comments (under ``quota``), the comment."""
        project_id = it.task_project(comment.task_id)
        put = {
            "Put": {
                "TableName": self._table.name,
                "Item": it.comment_to_item(comment),
                "ConditionExpression": "attribute_not_exists(pk)",
            }
        }
        task = self._count_comment(comment.task_id, quota)
        try:
            self._table.transact(
                [self._table.member_check(project_id, user_id, roles), task, put],
                writable_project=project_id,
            )
        except TransactionCancelled as exc:
            if exc.failed(0):
                exc.raise_for(target=1, what="task")
            if exc.failed(1):
                found = exc.item(1)
                if quota is not None and found is not None and not it.is_trashed(found):
                    raise counters.limit_reached(quota, "comments on this task") from exc
                raise NotFound("task not found") from exc
            if exc.failed(2):
                raise Conflict("a comment with this id already exists") from exc
            exc.raise_for(target=2, what="comment")

    def _count_comment(self, task_id: str, quota: Quota | None) -> dict[str, Any]:
        """The Update of the task item that counts one more comment, if the task is there
        and not in the trash (and, under ``quota``, below it); the item found is returned
        on failure, to tell a missing task from a full one."""
        condition = "attribute_exists(pk) AND attribute_not_exists(#deleted)"
        values: dict[str, Any] = {":zero": {"N": "0"}, ":one": {"N": "1"}}
        if quota is not None:
            condition += " AND (attribute_not_exists(#n) OR #n < :max)"
            values[":max"] = {"N": str(quota.maximum)}
        return {
            "Update": {
                "TableName": self._table.name,
                "Key": it.task_key(task_id),
                "UpdateExpression": "SET #n = if_not_exists(#n, :zero) + :one",
                "ConditionExpression": condition,
                "ExpressionAttributeNames": {
                    "#n": counters.COMMENT_COUNT,
                    "#deleted": "deleted_at",
                },
                "ExpressionAttributeValues": values,
                "ReturnValuesOnConditionCheckFailure": "ALL_OLD",
            }
        }

    def get_comment(self, task_id: str, comment_id: str, user_id: str) -> Comment | None:
        """One BatchGetItem: the comment and the caller's membership."""
        key = it.comment_key(task_id, comment_id)
        mine = it.member_key(it.task_project(task_id), user_id)
        by_sk = {item["sk"]["S"]: item for item in self._table.batch_get([key, mine])}
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
        found = self._table.batch_get(keys)
        if len(found) < len(keys) or any(it.is_trashed(item) for item in found):
            raise NotFound("task not found")
        request = {
            "TableName": self._table.name,
            "KeyConditionExpression": "pk = :pk AND begins_with(sk, :prefix)",
            "ExpressionAttributeValues": {
                ":pk": {"S": it.project_pk(project_id)},
                ":prefix": {"S": it.comment_prefix(task_id)},
            },
            "ConsistentRead": True,
        }
        found, next_key = self._table.page(request, limit, start, ("pk", "sk"))
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
        condition, values = Table.guard(expected_version)
        names: dict[str, str] = {"#version": "version"} if expected_version is not None else {}
        if author_only:
            condition += " AND #author = :me"
            names["#author"] = "author_id"
            values[":me"] = {"S": user_id}
        body: dict[str, Any] = {
            "TableName": self._table.name,
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
        member = self._table.member_check(it.task_project(task_id), user_id, roles)
        # A deletion frees a place under the task's comment limit. Only on a task item that
        # is there: an unconditional Update would make a task item of the counter alone
        # (the task being purged, its comments soon after it).
        freed = (
            [
                {
                    "Update": {
                        "TableName": self._table.name,
                        "Key": it.task_key(task_id),
                        "UpdateExpression": "SET #n = if_not_exists(#n, :one) - :one",
                        "ConditionExpression": "attribute_exists(pk)",
                        "ExpressionAttributeNames": {"#n": counters.COMMENT_COUNT},
                        "ExpressionAttributeValues": {":one": {"N": "1"}},
                    }
                }
            ]
            if "Delete" in write
            else []
        )
        try:
            self._table.transact([member, write, *freed], writable_project=it.task_project(task_id))
        except TransactionCancelled as exc:
            if not exc.failed(0) and exc.failed(1):
                _raise_comment_refusal(exc.item(1), author)
            if freed and exc.failed(2):
                raise NotFound("task not found") from exc
            exc.raise_for(target=1, what="comment")

    def purge_task_comments(self, task_id: str) -> int:
        """A Query (keys only) per 1 MB of comments and a BatchWriteItem per 25."""
        return self._table.delete_all(
            self._table.partition_keys(it.task_project(task_id), it.comment_prefix(task_id))
        )


def _raise_comment_refusal(item: it.Item | None, author: str | None) -> NoReturn:
    if item is None:
        raise NotFound("comment not found")
    if author is not None and item.get("author_id", {}).get("S") != author:
        raise Forbidden("only its author can change this comment")
    raise PreconditionFailed("the comment has changed since you read it; read it again and retry")
