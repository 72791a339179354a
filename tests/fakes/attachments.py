"""``AttachmentStore`` in memory. Its access checks read the shared
:class:`tests.fakes.table.InMemoryTable` (the caller's membership, the task's existence), as
the DynamoDB adapter checks them in its transactions; the records are items of that table in
the adapter's layout, so every store made on it (and ``ProjectContents``) sees them."""

from __future__ import annotations

from collections.abc import Collection, Iterator, MutableMapping, Sequence

from tasklane.dal.dynamodb import counters
from tasklane.dal.dynamodb import items as it
from tasklane.dal.dynamodb.attachments import (
    attachment_key,
    attachment_sk,
    record_from_item,
    record_to_item,
)
from tasklane.domain.attachments import (
    Attachment,
    AttachmentLimitReached,
    AttachmentRecord,
    AttachmentStatus,
    CompleteOutcome,
    ObjectHead,
)
from tasklane.domain.errors import Conflict, NotFound
from tasklane.domain.ids import split_task_id
from tasklane.domain.models import Role
from tasklane.domain.ports.limits import DailyQuota
from tests.fakes.table import InMemoryTable, row

#: (project id, task ulid, attachment id)
Key = tuple[str, str, str]


class _Records(MutableMapping[Key, AttachmentRecord]):
    """The table's attachment items, as records by (project id, task ulid, attachment id)."""

    def __init__(self, table: InMemoryTable) -> None:
        self._table = table

    def __getitem__(self, key: Key) -> AttachmentRecord:
        item = self._table.get(attachment_key(*key))
        if item is None:
            raise KeyError(key)
        return record_from_item(item)

    def __setitem__(self, key: Key, record: AttachmentRecord) -> None:
        self._table.put(record_to_item(record))

    def __delitem__(self, key: Key) -> None:
        del self._table.items[row(attachment_key(*key))]

    def __iter__(self) -> Iterator[Key]:
        for item in list(self._table.items.values()):
            if item.get("type") == {"S": "attachment"}:
                record = record_from_item(item)
                yield record.project_id, record.task_ulid, record.attachment.id

    def __len__(self) -> int:
        return sum(1 for _ in self)


