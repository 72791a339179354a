"""Compare the projection with DynamoDB (the system of record), report drift, repair it.

Drift has three shapes per kind (tasks, projects, memberships): *missing* (in DynamoDB, not
in PostgreSQL), *stale* (both, different version or role) and *extra* (in PostgreSQL only).
``fix`` writes DynamoDB's state over the projection: missing and stale rows are written
unguarded, extra rows are deleted (tombstoned, so a late stream record cannot revive them).

Reading the whole table (``ProjectionSource``) is a Scan: acceptable for this operator's tool
(not an API path), paged, and filtered to the three projected item types.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from tasklane.domain.prepared import is_prepared
from tasklane.domain.projection import member_key
from tasklane.logic.projection import member_row, project_row, task_row

if TYPE_CHECKING:
    from tasklane.domain.ports.projection import ProjectionSource
    from tasklane.domain.ports.relational import Relational


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


def reconcile(source: ProjectionSource, database: Relational, *, fix: bool = False) -> Report:
    tasks: dict[str, dict[str, Any]] = {}
    projects: dict[str, dict[str, Any]] = {}
    members: dict[tuple[str, str], dict[str, Any]] = {}
    for item in source.projected_items():
        kind = item.get("type")
        if kind == "task" and not is_prepared(item):  # never projected until revealed
            tasks[item["task_id"]] = item
        elif kind == "project":
            projects[item["project_id"]] = item
        elif kind == "member":
            members[(item["project_id"], item["user_id"])] = item
    # A project marked deleted is out of the projection while its purge runs: what is left
    # of it in DynamoDB is not drift.
    doomed = {key for key, item in projects.items() if item.get("deleted_at") is not None}
    if doomed:
        projects = {k: v for k, v in projects.items() if k not in doomed}
        tasks = {k: v for k, v in tasks.items() if v.get("project_id") not in doomed}
        members = {k: v for k, v in members.items() if k[0] not in doomed}

    report = Report()
    with database.transaction() as tx:
        db = tx.projection
        pg = db.snapshot()
        _compare(report.tasks, {k: int(v["version"]) for k, v in tasks.items()}, pg.tasks, str)
        _compare(
            report.projects,
            {k: int(v["version"]) for k, v in projects.items()},
            pg.projects,
            str,
        )
        _compare(
            report.members,
            {k: str(v["role"]) for k, v in members.items()},
            pg.members,
            lambda key: member_key(*key),
        )
        if not fix or report.total == 0:
            return report
        # Projects first: a task row needs no project row, but a removed project's
        # tombstone must not outlive the project's return (it cannot return: ids are new).
        for key in report.projects.missing + report.projects.stale:
            db.upsert_project(project_row(projects[key]), force=True)
        for key in report.projects.extra:
            db.remove_project(key, pg.projects[key])
        for key in report.tasks.missing + report.tasks.stale:
            db.upsert_task(task_row(tasks[key]), force=True)
        for key in report.tasks.extra:
            db.remove_task(key, pg.tasks[key])
        for project_id, user_id in members:
            name = member_key(project_id, user_id)
            if name in report.members.missing or name in report.members.stale:
                db.upsert_member(member_row(members[(project_id, user_id)], 0), force=True)
        for project_id, user_id in pg.members:
            if (project_id, user_id) not in members:
                db.remove_member(project_id, user_id, 0, force=True)
        report.fixed = True
    return report


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
