"""Recurring tasks: the series a task carries, completing it, skipping and stopping.

Completing a recurring task creates its next occurrence in the same transaction as the
completion (:meth:`RecurrenceStore.complete_occurrence`). The plain completion of
:meth:`TaskStore.update_task` is tried first: it succeeds for a task that does not recur (one
request, as before), and for a recurring one it is refused with the task as it is
(:class:`NextOccurrenceNeeded`, read from the refusal itself: no extra read). The next
occurrence's id is derived from the completed task's, so a retried or concurrent completion
writes the same item and its conditional put refuses the second: exactly one next occurrence.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from tasklane.domain.checklists import unticked
from tasklane.domain.errors import Conflict, NotFound, ValidationFailed
from tasklane.domain.models import Status, Task, format_time
from tasklane.domain.notifications import parse_instant
from tasklane.domain.ports.tasks import TaskStore
from tasklane.domain.recurrence import (
    InvalidRecurrence,
    Series,
    advance,
    next_task_id,
    parse_rule,
    reanchor,
    start_series,
)
from tasklane.logic.access import TASK_WRITERS

#: How often a write that lost a race to another writer is tried again (each try reads
#: what the other wrote from the refusal): two completions at once need two.
RACE_RETRIES = 4

ZoneOf = Callable[[], str]

#: The task fields whose change needs the task's series.
SERIES_FIELDS = frozenset({"recurrence", "due_at", "time_zone"})


def needs_series(changes: dict[str, Any]) -> bool:
    return bool(SERIES_FIELDS & changes.keys())


def new_series(rule_text: str | None, due_at: datetime | None, zone_of: ZoneOf) -> Series | None:
    """The series of a task created with ``rule_text``: 422 without a due date."""
    if rule_text is None:
        return None
    if due_at is None:
        raise InvalidRecurrence("invalid", "a recurring task needs a due date (due_at)")
    return start_series(parse_rule(rule_text), due_at, zone_of())


def series_changes(task: Task, changes: dict[str, Any], zone_of: ZoneOf) -> dict[str, Any]:
    """``changes`` (storage form: ``due_at`` as text) with the series they imply: a new rule
    starts a new series from the due date; a due date set by hand re-anchors the series;
    clearing the due date (or sending ``recurrence: null``) stops repeating."""
    changes = dict(changes)
    zone = changes.pop("time_zone", None)
    due_text = changes.get("due_at", task.due_at)
    due = parse_instant(due_text) if due_text else None
    if "recurrence" in changes:
        rule = changes["recurrence"]
        if rule is None:
            return changes
        if zone is None:
            zone = task.recurrence.time_zone if task.recurrence else zone_of()
        series = new_series(rule, due, lambda: zone)
        changes["recurrence"] = series.model_dump() if series else None
        return changes
    if task.recurrence is None:
        if zone is not None:
            raise ValidationFailed("time_zone applies to a recurring task only")
        return changes
    if due is None:
        changes["recurrence"] = None  # no due date, nothing to repeat from
    elif zone is not None:
        restarted = start_series(parse_rule(task.recurrence.rule), due, zone)
        changes["recurrence"] = restarted.model_copy(
            update={"number": task.recurrence.number}
        ).model_dump()
    elif "due_at" in changes:
        changes["recurrence"] = reanchor(task.recurrence, due).model_dump()
    return changes


def next_occurrence(task: Task, user_id: str, now: datetime) -> Task | None:
    """The task that follows ``task`` in its series, or None when the series has ended."""
    if task.recurrence is None or task.due_at is None:
        return None
    following = advance(task.recurrence, parse_instant(task.due_at))
    if following is None:
        return None
    series, due = following
    stamp = format_time(now)
    return task.model_copy(
        update={
            "id": next_task_id(task.id),
            "status": Status.todo,
            "due_at": format_time(due),
            "created_at": stamp,
            "updated_at": stamp,
            "completed_at": None,
            "created_by": user_id,
            "updated_by": user_id,
            "version": 1,
            "recurrence": series,
            "checklist": unticked(task.checklist),
            "deleted_at": None,
            "deleted_by": None,
            "purge_at": None,
        }
    )


def complete_with_next(
    store: TaskStore, task: Task, user_id: str, changes: dict[str, Any], now: datetime
) -> None:
    """Completes ``task`` (as the refusal of a plain completion found it: no read) with its
    next occurrence, in one write. ``changes``: the completion the plain write carried.
    PreconditionFailed when the task changed since (another completion came first)."""
    following = next_occurrence(task, user_id, now)
    store.complete_occurrence(task, user_id, TASK_WRITERS, changes, following, now)


class RecurrenceService:
    """Skip an occurrence, stop repeating. (Completing goes through ``TaskService.update``.)"""

    def __init__(self, tasks: TaskStore, clock: Callable[[], datetime]) -> None:
        self._tasks = tasks
        self._clock = clock

    def skip(self, user_id: str, task_id: str) -> Task:
        """Moves the task to its next occurrence (one read, one write). 409 when the series
        has ended (COUNT or UNTIL) or the task does not repeat."""
        task = self._read(user_id, task_id)
        if task.recurrence is None or task.due_at is None:
            raise Conflict("the task does not repeat", {"reason": "not_recurring"})
        following = advance(task.recurrence, parse_instant(task.due_at))
        if following is None:
            raise Conflict("this is the series' last occurrence", {"reason": "series_ended"})
        series, due = following
        changes = {"due_at": format_time(due), "recurrence": series.model_dump()}
        self._tasks.update_task(
            task_id, user_id, TASK_WRITERS, changes, task.version, self._clock()
        )
        return self._read(user_id, task_id)

    def stop(self, user_id: str, task_id: str, expected_version: int | None) -> None:
        """Stop repeating: one write; the task itself stays as it is."""
        changes: dict[str, Any] = {"recurrence": None}
        self._tasks.update_task(
            task_id, user_id, TASK_WRITERS, changes, expected_version, self._clock()
        )

    def _read(self, user_id: str, task_id: str) -> Task:
        task = self._tasks.get_task(task_id, user_id)
        if task is None:
            raise NotFound("task not found")
        return task
