"""One task's UpdateExpression: the changed fields, their index keys, version and times.

Shared by the writes that change a task (``tasks``, ``recurrence``, ``trash``).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from tasklane.dal.dynamodb import items as it
from tasklane.domain.board import default_position
from tasklane.domain.errors import NotFound
from tasklane.domain.models import Priority, Status, format_time
from tasklane.domain.ports.tasks import NextOccurrenceNeeded
from tasklane.domain.prepared import RECURRENCE_NEXT

#: The condition under which a write may complete a task plainly: it does not recur, its
#: next occurrence is written already, or it is done already. Otherwise the completion goes
#: with the next occurrence (``recurrence.complete_occurrence``).
PLAIN_COMPLETION = (
    "(attribute_not_exists(#c_recurrence) OR attribute_exists(#c_next) OR #c_status = :c_done)"
)


def completes(changes: dict[str, Any]) -> bool:
    """A change that completes the task, without setting its rule anew."""
    status = changes.get("status")
    return status is not None and Status(status) is Status.done and "recurrence" not in changes


def guard_completion(names: dict[str, str], values: dict[str, Any]) -> str:
    """:data:`PLAIN_COMPLETION`, its names and values added to the write's."""
    names |= {"#c_recurrence": "recurrence", "#c_next": RECURRENCE_NEXT, "#c_status": "status"}
    values[":c_done"] = {"S": Status.done.value}
    return PLAIN_COMPLETION


def explain_refusal(found: it.Item | None, completing: bool, expected_version: int | None) -> None:
    """What the task a refused write found says, where the generic mapping cannot: a task in
    the trash is not found (404), and a completion refused at the version asked (or none)
    was refused by :data:`PLAIN_COMPLETION`: the task, read from the refusal, needs its next
    occurrence (:class:`NextOccurrenceNeeded`). Returns when neither applies."""
    if found is None:
        return
    if "deleted_at" in found:
        raise NotFound("task not found")
    if completing and expected_version in (None, int(found["version"]["N"])):
        raise NextOccurrenceNeeded(it.task_from_item(found))


class TaskUpdate:
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
        #: A status change keeps the task's position unless ``position`` is changed too.
        self._status_changed = self._positioned = False

    def set(self, attribute: str, value: Any) -> None:
        n = len(self.names)
        self.names[f"#a{n}"] = attribute
        self.values[f":a{n}"] = it.serialize({"v": value})["v"]
        self._sets.append(f"#a{n} = :a{n}")

    def set_missing(self, attribute: str, value: Any) -> None:
        """Sets ``attribute`` only where the item has none."""
        n = len(self.names)
        self.names[f"#a{n}"] = attribute
        self.values[f":a{n}"] = it.serialize({"v": value})["v"]
        self._sets.append(f"#a{n} = if_not_exists(#a{n}, :a{n})")

    def add_set(self, clause: str) -> None:
        """A SET clause written by the caller (its names and values added by the caller)."""
        self._sets.append(clause)

    def add_remove(self, path: str) -> None:
        self._removes.append(path)

    def remove(self, attribute: str) -> None:
        n = len(self.names)
        self.names[f"#a{n}"] = attribute
        self._removes.append(f"#a{n}")

    def change(self, field: str, value: Any) -> None:
        if field == "due_at":
            if value is None:
                self.remove("due_at")
            else:
                self.set("due_at", value)
            due_key = it.due_sort_key(value, self._task_id)
            self.set("lsi_due_sk", due_key)
            self.set("gsi1sk", due_key)
            self._due_changed = True
        elif field == "assignee_id":
            if value is None:
                # Off gsi1: without its partition key the item is not on the index.
                self.remove("assignee_id")
                self.remove("gsi1pk")
            else:
                self.set("assignee_id", value)
                self.set("gsi1pk", it.assignee_pk(value))
                self._assigned = True
        elif field == "priority":
            priority = Priority(value)
            self.set("priority", priority.value)
            self.set("lsi_priority_sk", it.priority_sort_key(priority, self._task_id))
        elif field == "recurrence":
            if value is None:
                self.remove("recurrence")
            else:
                self.set("recurrence", value)
        elif field == "status":
            status = Status(value)
            self.set("status", status.value)
            self.set("board_pk", it.board_pk(it.task_project(self._task_id), status))
            self._status_changed = True
            if status is Status.done:
                # Completing a done task again keeps its first completion time.
                self.names["#completed"] = "completed_at"
                self._sets.append("#completed = if_not_exists(#completed, :now)")
            else:
                self.remove("completed_at")
        elif field == "position":
            # A board move's drop position (a recurring task completed on the board).
            self.set("position", value)
            self.set("board_sk", it.board_sk(value, self._task_id))
            self._positioned = True
        else:
            self.set(field, value)

    def render(self) -> str:
        if self._status_changed and not self._positioned:
            # To the new column at the same position (a task written before positions
            # existed gets its creation key, the one it was shown with).
            position = default_position(self._task_id)
            self.set_missing("position", position)
            self.set_missing("board_sk", it.board_sk(position, self._task_id))
        if self._assigned and not self._due_changed:
            # Items older than gsi1sk's mirror of the due key get it when first assigned.
            self.names |= {"#gsi1sk": "gsi1sk", "#lsi_due": "lsi_due_sk"}
            self._sets.append("#gsi1sk = #lsi_due")
        expression = "SET " + ", ".join(self._sets)
        if self._removes:
            expression += " REMOVE " + ", ".join(self._removes)
        return expression
