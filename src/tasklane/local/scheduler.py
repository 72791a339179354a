"""The local EventBridge: one timer that invokes the scheduled functions' real handlers.

Each :class:`Job` names a Lambda handler and its interval (the CDK app's schedule); the
scheduler invokes it with EventBridge's scheduled-event shape and a Lambda context, as AWS
does. A failed run is logged and retried at the next tick (in AWS the next scheduled run is
the retry too). Runs of one job never overlap here; in AWS they may, and each job is safe
under that (the reminders' claim, the sweeper's conditional deletes).
"""

from __future__ import annotations

import logging
import threading
import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from tasklane.local.invoke import LOCAL_ACCOUNT_ID
from tasklane.local.lambda_context import new_context

log = logging.getLogger(__name__)

Handler = Callable[[dict[str, Any], Any], Any]


@dataclass(slots=True)
class Job:
    """A scheduled function: ``handler`` every ``interval`` seconds."""

    name: str
    interval: float
    handler: Handler
    #: The function's timeout (the context's deadline), as the CDK app sets it.
    timeout_seconds: float = 60.0
    runs: int = 0
    failures: int = 0
    next_at: float = field(default=0.0, repr=False)


def scheduled_event(rule: str, region: str) -> dict[str, Any]:
    """What EventBridge sends a Lambda function on a schedule."""
    return {
        "version": "0",
        "id": str(uuid.uuid4()),
        "detail-type": "Scheduled Event",
        "source": "aws.events",
        "account": LOCAL_ACCOUNT_ID,
        "time": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "region": region,
        "resources": [f"arn:aws:events:{region}:{LOCAL_ACCOUNT_ID}:rule/{rule}"],
        "detail": {},
    }


class Scheduler:
    def __init__(self, jobs: Sequence[Job], region: str) -> None:
        self.jobs = {job.name: job for job in jobs}
        self._region = region
        self._stop = threading.Event()
        self._lock = threading.Lock()  # one run at a time, timer or run()
        self._thread = threading.Thread(target=self._loop, name="tasklane-scheduler", daemon=True)

    def start(self) -> Scheduler:
        now = time.monotonic()
        for job in self.jobs.values():
            job.next_at = now + job.interval
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout=30)

    def run(self, name: str) -> Any:
        """Invoke job ``name``'s handler now, as the schedule would; its result, or raises."""
        job = self.jobs[name]
        context = new_context(
            function_name=f"tasklane-{name}",
            region=self._region,
            account_id=LOCAL_ACCOUNT_ID,
            memory_mb=512,
            timeout_seconds=job.timeout_seconds,
        )
        with self._lock:
            try:
                result = job.handler(scheduled_event(f"tasklane-{name}", self._region), context)
            except Exception:
                job.failures += 1
                raise
            finally:
                job.runs += 1
        return result

    def _loop(self) -> None:
        if not self.jobs:
            self._stop.wait()
            return
        while True:
            due = min(job.next_at for job in self.jobs.values())
            if self._stop.wait(max(0.0, due - time.monotonic())):
                return
            now = time.monotonic()
            for job in self.jobs.values():
                if job.next_at > now:
                    continue
                job.next_at = now + job.interval
                try:
                    self.run(job.name)
                except Exception:
                    # A failed run rolled back what it claimed; the next tick tries again.
                    log.exception("the scheduled %s run failed", job.name)
