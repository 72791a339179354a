"""tasklane reconcile: drift in numbers, and --fix repairs it."""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.engine import Engine

from tasklane.local.bootstrap import LocalConfig
from tasklane.logic.reconcile import reconcile
from tests.integration.conftest import Api
from tests.integration.support import drain, poller, projected_tasks, table_items, table_tasks
from tests.servers import session_database


def test_reconcile_reports_drift_and_fix_repairs_it(api: Api, aws: LocalConfig, pg: Engine) -> None:
    from tasklane.handlers.events import lambda_handler

    tasks = [api.post("/projects/inbox/tasks", {"title": f"t{n}"}).body for n in range(4)]
    drain(poller(aws, lambda_handler))

    source, database = table_items(aws), session_database(pg)
    clean = reconcile(source, database)
    assert clean.total == 0
    assert clean.tasks.summary() == {
        "dynamodb": 4,
        "postgres": 4,
        "missing": 0,
        "stale": 0,
        "extra": 0,
    }

    with pg.begin() as conn:  # lose one row, age one, invent one, lose a membership
        conn.execute(text("DELETE FROM tasks WHERE task_id = :id"), {"id": tasks[0]["id"]})
        conn.execute(
            text("UPDATE tasks SET version = 0 WHERE task_id = :id"), {"id": tasks[1]["id"]}
        )
        conn.execute(
            text(
                "INSERT INTO tasks (task_id, project_id, title, status, priority, created_at, "
                "updated_at, created_by, version, search) SELECT 'ghost', project_id, 'g', "
                "'todo', 'low', now(), now(), 'x', 1, ''::tsvector FROM tasks LIMIT 1"
            )
        )
        conn.execute(text("DELETE FROM project_members"))

    drift = reconcile(source, database)
    assert drift.tasks.summary() == {
        "dynamodb": 4,
        "postgres": 4,
        "missing": 1,
        "stale": 1,
        "extra": 1,
    }
    assert drift.members.summary()["missing"] == 1
    assert drift.total == 4
    assert not drift.fixed

    fixed = reconcile(source, database, fix=True)
    assert fixed.fixed
    assert reconcile(source, database).total == 0
    assert {k: v[-1] for k, v in projected_tasks(pg).items()} == table_tasks(aws)
    # Repaired rows are searchable again.
    assert api.get("/search", query={"q": "t0"}).body["items"][0]["task"]["id"] == tasks[0]["id"]


def test_attachment_summaries_on_task_items_are_not_drift(
    api: Api, aws: LocalConfig, pg: Engine
) -> None:
    """Task items carry ``att_*`` summaries of their attachments (and ``attachment_count``):
    neither is projected, and neither is drift."""
    from tasklane.handlers.events import lambda_handler

    task = api.post("/projects/inbox/tasks", {"title": "with files"}).body
    other = api.post("/projects/inbox/tasks", {"title": "plain"}).body
    base = f"/tasks/{task['id']}/attachments"
    for n in range(3):
        body = {"file_name": f"f{n}.txt", "size": 4, "content_type": "text/plain"}
        assert api.post(base, body).status == 201
    first = api.get(base).body["items"][0]["id"]
    assert api.delete(f"{base}/{first}").status == 204
    drain(poller(aws, lambda_handler))

    source = table_items(aws)
    stored = next(i for i in source.projected_items() if i.get("task_id") == task["id"])
    assert sum(name.startswith("att_") for name in stored) == 2
    report = reconcile(source, session_database(pg))
    assert report.total == 0, report.summary()
    assert {k: v[-1] for k, v in projected_tasks(pg).items()} == table_tasks(aws)
    rows = projected_tasks(pg)
    assert rows[task["id"]][2:6] == ("with files", "", "todo", rows[other["id"]][5])


def test_a_project_being_purged_is_not_drift(api: Api, aws: LocalConfig, pg: Engine) -> None:
    """Issue 14, finding 7: a marked project's leftovers are the purge's, not reconcile's."""
    from tasklane.handlers.events import lambda_handler

    project = api.post("/projects", {"name": "Doomed"}).body["id"]
    for n in range(3):
        api.post(f"/projects/{project}/tasks", {"title": f"t{n}"})
    drain(poller(aws, lambda_handler))
    assert api.delete(f"/projects/{project}", query={"force": "true"}).status == 204
    # The projection has dropped it; DynamoDB still holds its tasks (no purge has run).
    with pg.begin() as conn:
        for table in ("tasks", "project_members", "projects"):
            conn.execute(text(f"DELETE FROM {table} WHERE project_id = :id"), {"id": project})  # noqa: S608
    assert sum(1 for item in table_items(aws).projected_items() if item.get("type") == "task") == 3
    source, database = table_items(aws), session_database(pg)
    report = reconcile(source, database, fix=True)
    assert report.total == 0
    assert project not in {r[1] for r in projected_tasks(pg).values()}
