"""The stream consumer that enqueues webhook deliveries, and the events it tells apart,
on hand-made stream changes and fakes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from tasklane.dal.dynamodb import items as it
from tasklane.domain.exchange.changes import webhook_change
from tasklane.domain.exchange.registrations import DeliveryJob, Webhook, WebhookRecord
from tasklane.domain.exchange.webhooks import WebhookEvent, delivery_id
from tasklane.domain.models import Person, Status, Task, format_time
from tasklane.logic.activity import api_image
from tasklane.logic.exchange.webhook_jobs import WebhookJobs
from tasklane.logic.stream import StreamChange
from tests.builders import project_model, task_model
from tests.fakes.queue import InMemoryJobQueue
from tests.fakes.table import InMemoryTable
from tests.fakes.webhooks import InMemoryWebhookDeliveries

NOW = datetime(2026, 12, 1, 15, 0, tzinfo=UTC)
STAMP = format_time(NOW)
ALICE = "alice"


def _image(task: Task, **raw: Any) -> dict[str, Any]:
    return it.deserialize(it.task_to_item(task)) | raw


def _change(name: str, old: dict[str, Any] | None, new: dict[str, Any] | None,
            event_id: str = "e-1") -> StreamChange:  # fmt: skip
    image = new or old or {}
    keys = {"pk": image.get("pk"), "sk": image.get("sk")}
    return StreamChange(event_id, name, "100", keys, old, new, NOW)  # type: ignore[arg-type]


class World:
    def __init__(self, *hooks: dict[str, Any]) -> None:
        self.table = InMemoryTable()
        self.project = project_model(ALICE, STAMP)
        owner = Person(user_id=ALICE, email="a@x.io", display_name="Alice")
        for item in it.project_to_items(self.project, owner):
            self.table.put(item)
        self.store = InMemoryWebhookDeliveries(self.table)
        self.hooks = [self._hook(n, **h) for n, h in enumerate(hooks)]
        self.queue = InMemoryJobQueue()
        self.consumer = WebhookJobs(self.store, self.queue, clock=lambda: NOW)

    def _hook(self, n: int, **changes: Any) -> Webhook:
        hook = Webhook(
            id=f"01jwebhook000000000000000{n}", project_id=self.project.id,
            url="https://hooks.example.com/in", events=None, description="", enabled=True,
            disabled_reason=None, failures=0, failing_since=None, secret_hint="",
            created_at=STAMP, created_by=ALICE, updated_at=STAMP, version=1,
        ).model_copy(update=changes)  # fmt: skip
        self.store.add(WebhookRecord(webhook=hook, secret="whsec_x"))
        return hook

    def task(self, **fields: Any) -> Task:
        return task_model(self.project.id, ALICE, STAMP, **fields)

    def sent(self) -> list[DeliveryJob]:
        return list(self.queue.jobs)


def test_each_subscribed_enabled_webhook_gets_one_job_per_change() -> None:
    world = World({}, {"events": [WebhookEvent.task_completed]}, {"enabled": False})
    task = world.task()
    world.consumer.handle(_change("INSERT", None, _image(task)))
    (job,) = world.sent()
    assert job.event is WebhookEvent.task_created
    assert job.webhook_id == world.hooks[0].id
    assert job.id == delivery_id(world.hooks[0].id, "e-1")
    assert job.data["task"]["id"] == task.id
    assert "pk" not in job.data["task"]
    assert "board_pk" not in job.data["task"]

    done = task.model_copy(update={"status": Status.done, "version": 2, "updated_at": "x"})
    world.consumer.handle(_change("MODIFY", _image(task), _image(done), "e-2"))
    completed = world.sent()[1:]
    assert {j.webhook_id for j in completed} == {world.hooks[0].id, world.hooks[1].id}
    assert {j.event for j in completed} == {WebhookEvent.task_completed}
    assert completed[0].previous == {"status": "todo"}


def test_a_replayed_record_makes_the_same_delivery_ids() -> None:
    world = World({})
    change = _change("INSERT", None, _image(world.task()))
    world.consumer.handle(change)
    world.consumer.handle(change)
    first, second = world.sent()
    assert first.id == second.id


def test_nothing_is_read_or_sent_for_changes_that_are_no_news() -> None:
    world = World({})
    task = world.task()
    touched = task.model_copy(update={"version": 2, "updated_at": "later"})
    world.consumer.handle(_change("MODIFY", _image(task), _image(touched)))
    world.consumer.handle(_change("INSERT", None, {"type": "notification", "project_id": "x"}))
    assert world.sent() == []


def test_a_deleted_projects_changes_are_not_sent_but_its_deletion_is() -> None:
    world = World({})
    pk, project_item = it.project_pk(world.project.id), it.project_key(world.project.id)
    marked = dict(world.table.get(project_item) or {}) | {"deleted_at": {"S": STAMP}}
    old_project = it.deserialize(world.table.get(project_item) or {})
    world.table.put(marked)
    task = world.task()
    world.consumer.handle(_change("REMOVE", _image(task), None))
    assert world.sent() == []
    world.consumer.handle(_change("MODIFY", old_project, it.deserialize(marked)))
    (job,) = world.sent()
    assert job.event is WebhookEvent.project_deleted
    assert pk.endswith(job.project_id)
    # The purge's passes touch the marked item again: no second deletion.
    world.consumer.handle(_change("MODIFY", it.deserialize(marked), it.deserialize(marked)))
    assert len(world.sent()) == 1


def test_no_queue_means_no_deliveries() -> None:
    world = World({})
    WebhookJobs(world.store, None).handle(_change("INSERT", None, _image(world.task())))
    assert world.sent() == []


def _events(kind: str, old: dict[str, Any] | None, new: dict[str, Any] | None) -> Any:
    found = webhook_change(kind, api_image(kind, old), api_image(kind, new))
    return found.event if found is not None else None


def test_the_events_of_tasks_comments_attachments_members() -> None:
    base = {"project_id": "p", "task_id": "p-t", "title": "a", "status": "todo"}
    trashed = base | {"deleted_at": STAMP}
    assert _events("task", base, trashed) is WebhookEvent.task_deleted
    assert _events("task", trashed, base) is WebhookEvent.task_created
    assert _events("task", trashed, None) is None  # purged from the trash
    assert _events("task", base, None) is WebhookEvent.task_deleted
    comment = {"project_id": "p", "comment_id": "c", "task_id": "p-t", "body": "hi"}
    assert _events("comment", None, comment) is WebhookEvent.comment_created
    assert _events("comment", comment, comment | {"body": "yo"}) is WebhookEvent.comment_updated
    assert _events("comment", comment, None) is WebhookEvent.comment_deleted
    pending = {"project_id": "p", "attachment_id": "a", "task_id": "p-t", "status": "pending"}
    ready = pending | {"status": "ready"}
    assert _events("attachment", None, pending) is None
    assert _events("attachment", pending, ready) is WebhookEvent.attachment_added
    assert _events("attachment", ready, None) is WebhookEvent.attachment_deleted
    assert _events("attachment", pending, None) is None
    member = {"project_id": "p", "user_id": "u", "role": "viewer", "created_at": STAMP}
    assert _events("member", None, member) is WebhookEvent.member_added
    assert _events("member", member, member | {"role": "editor"}) is WebhookEvent.member_updated
    assert _events("member", member, None) is WebhookEvent.member_removed
    project = {"project_id": "p", "name": "a", "version": 1}
    assert _events("project", project, project | {"name": "b"}) is WebhookEvent.project_updated
    assert _events("project", None, project) is None


def test_a_change_from_before_the_webhook_existed_is_not_its_news() -> None:
    world = World({"created_at": format_time(NOW + timedelta(seconds=5))})
    task = world.task()
    world.consumer.handle(_change("INSERT", None, _image(task)))  # recorded at NOW
    assert world.sent() == []
    later = StreamChange("e-2", "INSERT", "101", {}, None, _image(task),
                         NOW + timedelta(seconds=5, microseconds=0))  # fmt: skip
    world.consumer.handle(later)
    assert len(world.sent()) == 1
