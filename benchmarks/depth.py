"""Round trips of issue 17's operations: completing a recurring task, a checklist tick, a
restore with many children, and the items an activity page reads.

Counted on the api handler's own DynamoDB client against moto, as ``aws_calls`` does; the
baseline of a restore is what the issue allows (2 + one per 25 children: the children
moved one batch at a time), measured against the same run's child counts. The activity is
recorded from moto's real stream by the activity consumer (not counted), then paged.
"""

from __future__ import annotations

from typing import Any

from benchmarks.events import Client, Reply
from benchmarks.results import Check, Section
from benchmarks.stack import Stack

USER = "bench-depth-user"
#: Children of the task restored, per run: comments (each an item of its own).
CHILDREN = (0, 30, 120)
PAGE = 10


def _require(reply: Reply, status: int, what: str) -> Reply:
    if reply.status != status:
        raise RuntimeError(f"{what}: answered {reply.status}, expected {status}: {reply.body}")
    return reply


class _Measure:
    def __init__(self, stack: Stack, section: Section) -> None:
        self.stack = stack
        self.api: Client = stack.client(USER)
        self.section = section

    def __call__(
        self,
        name: str,
        method: str,
        path: str,
        expect: int,
        target: int,
        body: Any = None,
        value: str = "requests",
        query: dict[str, Any] | None = None,
        headers: dict[str, str] | None = None,
    ) -> Reply:
        with self.stack.counter.count() as calls:
            reply = self.api.call(method, path, body, headers=headers, query=query)
        measured = calls.scanned if value == "items read" else calls.total
        passed = reply.status == expect and measured <= target
        note = calls.describe()
        if reply.status != expect:
            note = f"answered {reply.status}, expected {expect}: {reply.body}"
        self.section.checks.append(Check(f"{name}: {value}", measured, f"≤ {target}", passed, note))
        self.section.data.setdefault("rows", []).append(
            [name, f"{method} {path.split('?')[0]}", value, measured, f"≤ {target}", note]
        )
        return reply


def _run_stream(stack: Stack, *consumers: str) -> None:
    """The table's stream so far, as the events function sees it, through ``consumers``
    (``activity``, ``occurrences``: on their own client, not counted)."""
    from tasklane.dal.dynamodb.activity import DynamoActivity
    from tasklane.dal.dynamodb.recurrence import DynamoPreparedOccurrences
    from tasklane.dal.dynamodb.table import Table
    from tasklane.local.stream_poller import StreamPoller
    from tasklane.logic.activity import ActivityRecorder
    from tasklane.logic.occurrences import OccurrencePreparation
    from tasklane.logic.stream import StreamConsumer, seen_change
    from tasklane.wiring.api import root

    settings = root.get().settings
    table = Table(settings.table_name, lambda: stack.seed_client)
    known: dict[str, StreamConsumer] = {
        "activity": ActivityRecorder(DynamoActivity(table)),
        "occurrences": OccurrencePreparation(DynamoPreparedOccurrences(table)),
    }
    chosen = [known[name] for name in consumers]

    def handler(event: dict[str, Any], _context: Any) -> dict[str, Any]:
        for record in event["Records"]:
            change = seen_change(record)
            if change is None:
                continue
            for consumer in chosen:
                consumer.handle(change)
        return {"batchItemFailures": []}

    poller = StreamPoller(
        settings.table_name, handler, region=settings.aws.region, endpoint_url=stack.endpoint_url
    )
    for _ in range(200):
        if poller.poll() == 0:
            return


