"""The board over the api handler, against moto: a column in board order, moves (one DynamoDB
round trip when the client names the neighbours' positions), what a move refuses, and what
follows from a move on the stream (the projection, the assignee's notification)."""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from sqlalchemy.engine import Engine

from tasklane.domain.recurrence import next_task_id
from tasklane.local.bootstrap import LocalConfig
from tests.integration.conftest import Api, AwsCalls, Reply
from tests.integration.support import clients, projected_tasks, share, sync

OWNER, EDITOR, VIEWER, STRANGER = "user-a", "user-b", "user-c", "user-d"
Task = dict[str, Any]


@pytest.fixture
def project(api: Api, pg: Engine) -> str:
    """The owner's project, shared with an editor and a viewer (each accepts an invitation,
    which needs the profile store)."""
    project_id: str = api.post("/projects", {"name": "Board"}).body["id"]
    assert share(api, project_id, f"{EDITOR}@example.com", "editor").status == 200
    assert share(api, project_id, f"{VIEWER}@example.com", "viewer").status == 200
    return project_id


def _add(api: Api, project: str, *titles: str, **fields: Any) -> list[Task]:
    made = [api.post(f"/projects/{project}/tasks", {"title": t, **fields}) for t in titles]
    assert all(reply.status == 201 for reply in made), made
    return [reply.body for reply in made]


def _column(api: Api, project: str, status: str | None = "todo", limit: int = 2) -> list[str]:
    """Every title of the column (every column without ``status``), page by page."""
    titles: list[str] = []
    cursor = None
    while True:
        query = {"sort": "position", "status": status, "limit": limit, "cursor": cursor}
        reply = api.get(f"/projects/{project}/tasks", query=query)
        assert reply.status == 200, reply
        titles += [t["title"] for t in reply.body["items"]]
        cursor = reply.body["next_cursor"]
        if cursor is None:
            return titles
        assert len(reply.body["items"]) == limit  # never short while the column goes on


def _move(
    api: Api,
    task: Task,
    status: str = "todo",
    after: Task | None = None,
    before: Task | None = None,
    *,
    positions: bool = True,
    version: int | None = None,
    user: str = OWNER,
) -> Reply:
    body: dict[str, Any] = {
        "status": status,
        "after": after["id"] if after else None,
        "before": before["id"] if before else None,
    }
    if positions and after:
        body["after_position"] = after["position"]
    if positions and before:
        body["before_position"] = before["position"]
    headers = {} if version is None else {"If-Match": f'"{version}"'}
    return api.post(f"/tasks/{task['id']}/move", body, user=user, headers=headers)


def _calls(aws_calls: AwsCalls, call: Any) -> dict[str, int]:
    aws_calls.clear()
    reply = call()
    assert reply.status == 200, reply
    return dict(aws_calls.operations)


def test_a_move_with_positions_is_one_round_trip(
    api: Api, project: str, aws_calls: AwsCalls
) -> None:
    a, b, c = _add(api, project, "a", "b", "c")
    assert a["position"] < b["position"] < c["position"]
    assert _column(api, project) == ["a", "b", "c"]

    aws_calls.clear()
    reply = _move(api, c, after=a, before=b, version=1, user=EDITOR)
    assert dict(aws_calls.operations) == {"TransactWriteItems": 1}
    assert reply.status == 200, reply
    position = reply.body["position"]
    assert reply.body == {"id": c["id"], "status": "todo", "position": position, "version": 2}
    assert reply.headers["etag"] == '"2"'
    assert a["position"] < position < b["position"]
    assert _column(api, project) == ["a", "c", "b"]
    moved = api.get(f"/tasks/{c['id']}").body
    assert (moved["position"], moved["version"], moved["updated_by"]) == (position, 2, EDITOR)
    # Only the moved task changed.
    assert [api.get(f"/tasks/{t['id']}").body["version"] for t in (a, b)] == [1, 1]


def test_what_a_move_reads_first_without_positions_or_if_match(
    api: Api, project: str, aws_calls: AwsCalls
) -> None:
    a, b, c = _add(api, project, "a", "b", "c")
    # Neighbours without their positions: one read of them first.
    assert _calls(
        aws_calls, lambda: _move(api, c, after=a, before=b, positions=False, version=1)
    ) == {"BatchGetItem": 1, "TransactWriteItems": 1}
    # No If-Match: the task's version is read with the neighbours, in the same request.
    assert _calls(aws_calls, lambda: _move(api, a, after=c, before=b, positions=False)) == {
        "BatchGetItem": 1,
        "TransactWriteItems": 1,
    }
    assert _column(api, project) == ["c", "a", "b"]
    # The end of a column (no neighbour): one read of its last position.
    assert _calls(aws_calls, lambda: _move(api, c, "done", version=2)) == {
        "Query": 1,
        "TransactWriteItems": 1,
    }
    assert _calls(aws_calls, lambda: _move(api, b, "done", version=1)) == {
        "Query": 1,
        "TransactWriteItems": 1,
    }
    assert (_column(api, project), _column(api, project, "done")) == (["a"], ["c", "b"])


