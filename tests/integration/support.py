"""What the integration tests share besides fixtures: AWS clients on moto, the stream moved
into a handler, and both sides of the projection read back."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from sqlalchemy import text
from sqlalchemy.engine import Engine

from tasklane.dal.dynamodb.projected import DynamoProjectedItems
from tasklane.dal.dynamodb.table import Table
from tasklane.domain.notifications import NotificationJob, NotificationKind, Recipient
from tasklane.local.bootstrap import LocalConfig
from tasklane.local.launcher import update_environ
from tasklane.local.sqs_poller import SqsPoller
from tasklane.local.stream_poller import StreamPoller
from tasklane.wiring import functions

if TYPE_CHECKING:
    from tasklane.dal.aws import AwsClients


def clients() -> AwsClients:
    """AWS clients on moto, for a test's own reads and writes: the api function's (its
    container is fresh in every test, see ``conftest.aws``)."""
    from tasklane.wiring.api import root

    return root.get().aws


def poller(config: LocalConfig, handler: Any, **kwargs: Any) -> StreamPoller:
    return StreamPoller(
        config.table_name,
        handler,
        region=config.region,
        endpoint_url=config.endpoint_url,
        **kwargs,
    )


def drain(p: StreamPoller, rounds: int = 50) -> int:
    """Poll until a round delivers nothing; returns the records delivered."""
    total = 0
    for _ in range(rounds):
        delivered = p.poll()
        if delivered == 0:
            return total
        total += delivered
    raise AssertionError("the stream did not drain")


def stream_records(config: LocalConfig) -> list[dict[str, Any]]:
    """Every record on the stream so far, in Lambda's shape."""
    batches: list[dict[str, Any]] = []

    def capture(event: dict[str, Any], context: Any) -> dict[str, Any]:
        batches.append(event)
        return {"batchItemFailures": []}

    drain(poller(config, capture))
    return [record for batch in batches for record in batch["Records"]]


def projected_tasks(engine: Engine) -> dict[str, tuple[Any, ...]]:
    with engine.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT task_id, project_id, title, description, status, priority, due_at, "
                "labels, version FROM tasks"
            )
        ).all()
    return {row[0]: tuple(row) for row in rows}


def projected_members(engine: Engine) -> set[tuple[str, str, str]]:
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT project_id, user_id, role FROM project_members")).all()
    return {(r[0], r[1], r[2]) for r in rows}


def table_items(config: LocalConfig) -> DynamoProjectedItems:
    """What the projection follows, straight from DynamoDB (a test may Scan)."""
    return DynamoProjectedItems(Table(config.table_name, lambda: clients().dynamodb))


def table_tasks(config: LocalConfig) -> dict[str, int]:
    """Task id → version, straight from DynamoDB."""
    return {
        item["task_id"]: int(item["version"])
        for item in table_items(config).projected_items()
        if item.get("type") == "task"
    }


def sync(config: LocalConfig) -> None:
    """Every record on the stream so far, through the events function (all its consumers)."""
    from tasklane.handlers.events import lambda_handler

    drain(poller(config, lambda_handler))


def invite(
    api: Any, project_id: str, email: str, role: str = "editor", user: str = "user-a", **kwargs: Any
) -> Any:
    """The owner (``user``) invites ``email`` (202 and the invitation)."""
    return api.post(
        f"/projects/{project_id}/members", {"email": email, "role": role}, user=user, **kwargs
    )


def share(
    api: Any,
    project_id: str,
    email: str,
    role: str = "editor",
    user: str = "user-a",
    invitee: str | None = None,
    **kwargs: Any,
) -> Any:
    """The owner (``user``) invites ``email`` and its user accepts: the membership (the
    acceptance's reply, 200; the invitation's when it was refused). ``invitee`` defaults
    to the address's local part (the test claims' address is ``<user>@example.com``);
    accepting needs the profile store (the ``pg`` fixture)."""
    invited = invite(api, project_id, email, role, user, **kwargs)
    if invited.status != 202:
        return invited
    who = invitee or email.strip().partition("@")[0].lower()
    return api.post(f"/invitations/{invited.body['id']}/accept", user=who)


