"""Live updates through the local stack (issue 16): push latency and the fan-out's cost.

An in-process ``LocalStack`` without PostgreSQL (the live function needs none): the real
api handler behind the gateway, the real route handlers on its WebSocket endpoint, the live
function on its own stream poller, posting through boto3 to the emulated ``@connections``.

- Push latency: 50 task writes by one user; for each, the time from sending the PATCH to
  the post arriving on a subscribed socket. Target (issue 16): p95 ≤ 500 ms.
- Fan-out cost per change, with 1, 10 and 100 subscribed connections: the live function's
  DynamoDB requests and PostToConnection calls for one write. Target: 1 Query per project
  per batch, 1 post per connection.
- 200 subscribed connections while tasks are created at a steady pace for 60 s: every
  socket receives every created task (counted), no error; this process's memory (it holds
  the whole local stack and the 200 client sockets) before and after.
"""

from __future__ import annotations

import json
import statistics
import tempfile
import time
from collections import Counter
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import httpx
from websockets.sync.client import ClientConnection, connect

from benchmarks.markdown import checks, table
from benchmarks.results import Check, Section

WRITES = 50
FAN_OUT = (1, 10, 100)
#: The steady run: this many sockets while one user creates a task every PACE seconds.
STEADY_CONNECTIONS = 200
STEADY_SECONDS = 60.0
PACE = 0.25
TIMEOUT = 30.0
PASSWORD = "Correct-Horse-9x"  # noqa: S105  # pragma: allowlist secret - a throw-away local user


def _receive_version(socket: ClientConnection, version: int) -> None:
    """Waits for the post that carries the task at ``version``."""
    deadline = time.monotonic() + TIMEOUT
    while time.monotonic() < deadline:
        frame = json.loads(socket.recv(timeout=TIMEOUT))
        if frame.get("type") != "changes":
            continue
        if any(c["kind"] == "task" and c["version"] == version for c in frame["changes"]):
            return
    raise TimeoutError(f"no post of version {version}")


def _rename(http: httpx.Client, task_id: str, title: str) -> None:
    response = http.patch(f"/tasks/{task_id}", json={"title": title})
    if response.status_code != 204:
        raise RuntimeError(f"PATCH answered {response.status_code}: {response.text}")


def _subscribed(url: str, token: str, project_id: str) -> ClientConnection:
    # Unbounded: a socket read only at the end must not push back on the gateway.
    socket = connect(f"{url}?token={token}", open_timeout=TIMEOUT, max_size=None, max_queue=None)
    socket.send(json.dumps({"action": "subscribe", "project_id": project_id}))
    while True:
        frame = json.loads(socket.recv(timeout=TIMEOUT))
        if frame.get("type") == "subscribed":
            return socket
        if frame.get("type") == "error":
            raise RuntimeError(frame)


