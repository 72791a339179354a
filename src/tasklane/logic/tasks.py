"""Tasks: create, read, change, delete and list the tasks of a project."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from tasklane.domain.board import default_position
from tasklane.domain.errors import Conflict, NotFound, PreconditionFailed, ValidationFailed
from tasklane.domain.ids import inbox_project_id, is_task_id, new_task_id, split_task_id
from tasklane.domain.models import (
    SortKey,
    Status,
    Task,
    TaskCreate,
    TaskPatch,
    TaskQuery,
    format_time,
    normalise_label,
    utc_now,
)
from tasklane.domain.ports.board import BoardStore
from tasklane.domain.ports.limits import Quota
from tasklane.domain.ports.tasks import NextOccurrenceNeeded, NotPrepared, TaskStore
from tasklane.domain.zones import DEFAULT_TIME_ZONE
from tasklane.logic.access import TASK_WRITERS
from tasklane.logic.pages import Cursors, Listing
from tasklane.logic.projects import ProjectService
from tasklane.logic.recurrence import (
    RACE_RETRIES,
    ZoneOf,
    complete_with_next,
    needs_series,
    new_series,
    series_changes,
)
from tasklane.settings import LimitSettings


def tasks_quota(limits: LimitSettings) -> Quota:
    """Live tasks per project (the trash does not count; a next occurrence is counted but
    never refused)."""
    return Quota("tasks_per_project", limits.tasks_per_project)


def _default_zone() -> str:
    return DEFAULT_TIME_ZONE


class TaskService:
    def __init__(
        self,
        store: TaskStore,
        board: BoardStore,
        projects: ProjectService,
        cursors: Cursors,
        clock: Callable[[], datetime] = utc_now,
        limits: LimitSettings | None = None,
    ) -> None:
        self._store = store
        self._board = board
        self._projects = projects
        self._cursors = cursors
        self._clock = clock
        self._quota = tasks_quota(limits or LimitSettings())

    def create(
        self, user_id: str, project_id: str, data: TaskCreate, zone_of: ZoneOf = _default_zone
    ) -> Task:
        """``zone_of``: the caller's time zone, asked only for a recurring task created
        without ``time_zone``."""
        project_id = self._projects.resolve_id(user_id, project_id)
        zone = data.time_zone
        series = new_series(data.recurrence, data.due_at, lambda: zone or zone_of())
        now = format_time(self._clock())
        task_id = new_task_id(project_id)
        task = Task(
            id=task_id,
            project_id=project_id,
            title=data.title,
            description=data.description,
            status=data.status,
            priority=data.priority,
            due_at=format_time(data.due_at) if data.due_at else None,
            labels=data.labels,
            created_at=now,
            updated_at=now,
            completed_at=now if data.status is Status.done else None,
            created_by=user_id,
            updated_by=user_id,
            assignee_id=data.assignee_id,
            # The end of its column: creation keys sort like the ids (domain.board).
            position=default_position(task_id),
            version=1,
            recurrence=series,
        )
        try:
            self._store.create_task(task, user_id, TASK_WRITERS, self._quota)
        except NotFound:
            if project_id != inbox_project_id(user_id):
                raise
            self._projects.ensure_inbox(user_id)
            self._store.create_task(task, user_id, TASK_WRITERS, self._quota)
        return task

    def get(self, user_id: str, task_id: str) -> Task:
        task = self._store.get_task(task_id, user_id) if split_task_id(task_id) else None
        if task is None:
            raise NotFound("task not found")
        return task

    def update(
        self,
        user_id: str,
        task_id: str,
        patch: TaskPatch,
        expected_version: int | None,
        zone_of: ZoneOf = _default_zone,
    ) -> int | None:
        """Returns the new version when the caller named the one it changed.

        One write, except: a change of the rule, the due date or the time zone reads the
        task first (the series follows from it); completing a recurring task writes the
        completion and the next occurrence together, after the plain write's refusal."""
        if split_task_id(task_id) is None:
            raise NotFound("task not found")
        changes = _storage_changes(patch)
        for _attempt in range(RACE_RETRIES):
            write, version = changes, expected_version
            if needs_series(changes):
                task = self.get(user_id, task_id)
                if expected_version not in (None, task.version):
                    raise PreconditionFailed(
                        "the task has changed since you read it; read it again and retry"
                    )
                write, version = series_changes(task, changes, zone_of), task.version
            try:
                try:
                    self._store.update_task(
                        task_id, user_id, TASK_WRITERS, write, version, self._clock()
                    )
                except NextOccurrenceNeeded as needed:
                    complete_with_next(self._store, needed.task, user_id, write, self._clock())
            except PreconditionFailed:
                if expected_version is not None:
                    raise
                continue  # another writer came first: our view of the task went stale
            return None if expected_version is None else expected_version + 1
        raise Conflict("the task is being changed by others; retry")

    def complete(self, user_id: str, task_id: str, expected_version: int | None) -> int | None:
        """Completes the task, as ``PATCH`` with ``status: done`` does, in one request for a
        recurring task whose next occurrence is prepared (:mod:`tasklane.domain.prepared`):
        the completion reveals it. Otherwise two: the refusal says what the task is, and
        the completion follows as a plain write or with the next occurrence."""
        if not is_task_id(task_id):
            raise NotFound("task not found")
        changes = _storage_changes(TaskPatch(status=Status.done))
        try:
            self._store.complete_prepared(
                task_id, user_id, TASK_WRITERS, changes, expected_version, self._clock()
            )
        except NotPrepared as refused:
            task = refused.task
            recurs = task is not None and task.recurrence is not None and not refused.has_next
            if task is not None and recurs and task.status is not Status.done:
                try:
                    complete_with_next(self._store, task, user_id, changes, self._clock())
                except PreconditionFailed:
                    if expected_version is not None:
                        raise
                    # Changed meanwhile: as a PATCH would, from what it is now.
                    return self.update(user_id, task_id, TaskPatch(status=Status.done), None)
            else:
                return self.update(
                    user_id, task_id, TaskPatch(status=Status.done), expected_version
                )
        return None if expected_version is None else expected_version + 1

    def delete(self, user_id: str, task_id: str, expected_version: int | None) -> None:
        if split_task_id(task_id) is None:
            raise NotFound("task not found")
        self._store.delete_task(task_id, user_id, TASK_WRITERS, expected_version)

    def list(
        self, user_id: str, project_id: str, query: TaskQuery, cursor: str | None
    ) -> Listing[Task]:
        project_id = self._projects.resolve_id(user_id, project_id)
        if query.label is not None:
            label = normalise_label(query.label)
            if not label:
                raise _query_error("label", "must not be blank")
            query = query.model_copy(update={"label": label})
        if query.due_after and query.due_before and query.due_after >= query.due_before:
            raise _query_error("due_after", "must be earlier than due_before")
        bound = {"user": user_id, "project": project_id, **query.fingerprint()}
        start = self._cursors.start(cursor, bound)
        # Board order reads the board index; every other order the table or its local indexes.
        read = self._board.list_board if query.sort is SortKey.position else self._store.list_tasks
        try:
            page = read(project_id, user_id, query, start)
        except NotFound:
            if project_id != inbox_project_id(user_id) or start is not None:
                raise
            self._projects.ensure_inbox(user_id)
            page = read(project_id, user_id, query, start)
        return Listing(page.items, self._cursors.next(page.next_key, bound))

    def assigned(self, user_id: str, limit: int, cursor: str | None) -> Listing[Task]:
        """The caller's assigned tasks across projects, due soonest first: one Query and one
        read of the caller's memberships of the page's projects.

        A removed member's assignments are cleared by a stream consumer
        (:class:`tasklane.logic.membership_cleanup.MembershipCleanup`) a moment after the
        removal; until then the membership read keeps those tasks off the page."""
        bound = {"user": user_id, "list": "assigned"}
        page = self._store.list_assigned(user_id, limit, self._cursors.start(cursor, bound))
        return Listing(page.items, self._cursors.next(page.next_key, bound))


def _query_error(parameter: str, message: str) -> ValidationFailed:
    """A 422 with the same detail shape as the resolver's own validation errors."""
    detail = {"loc": ["query", parameter], "message": message, "type": "value_error"}
    return ValidationFailed(f"{parameter} {message}", [detail])


def _storage_changes(patch: TaskPatch) -> dict[str, Any]:
    try:
        changes = patch.changes()
    except ValueError as exc:
        raise ValidationFailed(str(exc)) from exc
    if not changes:
        raise ValidationFailed("send at least one field to change")
    if "due_at" in changes and changes["due_at"] is not None:
        changes["due_at"] = format_time(changes["due_at"])
    return changes
