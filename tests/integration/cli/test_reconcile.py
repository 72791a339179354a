"""``tasklane reconcile`` itself: the command line against moto and the embedded PostgreSQL.

The projection is fed through the real stream, then drifted by hand; the command must say so
in numbers (exit 1), in text and in JSON, repair it with ``--fix`` (exit 0) and find nothing
on the next run.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.engine import Engine

from tasklane.cli import main
from tasklane.local.bootstrap import LocalConfig
from tasklane.local.emulators import MotoServer
from tests.integration.conftest import Api
from tests.integration.support import drain, poller, projected_tasks, table_tasks

TASKS = 4


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    capsys.readouterr()
    code = main(["reconcile", *args])
    return code, capsys.readouterr().out


def _table(out: str) -> dict[str, dict[str, int]]:
    """The text report's rows: kind → column → number."""
    lines = out.strip().splitlines()
    header = lines[0].split()
    assert header == ["dynamodb", "postgres", "missing", "stale", "extra"], out
    rows = {}
    for line in lines[1:-1]:
        name, *numbers = line.split()
        rows[name] = dict(zip(header, map(int, numbers), strict=True))
    return rows


def _in_sync(count: int, members: int = 1, projects: int = 1) -> dict[str, Any]:
    def clean(n: int) -> dict[str, int]:
        return {"dynamodb": n, "postgres": n, "missing": 0, "stale": 0, "extra": 0}

    return {
        "tasks": clean(count),
        "projects": clean(projects),
        "members": clean(members),
        "drift": 0,
        "fixed": False,
    }


@pytest.fixture
def projected(api: Api, aws: LocalConfig, pg: Engine) -> list[dict[str, Any]]:
    """Four tasks in the caller's Inbox, projected through the stream."""
    from tasklane.handlers.events import lambda_handler

    tasks = [api.post("/projects/inbox/tasks", {"title": f"t{n}"}).body for n in range(TASKS)]
    drain(poller(aws, lambda_handler))
    return tasks


def _drift(pg: Engine, tasks: list[dict[str, Any]]) -> None:
    """Lose a task row, age and alter one, invent one; age the project; lose the membership."""
    with pg.begin() as conn:
        conn.execute(text("DELETE FROM tasks WHERE task_id = :id"), {"id": tasks[0]["id"]})
        conn.execute(
            text("UPDATE tasks SET version = 0, title = 'tampered' WHERE task_id = :id"),
            {"id": tasks[1]["id"]},
        )
        conn.execute(
            text(
                "INSERT INTO tasks (task_id, project_id, title, status, priority, created_at, "
                "updated_at, created_by, version, search) SELECT 'ghost', project_id, 'g', "
                "'todo', 'low', now(), now(), 'x', 1, ''::tsvector FROM tasks LIMIT 1"
            )
        )
        conn.execute(text("UPDATE projects SET version = 0"))
        conn.execute(text("DELETE FROM project_members"))


def test_reconcile_reports_drift_fixes_it_and_finds_none_after(
    projected: list[dict[str, Any]],
    aws: LocalConfig,
    pg: Engine,
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out = _run(capsys)
    assert code == 0, out
    assert out.strip().endswith("in sync")
    code, out = _run(capsys, "--json")
    assert (code, json.loads(out)) == (0, _in_sync(TASKS))

    _drift(pg, projected)

    code, out = _run(capsys)
    assert code == 1, out
    rows = _table(out)
    assert rows["tasks"] == {"dynamodb": 4, "postgres": 4, "missing": 1, "stale": 1, "extra": 1}
    assert rows["projects"] == {"dynamodb": 1, "postgres": 1, "missing": 0, "stale": 1, "extra": 0}
    assert rows["members"] == {"dynamodb": 1, "postgres": 0, "missing": 1, "stale": 0, "extra": 0}
    assert out.strip().splitlines()[-1] == "5 rows drifted"

    code, out = _run(capsys, "--json")
    assert code == 1
    report = json.loads(out)
    assert report["drift"] == 5
    assert report["fixed"] is False
    assert report["tasks"] == rows["tasks"]
    assert report["projects"] == rows["projects"]
    assert report["members"] == rows["members"]

    code, out = _run(capsys, "--fix")
    assert code == 0, out
    assert out.strip().splitlines()[-1] == "5 rows drifted, repaired"

    code, out = _run(capsys)
    assert code == 0, out
    assert out.strip().splitlines()[-1] == "in sync"
    assert all(row["missing"] + row["stale"] + row["extra"] == 0 for row in _table(out).values())
    code, out = _run(capsys, "--json")
    assert (code, json.loads(out)) == (0, _in_sync(TASKS))

    # The projection holds DynamoDB's state again, content included.
    assert {k: v[-1] for k, v in projected_tasks(pg).items()} == table_tasks(aws)
    titles = {k: v[2] for k, v in projected_tasks(pg).items()}
    assert titles == {t["id"]: t["title"] for t in projected}


def test_fix_with_json_reports_what_it_repaired(
    projected: list[dict[str, Any]], pg: Engine, capsys: pytest.CaptureFixture[str]
) -> None:
    _drift(pg, projected)

    code, out = _run(capsys, "--fix", "--json")

    assert code == 0, out
    report = json.loads(out)
    assert (report["drift"], report["fixed"]) == (5, True)
    assert _run(capsys, "--json") == (0, json.dumps(_in_sync(TASKS)) + "\n")


def test_without_database_settings_it_finds_the_local_stack(
    projected: list[dict[str, Any]],
    pg: Engine,
    moto: MotoServer,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """As after ``make run``: the embedded server through ``<state-dir>/postgres``'s
    ``postmaster.pid``, moto through ``--aws-endpoint``."""
    with pg.connect() as conn:
        data_directory = conn.execute(text("SHOW data_directory")).scalar_one()
    (tmp_path / "postgres").symlink_to(data_directory, target_is_directory=True)
    for name in ("TASKLANE_DB_HOST", "AWS_ENDPOINT_URL"):
        monkeypatch.delenv(name)
    with pg.begin() as conn:
        conn.execute(text("DELETE FROM tasks WHERE task_id = :id"), {"id": projected[0]["id"]})
    local = ("--state-dir", str(tmp_path), "--aws-endpoint", moto.endpoint_url)

    code, out = _run(capsys, *local, "--json")
    assert code == 1, out
    assert json.loads(out)["tasks"]["missing"] == 1

    assert _run(capsys, *local, "--fix")[0] == 0
    assert _run(capsys, *local)[0] == 0


def test_no_local_database_is_one_line_and_exit_1(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("TASKLANE_DB_HOST", raising=False)

    code = main(["reconcile", "--state-dir", str(tmp_path)])

    assert code == 1
    err = capsys.readouterr().err
    assert "no running local PostgreSQL" in err
    assert err.count("\n") == 1
