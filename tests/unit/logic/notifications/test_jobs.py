"""Who is told what: table changes → notification jobs (``logic/notifications/jobs.py``),
on hand-made stream changes (the attribute names are the contract's)."""

from __future__ import annotations

from typing import Any

import pytest

from tasklane.logic.notifications.jobs import NotificationJobs
from tasklane.logic.stream import StreamChange
from tests.builders import task_row
from tests.fakes.notifications import InMemoryInbox
from tests.fakes.queue import InMemoryJobQueue
from tests.fakes.recipients import InMemoryRecipients
from tests.fakes.relational import RelationalState
from tests.unit.logic.notifications.support import (
    ADA,
    BOB,
    CY,
    PROJECT,
    TASK,
    K,
    change,
    comment,
    member,
    projected,
    task,
    told,
)


# -- who is told what ---------------------------------------------------------------------------
def test_creating_a_task_assigned_to_someone_else_tells_them(
    consumer: NotificationJobs, queue: InMemoryJobQueue
) -> None:
    consumer.handle(change(None, task(assignee_id=BOB)))
    assert told(queue) == {(BOB, K.task_assigned)}
    job = queue.jobs[0]
    assert job.id == f"assigned:{TASK}:1:{BOB}"
    assert job.actor_id == ADA
    assert job.subject["task_title"] == "Write launch notes"
    assert job.subject["project_name"] == "Launch"
    assert job.subject["actor_name"] == "Ada"
    assert job.recipient is not None
    assert job.recipient.email == "bob@example.com"
    assert job.created_at == "2025-03-01T09:01:00.000Z"


def test_nobody_is_told_of_their_own_action(
    consumer: NotificationJobs, queue: InMemoryJobQueue
) -> None:
    # Assigning yourself, changing and completing your own task, all as its creator.
    consumer.handle(change(None, task(assignee_id=ADA)))
    consumer.handle(change(task(assignee_id=ADA), task(2, assignee_id=ADA, title="New")))
    consumer.handle(change(task(2, assignee_id=ADA), task(3, assignee_id=ADA, status="done")))
    assert queue.jobs == []


def test_assigning_an_existing_task(consumer: NotificationJobs, queue: InMemoryJobQueue) -> None:
    consumer.handle(change(task(), task(2, assignee_id=BOB)))
    assert told(queue) == {(BOB, K.task_assigned)}
    assert queue.jobs[0].id == f"assigned:{TASK}:2:{BOB}"


def test_reassigning_tells_the_new_and_the_previous_assignee(
    consumer: NotificationJobs, queue: InMemoryJobQueue
) -> None:
    consumer.handle(change(task(assignee_id=BOB), task(2, assignee_id=CY)))
    assert told(queue) == {(CY, K.task_assigned), (BOB, K.task_changed)}
    previous = next(j for j in queue.jobs if j.recipient_id == BOB)
    assert previous.id == f"changed:{TASK}:2:{BOB}"
    assert previous.subject["unassigned"] is True


def test_unassigning_tells_the_previous_assignee(
    consumer: NotificationJobs, queue: InMemoryJobQueue
) -> None:
    consumer.handle(change(task(assignee_id=BOB), task(2)))
    assert told(queue) == {(BOB, K.task_changed)}
    assert "assignee" in queue.jobs[0].subject["changes"]


def test_unassigning_yourself_tells_nobody(
    consumer: NotificationJobs, queue: InMemoryJobQueue
) -> None:
    consumer.handle(change(task(assignee_id=BOB), task(2, updated_by=BOB)))
    assert queue.jobs == []


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("title", "Rewrite launch notes"),
        ("status", "in_progress"),
        ("due_at", "2025-03-09T12:00:00.000Z"),
    ],
)
def test_changes_to_an_assigned_task_by_someone_else_tell_the_assignee(
    consumer: NotificationJobs, queue: InMemoryJobQueue, field: str, value: str
) -> None:
    consumer.handle(change(task(assignee_id=BOB), task(2, assignee_id=BOB, **{field: value})))
    assert told(queue) == {(BOB, K.task_changed)}
    assert queue.jobs[0].subject["changes"] == [field]
    assert queue.jobs[0].id == f"changed:{TASK}:2:{BOB}"


def test_other_changes_tell_nobody(consumer: NotificationJobs, queue: InMemoryJobQueue) -> None:
    # A description or priority change is not news; neither is a change that bumps nothing.
    consumer.handle(
        change(task(assignee_id=BOB), task(2, assignee_id=BOB, description="more", priority="high"))
    )
    consumer.handle(change(task(assignee_id=BOB), task(assignee_id=BOB, attachment_count=1)))
    assert queue.jobs == []


