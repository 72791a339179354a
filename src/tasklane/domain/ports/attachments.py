"""``AttachmentStore``: attachment records, counted and summarised on their task."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import Protocol

from tasklane.domain.attachments import (
    Attachment,
    AttachmentRecord,
    CompleteOutcome,
    ObjectHead,
)
from tasklane.domain.models import Role
from tasklane.domain.ports.limits import DailyQuota


class AttachmentStore(Protocol):
    def create_attachment(
        self,
        record: AttachmentRecord,
        user_id: str,
        roles: Collection[Role],
        max_per_task: int,
        daily: DailyQuota | None = None,
    ) -> None:
        """Record and count +1 on the task, atomically, if the caller may write and the
        task has fewer than ``max_per_task``; counted against the caller's ``daily``
        quota in the same transaction. NotFound, Forbidden, AttachmentLimitReached,
        TooManyRequests."""

    def get_attachment(
        self, task_id: str, attachment_id: str, user_id: str
    ) -> tuple[AttachmentRecord, Role] | None:
        """With the caller's role; None unless the task and attachment exist and the caller
        is a member (one read)."""

    def list_attachments(self, task_id: str, user_id: str) -> Sequence[Attachment]:
        """Oldest first; NotFound unless the task exists and the caller is a member (one
        read)."""

    def complete_attachment(
        self,
        record: AttachmentRecord,
        user_id: str,
        roles: Collection[Role],
        found: ObjectHead,
        now: str,
    ) -> CompleteOutcome:
        """``pending`` → ``ready`` (records ``found.version_id``) if the record is still
        pending with ``found``'s size and type. NotFound or Forbidden for the caller."""

    def delete_attachment(
        self, task_id: str, attachment_id: str, user_id: str, roles: Collection[Role]
    ) -> None: ...

    # Clean-up (no caller: the sweeper and the stream consumer) ---------------------------
    def stale_uploads(self, cutoff: str, days: Sequence[str]) -> Sequence[AttachmentRecord]:
        """Pending uploads whose form expired before ``cutoff``, in the given expiry days."""

    def discard_upload(self, record: AttachmentRecord) -> bool:
        """Deletes a still-pending record (and frees its slot); False if it changed."""

    def task_attachment_keys(self, project_id: str, task_ulid: str) -> Sequence[str]:
        """Sort keys of a task's attachment items (for clean-up, no access check)."""

    def delete_items(self, project_id: str, sort_keys: Sequence[str]) -> None: ...