class InMemoryAttachments:
    def __init__(self, table: InMemoryTable) -> None:
        self._table = table
        self.records: MutableMapping[Key, AttachmentRecord] = _Records(table)

    def _task_exists(self, project_id: str, task_ulid: str) -> bool:
        """Present and not in the trash."""
        task = self._table.items.get((it.project_pk(project_id), f"TASK#{task_ulid}"))
        return task is not None and not it.is_trashed(task)

    def _of_task(self, project_id: str, task_ulid: str) -> list[AttachmentRecord]:
        found = [r for (p, t, _), r in self.records.items() if (p, t) == (project_id, task_ulid)]
        return sorted(found, key=lambda r: r.attachment.id)

    def create_attachment(
        self,
        record: AttachmentRecord,
        user_id: str,
        roles: Collection[Role],
        max_per_task: int,
        daily: DailyQuota | None = None,
    ) -> None:
        self._table.check_member(record.project_id, user_id, roles, "task")
        self._table.check_writable(record.project_id)
        if not self._task_exists(record.project_id, record.task_ulid):
            raise NotFound("task not found")
        if len(self._of_task(record.project_id, record.task_ulid)) >= max_per_task:
            raise AttachmentLimitReached(
                f"a task can have at most {max_per_task} attachments; delete one first",
                {"limit": max_per_task},
            )
        key = (record.project_id, record.task_ulid, record.attachment.id)
        if key in self.records:
            raise Conflict("an attachment with this id already exists")
        if daily is not None:
            today = counters.user_day_key(user_id, daily.day)
            if not self._table.can_raise(today, "attachments", daily.maximum):
                raise counters.rate_limited(daily, "attachments")
            self._table.add_count(today, "attachments", 1, daily.expires_at)
        self.records[key] = record

    def get_attachment(
        self, task_id: str, attachment_id: str, user_id: str
    ) -> tuple[AttachmentRecord, Role] | None:
        parts = split_task_id(task_id)
        if parts is None:
            return None
        project_id, task_ulid = parts
        record = self.records.get((project_id, task_ulid, attachment_id))
        member = self._table.get(it.member_key(project_id, user_id))
        if record is None or member is None or not self._task_exists(project_id, task_ulid):
            return None
        return record, Role(member["role"]["S"])

    def list_attachments(self, task_id: str, user_id: str) -> Sequence[Attachment]:
        parts = split_task_id(task_id)
        if parts is None:
            raise NotFound("task not found")
        project_id, task_ulid = parts
        member = self._table.get(it.member_key(project_id, user_id))
        if member is None or not self._task_exists(project_id, task_ulid):
            raise NotFound("task not found")
        return [r.attachment for r in self._of_task(project_id, task_ulid)]

    def complete_attachment(
        self,
        record: AttachmentRecord,
        user_id: str,
        roles: Collection[Role],
        found: ObjectHead,
        now: str,
    ) -> CompleteOutcome:
        self._table.check_member(record.project_id, user_id, roles, "attachment")
        self._table.check_writable(record.project_id)
        key = (record.project_id, record.task_ulid, record.attachment.id)
        stored = self.records.get(key)
        if stored is None or not self._task_exists(record.project_id, record.task_ulid):
            raise NotFound("attachment not found")
        current = stored.attachment
        if current.status is not AttachmentStatus.pending:
            return CompleteOutcome.already_ready
        if (current.size, current.content_type) != (found.size, found.content_type):
            return CompleteOutcome.mismatch
        ready = current.model_copy(update={"status": AttachmentStatus.ready, "completed_at": now})
        self.records[key] = AttachmentRecord(
            attachment=ready,
            project_id=stored.project_id,
            task_ulid=stored.task_ulid,
            upload_expires_at=stored.upload_expires_at,
            version_id=found.version_id,
        )
        return CompleteOutcome.completed

    def delete_attachment(
        self, task_id: str, attachment_id: str, user_id: str, roles: Collection[Role]
    ) -> None:
        parts = split_task_id(task_id)
        if parts is None:
            raise NotFound("attachment not found")
        project_id, task_ulid = parts
        self._table.check_member(project_id, user_id, roles, "attachment")
        self._table.check_writable(project_id)
        key = (project_id, task_ulid, attachment_id)
        if key not in self.records or not self._task_exists(project_id, task_ulid):
            raise NotFound("attachment not found")
        del self.records[key]

    def stale_uploads(self, cutoff: str, days: Sequence[str]) -> Sequence[AttachmentRecord]:
        # The sweeper's index: UPLOADS#<day> / <expiry>#<task id>#<attachment id> < cutoff.
        return [
            r
            for r in self.records.values()
            if r.attachment.status is AttachmentStatus.pending
            and r.upload_expires_at[:10] in days
            and f"{r.upload_expires_at}#{r.attachment.task_id}#{r.attachment.id}" < cutoff
        ]

    def discard_upload(self, record: AttachmentRecord) -> bool:
        key = (record.project_id, record.task_ulid, record.attachment.id)
        stored = self.records.get(key)
        if stored is None or stored.attachment.status is not AttachmentStatus.pending:
            return False
        del self.records[key]
        return True

    def task_attachment_keys(self, project_id: str, task_ulid: str) -> Sequence[str]:
        return [
            attachment_sk(task_ulid, r.attachment.id) for r in self._of_task(project_id, task_ulid)
        ]

    def delete_items(self, project_id: str, sort_keys: Sequence[str]) -> None:
        for key in list(self.records):
            if key[0] == project_id and attachment_sk(key[1], key[2]) in sort_keys:
                del self.records[key]
