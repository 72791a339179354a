"""``ProjectContents``: everything in a project's partition, in key order, for an export.

Each method reads one kind of item with a Query per page (1 MB), so an export of 10,000
tasks reads them in a few dozen requests instead of one per task; tasks, comments and
attachments all sort by their task's ULID, so the export merges the three in one pass with
one task's worth in memory. No access check here: the export checks the requester's
membership first.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Protocol

from tasklane.domain.attachments import AttachmentRecord
from tasklane.domain.models import Comment, Task


class ProjectContents(Protocol):
    def tasks(self, project_id: str) -> Iterator[Task]:
        """Oldest first (task ids sort by creation)."""

    def comments(self, project_id: str) -> Iterator[Comment]:
        """By task, then oldest first."""

    def attachments(self, project_id: str) -> Iterator[AttachmentRecord]:
        """By task, then oldest first (pending uploads included)."""
