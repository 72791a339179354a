"""DynamoDB round trips and items read per request: stable counts, not timings."""

from __future__ import annotations

from typing import Any

from tasklane.dal.dynamodb.items import task_to_item
from tasklane.domain.ids import new_task_id
from tasklane.domain.models import Task
from tests.integration.conftest import Api, AwsCalls


def _count(aws_calls: AwsCalls, call: Any) -> tuple[int, dict[str, int]]:
    aws_calls.clear()
    reply = call()
    assert reply.status < 300, reply
    return aws_calls.total, dict(aws_calls.operations)


def test_one_round_trip_per_task_operation(api: Api, aws_calls: AwsCalls) -> None:
    api.get("/projects")  # the Inbox exists
    total, ops = _count(aws_calls, lambda: api.post("/projects/inbox/tasks", {"title": "x"}))
    assert (total, ops) == (1, {"TransactWriteItems": 1})
    task = api.get("/projects/inbox/tasks").body["items"][0]
    path = f"/tasks/{task['id']}"
    assert _count(aws_calls, lambda: api.get(path)) == (1, {"BatchGetItem": 1})
    assert _count(aws_calls, lambda: api.patch(path, {"title": "y"})) == (
        1,
        {"TransactWriteItems": 1},
    )
    assert (
        _count(aws_calls, lambda: api.patch(path, {"title": "z"}, headers={"If-Match": '"2"'}))[0]
        == 1
    )
    assert _count(aws_calls, lambda: api.delete(path)) == (1, {"TransactWriteItems": 1})


def test_one_round_trip_per_project_operation(api: Api, aws_calls: AwsCalls) -> None:
    total, _ = _count(aws_calls, lambda: api.post("/projects", {"name": "p"}))
    assert total == 1
    project = api.get("/projects").body["items"][1]
    path = f"/projects/{project['id']}"
    assert _count(aws_calls, lambda: api.get(path))[0] == 1
    assert _count(aws_calls, lambda: api.patch(path, {"name": "q"}))[0] == 1


def test_deleting_a_project_takes_four_round_trips_whatever_it_holds(
    api: Api, aws_calls: AwsCalls
) -> None:
    """Issue 14, finding 7: the purge is the stream's; the request marks and answers."""
    for size in (0, 30):
        project = api.post("/projects", {"name": f"p{size}"}).body["id"]
        for n in range(size):
            api.post(f"/projects/{project}/tasks", {"title": f"t{n}"})
        path = f"/projects/{project}"
        deleted = _count(aws_calls, lambda: api.delete(path, query={"force": "true"}))  # noqa: B023
        # The read, the memberships, the mark with them, any membership added meanwhile.
        assert deleted == (4, {"BatchGetItem": 1, "Query": 2, "TransactWriteItems": 1})
        # Repeated while the purge runs: the read, then the project item's mark.
        again = _count(aws_calls, lambda: api.delete(path, query={"force": "true"}))  # noqa: B023
        assert again == (2, {"BatchGetItem": 1, "GetItem": 1})


def test_list_pages_take_two_round_trips(api: Api, aws_calls: AwsCalls) -> None:
    api.get("/projects")
    for n in range(3):
        api.post("/projects/inbox/tasks", {"title": f"t{n}"})
    assert _count(aws_calls, lambda: api.get("/projects/inbox/tasks", query={"limit": 2})) == (
        2,
        {"GetItem": 1, "Query": 1},
    )
    assert _count(aws_calls, lambda: api.get("/projects"))[0] == 2


def _seed(project_id: str, count: int) -> None:
    from tasklane.wiring.api import root

    table = root.get().settings.table_name
    items = [
        task_to_item(
            Task(
                id=new_task_id(project_id),
                project_id=project_id,
                title=f"t{n}",
                description="",
                status="todo" if n % 2 else "done",
                priority="low",
                due_at=None,
                labels=[],
                created_at="2026-01-01T00:00:00.000Z",
                updated_at="2026-01-01T00:00:00.000Z",
                completed_at=None,
                created_by="user-a",
                version=1,
            )
        )
        for n in range(count)
    ]
    for start in range(0, len(items), 25):
        chunk = items[start : start + 25]
        root.get().aws.dynamodb.batch_write_item(
            RequestItems={table: [{"PutRequest": {"Item": i}} for i in chunk]}
        )


def test_items_read_per_page_do_not_grow_with_the_project(api: Api, aws_calls: AwsCalls) -> None:
    small = api.post("/projects", {"name": "small"}).body["id"]
    large = api.post("/projects", {"name": "large"}).body["id"]
    _seed(small, 30)
    _seed(large, 300)
    queries: list[dict[str, Any]] = [
        {"limit": 10},
        {"limit": 10, "sort": "due"},
        {"limit": 10, "status": "done"},
        # The board: a column by key, and the whole board (its columns in turn).
        {"limit": 10, "sort": "position", "status": "done"},
        {"limit": 10, "sort": "position"},
    ]
    for query in queries:
        read = []
        for project in (small, large):
            aws_calls.clear()
            reply = api.get(f"/projects/{project}/tasks", query=query)
            assert reply.status == 200
            read.append(aws_calls.scanned)
        assert read[0] == read[1] == 11, (query, read)
