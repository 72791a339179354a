"""``ImportSink``: where an import writes, claiming each imported thing's key as it writes it.

A key (``tasklane.domain.exchange.model.import_key``) is claimed in the same transaction
that writes what it stands for, so a re-run of the same import — or a retried job — never
creates a project or a task twice, and never loses one between a claim and its write.
Projects are claimed per importing user; tasks per destination project (in its partition:
deleting the project forgets them).
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import Protocol

from tasklane.domain.models import Comment, Person, Project, Role, Task
from tasklane.domain.ports.limits import Quota


class ImportSink(Protocol):
    def create_project(
        self, key: str, project: Project, owner: Person, quota: Quota | None = None
    ) -> str:
        """The project (with its owner's membership) and the claim of ``key``, atomically,
        counted against the owner's ``quota`` (LimitReached); returns its id, or the id of
        the project an earlier run created for ``key``."""

    def create_task(
        self,
        key: str,
        task: Task,
        comments: Sequence[Comment],
        user_id: str,
        roles: Collection[Role],
        quota: Quota | None = None,
    ) -> tuple[str, bool]:
        """The task, its first comments and the claim of ``key`` in the task's project,
        atomically, if the caller has one of ``roles`` there (NotFound / Forbidden), counted
        against the project's task ``quota`` (LimitReached).
        Returns ``(task id, True)``, or ``(the task id an earlier run created, False)``
        without writing the task. The comments that did not fit the transaction are
        written with :meth:`add_comments`."""

    def add_comments(self, comments: Sequence[Comment]) -> int:
        """Each comment unless its id exists (comment ids of an import are derived from
        its keys, so a re-run writes none twice); returns how many were written."""

    def transaction_comments(self) -> int:
        """How many comments :meth:`create_task` writes with the task."""
