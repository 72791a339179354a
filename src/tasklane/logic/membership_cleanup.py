"""What a membership or a task takes with it when it goes (a stream consumer)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from tasklane.domain.models import utc_now
from tasklane.domain.ports.comments import CommentStore
from tasklane.domain.ports.tasks import TaskStore
from tasklane.logic.stream import StreamChange


class MembershipCleanup:
    """A stream consumer: what a membership or a task takes with it when it goes.

    - A membership removed (the member left or was removed): their assignments in that
      project are cleared, so "assigned to me" (one gsi1 Query, no membership read) shows
      only projects they are in. The store skips it if they are a member again by then.
    - A task removed (deleted, or purged with its project): its comments are deleted.

    Both are idempotent: a replay finds nothing left to do.
    """

    name = "membership_cleanup"

    def __init__(
        self, tasks: TaskStore, comments: CommentStore, clock: Callable[[], datetime] = utc_now
    ) -> None:
        self._tasks = tasks
        self._comments = comments
        self._clock = clock

    def handle(self, change: StreamChange) -> None:
        if not change.removed:
            return
        image = change.image
        if change.item_type == "member":
            self._tasks.clear_assignments(
                str(image["project_id"]), str(image["user_id"]), self._clock()
            )
        elif change.item_type == "task":
            self._comments.purge_task_comments(str(image["task_id"]))