# The notification pipeline --------------------------------------------------------------
TASK = "01jd0000000000000000000000-01jd0000000000000000000001"


def purge(config: LocalConfig) -> None:
    """Leave no message behind: moto's state is shared by every server in this process."""
    for url in (config.queue_url, config.dlq_url):
        clients().sqs.purge_queue(QueueUrl=url)


def make_job(n: int, recipient_id: str = "user-b", **changes: Any) -> NotificationJob:
    job = NotificationJob(
        id=f"assigned:{TASK}:{n}:{recipient_id}",
        kind=NotificationKind.task_assigned,
        recipient_id=recipient_id,
        actor_id="user-a",
        project_id=TASK.split("-")[0],
        task_id=TASK,
        subject={"task_title": f"Task <{n}>", "project_name": "Launch", "actor_name": "Ada"},
        created_at=f"2025-03-01T09:{n:02d}:00.000Z",
        recipient=Recipient(
            user_id=recipient_id,
            email=f"{recipient_id}@example.com",
            display_name="Bob",
            time_zone="UTC",
        ),
    )
    return job.model_copy(update=changes)


def join_task_project(config: LocalConfig, user_id: str) -> None:
    """Makes ``user_id`` a member of :data:`TASK`'s project: the notifier delivers a job only
    to a current member of its project (it checks again before it delivers)."""
    from tasklane.dal.dynamodb.items import member_to_item
    from tasklane.domain.models import Member, Role

    member = Member(
        user_id=user_id,
        email=f"{user_id}@example.com",
        display_name=user_id,
        role=Role.editor,
        added_at="2025-03-01T00:00:00.000Z",
        added_by="user-a",
    )
    item = member_to_item(TASK.split("-")[0], member)
    clients().dynamodb.put_item(TableName=config.table_name, Item=item)


def notifier_poller(config: LocalConfig) -> SqsPoller:
    """The local stack's notifier poller, driven step by step, retrying within a second."""
    from tasklane.local.runtime import notifier_poller

    return notifier_poller(config, visibility_timeout=1)


def lambda_context(function_name: str) -> Any:
    from tasklane.local.lambda_context import new_context

    return new_context(
        function_name=function_name,
        region="us-east-1",
        account_id="123456789012",
        memory_mb=256,
        timeout_seconds=30.0,
    )


def send(config: LocalConfig, bodies: list[str]) -> None:
    clients().sqs.send_message_batch(
        QueueUrl=config.queue_url,
        Entries=[{"Id": str(i), "MessageBody": body} for i, body in enumerate(bodies)],
    )


def queue_depth(config: LocalConfig, url: str) -> int:
    attributes = clients().sqs.get_queue_attributes(
        QueueUrl=url,
        AttributeNames=["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"],
    )["Attributes"]
    return sum(int(v) for v in attributes.values())


def drain_queue(config: LocalConfig, p: SqsPoller, timeout: float = 20.0) -> None:
    """Poll until the queue is empty (retries included, DLQ moves done)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        p.poll()
        if queue_depth(config, config.queue_url) == 0:
            return
    raise AssertionError("the queue did not drain")


def deliver(config: LocalConfig, jobs: list[NotificationJob]) -> None:
    for start in range(0, len(jobs), 10):
        send(config, [j.model_dump_json() for j in jobs[start : start + 10]])
    drain_queue(config, notifier_poller(config))


@contextmanager
def settings_environment(values: dict[str, str]) -> Iterator[None]:
    """The functions' settings with ``values`` in their environment (their containers are
    made again on the way in and out), e.g. small limits for one test."""
    saved = update_environ(values)
    functions.reset()
    try:
        yield
    finally:
        update_environ(saved)
        functions.reset()
