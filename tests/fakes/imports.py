"""``ImportSink`` in memory, on the shared :class:`tests.fakes.table.InMemoryTable`, in the
DynamoDB adapter's item layout (``tasklane.dal.dynamodb.imports``): each project or task is
written with the claim of its key, so a re-run finds what the first run created."""

from __future__ import annotations

from collections.abc import Collection, Sequence

from tasklane.dal.dynamodb import counters
from tasklane.dal.dynamodb import items as it
from tasklane.dal.dynamodb.counters import COMMENT_COUNT

# ``_claim``: the adapter's claim item (private there: no other module writes claims).
from tasklane.dal.dynamodb.imports import TRANSACTION_COMMENTS, _claim
from tasklane.dal.dynamodb.tasks import NOT_A_MEMBER
from tasklane.domain.errors import Conflict, ValidationFailed
from tasklane.domain.models import Comment, Person, Project, Role, Task
from tasklane.domain.ports.limits import Quota
from tests.fakes.table import InMemoryTable
from tests.fakes.tasks import count_task


class InMemoryImportSink:
    def __init__(self, table: InMemoryTable) -> None:
        self._table = table

    def transaction_comments(self) -> int:
        return TRANSACTION_COMMENTS

    def create_project(
        self, key: str, project: Project, owner: Person, quota: Quota | None = None
    ) -> str:
        claim_key = it.project_claim_key(project.owner_id, key)
        earlier = self._table.get(claim_key)
        if earlier is not None:
            return str(earlier["project_id"]["S"])
        project_item, member_item = it.project_to_items(project, owner)
        if self._table.get(project_item) is not None or self._table.get(member_item) is not None:
            raise Conflict("a project with this id already exists")
        counter = counters.user_counters_key(project.owner_id)
        if quota is not None and not self._table.can_raise(counter, "projects", quota.maximum):
            raise counters.limit_reached(quota, "projects")
        # Counted with or without a quota, as ``counters.raise_unbounded`` does.
        self._table.add_count(counter, "projects", 1)
        self._table.put(_claim(claim_key, key, project_id=project.id))
        self._table.put(project_item)
        self._table.put(member_item)
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
        self._table.check_member(task.project_id, user_id, roles, "project")
        self._table.check_writable(task.project_id)
        assignee = task.assignee_id
        if (
            assignee is not None
            and assignee != user_id
            and self._table.get(it.member_key(task.project_id, assignee)) is None
        ):
            raise ValidationFailed("the assignee is not a member", NOT_A_MEMBER)
        claim_key = it.task_claim_key(task.project_id, key)
        earlier = self._table.get(claim_key)
        if earlier is not None:
            return str(earlier["task_id"]["S"]), False
        task_item = it.task_to_item(task) | {COMMENT_COUNT: {"N": str(len(comments))}}
        comment_items = [it.comment_to_item(c) for c in comments]
        counter = counters.project_counters_key(task.project_id)
        if quota is not None and not self._table.can_raise(counter, counters.TASKS, quota.maximum):
            raise counters.limit_reached(quota, "tasks in this project")
        if any(self._table.get(item) is not None for item in [task_item, *comment_items]):
            raise Conflict("an imported task or comment with this id exists")
        count_task(self._table, task.project_id, quota)
        self._table.put(_claim(claim_key, key, task_id=task.id))
        self._table.put(task_item)
        for item in comment_items:
            self._table.put(item)
        return task.id, True

    def add_comments(self, comments: Sequence[Comment]) -> int:
        written = 0
        for comment in comments:
            item = it.comment_to_item(comment)
            if self._table.get(item) is None:
                self._table.put(item)
                written += 1
        task = self._table.get(it.task_key(comments[0].task_id)) if written else None
        if task is not None:
            count = int(task.get(COMMENT_COUNT, {"N": "0"})["N"])
            self._table.put(task | {COMMENT_COUNT: {"N": str(count + written)}})
        return written