def run(stack: Stack) -> Section:
    section = Section("depth", "Recurring tasks, checklists, trash, activity: round trips")
    measure = _Measure(stack, section)
    api = measure.api
    project = _require(api.call("POST", "/projects", {"name": "Depth"}), 201, "project")
    tasks = f"/projects/{project.body['id']}/tasks"

    weekly = {
        "title": "Weekly review",
        "due_at": "2027-01-04T09:00:00+01:00",
        "recurrence": "FREQ=WEEKLY;BYDAY=MO",
        "time_zone": "Europe/Berlin",
    }
    plain = _require(api.call("POST", tasks, {"title": "plain"}), 201, "task").body
    measure("complete a plain task", "PATCH", f"/tasks/{plain['id']}", 204, 1, {"status": "done"})
    # As PATCH: the refused plain completion returns the task the occurrence is built from.
    recurring = _require(api.call("POST", tasks, weekly), 201, "recurring task").body
    measure(
        "complete a recurring task by PATCH (+ its next occurrence, one transaction)",
        "PATCH",
        f"/tasks/{recurring['id']}",
        204,
        2,
        {"status": "done"},
    )
    # Its next occurrence prepared by the stream (as the events function does): revealed.
    prepared = _require(api.call("POST", tasks, weekly), 201, "recurring task").body
    _run_stream(stack, "occurrences")
    measure(
        "complete a recurring task, its next occurrence prepared",
        "POST",
        f"/tasks/{prepared['id']}/recurrence/complete",
        204,
        1,
    )
    # Dropped on Done on the board (If-Match and the neighbour's position: no read first),
    # as the PATCH: the refused plain move returns the task, then one transaction.
    dropped = _require(api.call("POST", tasks, weekly), 201, "recurring task").body
    done = _require(api.call("GET", f"/tasks/{plain['id']}"), 200, "task").body
    measure(
        "complete a recurring task by a board move (+ its next occurrence)",
        "POST",
        f"/tasks/{dropped['id']}/move",
        200,
        2,
        {"status": "done", "before": done["id"], "before_position": done["position"]},
        headers={"If-Match": '"1"'},
    )

    listed = _require(api.call("POST", tasks, {"title": "Pack"}), 201, "task").body
    checklist = f"/tasks/{listed['id']}/checklist"
    item = _require(api.call("POST", checklist, {"text": "boxes"}), 201, "item").body
    measure("tick a checklist item", "PATCH", f"{checklist}/{item['id']}", 204, 1, {"done": True})
    measure(
        "add a checklist item (placed by position)",
        "POST",
        checklist,
        201,
        1,
        {"text": "tape", "position": "a5"},
    )

    for children in CHILDREN:
        task = _require(api.call("POST", tasks, {"title": f"{children} children"}), 201, "task")
        task_id = task.body["id"]
        for n in range(children):
            _require(api.call("POST", f"/tasks/{task_id}/comments", {"body": f"c{n}"}), 201, "c")
        _require(api.call("DELETE", f"/tasks/{task_id}"), 204, "trash")
        allowed = 2 + -(-children // 25)
        measure(
            f"restore a task with {children} comments",
            "POST",
            f"/tasks/{task_id}/restore",
            200,
            allowed,
        )

    _run_stream(stack, "activity")
    reply = measure(
        f"a task's activity, a page of {PAGE}",
        "GET",
        f"/tasks/{listed['id']}/activity",
        200,
        PAGE + 1,
        value="items read",
        query={"limit": PAGE},
    )
    measure(
        f"the project's activity, a page of {PAGE}",
        "GET",
        f"/projects/{project.body['id']}/activity",
        200,
        PAGE + 1,
        value="items read",
        query={"limit": PAGE},
    )
    section.data["activity_entries_on_first_task_page"] = len(reply.body.get("items", []))
    return section


def render(section: Section) -> list[str]:
    from benchmarks.markdown import table

    out = [
        "Counted on the api handler's DynamoDB client against moto. A restore is allowed "
        "2 + one request per 25 children (the baseline of moving children back in batches); "
        "ours never moves them, so it stays 2. Completing a recurring task writes the "
        "completion and the next occurrence in one transaction. `POST "
        "/tasks/{id}/recurrence/complete` is that one request when the stream has prepared "
        "the next occurrence (a hidden copy, revealed by the completion); `PATCH` with "
        "`status: done`, a board move to Done, and a completion whose copy is behind the "
        "task take two (the plain completion, refused for a recurring task, returns the "
        "task the next occurrence is built from).",
        "",
    ]
    return out + table(
        ["operation", "request", "measured", "value", "target", "requests"],
        section.data.get("rows", []),
    )
