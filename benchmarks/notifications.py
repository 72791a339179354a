"""Notification latency and AWS calls per job, through the local stack.

The stack is :class:`tasklane.local.runtime.LocalStack` in this process (shared with the
projection and search sections): the API behind the local gateway, the stream poller
feeding the events handler (which enqueues the jobs), the SQS poller feeding the notifier,
SES and the local mailbox (``GET /_dev/mail``).

Latency: user A assigns a task to user B (a member of A's project); timed from just before
the request is sent until ``/_dev/mail`` lists the e-mail to B (polled every
:data:`POLL_SECONDS`). Target: p95 ≤ 2 s, the bound the e2e test holds a user to.

Calls per job: every AWS request the notifier makes (botocore hooks on the DynamoDB and SES
clients, counted on the SQS poller's thread only, where the notifier runs), divided by the
jobs it processed. Expected and asserted: SES SendEmail 1 + DynamoDB TransactWriteItems 1
(the in-app notice and the unread counter) + 2 for idempotency (the conditional PutItem of
the in-progress record and the UpdateItem that completes it) + DynamoDB BatchGetItem 1 (the
recipient is still a member of the project) = 5. A count, not a time: it is the same in AWS.
"""

from __future__ import annotations

import contextlib
import io
import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import httpx

from benchmarks.projection import GIVE_UP_SECONDS, summary_ms
from benchmarks.results import Check, Section

if TYPE_CHECKING:
    from tasklane.local.runtime import LocalStack

TARGET_P95_SECONDS = 2.0
POLL_SECONDS = 0.02
WRITES = 20
#: SES 1 + in-app transaction 1 + idempotency 2 (see the module doc).
EXPECTED_CALLS = {
    "SendEmail": 1,
    "TransactWriteItems": 1,
    "PutItem": 1,
    "UpdateItem": 1,
    "BatchGetItem": 1,
}
OWNER = ("notify-a@bench.example.com", "Bench-Notify-A-Passw0rd")
MEMBER = ("notify-b@bench.example.com", "Bench-Notify-B-Passw0rd")
#: The SQS poller's thread: the notifier's calls are made there, and only there.
NOTIFIER_THREAD = "tasklane-sqs"


class NotifierCalls:
    """AWS requests made on the notifier's thread, by operation."""

    def __init__(self) -> None:
        self.operations: Counter[str] = Counter()
        self._clients: list[Any] = []

    def _count(self, model: Any, **_: Any) -> None:
        if threading.current_thread().name == NOTIFIER_THREAD:
            self.operations[model.name] += 1

    def __enter__(self) -> NotifierCalls:
        from tasklane.wiring.notifier import root

        aws = root.get().aws  # the notifier function's clients
        self._clients = [aws.dynamodb, aws.ses]
        for client in self._clients:
            client.meta.events.register("before-call.*", self._count)
        return self

    def __exit__(self, *exc: object) -> None:
        for client in self._clients:
            client.meta.events.unregister("before-call.*", self._count)


def run(stack: LocalStack, writes: int = WRITES) -> Section:
    section = Section("notifications", "Notifications (API write → e-mail in the mailbox)")
    owner = stack.create_user(*OWNER)
    member = stack.create_user(*MEMBER)
    samples: list[float | None] = []
    with (
        httpx.Client(
            base_url=stack.api_url, headers={"Authorization": owner.id_token}, timeout=30
        ) as a,
        httpx.Client(
            base_url=stack.api_url, headers={"Authorization": member.id_token}, timeout=30
        ) as b,
        httpx.Client(timeout=30) as mailbox,
    ):

        def mailed(needle: str) -> bool:
            items = mailbox.get(stack.mailbox_url).json()["items"]
            return any(needle in m["subject"] and MEMBER[0] in m["to"] for m in items)

        def wait(check: Callable[[], bool], started: float) -> float | None:
            while time.perf_counter() - started < GIVE_UP_SECONDS:
                if check():
                    return time.perf_counter() - started
                time.sleep(POLL_SECONDS)
            return None

        # Set-up and a warm-up assignment (first requests import the handlers' lazy parts),
        # not counted. Powertools' cold-start metric (EMF) goes to stdout: swallowed.
        with contextlib.redirect_stdout(io.StringIO()):
            for client in (a, b):
                client.get("/me").raise_for_status()  # profiles exist from first sight
            project = a.post("/projects", json={"name": "Notification bench"})
            project.raise_for_status()
            project_id = project.json()["id"]
            invited = a.post(
                f"/projects/{project_id}/members", json={"email": MEMBER[0], "role": "editor"}
            )
            invited.raise_for_status()
            b.post(f"/invitations/{invited.json()['id']}/accept").raise_for_status()
            member_id = b.get("/me").json()["user_id"]
            warm = f"warm {uuid.uuid4().hex[:8]}"
            a.post(
                f"/projects/{project_id}/tasks", json={"title": warm, "assignee_id": member_id}
            ).raise_for_status()
            if wait(lambda: mailed(warm), time.perf_counter()) is None:
                raise RuntimeError(f"no e-mail within {GIVE_UP_SECONDS:.0f} s of an assignment")

        poller = stack.notifier_poller.stats
        jobs_before = poller.messages - poller.failed
        with NotifierCalls() as calls:
            for _ in range(writes):
                title = f"Bench {uuid.uuid4().hex[:10]}"
                started = time.perf_counter()
                reply = a.post(
                    f"/projects/{project_id}/tasks",
                    json={"title": title, "assignee_id": member_id},
                )
                if reply.status_code != 201:
                    raise RuntimeError(f"create: {reply.status_code} {reply.text}")
                samples.append(wait(lambda title=title: mailed(title), started))  # type: ignore[misc]
            # Let the notifier finish its last job before reading the counts.
            time.sleep(0.2)
        jobs = poller.messages - poller.failed - jobs_before

    latencies = [s for s in samples if s is not None]
    missing = len(samples) - len(latencies)
    overall = summary_ms(latencies)
    per_job = (
        {name: round(count / jobs, 2) for name, count in calls.operations.items()} if jobs else {}
    )
    total_per_job = round(sum(calls.operations.values()) / jobs, 2) if jobs else None
    section.data.update(
        {
            "writes": len(samples),
            "poll_interval_ms": POLL_SECONDS * 1000,
            "latency": overall,
            "not_delivered": missing,
            "jobs": jobs,
            "calls_per_job": per_job,
            "notifier_poller": {
                "batches": poller.batches,
                "messages": poller.messages,
                "failed": poller.failed,
            },
        }
    )
    p95 = overall["p95_ms"]
    section.checks += [
        Check(
            "e-mail latency p50", f"{overall['p50_ms']} ms", "", None, f"{len(latencies)} writes"
        ),
        Check(
            "e-mail latency p95",
            f"{p95} ms",
            f"≤ {TARGET_P95_SECONDS * 1000:.0f} ms",
            p95 is not None and p95 <= TARGET_P95_SECONDS * 1000 and missing == 0,
            f"{missing} e-mail(s) not seen within {GIVE_UP_SECONDS:.0f} s" if missing else "",
        ),
        Check(
            "AWS calls per notification job",
            f"{total_per_job} ({', '.join(f'{k} {v}' for k, v in sorted(per_job.items()))})",
            "= 5 (SES 1, TransactWriteItems 1, idempotency PutItem 1 + UpdateItem 1, "
            "membership BatchGetItem 1)",
            per_job == {k: float(v) for k, v in EXPECTED_CALLS.items()},
            f"{jobs} jobs",
        ),
    ]
    return section
