"""Webhook delivery latency and AWS requests per delivery, through the local stack.

The stack is the one the projection, search and notification sections share
(:class:`tasklane.local.runtime.LocalStack` in this process): the API behind the local
gateway, the stream poller feeding the events handler (whose ``WebhookJobs`` consumer
enqueues the deliveries), and the SQS poller feeding the webhooks handler, which posts to a
receiver on loopback (the local runtime allows ``http://`` to loopback).

Latency: a user creates a task in a project with one webhook; timed from just before the
request is sent until the receiver has the delivery, verified (its signature checked with
the secret). Target: p95 ≤ 2 s.

Requests per delivery: every AWS request the webhooks function makes (botocore hooks on its
container's DynamoDB and SQS clients, on the SQS pollers' thread), divided by the
deliveries. Expected and asserted, for deliveries that succeed at once: 4 DynamoDB
UpdateItem/PutItem (claim the delivery, count the attempt, log it, finish the claim) and
nothing else (the SQS poller deletes the message, as Lambda's event source mapping does).
A count, not a time: it is the same in AWS.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import io
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TYPE_CHECKING, Any

import httpx

from benchmarks.notifications import ThreadCalls
from benchmarks.projection import GIVE_UP_SECONDS, summary_ms
from benchmarks.results import Check, Section

if TYPE_CHECKING:
    from tasklane.local.runtime import LocalStack

TARGET_P95_SECONDS = 2.0
WRITES = 20
#: Per delivery that succeeds at its first attempt (see the module doc).
EXPECTED_CALLS = {"UpdateItem": 3, "PutItem": 1}
OWNER = ("hooks-a@bench.example.com", "Bench-Hooks-A-Passw0rd")


class Receiver:
    """An HTTP receiver on loopback: the time each delivery arrived, by task title, when
    its signature verifies."""

    def __init__(self) -> None:
        self.secret = ""
        self.arrived: dict[str, float] = {}
        self.refused = 0
        self._done = threading.Condition()
        box = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                box.take(self.headers.get("X-Tasklane-Timestamp", ""),
                         self.headers.get("X-Tasklane-Signature", ""), body)  # fmt: skip
                self.send_response(204)
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                return

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}/hooks"

    def take(self, stamp: str, signature: str, body: bytes) -> None:
        import json

        mac = hmac.new(self.secret.encode(), stamp.encode() + b"." + body, hashlib.sha256)
        if not hmac.compare_digest(f"sha256={mac.hexdigest()}", signature):
            self.refused += 1
            return
        title = json.loads(body)["data"].get("task", {}).get("title", "")
        with self._done:
            self.arrived.setdefault(title, time.perf_counter())
            self._done.notify_all()

    def wait(self, title: str, timeout: float) -> float | None:
        with self._done:
            self._done.wait_for(lambda: title in self.arrived, timeout)
            return self.arrived.get(title)

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()


def worker_clients() -> list[Any]:
    from tasklane.wiring.webhooks import root

    aws = root.get().aws  # the webhooks function's clients
    return [aws.dynamodb, aws.sqs]


def run(stack: LocalStack, writes: int = WRITES) -> Section:
    section = Section("webhooks", "Webhook deliveries (API write → receiver)")
    owner = stack.create_user(*OWNER)
    receiver = Receiver()
    samples: list[float | None] = []
    try:
        with httpx.Client(
            base_url=stack.api_url, headers={"Authorization": owner.id_token}, timeout=30
        ) as a:
            # Set-up and a warm-up delivery (first requests import the lazy parts): not
            # counted. Powertools' metrics (EMF) go to stdout: swallowed.
            with contextlib.redirect_stdout(io.StringIO()):
                project = a.post("/projects", json={"name": "Webhook bench"})
                project.raise_for_status()
                base = f"/projects/{project.json()['id']}"
                hook = a.post(f"{base}/webhooks",
                              json={"url": receiver.url, "events": ["task.created"]})  # fmt: skip
                hook.raise_for_status()
                receiver.secret = hook.json()["secret"]
                warm = f"warm {uuid.uuid4().hex[:8]}"
                a.post(f"{base}/tasks", json={"title": warm}).raise_for_status()
                if receiver.wait(warm, GIVE_UP_SECONDS) is None:
                    raise RuntimeError(f"no delivery within {GIVE_UP_SECONDS:.0f} s")
                time.sleep(0.2)  # the warm-up's last requests (finishing its claim)

            with ThreadCalls(worker_clients) as calls, contextlib.redirect_stdout(io.StringIO()):
                for _ in range(writes):
                    title = f"Bench {uuid.uuid4().hex[:10]}"
                    started = time.perf_counter()
                    reply = a.post(f"{base}/tasks", json={"title": title})
                    if reply.status_code != 201:
                        raise RuntimeError(f"create: {reply.status_code} {reply.text}")
                    arrived = receiver.wait(title, GIVE_UP_SECONDS)
                    samples.append(None if arrived is None else arrived - started)
                time.sleep(0.3)  # the last delivery's claim is finished after the POST
    finally:
        receiver.close()

    latencies = [s for s in samples if s is not None]
    missing = len(samples) - len(latencies)
    overall = summary_ms(latencies)
    delivered = len(latencies)
    per_delivery = (
        {name: round(count / delivered, 2) for name, count in calls.operations.items()}
        if delivered
        else {}
    )
    total = round(sum(calls.operations.values()) / delivered, 2) if delivered else None
    section.data.update(
        {
            "writes": len(samples),
            "latency": overall,
            "not_delivered": missing,
            "signatures_refused": receiver.refused,
            "calls_per_delivery": per_delivery,
        }
    )
    p95 = overall["p95_ms"]
    section.checks += [
        Check(
            "delivery latency p50", f"{overall['p50_ms']} ms", "", None, f"{delivered} deliveries"
        ),
        Check(
            "delivery latency p95",
            f"{p95} ms",
            f"≤ {TARGET_P95_SECONDS * 1000:.0f} ms",
            p95 is not None
            and p95 <= TARGET_P95_SECONDS * 1000
            and missing == 0
            and receiver.refused == 0,
            f"{missing} not delivered, {receiver.refused} bad signatures"
            if missing or receiver.refused
            else "every signature verified",
        ),
        Check(
            "AWS requests per delivery",
            f"{total} ({', '.join(f'{k} {v}' for k, v in sorted(per_delivery.items()))})",
            "= 4 (claim, count, log, finish: UpdateItem 3, PutItem 1)",
            per_delivery == {k: float(v) for k, v in EXPECTED_CALLS.items()},
            f"{delivered} deliveries",
        ),
    ]
    return section


def render(section: Section) -> list[str]:
    from benchmarks.markdown import checks, table

    data = section.data
    latency = data["latency"]
    out = [
        "`tasklane dev` in this process: a user creates a task in a project with one webhook; "
        "latency = from sending the write to the receiver (on loopback) holding the delivery, "
        "its signature verified: API → stream poller → events handler → SQS → SQS poller → "
        "webhooks handler → receiver. Requests per delivery: the webhooks function's AWS "
        f"requests over {data['writes'] - data['not_delivered']} deliveries.",
        "",
    ]
    out += checks(section.checks)
    row = [latency.get("n"), latency.get("p50_ms"), latency.get("p95_ms"), latency.get("max_ms")]
    return out + table(["", "n", "p50 (ms)", "p95 (ms)", "max (ms)"], [["write → receiver", *row]])
