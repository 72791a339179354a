"""Projection lag: an API write until ``/search`` shows it, through the local stack.

The stack is :class:`tasklane.local.runtime.LocalStack` in this process, as ``tasklane dev``
runs it: moto (DynamoDB with its stream, Cognito), the API behind the local gateway (HTTP,
a real Cognito ID token), the stream poller feeding ``tasklane.handlers.events`` and the
embedded PostgreSQL (a throw-away data directory, migrated on start).

Each write is timed from just before the request is sent until the first ``GET /search``
response that shows its effect (polled every :data:`POLL_SECONDS`): a created task found by a
word of its title, an updated one by a word of its new description, a deleted one no longer
found. Target: p95 ≤ 2 s, the bound the e2e test holds a user to.

``local_stack()`` is shared with :mod:`benchmarks.search` (its PostgreSQL).
"""

from __future__ import annotations

import contextlib
import io
import os
import secrets
import statistics
import string
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

import httpx

from benchmarks.results import Check, Section

if TYPE_CHECKING:
    from tasklane.local.runtime import LocalStack

#: The issue's bound on projection lag (tests/e2e/test_search_e2e.py holds the same).
TARGET_P95_SECONDS = 2.0
POLL_SECONDS = 0.02
#: Give up on one write after this long (counted as a miss, not an error).
GIVE_UP_SECONDS = 10.0
EMAIL = "lag@bench.example.com"
PASSWORD = "Bench-Lag-Passw0rd"  # noqa: S105 - a local, throw-away user

#: Quiet handlers: no JSON log lines or EMF blobs from the API on the benchmark's stdout.
QUIET_ENVIRONMENT = {
    "POWERTOOLS_LOG_LEVEL": "ERROR",
    "POWERTOOLS_METRICS_DISABLED": "true",
    "POWERTOOLS_TRACE_DISABLED": "true",
}


@contextmanager
def local_stack(**options: Any) -> Iterator[LocalStack]:
    """``tasklane dev`` in this process, on free ports, with its state in a temporary dir
    (``options``: more of LocalStack's, e.g. the web app's ``web_port`` and ``web_dir``)."""
    from tasklane.local.runtime import LocalStack

    saved = {name: os.environ.get(name) for name in QUIET_ENVIRONMENT}
    os.environ.update(QUIET_ENVIRONMENT)
    try:
        with (
            tempfile.TemporaryDirectory(prefix="tasklane-bench-") as state_dir,
            LocalStack(port=0, aws_port=0, state_dir=state_dir, **options) as stack,
        ):
            yield stack
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def percentile(values: list[float], fraction: float) -> float:
    """Nearest-rank percentile (no interpolation: the value of an actual sample)."""
    ordered = sorted(values)
    index = max(0, min(len(ordered) - 1, round(fraction * len(ordered) + 0.5) - 1))
    return ordered[index]


def summary_ms(values: list[float]) -> dict[str, Any]:
    """n, p50, p95, max in milliseconds (``values`` in seconds)."""
    if not values:
        return {"n": 0, "p50_ms": None, "p95_ms": None, "max_ms": None}
    return {
        "n": len(values),
        "p50_ms": round(statistics.median(values) * 1000, 1),
        "p95_ms": round(percentile(values, 0.95) * 1000, 1),
        "max_ms": round(max(values) * 1000, 1),
    }


def _word() -> str:
    # Letters only: the english parser keeps it one token, and no stemming applies to it.
    return "zq" + "".join(secrets.choice(string.ascii_lowercase) for _ in range(10))


