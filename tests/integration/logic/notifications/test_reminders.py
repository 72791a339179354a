"""Reminders against the embedded PostgreSQL and moto's SQS: lead times, overdue notices,
once only — also for two runs at once — and nothing lost when enqueueing fails."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator, Sequence
from datetime import datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.engine import Engine

from tasklane.dal.dynamodb.items import member_to_item
from tasklane.dal.queue import SqsJobQueue
from tasklane.domain.models import Member, Role
from tasklane.domain.notifications import NotificationJob
from tasklane.local.bootstrap import LocalConfig
from tasklane.logic.notifications.reminders import Reminders
from tests.integration.support import clients
from tests.servers import session_database

pytestmark = pytest.mark.integration

NOW = datetime.fromisoformat("2025-03-01T12:00:00+00:00")
PROJECT = "01jd0000000000000000000000"


@pytest.fixture
def db(pg: Engine) -> Iterator[Engine]:
    with pg.begin() as conn:
        conn.execute(text("TRUNCATE reminders_sent"))
        conn.execute(
            text(
                "INSERT INTO projects (project_id, name, owner_id, version) "
                "VALUES (:p, 'Launch', 'ada', 1)"
            ),
            {"p": PROJECT},
        )
        # Members of the project ("nobody" has no profile): only members are reminded.
        for seq, user in enumerate(("ada", "bob", "nobody"), start=1):
            conn.execute(
                text(
                    "INSERT INTO project_members (project_id, user_id, role, seq) "
                    "VALUES (:p, :u, :r, :seq)"
                ),
                {"p": PROJECT, "u": user, "r": "owner" if user == "ada" else "editor", "seq": seq},
            )
        for user, lead in (("ada", 60), ("bob", 10)):
            conn.execute(
                text(
                    "INSERT INTO profiles (user_id, email, display_name, time_zone, "
                    "notifications, reminder_lead_minutes) VALUES (:u, :e, :n, 'Europe/Berlin', "
                    "CAST(:prefs AS jsonb), :lead)"
                ),
                {
                    "u": user,
                    "e": f"{user}@example.com",
                    "n": user.title(),
                    "prefs": json.dumps({"task_due": True}),
                    "lead": lead,
                },
            )
    yield pg
    with pg.begin() as conn:
        conn.execute(text("TRUNCATE reminders_sent"))


def add_task(
    engine: Engine,
    n: int,
    due_in: timedelta | None,
    *,
    created_by: str = "ada",
    assignee: str | None = None,
    status: str = "todo",
) -> str:
    task_id = f"{PROJECT}-01jd00000000000000000000{n:02d}"
    with engine.begin() as conn:
        conn.execute(
            text(
                """
                INSERT INTO tasks (task_id, project_id, title, status, priority, due_at,
                                   created_at, updated_at, created_by, version, assignee_id,
                                   search)
                VALUES (:id, :p, :title, :status, 'medium', :due, :now, :now, :by, 1, :assignee,
                        to_tsvector('simple', ''))
                """
            ),
            {
                "id": task_id,
                "p": PROJECT,
                "title": f"Task {n}",
                "status": status,
                "due": NOW + due_in if due_in is not None else None,
                "now": NOW - timedelta(days=3),
                "by": created_by,
                "assignee": assignee,
            },
        )
    return task_id


class ListQueue:
    def __init__(self, delay: float = 0.0, fail: bool = False) -> None:
        self.jobs: list[NotificationJob] = []
        self.delay = delay
        self.fail = fail
        self.lock = threading.Lock()

    def send(self, jobs: Sequence[NotificationJob]) -> None:
        time.sleep(self.delay)  # hold the claim's transaction open, as a slow SQS would
        if self.fail and jobs:
            raise RuntimeError("SQS is down")
        with self.lock:
            self.jobs += jobs


def reminders(engine: Engine, queue: Any, now: datetime = NOW) -> Reminders:
    return Reminders(session_database(engine), queue, clock=lambda: now)


def summary(jobs: Sequence[NotificationJob]) -> set[tuple[str, str, str]]:
    return {(str(j.task_id)[-2:], j.kind.value, j.recipient_id) for j in jobs}


def test_lead_times_overdue_and_done(db: Engine) -> None:
    add_task(db, 1, timedelta(minutes=50))  # ada's lead is 60: due soon
    add_task(db, 2, timedelta(minutes=50), assignee="bob")  # bob's lead is 10: not yet
    add_task(db, 3, timedelta(minutes=5), assignee="bob")  # within bob's 10
    add_task(db, 4, timedelta(minutes=-30))  # overdue
    add_task(db, 5, timedelta(minutes=-30), status="done")  # done: nothing
    add_task(db, 6, timedelta(minutes=5), status="done")
    add_task(db, 7, timedelta(hours=3))  # far off
    add_task(db, 8, None)  # no due date
    add_task(db, 9, timedelta(days=-3))  # overdue long before: beyond the look-back
    add_task(db, 10, timedelta(minutes=5), created_by="nobody")  # no profile: default lead

    queue = ListQueue()
    jobs = reminders(db, queue).run_once()
    assert summary(jobs) == {
        ("01", "task_due", "ada"),
        ("03", "task_due", "bob"),
        ("04", "task_overdue", "ada"),
        ("10", "task_due", "nobody"),
    }
    by_task = {str(j.task_id)[-2:]: j for j in jobs}
    due = by_task["01"]
    assert due.id == f"reminder:{due.task_id}:2025-03-01T12:50:00.000Z:due_soon"
    assert due.subject == {
        "task_title": "Task 1",
        "project_name": "Launch",
        "due_at": "2025-03-01T12:50:00.000Z",
    }
    assert due.recipient is not None
    assert due.recipient.email == "ada@example.com"
    assert due.recipient.time_zone == "Europe/Berlin"
    assert by_task["04"].id.endswith(":overdue")
    assert by_task["10"].recipient is None  # in-app only

    # Never twice: a second run finds nothing new...
    assert reminders(db, queue).run_once() == []
    # ...until time passes: bob's lead reached for task 2, tasks 3 and 10 fall overdue.
    later = reminders(db, queue, NOW + timedelta(minutes=45)).run_once()
    assert summary(later) == {
        ("02", "task_due", "bob"),
        ("03", "task_overdue", "bob"),
        ("10", "task_overdue", "nobody"),
    }
    assert reminders(db, queue, NOW + timedelta(minutes=46)).run_once() == []


def test_a_moved_due_date_gets_its_own_reminder(db: Engine) -> None:
    task_id = add_task(db, 1, timedelta(minutes=30))
    queue = ListQueue()
    assert len(reminders(db, queue).run_once()) == 1
    with db.begin() as conn:
        conn.execute(
            text("UPDATE tasks SET due_at = due_at + interval '10 minutes' WHERE task_id = :id"),
            {"id": task_id},
        )
    (job,) = reminders(db, queue).run_once()
    assert job.id.endswith(":2025-03-01T12:40:00.000Z:due_soon")


def test_overlapping_runs_enqueue_each_reminder_once(db: Engine) -> None:
    for n in range(1, 13):
        add_task(db, n, timedelta(minutes=n * 3 - 10))
    queue = ListQueue(delay=0.3)
    results: list[list[NotificationJob]] = []
    start = threading.Barrier(3)

    def run() -> None:
        start.wait()
        results.append(reminders(db, queue).run_once())

    threads = [threading.Thread(target=run) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert len(results) == 3
    ids = [j.id for j in queue.jobs]
    assert len(ids) == len(set(ids)) == 12
    with db.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM reminders_sent")).scalar_one() == 12


def test_a_failed_enqueue_rolls_the_claim_back(db: Engine) -> None:
    add_task(db, 1, timedelta(minutes=-5))
    with pytest.raises(RuntimeError, match="SQS is down"):
        reminders(db, ListQueue(fail=True)).run_once()
    with db.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM reminders_sent")).scalar_one() == 0
    queue = ListQueue()
    assert summary(reminders(db, queue).run_once()) == {("01", "task_overdue", "ada")}


def test_reminders_through_the_queue_and_notifier_send_one_email(
    db: Engine, aws: LocalConfig
) -> None:
    from tasklane.local.mailbox import read_mailbox
    from tests.integration.support import drain_queue, notifier_poller

    add_task(db, 1, timedelta(minutes=-5))
    add_task(db, 2, timedelta(minutes=-5), status="done")
    # The notifier checks the membership again, in DynamoDB: Ada's, as the stream wrote it.
    owner = Member(
        user_id="ada",
        email="ada@example.com",
        display_name="Ada",
        role=Role.owner,
        added_at="2025-03-01T00:00:00.000Z",
        added_by="ada",
    )
    clients().dynamodb.put_item(TableName=aws.table_name, Item=member_to_item(PROJECT, owner))
    queue = SqsJobQueue(aws.queue_url, lambda: clients().sqs)
    reminders(db, queue).run_once()
    reminders(db, queue).run_once()
    drain_queue(aws, notifier_poller(aws))
    (mail,) = read_mailbox(aws.endpoint_url)
    assert mail["to"] == ["ada@example.com"]
    assert mail["subject"] == "“Task 1” is overdue"
    assert "11:55 (Europe/Berlin)" not in mail["text"]  # 12:55 in Berlin (UTC+1)
    assert "12:55 (Europe/Berlin)" in mail["text"]


def test_the_reminders_handler_enqueues_on_the_configured_queue(
    db: Engine, aws: LocalConfig, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tasklane.handlers.reminders import lambda_handler
    from tasklane.wiring import reminders
    from tests.integration.support import lambda_context

    monkeypatch.setenv("TASKLANE_NOTIFICATIONS_QUEUE_URL", aws.queue_url)
    # The function's container, from this environment, on the test's database.
    reminders.root.use(None)
    reminders.root.get().override(database=session_database(db))
    add_task(db, 1, timedelta(minutes=-5))  # overdue now (the handler uses the real clock)
    with db.begin() as conn:
        conn.execute(text("UPDATE tasks SET due_at = now() - interval '5 minutes'"))
    context = lambda_context("tasklane-reminders")
    assert lambda_handler({}, context) == {"enqueued": 1}
    assert lambda_handler({}, context) == {"enqueued": 0}
    messages = clients().sqs.receive_message(QueueUrl=aws.queue_url, WaitTimeSeconds=1)
    (message,) = messages["Messages"]
    clients().sqs.delete_message(QueueUrl=aws.queue_url, ReceiptHandle=message["ReceiptHandle"])
    job = NotificationJob.model_validate_json(message["Body"])
    assert job.kind.value == "task_overdue"
    assert job.id.startswith("reminder:")
    assert job.id.endswith(":overdue")
