"""One task's UpdateExpression: the changed fields, their index keys, version and times.

Shared by the writes that change a task (``tasks``, ``recurrence``, ``trash``).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from tasklane.dal.dynamodb import items as it
from tasklane.domain.board import default_position
from tasklane.domain.models import Priority, Status, format_time


def completes(changes: dict[str, Any]) -> bool:
    """A change that completes the task, without setting its rule anew."""
    status = changes.get("status")
    return status is not None and Status(status) is Status.done and "recurrence" not in changes


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
            # To the new column at the same position (a task written before positions
            # existed gets its creation key, the one it was shown with).
            self.set("board_pk", it.board_pk(it.task_project(self._task_id), status))
            position = default_position(self._task_id)
            self.set_missing("position", position)
            self.set_missing("board_sk", it.board_sk(position, self._task_id))
            if status is Status.done:
                # Completing a done task again keeps its first completion time.
                self.names["#completed"] = "completed_at"
                self._sets.append("#completed = if_not_exists(#completed, :now)")
            else:
                self.remove("completed_at")
        else:
            self.set(field, value)

    def render(self) -> str:
        if self._assigned and not self._due_changed:
            # Items older than gsi1sk's mirror of the due key get it when first assigned.
            self.names |= {"#gsi1sk": "gsi1sk", "#lsi_due": "lsi_due_sk"}
            self._sets.append("#gsi1sk = #lsi_due")
        expression = "SET " + ", ".join(self._sets)
        if self._removes:
            expression += " REMOVE " + ", ".join(self._removes)
        return expression