def test_the_assignee_changing_their_task_tells_nobody_but_the_creator_on_completion(
    consumer: NotificationJobs, queue: InMemoryJobQueue
) -> None:
    consumer.handle(
        change(task(assignee_id=BOB), task(2, assignee_id=BOB, title="X", updated_by=BOB))
    )
    assert queue.jobs == []
    consumer.handle(
        change(task(2, assignee_id=BOB), task(3, assignee_id=BOB, status="done", updated_by=BOB))
    )
    assert told(queue) == {(ADA, K.task_completed)}
    assert queue.jobs[0].id == f"changed:{TASK}:3:{ADA}"
    assert queue.jobs[0].subject["actor_name"] == "Bob"


def test_completion_by_a_third_person_tells_creator_and_assignee(
    consumer: NotificationJobs, queue: InMemoryJobQueue
) -> None:
    consumer.handle(
        change(task(assignee_id=BOB), task(2, assignee_id=BOB, status="done", updated_by=CY))
    )
    assert told(queue) == {(ADA, K.task_completed), (BOB, K.task_changed)}


def test_reopening_is_a_change_not_a_completion(
    consumer: NotificationJobs, queue: InMemoryJobQueue
) -> None:
    consumer.handle(
        change(task(status="done", updated_by=BOB), task(2, status="todo", updated_by=BOB))
    )
    assert queue.jobs == []  # no assignee; the creator hears only of completions


def test_a_deleted_task_tells_nobody(consumer: NotificationJobs, queue: InMemoryJobQueue) -> None:
    consumer.handle(change(task(assignee_id=BOB), None))
    assert queue.jobs == []


def test_a_comment_tells_the_owner_and_the_assignee_but_not_its_author(
    consumer: NotificationJobs, queue: InMemoryJobQueue, state: RelationalState
) -> None:
    state.tasks[TASK] = task_row(
        TASK, project_id=PROJECT, title="Write launch notes", assignee_id=BOB
    )
    consumer.handle(comment(CY))
    assert told(queue) == {(ADA, K.comment_added), (BOB, K.comment_added)}
    assert {j.id for j in queue.jobs} == {
        f"comment:01jd0000000000000000000c01:{ADA}",
        f"comment:01jd0000000000000000000c01:{BOB}",
    }
    excerpt = queue.jobs[0].subject["comment_excerpt"]
    assert excerpt.startswith("Looks good, ship it !")
    assert len(excerpt) <= 280

    queue.jobs.clear()
    consumer.handle(comment(BOB, "01jd0000000000000000000c02"))  # the assignee comments
    assert told(queue) == {(ADA, K.comment_added)}


def test_a_comment_on_your_own_unassigned_task_tells_nobody(
    consumer: NotificationJobs, queue: InMemoryJobQueue, state: RelationalState
) -> None:
    state.tasks[TASK] = task_row(TASK, project_id=PROJECT, title="t")
    consumer.handle(comment(ADA))
    assert queue.jobs == []


def test_a_comment_on_an_unknown_task_tells_nobody(
    consumer: NotificationJobs, queue: InMemoryJobQueue
) -> None:
    consumer.handle(comment(CY))
    assert queue.jobs == []


def test_being_added_to_a_project_tells_you(
    consumer: NotificationJobs, queue: InMemoryJobQueue
) -> None:
    consumer.handle(member(BOB, ADA))
    assert told(queue) == {(BOB, K.project_shared)}
    job = queue.jobs[0]
    assert job.id == f"shared:{PROJECT}:{BOB}:3000000000000000000000001"
    assert job.subject["role"] == "editor"
    assert job.subject["project_name"] == "Launch"
    assert job.task_id is None


def test_the_owners_own_membership_tells_nobody(
    consumer: NotificationJobs, queue: InMemoryJobQueue
) -> None:
    consumer.handle(member(ADA, ADA, role="owner"))
    consumer.handle(member(ADA, None, role="owner"))
    assert queue.jobs == []


def test_replays_produce_the_same_job_ids(
    consumer: NotificationJobs, queue: InMemoryJobQueue
) -> None:
    record = change(task(assignee_id=BOB), task(2, assignee_id=CY))
    consumer.handle(record)
    first = sorted(j.id for j in queue.jobs)
    queue.jobs.clear()
    consumer.handle(record)
    assert sorted(j.id for j in queue.jobs) == first


def test_unrelated_items_cost_no_lookup(
    consumer: NotificationJobs, queue: InMemoryJobQueue, directory: InMemoryRecipients
) -> None:
    consumer.handle(
        StreamChange("i", "INSERT", "1", {"pk": "abc", "sk": "IDEMPOTENCY"}, None, {"pk": "abc"})
    )
    consumer.handle(change(None, task()))  # a task nobody else cares about
    assert queue.jobs == []
    assert directory.lookups == 0


