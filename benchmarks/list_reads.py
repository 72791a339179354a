"""Items read per list page: a small project and a large one must cost the same.

Both projects are seeded straight into the table with BatchWriteItem (the API would take
minutes on moto). Each page's cost is the sum of ``ScannedCount`` over its requests: the
items a Query read before any FilterExpression, which is what DynamoDB bills and what
grows with a project if a listing is not bounded by its key.
"""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from typing import Any

from benchmarks.results import Check, Section
from benchmarks.stack import TABLE_NAME, Stack

USER = "bench-lists-user"
LIMIT = 50
SMALL, LARGE = 100, 5_000
BATCH = 25
#: Due dates cycle over DUE_DAYS days from this day; every tenth task has none.
EPOCH = datetime(2030, 1, 1, 9, tzinfo=UTC)
DUE_DAYS = 100


def _seed_tasks(project_id: str, count: int) -> list[dict[str, Any]]:
    from tasklane.dal.dynamodb.items import task_to_item
    from tasklane.domain.ids import new_task_id
    from tasklane.domain.models import Priority, Status, Task, format_time

    statuses, priorities = list(Status), list(Priority)
    created = datetime(2029, 6, 1, tzinfo=UTC)
    items = []
    for n in range(count):
        status = statuses[n % len(statuses)]
        stamp = format_time(created + timedelta(seconds=n))
        due = None if n % 10 == 9 else format_time(EPOCH + timedelta(days=n % DUE_DAYS))
        task = Task(
            id=new_task_id(project_id),
            project_id=project_id,
            title=f"Seeded task {n}",
            description="",
            status=status,
            priority=priorities[n % len(priorities)],
            due_at=due,
            labels=["bench", *(["rare"] if n % 97 == 0 else [])],
            created_at=stamp,
            updated_at=stamp,
            completed_at=stamp if status is Status.done else None,
            created_by=USER,
            version=1,
        )
        items.append(task_to_item(task))
    return items


def _write(client: Any, items: list[dict[str, Any]]) -> None:
    request: dict[str, Any] = {TABLE_NAME: [{"PutRequest": {"Item": item}} for item in items]}
    while request:
        response = client.batch_write_item(RequestItems=request)
        request = dict(response.get("UnprocessedItems") or {})
        if request:
            time.sleep(0.05)


def seed(stack: Stack, project_id: str, count: int, workers: int = 4) -> float:
    """Writes ``count`` tasks; returns the seconds it took."""
    items = _seed_tasks(project_id, count)
    batches = [items[n : n + BATCH] for n in range(0, len(items), BATCH)]
    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=workers) as pool:
        list(pool.map(lambda batch: _write(stack.seed_client, batch), batches))
    elapsed = time.perf_counter() - started
    stored = _count(stack, project_id)
    if stored != count:
        raise RuntimeError(f"seeded {stored} tasks into {project_id}, expected {count}")
    return elapsed


def _count(stack: Stack, project_id: str) -> int:
    query: dict[str, Any] = {
        "TableName": TABLE_NAME,
        "KeyConditionExpression": "pk = :pk AND begins_with(sk, :task)",
        "ExpressionAttributeValues": {
            ":pk": {"S": f"PROJECT#{project_id}"},
            ":task": {"S": "TASK#"},
        },
        "Select": "COUNT",
    }
    total = 0
    while True:
        response = stack.seed_client.query(**query)
        total += int(response["Count"])
        if "LastEvaluatedKey" not in response:
            return total
        query["ExclusiveStartKey"] = response["LastEvaluatedKey"]


def _day(days: int) -> str:
    return (EPOCH + timedelta(days=days)).isoformat()


#: (name, query parameters). Every candidate set holds more than LIMIT + 1 items in both
#: projects, so a bounded listing reads exactly LIMIT + 1 in each (but a board column of
#: the small project: a third of its tasks).
LISTINGS: list[tuple[str, dict[str, str]]] = [
    ("default (sort=created, asc)", {}),
    ("sort=created, desc", {"order": "desc"}),
    ("sort=due, asc", {"sort": "due"}),
    ("sort=due, desc", {"sort": "due", "order": "desc"}),
    ("sort=priority, asc", {"sort": "priority"}),
    ("sort=priority, desc", {"sort": "priority", "order": "desc"}),
    ("filter status=done", {"status": "done"}),
    ("filter status=todo & priority=urgent", {"status": "todo", "priority": "urgent"}),
    ("filter label=rare (matches ~1 %)", {"label": "rare"}),
    (
        "due window, sort=due (key condition)",
        {"sort": "due", "due_after": _day(10), "due_before": _day(80)},
    ),
    ("due window, sort=created (filter)", {"due_after": _day(10), "due_before": _day(80)}),
    # The board: a column is a key condition on gsi_board (status + position).
    ("board column todo, sort=position", {"sort": "position", "status": "todo"}),
    (
        "board column done, sort=position, desc",
        {"sort": "position", "status": "done", "order": "desc"},
    ),
    (
        "board column todo & priority=urgent",
        {"sort": "position", "status": "todo", "priority": "urgent"},
    ),
]