def test_moving_across_columns_completes_and_reopens(api: Api, project: str) -> None:
    (a,) = _add(api, project, "a")
    assert _move(api, a, "done", version=1).status == 200
    done = api.get(f"/tasks/{a['id']}").body
    assert (done["status"], done["completed_at"]) == ("done", done["updated_at"])
    assert _move(api, done, "in_progress", version=2).status == 200
    reopened = api.get(f"/tasks/{a['id']}").body
    assert (reopened["status"], reopened["completed_at"]) == ("in_progress", None)
    # A PATCH of status keeps the position: the task sorts into the new column by it.
    (b,) = _add(api, project, "b")
    assert api.patch(f"/tasks/{b['id']}", {"status": "in_progress"}).status == 204
    assert _column(api, project, "in_progress") == ["a", "b"]
    assert api.get(f"/tasks/{b['id']}").body["position"] == b["position"]


def test_a_stale_move_changes_nothing(api: Api, project: str) -> None:
    a, b, c = _add(api, project, "a", "b", "c")
    seen_a = dict(a)
    assert _move(api, a, after=b, before=c, version=1).status == 200
    # c's client still sees a at its old place: its move names a's old position.
    moved = _move(api, c, after=None, before=seen_a, version=1, user=EDITOR)
    assert (moved.status, moved.error_code) == (409, "neighbours_moved")
    # Another column now: the neighbour is not in the column named.
    assert api.patch(f"/tasks/{b['id']}", {"status": "done"}).status == 204
    moved = _move(api, c, after=b, positions=False, version=1)
    assert (moved.status, moved.error_code) == (409, "neighbours_moved")
    # The task changed since the version the client saw.
    assert api.patch(f"/tasks/{c['id']}", {"title": "c2"}).status == 204
    stale = _move(api, c, before=api.get(f"/tasks/{a['id']}").body, version=1)
    assert (stale.status, stale.error_code) == (412, "precondition_failed")
    assert api.get(f"/tasks/{c['id']}").body["version"] == 2
    assert _column(api, project) == ["a", "c2"]


def test_who_may_move(api: Api, project: str) -> None:
    a, b = _add(api, project, "a", "b")
    refused = [
        (_move(api, b, before=a, version=1, user=VIEWER), 403),
        (_move(api, b, before=a, positions=False, user=VIEWER), 403),
        (_move(api, b, before=a, version=1, user=STRANGER), 404),
        (_move(api, b, before=a, positions=False, user=STRANGER), 404),
        (_move(api, {"id": f"{project}-01jd0000000000000000000000"}, version=1), 404),
        (_move(api, {"id": "not-a-task"}), 404),
    ]
    assert [r.status for r, _ in refused] == [status for _, status in refused], refused
    assert all(set(r.body) == {"error"} for r, _ in refused)
    assert _column(api, project) == ["a", "b"]
    board = api.get(f"/projects/{project}/tasks", query={"sort": "position"}, user=STRANGER)
    assert board.status == 404


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"status": "blocked"},
        {"status": "todo", "after": "x", "before": "x"},
        {"status": "todo", "after_position": "a0"},
        {"status": "todo", "after": "x", "after_position": "not a position!"},
        {"status": "todo", "after": "x", "after_position": "a" + "0" * 300},
        {
            "status": "todo",
            "after": "x",
            "before": "y",
            "after_position": "a2",
            "before_position": "a1",
        },
        {"status": "todo", "colour": "red"},
        {"status": "todo", "after": 7},
    ],
)
def test_bad_moves_are_422(api: Api, project: str, body: dict[str, Any]) -> None:
    (a,) = _add(api, project, "a")
    reply = api.post(f"/tasks/{a['id']}/move", body)
    assert (reply.status, reply.error_code) == (422, "validation_failed"), reply
    malformed = api.post(
        f"/tasks/{a['id']}/move", raw_body="{", headers={"Content-Type": "application/json"}
    )
    assert (malformed.status, malformed.error_code) == (400, "malformed_json")


def test_neighbours_must_be_other_tasks_of_the_project(api: Api, project: str) -> None:
    (a,) = _add(api, project, "a")
    (x,) = _add(api, "inbox", "x")
    for after in (a, x, {"id": "junk"}):
        reply = _move(api, a, after=after, positions=False)
        assert (reply.status, reply.error_code) == (422, "validation_failed"), reply


def test_a_column_page_reads_at_most_limit_plus_one_items_by_key(
    api: Api, project: str, aws_calls: AwsCalls
) -> None:
    for n in range(9):
        _add(api, project, f"t{n}", status=["todo", "in_progress", "done"][n % 3])
    for status in ("todo", None):
        cursor = None
        while True:
            aws_calls.clear()
            query = {"sort": "position", "status": status, "limit": 2, "cursor": cursor}
            reply = api.get(f"/projects/{project}/tasks", query=query)
            assert reply.status == 200
            # A column: the membership check and one Query. The whole board: one Query
            # per column the page reaches, still limit + 1 items read in all.
            assert aws_calls.total <= (2 if status else 4), aws_calls.operations
            assert aws_calls.scanned <= 3
            cursor = reply.body["next_cursor"]
            if cursor is None:
                break
    assert _column(api, project) == ["t0", "t3", "t6"]
    assert _column(api, project, None) == [f"t{n}" for n in (0, 3, 6, 1, 4, 7, 2, 5, 8)]
    assert _column(api, project, "done", limit=50) == ["t2", "t5", "t8"]


