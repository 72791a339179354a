"""``CommentStore``: comments on a task, in its project's partition."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime
from typing import Protocol

from tasklane.domain.models import Comment, Role
from tasklane.domain.ports.limits import Quota
from tasklane.domain.ports.pages import Page, PageKey


class CommentStore(Protocol):
    def create_comment(
        self, comment: Comment, user_id: str, roles: Collection[Role], quota: Quota | None = None
    ) -> None:
        """NotFound unless the task exists (not in the trash) and the caller is a member.
        Counted on the task in the same transaction: LimitReached at ``quota``."""

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
        says who may do that (the owner). Frees its place under the task's comment limit
        (NotFound when the task itself is gone)."""

    def purge_task_comments(self, task_id: str) -> int:
        """Deletes every comment of a (deleted) task; returns how many. Idempotent."""
