"""Checklists: add, edit, tick, move and remove a task's items; turn one into a task.

Each is one write. A placement by neighbours' ids (``before``/``after``) reads the checklist
first; a client that sends the ``position`` itself (as the web app does, with the same
fractional keys) spares that read. Turning an item into a task reads the item (its text
becomes the task's title) and then writes both in one transaction.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from tasklane.domain.checklists import (
    ChecklistItem,
    ChecklistItemCreate,
    ChecklistItemPatch,
    is_item_id,
    new_item,
    position_for,
    task_fields,
)
from tasklane.domain.errors import NotFound, ValidationFailed
from tasklane.domain.ids import new_task_id, split_task_id
from tasklane.domain.models import Status, Task, format_time
from tasklane.domain.ports.checklists import ChecklistStore
from tasklane.domain.ports.tasks import TaskStore
from tasklane.logic.access import TASK_WRITERS


class ChecklistService:
    def __init__(
        self, store: ChecklistStore, tasks: TaskStore, clock: Callable[[], datetime]
    ) -> None:
        self._store = store
        self._tasks = tasks
        self._clock = clock

    def _task(self, user_id: str, task_id: str) -> Task:
        task = self._tasks.get_task(task_id, user_id) if split_task_id(task_id) else None
        if task is None or task.deleted_at is not None:
            raise NotFound("task not found")
        return task

    def _item(self, task: Task, item_id: str) -> ChecklistItem:
        for item in task.checklist:
            if item.id == item_id:
                return item
        raise NotFound("checklist item not found")

    def add(
        self,
        user_id: str,
        task_id: str,
        create: ChecklistItemCreate,
        expected_version: int | None,
    ) -> ChecklistItem:
        if split_task_id(task_id) is None:
            raise NotFound("task not found")
        # Without a key of the client's, the neighbours' (or the last item's) are needed;
        # the 100-item limit is the write's own condition either way.
        items = [] if create.position is not None else self._task(user_id, task_id).checklist
        item = new_item(items, create)
        self._store.add_item(task_id, user_id, TASK_WRITERS, item, expected_version, self._clock())
        return item

    def change(
        self,
        user_id: str,
        task_id: str,
        item_id: str,
        patch: ChecklistItemPatch,
        expected_version: int | None,
    ) -> None:
        if split_task_id(task_id) is None or not is_item_id(item_id):
            raise NotFound("checklist item not found")
        changes = patch.changes()
        if patch.position is not None:
            changes["position"] = patch.position
        elif patch.needs_neighbours:
            task = self._task(user_id, task_id)
            self._item(task, item_id)
            changes["position"] = position_for(task.checklist, patch, moving=item_id)
        if not changes:
            raise ValidationFailed("send text, done or a placement")
        self._store.change_item(
            task_id, item_id, user_id, TASK_WRITERS, changes, expected_version, self._clock()
        )

    def remove(
        self, user_id: str, task_id: str, item_id: str, expected_version: int | None
    ) -> None:
        if split_task_id(task_id) is None or not is_item_id(item_id):
            raise NotFound("checklist item not found")
        self._store.remove_item(
            task_id, item_id, user_id, TASK_WRITERS, expected_version, self._clock()
        )

    def convert(self, user_id: str, task_id: str, item_id: str) -> Task:
        """The item becomes a task of the same project (unassigned, no due date), and leaves
        the checklist, in one transaction."""
        if split_task_id(task_id) is None or not is_item_id(item_id):
            raise NotFound("checklist item not found")
        source = self._task(user_id, task_id)
        item = self._item(source, item_id)
        now = self._clock()
        stamp = format_time(now)
        fields = task_fields(item)
        created = Task(
            id=new_task_id(source.project_id),
            project_id=source.project_id,
            title=fields["title"],
            description=fields["description"],
            status=Status.done if item.done else Status.todo,
            priority=source.priority,
            due_at=None,
            labels=source.labels,
            created_at=stamp,
            updated_at=stamp,
            completed_at=stamp if item.done else None,
            created_by=user_id,
            updated_by=user_id,
            version=1,
        )
        self._store.convert_item(task_id, item, user_id, TASK_WRITERS, created, now)
        return created