def test_a_move_is_projected_and_tells_the_assignee(
    api: Api, notif: LocalConfig, pg: Engine
) -> None:
    """(``notif`` before ``pg``: both rebuild the containers, ``pg`` then gives them its
    database.)"""
    aws = notif
    api.get("/me", user=EDITOR)  # a profile, so the owner can share by e-mail
    project = api.post("/projects", {"name": "Shared"}).body["id"]
    assert share(api, project, f"{EDITOR}@example.com").status == 200
    (task,) = _add(api, project, "theirs", assignee_id=EDITOR)
    sync(aws)
    assert _move(api, task, "in_progress", version=1).status == 200
    sync(aws)
    assert projected_tasks(pg)[task["id"]][4:] == (
        "in_progress",
        "medium",
        None,
        [],
        2,
    )
    messages = (
        clients()
        .sqs.receive_message(QueueUrl=aws.queue_url, MaxNumberOfMessages=10, WaitTimeSeconds=1)
        .get("Messages", [])
    )
    jobs = [json.loads(m["Body"]) for m in messages]
    changed = [
        (j["recipient_id"], j["subject"]["changes"]) for j in jobs if j["kind"] == "task_changed"
    ]
    assert changed == [(EDITOR, ["status"])], jobs  # as a status change by PATCH tells it


def _weekly(api: Api, project: str) -> Task:
    (task,) = _add(
        api,
        project,
        "weekly",
        due_at="2025-06-02T07:00:00Z",
        recurrence="FREQ=WEEKLY",
        time_zone="Europe/Berlin",
    )
    return task


def _open(api: Api, project: str) -> list[tuple[str, str]]:
    """The To do column's tasks: (id, due date)."""
    query = {"sort": "position", "status": "todo", "limit": 100}
    reply = api.get(f"/projects/{project}/tasks", query=query)
    assert reply.status == 200, reply
    return [(t["id"], t["due_at"]) for t in reply.body["items"]]


def test_a_recurring_task_moved_to_done_goes_on_with_its_next_occurrence(
    api: Api, project: str, aws_calls: AwsCalls
) -> None:
    (finished,) = _add(api, project, "finished", status="done")
    weekly = _weekly(api, project)
    aws_calls.clear()
    reply = _move(api, weekly, "done", before=finished, version=1, user=EDITOR)
    # The plain move is refused (the task comes with the refusal), then the completion and
    # the next occurrence are written together.
    assert dict(aws_calls.operations) == {"TransactWriteItems": 2}
    assert reply.status == 200, reply
    position = reply.body["position"]
    assert reply.body == {"id": weekly["id"], "status": "done", "position": position, "version": 2}
    assert position < finished["position"]
    done = api.get(f"/tasks/{weekly['id']}").body
    assert (done["status"], done["position"], done["version"]) == ("done", position, 2)
    assert done["completed_at"] == done["updated_at"]
    assert _column(api, project, "done") == ["weekly", "finished"]
    following = [(next_task_id(weekly["id"]), "2025-06-09T07:00:00.000Z")]
    assert _open(api, project) == following
    # Reopened on the board and dropped on Done again: no second next occurrence.
    assert _move(api, done, "todo", version=2).status == 200
    assert _move(api, done, "done", before=finished, positions=False, version=3).status == 200
    assert _open(api, project) == following
    assert _column(api, project, "done") == ["weekly", "finished"]


def test_concurrent_moves_of_a_recurring_task_to_done_create_one_next_occurrence(
    api: Api, project: str
) -> None:
    weekly = _weekly(api, project)

    def move(n: int) -> int:
        # Half name the version they saw (If-Match), half let the server read it.
        return _move(api, weekly, "done", version=1 if n % 2 else None).status

    with ThreadPoolExecutor(max_workers=20) as pool:
        statuses = list(pool.map(move, range(20)))
    # A move that lost every race is told so (409, or 412 under If-Match); never a 5xx.
    assert set(statuses) <= {200, 409, 412}, statuses
    assert 200 in statuses
    assert _open(api, project) == [(next_task_id(weekly["id"]), "2025-06-09T07:00:00.000Z")]
    assert api.get(f"/tasks/{weekly['id']}").body["status"] == "done"


def test_a_task_in_the_trash_is_not_moved(api: Api, project: str) -> None:
    a, b = _add(api, project, "a", "b")
    assert api.delete(f"/tasks/{b['id']}").status == 204
    for version in (None, 1, 2):
        reply = _move(api, b, "done", version=version)
        assert (reply.status, reply.error_code) == (404, "not_found"), reply
    assert _move(api, a, "done", before=b, positions=False, version=1).status == 409
    assert (_column(api, project), _column(api, project, "done")) == (["a"], [])