def _page(stack: Stack, project_id: str, params: dict[str, str]) -> dict[str, Any]:
    api = stack.client(USER)
    with stack.counter.count() as calls:
        reply = api.call("GET", f"/projects/{project_id}/tasks", query=params)
    if reply.status != 200:
        raise RuntimeError(f"list {params}: answered {reply.status}: {reply.body}")
    return {
        "scanned": calls.scanned,
        "key_reads": calls.key_reads,
        "requests": calls.total,
        "items": len(reply.body["items"]),
        "has_next": reply.body.get("next_cursor") is not None,
        "cursor": reply.body.get("next_cursor"),
    }


def run(stack: Stack, large: int = LARGE) -> Section:
    section = Section("list_reads", f"Items read per list page (limit {LIMIT})")
    api = stack.client(USER)
    projects: dict[int, str] = {}
    seeding: dict[str, float] = {}
    for size in (SMALL, large):
        reply = api.call("POST", "/projects", {"name": f"{size} tasks"})
        if reply.status != 201:
            raise RuntimeError(f"create project: {reply.status} {reply.body}")
        projects[size] = reply.body["id"]
        seeding[str(size)] = round(seed(stack, projects[size], size), 2)
    section.data["seeding_seconds"] = seeding
    section.data["seeding_rate_per_second"] = round(large / seeding[str(large)])

    bound = LIMIT + 1
    rows = []
    for name, params in LISTINGS:
        small_page = _page(stack, projects[SMALL], {**params, "limit": str(LIMIT)})
        large_page = _page(stack, projects[large], {**params, "limit": str(LIMIT)})
        board = params.get("sort") == "position"
        # A column of the small project holds a third of its tasks, fewer than LIMIT + 1:
        # it reads them all; the large one must still stop at LIMIT + 1.
        note = f"a column of the {SMALL}-task project is shorter than a page" if board else ""
        rows.append(_row(section, name, small_page, large_page, bound, same=not board, note=note))
        if board:
            requests = {"small": small_page["requests"], "large": large_page["requests"]}
            section.checks.append(
                Check(
                    f"{name}: DynamoDB requests",
                    requests,
                    "≤ 2",
                    max(requests.values()) <= 2,
                    "the membership check and one Query",
                )
            )

    # The second page, through the cursor of the first.
    small_first = _page(stack, projects[SMALL], {"limit": str(LIMIT)})
    large_first = _page(stack, projects[large], {"limit": str(LIMIT)})
    small_second = _page(
        stack, projects[SMALL], {"limit": str(LIMIT), "cursor": small_first.pop("cursor")}
    )
    large_second = _page(
        stack, projects[large], {"limit": str(LIMIT), "cursor": large_first.pop("cursor")}
    )
    rows.append(
        _row(
            section,
            "default, page 2 (cursor)",
            small_second,
            large_second,
            bound,
            same=False,
            note=f"the {SMALL}-task project has only {SMALL - LIMIT} left: it reads those",
        )
    )
    section.data["listings"] = rows
    section.data["sizes"] = [SMALL, large]
    return section


def _row(
    section: Section,
    name: str,
    small: dict[str, Any],
    large: dict[str, Any],
    bound: int,
    *,
    same: bool,
    note: str = "",
) -> dict[str, Any]:
    small.pop("cursor", None)
    large.pop("cursor", None)
    bounded = small["scanned"] <= bound and large["scanned"] <= bound
    passed = bounded and (small["scanned"] == large["scanned"] if same else True)
    target = f"≤ {bound}" + (", same for both" if same else "")
    section.checks.append(
        Check(
            f"{name}: items read",
            {"small": small["scanned"], "large": large["scanned"]},
            target,
            passed,
            note,
        )
    )
    return {
        "listing": name,
        "small": small,
        "large": large,
        "target": target,
        "passed": passed,
        "note": note,
    }
