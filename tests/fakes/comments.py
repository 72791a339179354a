"""``CommentStore`` in memory, on the shared :class:`tests.fakes.table.InMemoryTable`."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime

from tasklane.dal.dynamodb import counters
from tasklane.dal.dynamodb import items as it
from tasklane.domain.errors import Conflict, Forbidden, NotFound, PreconditionFailed
from tasklane.domain.models import Comment, Role, format_time
from tasklane.domain.ports.limits import Quota
from tasklane.domain.ports.pages import Page, PageKey
from tests.fakes.table import InMemoryTable, row, version


class InMemoryComments:
    def __init__(self, table: InMemoryTable) -> None:
        self._table = table

    def create_comment(
        self, comment: Comment, user_id: str, roles: Collection[Role], quota: Quota | None = None
    ) -> None:
        self._table.check_member(it.task_project(comment.task_id), user_id, roles, "task")
        self._table.check_writable(it.task_project(comment.task_id))
        key = it.task_key(comment.task_id)
        task = self._table.get(key)
        if task is None or it.is_trashed(task):
            raise NotFound("task not found")
        if quota is not None and not self._table.can_raise(
            key, counters.COMMENT_COUNT, quota.maximum
        ):
            raise counters.limit_reached(quota, "comments on this task")
        item = it.comment_to_item(comment)
        if self._table.get(item) is not None:
            raise Conflict("a comment with this id already exists")
        self._table.add_count(key, counters.COMMENT_COUNT, 1)
        self._table.put(item)

    def get_comment(self, task_id: str, comment_id: str, user_id: str) -> Comment | None:
        found = self._table.get(it.comment_key(task_id, comment_id))
        if (
            found is None
            or self._table.get(it.member_key(it.task_project(task_id), user_id)) is None
        ):
            return None
        return it.comment_from_item(found)

    def list_comments(
        self, task_id: str, user_id: str, limit: int, start: PageKey | None
    ) -> Page[Comment]:
        project_id = it.task_project(task_id)
        member = self._table.get(it.member_key(project_id, user_id))
        task = self._table.get(it.task_key(task_id))
        if member is None or task is None or it.is_trashed(task):
            raise NotFound("task not found")
        pk, prefix = it.project_pk(project_id), it.comment_prefix(task_id)
        found, next_key = self._table.query(
            "list_comments",
            (i for (p, s), i in self._table.items.items() if p == pk and s.startswith(prefix)),
            lambda i: (i["sk"]["S"],),
            ("pk", "sk"),
            limit,
            start,
            forward=True,
        )
        return Page([it.comment_from_item(i) for i in found[:limit]], next_key)

    def _check_comment(
        self,
        task_id: str,
        comment_id: str,
        user_id: str,
        roles: Collection[Role],
        expected_version: int | None,
        author: str | None,
    ) -> it.Item:
        self._table.check_member(it.task_project(task_id), user_id, roles, "comment")
        self._table.check_writable(it.task_project(task_id))
        item = self._table.get(it.comment_key(task_id, comment_id))
        if item is None:
            raise NotFound("comment not found")
        if author is not None and item["author_id"]["S"] != author:
            raise Forbidden("only its author can change this comment")
        if expected_version is not None and version(item) != expected_version:
            raise PreconditionFailed(
                "the comment has changed since you read it; read it again and retry"
            )
        return item

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
        item = self._check_comment(task_id, comment_id, user_id, roles, expected_version, user_id)
        data = it.deserialize(item)
        data |= {"body": body, "updated_at": format_time(now), "version": data["version"] + 1}
        self._table.put(it.serialize(data))

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
        author = None if any_author else user_id
        self._check_comment(task_id, comment_id, user_id, roles, expected_version, author)
        if self._table.get(it.task_key(task_id)) is None:
            raise NotFound("task not found")  # the counter's Update finds no task item
        del self._table.items[row(it.comment_key(task_id, comment_id))]
        self._table.add_count(it.task_key(task_id), counters.COMMENT_COUNT, -1)

    def purge_task_comments(self, task_id: str) -> int:
        pk, prefix = it.project_pk(it.task_project(task_id)), it.comment_prefix(task_id)
        rows = [key for key in self._table.items if key[0] == pk and key[1].startswith(prefix)]
        for key in rows:
            del self._table.items[key]
        return len(rows)
