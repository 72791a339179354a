"""The ``JobQueue`` contract (tasklane.domain.ports.queue), on every implementation."""

from __future__ import annotations

from tasklane.domain.notifications import NotificationJob, NotificationKind

from .conftest import Backend


def job(n: int) -> NotificationJob:
    return NotificationJob(
        id=f"assigned:task-{n}:1:user-bob",
        kind=NotificationKind.task_assigned,
        recipient_id="user-bob",
        created_at="2025-03-01T09:00:00.000Z",
        subject={"task_title": f"Task {n}"},
    )


def test_every_job_sent_arrives_whole(backend: Backend) -> None:
    queue = backend.queue()
    queue.send([])
    jobs = [job(n) for n in range(13)]  # more than one SendMessageBatch
    queue.send(jobs)
    received = backend.received()
    assert sorted(received, key=lambda j: j.id) == sorted(jobs, key=lambda j: j.id)
