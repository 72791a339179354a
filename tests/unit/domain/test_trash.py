"""The trash (tasklane.domain.trash): marks, purge time, what a restore checks, archived
projects."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from tasklane.domain.errors import Conflict, Forbidden, NotFound
from tasklane.domain.models import Role
from tasklane.domain.trash import (
    DEFAULT_RETENTION_DAYS,
    PURGED_WITH_A_TASK,
    Child,
    ProjectState,
    RestoreConditions,
    archive_changes,
    check_restore,
    check_retention_days,
    ensure_writable,
    in_trash,
    is_trashed,
    listed_order,
    project_state,
    purge_at,
    removed_by_ttl,
    trash_changes,
    trashed,
    unarchive_changes,
)

NOW = datetime(2026, 5, 1, 12, 0, tzinfo=UTC)


def task(**fields: Any) -> dict[str, Any]:
    return {"id": "t1", "project_id": "p1", "title": "T", "assignee_id": None} | fields


def in_the_trash(days_ago: float = 1, **fields: Any) -> dict[str, Any]:
    deleted = NOW - timedelta(days=days_ago)
    return task(**trash_changes("bob", deleted), **fields)


def test_deleting_sets_the_marks_and_a_purge_time_thirty_days_later() -> None:
    marks = trash_changes("bob", NOW)
    assert marks == {
        "deleted_at": "2026-05-01T12:00:00.000Z",
        "deleted_by": "bob",
        "purge_at": int(datetime(2026, 5, 31, 12, tzinfo=UTC).timestamp()),
    }
    assert DEFAULT_RETENTION_DAYS == 30
    assert purge_at(NOW, 7) == int((NOW + timedelta(days=7)).timestamp())


@pytest.mark.parametrize("days", [0, -1, 366])
def test_the_retention_setting_has_a_range(days: int) -> None:
    with pytest.raises(ValueError, match="1-365 days"):
        check_retention_days(days)
    with pytest.raises(ValueError, match="1-365 days"):
        purge_at(NOW, days)


def test_a_trashed_task_is_hidden_and_listed_in_the_trash_until_it_expires() -> None:
    assert not is_trashed(task())
    assert trashed(task()) is None
    fresh = in_the_trash(days_ago=1)
    assert is_trashed(fresh)
    assert in_trash(fresh, NOW)
    # TTL may take days to remove it: past its purge time it is gone for the API already.
    stale = in_the_trash(days_ago=30)
    assert is_trashed(stale)
    assert not in_trash(stale, NOW)
    assert not in_trash(in_the_trash(days_ago=29.99), NOW + timedelta(minutes=15))
    assert in_trash(in_the_trash(days_ago=29.99), NOW)


def test_the_trash_lists_the_latest_deletion_first() -> None:
    tasks = [in_the_trash(3, id="a"), in_the_trash(1, id="b"), in_the_trash(2, id="c")]
    assert [t["id"] for t in sorted(tasks, key=listed_order, reverse=True)] == ["b", "c", "a"]


def test_restore_clears_the_marks_and_names_what_the_write_must_check() -> None:
    changes, conditions = check_restore(
        in_the_trash(assignee_id="carol"),
        role=Role.editor,
        project=ProjectState.active,
        assignee_is_member=True,
        now=NOW,
    )
    assert changes == {"deleted_at": None, "deleted_by": None, "purge_at": None}
    assert conditions == RestoreConditions(
        project_id="p1", deleted_at="2026-04-30T12:00:00.000Z", assignee_id="carol"
    )


def test_owners_and_editors_restore_viewers_do_not() -> None:
    for role in (Role.owner, Role.editor):
        check_restore(
            in_the_trash(), role=role, project=ProjectState.active, assignee_is_member=True, now=NOW
        )
    with pytest.raises(Forbidden, match="owner and editors"):
        check_restore(
            in_the_trash(),
            role=Role.viewer,
            project=ProjectState.active,
            assignee_is_member=True,
            now=NOW,
        )


@pytest.mark.parametrize(
    ("task_image", "project"),
    [
        (None, ProjectState.active),  # no such task
        (in_the_trash(), ProjectState.missing),  # its project is gone (or not the caller's)
        (in_the_trash(days_ago=31), ProjectState.active),  # expired, TTL not yet run
    ],
)
def test_nothing_to_restore_is_a_404(
    task_image: dict[str, Any] | None, project: ProjectState
) -> None:
    with pytest.raises(NotFound):
        check_restore(
            task_image, role=Role.owner, project=project, assignee_is_member=True, now=NOW
        )


def test_conflicts_say_why() -> None:
    with pytest.raises(Conflict, match="not in the trash") as live:
        check_restore(
            task(), role=Role.owner, project=ProjectState.active, assignee_is_member=True, now=NOW
        )
    assert live.value.details == {"reason": "not_in_trash"}
    with pytest.raises(Conflict, match="restore the project first") as archived:
        check_restore(
            in_the_trash(),
            role=Role.owner,
            project=ProjectState.archived,
            assignee_is_member=True,
            now=NOW,
        )
    assert archived.value.details == {"reason": "project_archived"}


def test_an_assignee_who_left_blocks_the_restore_unless_unassigned() -> None:
    gone = in_the_trash(assignee_id="dave")
    with pytest.raises(Conflict, match="no longer a member") as caught:
        check_restore(
            gone, role=Role.owner, project=ProjectState.active, assignee_is_member=False, now=NOW
        )
    assert caught.value.details == {"reason": "assignee_not_member", "assignee_id": "dave"}
    changes, conditions = check_restore(
        gone,
        role=Role.owner,
        project=ProjectState.active,
        assignee_is_member=False,
        now=NOW,
        unassign=True,
    )
    assert changes["assignee_id"] is None
    assert conditions.assignee_id is None
    # Unassigned tasks need no membership check at all.
    _, unassigned = check_restore(
        in_the_trash(),
        role=Role.owner,
        project=ProjectState.active,
        assignee_is_member=False,
        now=NOW,
    )
    assert unassigned.assignee_id is None


def test_a_purge_takes_every_child_with_the_task() -> None:
    assert set(PURGED_WITH_A_TASK) == {
        Child.comments,
        Child.attachments,
        Child.activity,
        Child.projection,
    }


@pytest.mark.parametrize(
    ("identity", "expected"),
    [
        ({"type": "Service", "principalId": "dynamodb.amazonaws.com"}, True),
        ({"type": "Service", "principalId": "lambda.amazonaws.com"}, False),
        ({"type": "User", "principalId": "dynamodb.amazonaws.com"}, False),
        ({}, False),
        (None, False),
    ],
)
def test_ttl_removals_are_told_apart_from_deletes(
    identity: dict[str, str] | None, expected: bool
) -> None:
    assert removed_by_ttl(identity) is expected


def test_archived_projects_are_read_only_and_restorable() -> None:
    project = {"id": "p1", "name": "Launch"}
    assert project_state(project) is ProjectState.active
    archived = project | archive_changes("ada", NOW)
    assert archived["archived_at"] == "2026-05-01T12:00:00.000Z"
    assert project_state(archived) is ProjectState.archived
    assert project_state(archived | unarchive_changes()) is ProjectState.active
    assert project_state(None) is ProjectState.missing
    ensure_writable(ProjectState.active)
    with pytest.raises(Conflict, match="read-only") as caught:
        ensure_writable(ProjectState.archived)
    assert caught.value.status == 409
    with pytest.raises(NotFound):
        ensure_writable(ProjectState.missing)
