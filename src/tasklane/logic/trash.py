"""The trash: deleting a task moves it there; restore it, list it, or delete it for good.

The rules are :mod:`tasklane.domain.trash`'s; the purge itself is DynamoDB's TTL and the
stream consumers that follow a removed task (comments, attachments, the projection, the
task's own history), exactly as after a permanent delete.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from tasklane.domain.errors import NotFound
from tasklane.domain.ids import split_task_id
from tasklane.domain.models import Task, format_time
from tasklane.domain.ports.tasks import TaskStore
from tasklane.domain.ports.trash import TrashStore
from tasklane.domain.trash import PURGE_ROLES, RESTORE_ROLES, check_restore, in_trash
from tasklane.logic.access import TASK_WRITERS
from tasklane.logic.pages import Cursors, Listing
from tasklane.logic.projects import ProjectService
from tasklane.logic.tasks import tasks_quota
from tasklane.settings import LimitSettings


class TrashService:
    def __init__(
        self,
        store: TrashStore,
        tasks: TaskStore,
        cursors: Cursors,
        retention_days: int,
        clock: Callable[[], datetime],
        limits: LimitSettings | None = None,
    ) -> None:
        self._store = store
        self._tasks = tasks
        self._cursors = cursors
        self._retention_days = retention_days
        self._clock = clock
        # A restored task counts again, under the project's task limit.
        self._quota = tasks_quota(limits or LimitSettings())

    def trash(self, user_id: str, task_id: str, expected_version: int | None) -> None:
        """DELETE /tasks/{id}: one write; the task waits in the trash."""
        if split_task_id(task_id) is None:
            raise NotFound("task not found")
        self._store.trash_task(
            task_id, user_id, TASK_WRITERS, expected_version, self._clock(), self._retention_days
        )

    def purge(self, user_id: str, task_id: str, expected_version: int | None) -> None:
        """Deleting for good (from the trash or not): the stream purges its children."""
        if split_task_id(task_id) is None:
            raise NotFound("task not found")
        self._tasks.delete_task(task_id, user_id, PURGE_ROLES, expected_version)

    def list(self, user_id: str, project_id: str, limit: int, cursor: str | None) -> Listing[Task]:
        """Most recently deleted first; what is past its purge time is gone already."""
        project_id = ProjectService.resolve_id(user_id, project_id)
        bound = {"user": user_id, "project": project_id, "list": "trash"}
        page = self._store.list_trash(
            project_id, user_id, limit, self._cursors.start(cursor, bound)
        )
        now = self._clock()
        shown = [task for task in page.items if in_trash(_marks(task), now)]
        return Listing(shown, self._cursors.next(page.next_key, bound))

    def restore(self, user_id: str, task_id: str, unassign: bool = False) -> Task:
        """Back where it was, same id and children: two requests (a read, a write whose
        conditions hold what the read found)."""
        view = self._store.read_for_restore(task_id, user_id)
        if view.role is None:
            raise NotFound("task not found")
        now = self._clock()
        changes, conditions = check_restore(
            view.task,
            role=view.role,
            project=view.project,
            # "unassign" restores it unassigned, whether or not the assignee is still there.
            assignee_is_member=view.assignee_is_member and not unassign,
            now=now,
            unassign=unassign,
        )
        self._store.restore_task(
            task_id, user_id, RESTORE_ROLES, changes, conditions, now, self._quota
        )
        assert view.task is not None  # check_restore raised NotFound otherwise
        restored = view.task | changes | {"updated_at": format_time(now), "updated_by": user_id}
        restored["version"] += 1
        return Task.model_validate(restored)


def _marks(task: Task) -> dict[str, object]:
    """A listed task's trash marks, as :mod:`tasklane.domain.trash` reads them."""
    purge = task.purge_at
    return {
        "deleted_at": task.deleted_at,
        "purge_at": int(datetime.fromisoformat(purge.replace("Z", "+00:00")).timestamp())
        if purge
        else 0,
    }