def run(writes: int = WRITES) -> Section:
    from tasklane.local.runtime import LocalStack
    from tasklane.wiring.live import root as live_root

    section = Section("live", "Live updates")
    with (
        tempfile.TemporaryDirectory(prefix="tasklane-bench-live-") as state,
        LocalStack(port=0, aws_port=0, state_dir=state, postgres=False) as stack,
    ):
        token = stack.create_user("bench-live@example.com", PASSWORD).id_token
        headers = {"Authorization": f"Bearer {token}"}
        http = httpx.Client(base_url=stack.api_url, headers=headers, timeout=TIMEOUT)
        project_id = http.post("/projects", json={"name": "Live"}).json()["id"]
        task = http.post(f"/projects/{project_id}/tasks", json={"title": "t0"}).json()
        socket_url = stack.api_url.replace("http", "ws", 1) + "/realtime"

        # Push latency.
        latencies: list[float] = []
        with _subscribed(socket_url, token, project_id) as socket:
            for n in range(1, writes + 1):
                started = time.perf_counter()
                assert (
                    http.patch(f"/tasks/{task['id']}", json={"title": f"t{n}"}).status_code == 204
                )
                _receive_version(socket, n + 1)
                latencies.append((time.perf_counter() - started) * 1000)
        version = writes + 1
        p50 = statistics.median(latencies)
        p95 = statistics.quantiles(latencies, n=20)[-1]
        section.checks.append(
            Check(f"push latency p95 ({writes} writes)", f"{p95:.0f} ms", "≤ 500 ms", p95 <= 500)
        )
        section.checks.append(Check("push latency p50", f"{p50:.0f} ms"))

        # Fan-out cost per change.
        container = live_root.get()
        counted: Counter[str] = Counter()

        def count(model: Any, **_: Any) -> None:
            counted[model.name] += 1

        dynamodb = container.aws.dynamodb
        dynamodb.meta.events.register("before-call.dynamodb", count)
        rows = []
        try:
            for connections in FAN_OUT:
                with ExitStack() as sockets:
                    opened = [
                        sockets.enter_context(_subscribed(socket_url, token, project_id))
                        for _ in range(connections)
                    ]
                    poster = container.poster
                    posts_before = getattr(poster, "calls", 0)
                    counted.clear()
                    version += 1
                    assert (
                        http.patch(
                            f"/tasks/{task['id']}", json={"title": f"c{connections}"}
                        ).status_code
                        == 204
                    )
                    for socket in opened:
                        _receive_version(socket, version)
                    posts = getattr(poster, "calls", 0) - posts_before
                    queries = counted["Query"]
                    other = sum(counted.values()) - queries
                    rows.append([connections, queries, other, posts])
                    section.checks.append(
                        Check(
                            f"{connections} connection(s): Queries, posts per change",
                            f"{queries}, {posts}",
                            f"1, {connections}",
                            queries == 1 and posts == connections,
                            f"other DynamoDB requests: {other}",
                        )
                    )
        finally:
            dynamodb.meta.events.unregister("before-call.dynamodb", count)
        section.data = {
            "steady": _steady(http, socket_url, token, project_id, section),
            "writes": writes,
            "latency_ms": {"p50": round(p50, 1), "p95": round(p95, 1)},
            "fan_out": rows,
        }
    return section


def _rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def _created_ids(socket: ClientConnection, wanted: set[str]) -> set[str]:
    """The created tasks' ids this socket received, until all of ``wanted`` came (or none
    came for a while)."""
    seen: set[str] = set()
    while not wanted <= seen:
        try:
            frame = json.loads(socket.recv(timeout=TIMEOUT))
        except TimeoutError:
            break
        if frame.get("type") == "changes":
            seen |= {
                c["id"] for c in frame["changes"] if c["kind"] == "task" and c["op"] == "created"
            }
    return seen & wanted


def _steady(
    http: httpx.Client, url: str, token: str, project_id: str, section: Section
) -> dict[str, Any]:
    before = _rss_mb()
    with ExitStack() as sockets:
        opened = [
            sockets.enter_context(_subscribed(url, token, project_id))
            for _ in range(STEADY_CONNECTIONS)
        ]
        connected = _rss_mb()
        created: set[str] = set()
        errors = 0
        deadline = time.monotonic() + STEADY_SECONDS
        while time.monotonic() < deadline:
            response = http.post(f"/projects/{project_id}/tasks", json={"title": "steady"})
            if response.status_code == 201:
                created.add(response.json()["id"])
            else:
                errors += 1
            time.sleep(PACE)
        received = [len(_created_ids(socket, created)) for socket in opened]
        after = _rss_mb()
    complete = sum(1 for n in received if n == len(created))
    section.checks.append(
        Check(
            f"{STEADY_CONNECTIONS} sockets, {STEADY_SECONDS:.0f} s of writes: sockets that "
            "received every change",
            f"{complete} of {STEADY_CONNECTIONS} ({len(created)} tasks each)",
            "all",
            complete == STEADY_CONNECTIONS and errors == 0,
            f"fewest received: {min(received)}; write errors: {errors}",
        )
    )
    section.checks.append(
        Check(
            "memory (this process: stack + client sockets)",
            f"{before:.0f} → {connected:.0f} MB with the sockets open → {after:.0f} MB after",
        )
    )
    return {"tasks": len(created), "complete": complete, "rss_mb": [before, connected, after]}


def render(section: Section) -> list[str]:
    data = section.data
    return [
        "An in-process local stack without PostgreSQL: the api handler, the WebSocket route "
        "handlers and the live function on its own stream poller (0.1 s polls of moto's "
        f"stream), posting through boto3 to the emulated `@connections`. Latency: {data['writes']} "
        "PATCHes, each timed from the request to the post on a subscribed socket. Fan-out: one "
        "write with 1, 10 and 100 subscribed sockets, the live function's requests counted.",
        "",
        *table(["connections", "Queries", "other DynamoDB requests", "posts"], data["fan_out"]),
        *checks(section.checks),
    ]
