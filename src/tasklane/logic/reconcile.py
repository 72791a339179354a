"""Compare the projection with DynamoDB (the system of record), report drift, repair it.

Drift has three shapes per kind (tasks, projects, memberships): *missing* (in DynamoDB, not
in PostgreSQL), *stale* (both, different version or role) and *extra* (in PostgreSQL only).
``fix`` writes DynamoDB's state over the projection: missing and stale rows are written
unguarded, extra rows are deleted (tombstoned, so a late stream record cannot revive them).

Reading the whole table is a Scan: acceptable for this operator's tool (not an API path),
paged, and filtered to the three projected item types.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from tasklane.logic.projection import member_row, project_row, task_row

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection, Engine


@dataclass
class Drift:
    dynamodb: int = 0
    postgres: int = 0
    missing: list[str] = field(default_factory=list)
    stale: list[str] = field(default_factory=list)
    extra: list[str] = field(default_factory=list)

    @property
    def total(self) -> int:
        return len(self.missing) + len(self.stale) + len(self.extra)

    def summary(self) -> dict[str, int]:
        return {
            "dynamodb": self.dynamodb,
            "postgres": self.postgres,
            "missing": len(self.missing),
            "stale": len(self.stale),
            "extra": len(self.extra),
        }


@dataclass
class Report:
    tasks: Drift = field(default_factory=Drift)
    projects: Drift = field(default_factory=Drift)
    members: Drift = field(default_factory=Drift)
    fixed: bool = False

    @property
    def total(self) -> int:
        return self.tasks.total + self.projects.total + self.members.total

    def summary(self) -> dict[str, Any]:
        return {
            "tasks": self.tasks.summary(),
            "projects": self.projects.summary(),
            "members": self.members.summary(),
            "drift": self.total,
            "fixed": self.fixed,
        }

    def text(self) -> str:
        lines = [f"{'':10}{'dynamodb':>10}{'postgres':>10}{'missing':>9}{'stale':>7}{'extra':>7}"]
        kinds = (("tasks", self.tasks), ("projects", self.projects), ("members", self.members))
        for name, drift in kinds:
            s = drift.summary()
            lines.append(
                f"{name:10}{s['dynamodb']:>10}{s['postgres']:>10}"
                f"{s['missing']:>9}{s['stale']:>7}{s['extra']:>7}"
            )
        verdict = "in sync" if self.total == 0 else f"{self.total} rows drifted"
        if self.fixed and self.total:
            verdict += ", repaired"
        lines.append(verdict)
        return "\n".join(lines)


def scan_items(dynamodb: Any, table_name: str) -> Iterable[dict[str, Any]]:
    """Every project, membership and task item of the table, deserialized."""
    from tasklane.dal.dynamodb.items import deserialize

    paginator = dynamodb.get_paginator("scan")
    pages = paginator.paginate(
        TableName=table_name,
        FilterExpression="#type IN (:task, :project, :member)",
        ExpressionAttributeNames={"#type": "type"},
        ExpressionAttributeValues={
            ":task": {"S": "task"},
            ":project": {"S": "project"},
            ":member": {"S": "member"},
        },
    )
    for page in pages:
        for item in page.get("Items", []):
            yield deserialize(item)


def _postgres_state(
    conn: Connection,
) -> tuple[dict[str, int], dict[str, int], dict[tuple[str, str], str]]:
    from sqlalchemy import text

    tasks = {r[0]: int(r[1]) for r in conn.execute(text("SELECT task_id, version FROM tasks"))}
    projects = {
        r[0]: int(r[1]) for r in conn.execute(text("SELECT project_id, version FROM projects"))
    }
    members = {
        (r[0], r[1]): str(r[2])
        for r in conn.execute(text("SELECT project_id, user_id, role FROM project_members"))
    }
    return tasks, projects, members


def _compare(
    drift: Drift, source: dict[Any, Any], target: dict[Any, Any], name: Callable[[Any], str]
) -> None:
    drift.dynamodb, drift.postgres = len(source), len(target)
    for key, value in source.items():
        if key not in target:
            drift.missing.append(name(key))
        elif target[key] != value:
            drift.stale.append(name(key))
    drift.extra = [name(key) for key in target if key not in source]


def reconcile(items: Iterable[dict[str, Any]], engine: Engine, *, fix: bool = False) -> Report:
    from tasklane.dal.postgres import projection as db

    tasks: dict[str, dict[str, Any]] = {}
    projects: dict[str, dict[str, Any]] = {}
    members: dict[tuple[str, str], dict[str, Any]] = {}
    for item in items:
        kind = item.get("type")
        if kind == "task":
            tasks[item["task_id"]] = item
        elif kind == "project":
            projects[item["project_id"]] = item
        elif kind == "member":
            members[(item["project_id"], item["user_id"])] = item

    report = Report()
    with engine.begin() as conn:
        pg_tasks, pg_projects, pg_members = _postgres_state(conn)
        _compare(report.tasks, {k: int(v["version"]) for k, v in tasks.items()}, pg_tasks, str)
        _compare(
            report.projects,
            {k: int(v["version"]) for k, v in projects.items()},
            pg_projects,
            str,
        )
        _compare(
            report.members,
            {k: str(v["role"]) for k, v in members.items()},
            pg_members,
            lambda key: db.member_key(*key),
        )
        if not fix or report.total == 0:
            return report
        # Projects first: a task row needs no project row, but a removed project's
        # tombstone must not outlive the project's return (it cannot return: ids are new).
        for key in report.projects.missing + report.projects.stale:
            db.upsert_project(conn, project_row(projects[key]), force=True)
        for key in report.projects.extra:
            db.remove_project(conn, key, pg_projects[key])
        for key in report.tasks.missing + report.tasks.stale:
            db.upsert_task(conn, task_row(tasks[key]), force=True)
        for key in report.tasks.extra:
            db.remove_task(conn, key, pg_tasks[key])
        for project_id, user_id in members:
            name = db.member_key(project_id, user_id)
            if name in report.members.missing or name in report.members.stale:
                db.upsert_member(conn, member_row(members[(project_id, user_id)], 0), force=True)
        for project_id, user_id in pg_members:
            if (project_id, user_id) not in members:
                db.remove_member(conn, project_id, user_id, 0, force=True)
        report.fixed = True
    return report
