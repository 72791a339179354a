"""The storage interface the use cases depend on.

``tasklane.dal.dynamodb.DynamoStore`` implements it against DynamoDB; the unit tests use an
in-memory fake with the same semantics. Each method is one unit of work with one
authorisation rule, enforced in the same round trip as the work itself: the caller names the
roles that may do it, and the store refuses (NotFound / Forbidden) in that round trip.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Generic, Protocol, TypeVar

from tasklane.domain.models import Comment, Member, Person, Project, Role, Task, TaskQuery

#: DynamoDB's LastEvaluatedKey, flattened to strings (every key attribute is a string).
PageKey = dict[str, str]

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Page(Generic[T]):
    items: Sequence[T]
    next_key: PageKey | None


class Store(Protocol):
    # Projects -------------------------------------------------------------------------
    def create_project(self, project: Project, owner: Person | None = None) -> None:
        """Project and the owner's membership (with ``owner``'s e-mail and name when
        given), atomically. Conflict if the id exists."""

    def get_project(self, project_id: str, user_id: str) -> Project | None:
        """The project with ``role`` set to the caller's; None if absent or not a member."""

    def list_projects(self, user_id: str, limit: int, start: PageKey | None) -> Page[Project]:
        """The caller's projects, Inbox first, then oldest first."""

    def update_project(
        self,
        project_id: str,
        user_id: str,
        roles: Collection[Role],
        changes: dict[str, Any],
        expected_version: int | None,
        now: datetime,
    ) -> None: ...

    def delete_project(
        self, project_id: str, user_id: str, roles: Collection[Role], expected_version: int | None
    ) -> None:
        """Deletes the project and the caller's membership (then nobody can reach its
        tasks); ``purge_project`` removes what is left in it."""

    def project_has_tasks(self, project_id: str) -> bool: ...

    def purge_project(self, project_id: str) -> int:
        """Deletes every remaining item of a deleted project; returns how many."""

    # Tasks ----------------------------------------------------------------------------
    def create_task(self, task: Task, user_id: str, roles: Collection[Role]) -> None: ...

    def get_task(self, task_id: str, user_id: str) -> Task | None: ...

    def update_task(
        self,
        task_id: str,
        user_id: str,
        roles: Collection[Role],
        changes: dict[str, Any],
        expected_version: int | None,
        now: datetime,
    ) -> None:
        """Applies ``changes`` (API field names, ``due_at`` None = clear) atomically,
        bumps ``version`` and ``updated_at``, and sets or clears ``completed_at`` with
        ``status``. PreconditionFailed if ``expected_version`` is stale."""

    def delete_task(
        self, task_id: str, user_id: str, roles: Collection[Role], expected_version: int | None
    ) -> None: ...

    def list_tasks(
        self, project_id: str, user_id: str, query: TaskQuery, start: PageKey | None
    ) -> Page[Task]:
        """One page: reads at most ``query.limit + 1`` items. NotFound if not a member."""

    def list_assigned(self, user_id: str, limit: int, start: PageKey | None) -> Page[Task]:
        """Tasks assigned to the user across projects, due soonest first (undated last):
        one Query on gsi1 reading at most ``limit + 1`` items."""

    def clear_assignments(self, project_id: str, user_id: str, now: datetime) -> int:
        """Unassigns the user from the project's tasks, unless they are a member again;
        returns how many tasks changed. Idempotent (a stream consumer calls it)."""

    # Members --------------------------------------------------------------------------
    def create_member(
        self, project_id: str, member: Member, user_id: str, roles: Collection[Role]
    ) -> None:
        """Adds ``member``; the caller needs one of ``roles``. Conflict if already a member."""

    def get_member(self, project_id: str, member_id: str, user_id: str) -> Member | None:
        """``member_id``'s membership, if the caller is a member too (else None)."""

    def list_members(
        self, project_id: str, user_id: str, limit: int, start: PageKey | None
    ) -> Page[Member]:
        """One page, the owner first. NotFound if the caller is not a member."""

    def update_member(
        self, project_id: str, member_id: str, user_id: str, roles: Collection[Role], role: Role
    ) -> None:
        """Changes a member's role. Conflict for the owner's membership."""

    def remove_member(
        self, project_id: str, member_id: str, user_id: str, roles: Collection[Role]
    ) -> None:
        """Removes a membership: the caller's own (leaving: any role) or, with one of
        ``roles``, someone else's. Conflict for the owner's membership."""

    # Comments -------------------------------------------------------------------------
    def create_comment(self, comment: Comment, user_id: str, roles: Collection[Role]) -> None:
        """NotFound unless the task exists and the caller is a member."""

    def get_comment(self, task_id: str, comment_id: str, user_id: str) -> Comment | None: ...

    def list_comments(
        self, task_id: str, user_id: str, limit: int, start: PageKey | None
    ) -> Page[Comment]:
        """Oldest first. NotFound unless the task exists and the caller is a member."""

    def update_comment(
        self,
        task_id: str,
        comment_id: str,
        user_id: str,
        roles: Collection[Role],
        body: str,
        expected_version: int | None,
        now: datetime,
    ) -> None:
        """The author's change (Forbidden for anyone else)."""

    def delete_comment(
        self,
        task_id: str,
        comment_id: str,
        user_id: str,
        roles: Collection[Role],
        expected_version: int | None,
        *,
        any_author: bool,
    ) -> None:
        """Deletes the caller's own comment, or (``any_author``) anyone's: ``roles`` then
        says who may do that (the owner)."""

    def purge_task_comments(self, task_id: str) -> int:
        """Deletes every comment of a (deleted) task; returns how many. Idempotent."""