def run(stack: LocalStack, writes: int = 40) -> Section:
    section = Section("projection", "Projection lag (API write → searchable)")
    tokens = stack.create_user(EMAIL, PASSWORD)
    creates = max(2, writes // 2)
    updates = max(1, writes // 4)
    deletes = max(1, writes - creates - updates)
    samples: list[dict[str, Any]] = []
    with httpx.Client(
        base_url=stack.api_url, headers={"Authorization": tokens.id_token}, timeout=30
    ) as http:

        def found(word: str) -> list[str]:
            reply = http.get("/search", params={"q": word})
            reply.raise_for_status()
            return [hit["task"]["id"] for hit in reply.json()["items"]]

        def measure(
            kind: str, write: Callable[[], httpx.Response], visible: Callable[[], bool]
        ) -> Any:
            started = time.perf_counter()
            response = write()
            written = time.perf_counter()
            if response.status_code not in (201, 204):
                raise RuntimeError(f"{kind}: {response.status_code} {response.text}")
            seen: float | None = None
            while time.perf_counter() - started < GIVE_UP_SECONDS:
                if visible():
                    seen = time.perf_counter()
                    break
                time.sleep(POLL_SECONDS)
            samples.append(
                {
                    "kind": kind,
                    "write_s": written - started,
                    "lag_s": None if seen is None else seen - started,
                }
            )
            return response

        # A warm-up write (first requests import the handlers' lazy parts): not counted.
        # The handlers' first invocations print Powertools' cold-start metric (EMF) to stdout.
        warm = _word()
        with contextlib.redirect_stdout(io.StringIO()):
            http.post("/projects/inbox/tasks", json={"title": f"Warm up {warm}"}).raise_for_status()
            deadline = time.monotonic() + GIVE_UP_SECONDS
            while not found(warm):
                if time.monotonic() > deadline:
                    raise RuntimeError(
                        f"a created task was not searchable within {GIVE_UP_SECONDS:.0f} s"
                    )
                time.sleep(POLL_SECONDS)

        tasks: list[tuple[str, str]] = []
        for _ in range(creates):
            word = _word()
            holder: dict[str, str] = {}

            def create(word: str = word, holder: dict[str, str] = holder) -> httpx.Response:
                reply = http.post("/projects/inbox/tasks", json={"title": f"Prepare {word} deck"})
                if reply.status_code == 201:
                    holder["id"] = reply.json()["id"]
                return reply

            def created(word: str = word, holder: dict[str, str] = holder) -> bool:
                return found(word) == [holder["id"]]

            measure("create", create, created)
            tasks.append((holder["id"], word))
        for task_id, _ in tasks[:updates]:
            word = _word()
            measure(
                "update",
                lambda task_id=task_id, word=word: http.patch(  # type: ignore[misc]
                    f"/tasks/{task_id}", json={"description": f"about {word}"}
                ),
                lambda task_id=task_id, word=word: found(word) == [task_id],  # type: ignore[misc]
            )
        for task_id, word in tasks[-deletes:]:
            measure(
                "delete",
                lambda task_id=task_id: http.delete(f"/tasks/{task_id}"),  # type: ignore[misc]
                lambda word=word: found(word) == [],  # type: ignore[misc]
            )

    lags = [s["lag_s"] for s in samples if s["lag_s"] is not None]
    missing = len(samples) - len(lags)
    overall = summary_ms(lags)
    by_kind = {
        kind: {
            **summary_ms([s["lag_s"] for s in samples if s["kind"] == kind and s["lag_s"]]),
            "write": summary_ms([s["write_s"] for s in samples if s["kind"] == kind]),
        }
        for kind in ("create", "update", "delete")
    }
    poller = stack.stream_poller.stats
    section.data.update(
        {
            "writes": len(samples),
            "poll_interval_ms": POLL_SECONDS * 1000,
            "lag": overall,
            "by_kind": by_kind,
            "write": summary_ms([s["write_s"] for s in samples]),
            "not_visible": missing,
            "poller": {
                "batches": poller.batches,
                "records": poller.records,
                "failed_records": poller.failed_records,
            },
        }
    )
    target = f"≤ {TARGET_P95_SECONDS * 1000:.0f} ms"
    p95 = overall["p95_ms"]
    section.checks += [
        Check("lag p50", f"{overall['p50_ms']} ms", "", None, f"{len(lags)} writes"),
        Check(
            "lag p95",
            f"{p95} ms",
            target,
            p95 is not None and p95 <= TARGET_P95_SECONDS * 1000 and missing == 0,
            f"{missing} write(s) not visible within {GIVE_UP_SECONDS:.0f} s" if missing else "",
        ),
    ]
    return section
