"""The local EventBridge: the scheduled handlers run on their interval, with EventBridge's
event, and a failed run is retried at the next tick."""

from __future__ import annotations

from typing import Any


def test_the_scheduler_invokes_its_handlers_on_their_interval() -> None:
    import threading

    from tasklane.local.scheduler import Job, Scheduler

    ran = threading.Event()
    events: list[dict[str, Any]] = []

    def handler(event: dict[str, Any], context: Any) -> dict[str, int]:
        events.append(event)
        if len(events) == 1:
            raise RuntimeError("PostgreSQL restarting")  # a failed run: the next tick retries
        assert context.get_remaining_time_in_millis() > 0
        ran.set()
        return {"enqueued": 0}

    scheduler = Scheduler([Job("reminders", 0.02, handler)], "eu-west-1").start()
    try:
        assert ran.wait(5)
    finally:
        scheduler.stop()
    job = scheduler.jobs["reminders"]
    assert job.runs >= 2
    assert job.failures == 1
    assert events[0]["detail-type"] == "Scheduled Event"
    assert events[0]["source"] == "aws.events"
    assert events[0]["resources"] == [
        "arn:aws:events:eu-west-1:123456789012:rule/tasklane-reminders"
    ]
