"""DynamoDB requests per API operation, counted on the handler's own client.

Each operation runs once through ``lambda_handler`` with a REST proxy event, against moto;
setup steps (creating what an operation needs, reading an ETag) are not counted. Requests
carry no ``Idempotency-Key`` unless the row says so: a key adds the idempotency record's own
requests, measured separately.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from benchmarks.events import Client, Reply
from benchmarks.results import Check, Section
from benchmarks.stack import Stack

USER = "bench-calls-user"


@dataclass(frozen=True, slots=True)
class Target:
    text: str
    limit: int
    exact: bool = False

    def met(self, value: int) -> bool:
        return value == self.limit if self.exact else value <= self.limit


ONE = Target("1", 1, exact=True)
LIST_PAGE = Target("≤ 2", 2)


class _Run:
    def __init__(self, stack: Stack, section: Section) -> None:
        self.stack = stack
        self.api = stack.client(USER)
        self.section = section
        self.rows: list[dict[str, Any]] = []

    def measure(
        self,
        name: str,
        method: str,
        path: str,
        expect: int,
        *,
        target: Target | None = None,
        note: str = "",
        **kwargs: Any,
    ) -> Reply:
        with self.stack.counter.count() as calls:
            reply = self.api.call(method, path, **kwargs)
        ok_status = reply.status == expect
        passed = None if target is None else (ok_status and target.met(calls.total))
        if not ok_status:
            passed = False
            note = f"answered {reply.status}, expected {expect}: {reply.body}"
        self.rows.append(
            {
                "operation": name,
                "request": f"{method} {_template(path)}",
                "status": reply.status,
                "requests": calls.total,
                "by_operation": dict(calls.operations),
                "target": target.text if target else "",
                "passed": passed,
                "note": note,
            }
        )
        self.section.checks.append(
            Check(
                f"{name}: DynamoDB requests",
                calls.total,
                target.text if target else "",
                passed,
                calls.describe() + (f"; {note}" if note else ""),
            )
        )
        return reply


def _template(path: str) -> str:
    parts = path.split("/")
    out = []
    for n, part in enumerate(parts):
        previous = parts[n - 1] if n else ""
        if previous == "projects" and part not in ("", "inbox"):
            out.append("{project_id}")
        elif previous == "tasks" and part:
            out.append("{task_id}")
        else:
            out.append(part)
    return "/".join(out)


def _require(reply: Reply, status: int, what: str) -> Reply:
    if reply.status != status:
        raise RuntimeError(f"{what}: answered {reply.status}, expected {status}: {reply.body}")
    return reply


def _setup_project(api: Client, name: str) -> str:
    reply = _require(api.call("POST", "/projects", {"name": name}), 201, "create project")
    return str(reply.body["id"])


def _setup_task(api: Client, project_id: str, title: str) -> str:
    path = f"/projects/{project_id}/tasks"
    reply = _require(api.call("POST", path, {"title": title}), 201, "create task")
    return str(reply.body["id"])


def _etag(api: Client, path: str) -> str:
    return _require(api.call("GET", path), 200, f"GET {path}").headers["etag"]


def _measure_moves(r: _Run, column: list[dict[str, Any]]) -> None:
    """Board moves: with the neighbours' positions and If-Match one write; without the
    positions, the server reads the neighbours first."""
    first, second, last = column[0], column[1], column[-1]

    def move(task: dict[str, Any], body: dict[str, Any]) -> dict[str, Any]:
        headers = {"If-Match": _etag(r.api, f"/tasks/{task['id']}")}
        return {"body": body, "headers": headers}

    between = {
        "status": "todo",
        "after": first["id"],
        "before": second["id"],
        "after_position": first["position"],
        "before_position": second["position"],
    }
    r.measure(
        "move task (neighbours' positions, If-Match)",
        "POST",
        f"/tasks/{last['id']}/move",
        200,
        target=ONE,
        **move(last, between),
    )
    bare = {"status": "in_progress", "after": None, "before": None}
    r.measure(
        "move task (to the end of a column, If-Match)",
        "POST",
        f"/tasks/{first['id']}/move",
        200,
        **move(first, bare),
        note="reads the column's last position first",
    )
    named = {"status": "todo", "after": last["id"], "before": second["id"]}
    r.measure(
        "move task (neighbours without positions)",
        "POST",
        f"/tasks/{column[2]['id']}/move",
        200,
        body=named,
        note="reads the task and its neighbours first",
    )


def run(stack: Stack) -> Section:
    section = Section("aws_calls", "DynamoDB requests per operation")
    r = _Run(stack, section)
    api = r.api

    # The first request of a new user creates the Inbox: shown, but not the steady state.
    r.measure("list projects, first ever (creates the Inbox)", "GET", "/projects", 200)

    # Projects (no target given: shown for the lead).
    reply = r.measure("create project", "POST", "/projects", 201, body={"name": "Benchmark"})
    project_id = reply.body["id"]
    project = f"/projects/{project_id}"
    r.measure("get project", "GET", project, 200)
    r.measure("update project", "PATCH", project, 204, body={"description": "measured"})
    r.measure(
        "update project (If-Match)",
        "PATCH",
        project,
        204,
        body={"name": "Benchmark 2"},
        headers={"If-Match": _etag(api, project)},
    )

    # Tasks.
    tasks = f"{project}/tasks"
    reply = r.measure(
        "create task",
        "POST",
        tasks,
        201,
        target=ONE,
        body={"title": "Measure me", "priority": "high", "labels": ["bench"]},
    )
    task = f"/tasks/{reply.body['id']}"
    r.measure("get task", "GET", task, 200, target=ONE)
    r.measure("update task", "PATCH", task, 204, target=ONE, body={"status": "in_progress"})
    r.measure(
        "update task (If-Match)",
        "PATCH",
        task,
        204,
        target=ONE,
        body={"title": "Measured"},
        headers={"If-Match": _etag(api, task)},
    )
    r.measure(
        "update task (Prefer: return=representation)",
        "PATCH",
        task,
        200,
        body={"status": "done"},
        headers={"Prefer": "return=representation"},
        note="the client asked for one more read",
    )
    for n in range(5):
        _setup_task(api, project_id, f"Filler {n}")
    r.measure("list tasks page", "GET", tasks, 200, target=LIST_PAGE)
    r.measure(
        "list tasks page (filtered)", "GET", tasks, 200, target=LIST_PAGE, query={"status": "todo"}
    )
    r.measure("list projects page", "GET", "/projects", 200, target=LIST_PAGE)
    column = r.measure(
        "board column page (sort=position, status=todo)",
        "GET",
        tasks,
        200,
        target=LIST_PAGE,
        query={"sort": "position", "status": "todo"},
    ).body["items"]
    _measure_moves(r, column)
    r.measure("delete task", "DELETE", task, 204, target=ONE)
    other = f"/tasks/{_setup_task(api, project_id, 'Delete me')}"
    r.measure(
        "delete task (If-Match)",
        "DELETE",
        other,
        204,
        target=ONE,
        headers={"If-Match": _etag(api, other)},
    )

    empty = f"/projects/{_setup_project(api, 'Empty')}"
    r.measure("delete project (empty)", "DELETE", empty, 204)
    r.measure(
        "delete project (force, 5 tasks)",
        "DELETE",
        project,
        204,
        query={"force": "true"},
        note="purges the project's remaining items",
    )

    # Idempotency-Key: the record's own requests, first and replayed.
    target_project = _setup_project(api, "Idempotency")
    keyed = f"/projects/{target_project}/tasks"
    body = {"title": "Exactly once"}
    headers = {"Idempotency-Key": "bench-key-1"}
    r.measure(
        "create task, Idempotency-Key (first)",
        "POST",
        keyed,
        201,
        body=body,
        headers=headers,
        note="the task's write + the idempotency record's",
    )
    replay = r.measure(
        "create task, Idempotency-Key (replayed)",
        "POST",
        keyed,
        201,
        body=body,
        headers=headers,
        note="answered from the stored record",
    )
    if replay.headers.get("idempotent-replayed") != "true":
        section.checks.append(
            Check("replayed POST says Idempotent-Replayed: true", False, "true", False)
        )
    section.data["operations"] = r.rows
    return section
