"""Comments on a task: members who may write tasks comment; every member reads them.

Round trips (DynamoDB): create, change and delete are one TransactWriteItems each (the
caller's membership check with the write; creating also checks that the task exists); a
change answers with the comment, read back with one BatchGetItem. A list page is two
requests: a BatchGetItem (membership and task) and one Query. The owner deleting someone
else's comment takes a second transaction (the first one tries it as the author's own).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from tasklane.domain.errors import Forbidden, NotFound
from tasklane.domain.ids import is_project_id, new_ulid, split_task_id
from tasklane.domain.models import Comment, CommentCreate, CommentPatch, format_time, utc_now
from tasklane.domain.ports.comments import CommentStore
from tasklane.domain.ports.limits import Quota
from tasklane.logic.access import OWNERS, TASK_WRITERS
from tasklane.logic.pages import Cursors, Listing
from tasklane.settings import LimitSettings


def _task(task_id: str) -> str:
    """Ids that cannot be a task's are unknown tasks (404), like everywhere else."""
    if split_task_id(task_id) is None:
        raise NotFound("task not found")
    return task_id


def _comment_id(comment_id: str) -> str:
    # A comment id is a ULID, shaped like a project id; anything else cannot exist.
    if not is_project_id(comment_id):
        raise NotFound("comment not found")
    return comment_id


class CommentService:
    def __init__(
        self,
        store: CommentStore,
        cursors: Cursors,
        clock: Callable[[], datetime] = utc_now,
        limits: LimitSettings | None = None,
    ) -> None:
        self._store = store
        self._cursors = cursors
        self._clock = clock
        maximum = (limits or LimitSettings()).comments_per_task
        self._quota = Quota("comments_per_task", maximum)

    def create(self, user_id: str, task_id: str, data: CommentCreate) -> Comment:
        now = format_time(self._clock())
        comment = Comment(
            id=new_ulid(),
            task_id=_task(task_id),
            author_id=user_id,
            body=data.body,
            created_at=now,
            updated_at=now,
            version=1,
        )
        self._store.create_comment(comment, user_id, TASK_WRITERS, self._quota)
        return comment

    def get(self, user_id: str, task_id: str, comment_id: str) -> Comment:
        found = self._store.get_comment(_task(task_id), _comment_id(comment_id), user_id)
        if found is None:
            raise NotFound("comment not found")
        return found

    def list(self, user_id: str, task_id: str, limit: int, cursor: str | None) -> Listing[Comment]:
        bound = {"user": user_id, "task": _task(task_id), "list": "comments"}
        page = self._store.list_comments(
            task_id, user_id, limit, self._cursors.start(cursor, bound)
        )
        return Listing(page.items, self._cursors.next(page.next_key, bound))

    def update(
        self,
        user_id: str,
        task_id: str,
        comment_id: str,
        patch: CommentPatch,
        expected_version: int | None,
    ) -> Comment:
        """Only the author, while they may still write tasks (an editor made a viewer
        can no longer edit what they wrote)."""
        self._store.update_comment(
            _task(task_id),
            _comment_id(comment_id),
            user_id,
            TASK_WRITERS,
            patch.body,
            expected_version,
            self._clock(),
        )
        return self.get(user_id, task_id, comment_id)

    def delete(
        self, user_id: str, task_id: str, comment_id: str, expected_version: int | None
    ) -> None:
        """The author (an owner or editor), or the project owner for anyone's comment."""
        task_id, comment_id = _task(task_id), _comment_id(comment_id)
        try:
            self._store.delete_comment(
                task_id, comment_id, user_id, TASK_WRITERS, expected_version, any_author=False
            )
        except Forbidden:
            # Not the author, or no longer allowed to write: the owner still may.
            self._store.delete_comment(
                task_id, comment_id, user_id, OWNERS, expected_version, any_author=True
            )