def test_a_recipient_without_a_profile_gets_a_job_without_an_address(
    queue: InMemoryJobQueue,
) -> None:
    state = projected(ADA, BOB)
    del state.profiles[BOB]  # a member whose profile the projection has not seen yet
    consumer = NotificationJobs(InMemoryRecipients(state), queue, InMemoryInbox())
    consumer.handle(change(None, task(assignee_id=BOB)))
    assert told(queue) == {(BOB, K.task_assigned)}
    assert queue.jobs[0].recipient is None


def test_no_queue_means_notifications_are_off(directory: InMemoryRecipients) -> None:
    consumer = NotificationJobs(directory, None, InMemoryInbox())
    consumer.handle(change(None, task(assignee_id=BOB)))
    assert directory.lookups == 0


def test_an_unread_notice_removed_by_ttl_is_counted_down_once() -> None:
    inbox = InMemoryInbox()
    consumer = NotificationJobs(InMemoryRecipients(projected()), InMemoryJobQueue(), inbox)
    inbox.counters[BOB] = 2
    note = {"type": "notification", "user_id": BOB, "note_id": "n1", "title": "t"}
    removed = StreamChange("r", "REMOVE", "9", {"pk": f"INBOX#{BOB}", "sk": "NOTE#n1"}, note, None)
    consumer.handle(removed)
    consumer.handle(removed)  # a replay
    read = {**note, "note_id": "n2", "read_at": "2025-03-02T00:00:00.000Z"}
    consumer.handle(StreamChange("r2", "REMOVE", "10", {}, read, None))
    assert inbox.unread(BOB) == 1


# -- exports ------------------------------------------------------------------------------------


def _export(status: str, project_id: str | None = PROJECT) -> dict[str, Any]:
    item = {
        "type": "export",
        "id": "01jexport00000000000000000",
        "user_id": ADA,
        "status": status,
        "finished_at": "2026-12-04T10:00:00.000Z",
    }
    return item if project_id is None else {**item, "project_id": project_id}


def _export_change(old: str | None, new: str, project_id: str | None = PROJECT) -> StreamChange:
    keys = {"pk": f"EXCHANGE#{ADA}", "sk": "EXPORT#01jexport00000000000000000"}
    before = _export(old, project_id) if old else None
    return StreamChange(
        "e", "MODIFY" if old else "INSERT", "1", keys, before, _export(new, project_id)
    )


def test_an_export_that_ends_tells_its_requester_once(
    consumer: NotificationJobs, queue: InMemoryJobQueue
) -> None:
    consumer.handle(_export_change(None, "queued"))
    consumer.handle(_export_change("queued", "running"))
    consumer.handle(_export_change("running", "running"))  # progress
    assert queue.jobs == []
    consumer.handle(_export_change("running", "ready"))
    assert told(queue) == {(ADA, K.export_ready)}
    job = queue.jobs[0]
    assert job.id == "export:01jexport00000000000000000:ready"
    assert job.subject["path"] == "/exports/01jexport00000000000000000"
    assert job.subject["project_name"] == "Launch"
    assert job.recipient is not None  # the requester is told by e-mail too
    consumer.handle(_export_change("ready", "ready"))  # the TTL's or any later change
    assert len(queue.jobs) == 1


def test_a_failed_export_of_everything_names_no_project(
    consumer: NotificationJobs, queue: InMemoryJobQueue
) -> None:
    consumer.handle(_export_change("running", "failed", project_id=None))
    assert told(queue) == {(ADA, K.export_failed)}
    assert queue.jobs[0].subject["project_name"] == "all your projects"


# -- only current members (issue 14, finding 3) ----------------------------------------------
@pytest.mark.parametrize("removed", [False, True])
def test_a_removed_member_gets_no_job_of_any_kind(
    consumer: NotificationJobs, queue: InMemoryJobQueue, state: RelationalState, removed: bool
) -> None:
    if removed:
        del state.members[(PROJECT, BOB)]  # Bob was removed; the task still names him
    state.tasks[TASK] = task_row(
        TASK, project_id=PROJECT, title="Write launch notes", assignee_id=BOB, created_by=BOB
    )
    consumer.handle(change(None, task(assignee_id=BOB)))  # assigned
    consumer.handle(change(task(assignee_id=BOB), task(version=2, assignee_id=BOB, title="New")))
    done = task(version=3, status="done", created_by=BOB)
    consumer.handle(change(task(version=2, created_by=BOB), done))  # completed
    consumer.handle(comment(CY))  # a comment on a task he created and is assigned to
    bob_told = {kind for recipient, kind in told(queue) if recipient == BOB}
    everything = {K.task_assigned, K.task_changed, K.task_completed, K.comment_added}
    assert bob_told == (set() if removed else everything)
