"""``AttachmentStore`` on DynamoDB.

An attachment item lives in its task's partition (``PROJECT#<project id>``), sort key
``ATTACHMENT#<task ulid>#<attachment ulid>``: a task's attachments are one Query, and every
write checks the caller's membership in the same transaction, as tasks do. The task item
keeps ``attachment_count``, changed in the same transactions under a condition, so the
per-task limit holds under concurrency. While pending, an item is also in ``gsi1`` under
``UPLOADS#<day its form expires>``, so the sweeper finds abandoned uploads without a Scan.

The task item also carries a summary of each attachment, the top-level attribute
``att_<attachment ulid>``: a map of exactly what a list entry shows (its id is in the name,
its task is the item). Every transaction that changes the attachment items writes their
summaries too (create, complete, delete, the sweep), so the set of summaries always equals
the set of items and ``attachment_count`` is its size: a list reads the task item and the
membership, nothing else. Top-level attributes rather than one nested map: setting a key of
a map that may not exist yet is an invalid document path in DynamoDB. At most max-per-task
of them, each a few hundred bytes. Nothing that reads task items looks at them
(``items.task_from_item``, the projection and reconcile take named attributes only).

Attachments per user per day (``LimitSettings.attachments_per_day``: upload forms asked
for) are counted on the user's day item (``counters``, with its TTL) in the create's own
transaction: 429 ``rate_limited`` with ``Retry-After`` once the day's are used.

Round trips: create 1 (TransactWriteItems), get 1 (BatchGetItem of attachment, task and
membership), list 1 (BatchGetItem of task and membership), complete 1, delete 1.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import Any

from tasklane.dal.dynamodb import counters
from tasklane.dal.dynamodb import items as it
from tasklane.dal.dynamodb.table import Table, TransactionCancelled
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

_PREFIX = "ATTACHMENT#"
_UPLOADS = "UPLOADS#"
#: Name prefix of the attachment summaries on the task item.
SUMMARY_PREFIX = "att_"
#: What a read of the attachment, task and membership items needs (the task's text is not).
_ATTRIBUTES = (
    "pk",
    "sk",
    "attachment_id",
    "task_id",
    "project_id",
    "task_ulid",
    "file_name",
    "size",
    "content_type",
    "status",
    "created_at",
    "created_by",
    "completed_at",
    "upload_expires_at",
    "version_id",
    "role",
)


def attachment_sk(task_ulid: str, attachment_id: str) -> str:
    return f"{_PREFIX}{task_ulid}#{attachment_id}"


def attachment_key(project_id: str, task_ulid: str, attachment_id: str) -> it.Key:
    return {
        "pk": {"S": it.project_pk(project_id)},
        "sk": {"S": attachment_sk(task_ulid, attachment_id)},
    }


def uploads_pk(expires_at: str) -> str:
    """One index partition per day of expiry: writes spread, the sweeper reads a few."""
    return f"{_UPLOADS}{expires_at[:10]}"


def summary_attribute(attachment_id: str) -> str:
    """The task item's attribute that summarises this attachment for the list."""
    return f"{SUMMARY_PREFIX}{attachment_id}"


def summary_value(attachment: Attachment) -> dict[str, Any]:
    """The summary (a DynamoDB map) of ``attachment``: every field of a list entry but the
    id (the attribute's name) and the task id (the item's)."""
    values: dict[str, Any] = {
        "file_name": attachment.file_name,
        "size": attachment.size,
        "content_type": attachment.content_type,
        "status": attachment.status.value,
        "created_at": attachment.created_at,
        "created_by": attachment.created_by,
    }
    if attachment.completed_at is not None:
        values["completed_at"] = attachment.completed_at
    return {"M": it.serialize(values)}


def summaries_from_task_item(item: it.Item, task_id: str) -> list[Attachment]:
    """The attachments summarised on a task item, oldest first (ULIDs sort by time)."""
    found: list[Attachment] = []
    for name in sorted(n for n in item if n.startswith(SUMMARY_PREFIX)):
        data = it.deserialize(item[name]["M"])
        found.append(_attachment(data, name.removeprefix(SUMMARY_PREFIX), task_id))
    return found


def _attachment(data: dict[str, Any], attachment_id: str, task_id: str) -> Attachment:
    """The API's view, from an attachment item or from its summary on the task item."""
    return Attachment(
        id=attachment_id,
        task_id=task_id,
        file_name=data["file_name"],
        size=int(data["size"]),
        content_type=data["content_type"],
        status=AttachmentStatus(data["status"]),
        created_at=data["created_at"],
        created_by=data["created_by"],
        completed_at=data.get("completed_at"),
    )


def record_to_item(record: AttachmentRecord) -> it.Item:
    a = record.attachment
    values: dict[str, Any] = {
        "type": "attachment",
        "attachment_id": a.id,
        "task_id": a.task_id,
        "project_id": record.project_id,
        "task_ulid": record.task_ulid,
        "file_name": a.file_name,
        "size": a.size,
        "content_type": a.content_type,
        "status": a.status.value,
        "created_at": a.created_at,
        "created_by": a.created_by,
        "upload_expires_at": record.upload_expires_at,
    }
    if a.status is AttachmentStatus.pending:
        values["gsi1pk"] = uploads_pk(record.upload_expires_at)
        values["gsi1sk"] = f"{record.upload_expires_at}#{a.task_id}#{a.id}"
    if a.completed_at is not None:
        values["completed_at"] = a.completed_at
    if record.version_id is not None:
        values["version_id"] = record.version_id
    return {**attachment_key(record.project_id, record.task_ulid, a.id), **it.serialize(values)}


def record_from_item(item: it.Item) -> AttachmentRecord:
    data = it.deserialize(item)
    return AttachmentRecord(
        attachment=_attachment(data, data["attachment_id"], data["task_id"]),
        project_id=data["project_id"],
        task_ulid=data["task_ulid"],
        upload_expires_at=data["upload_expires_at"],
        version_id=data.get("version_id"),
    )


class DynamoAttachments:
    """The attachment operations, on the shared table helper (the task's transactions)."""

    def __init__(self, table: Table) -> None:
        self._table = table

    def _read(self, keys: list[it.Key]) -> dict[str, it.Item]:
        """A strongly consistent BatchGetItem of a few keys, projected, by sort key."""
        return {item["sk"]["S"]: item for item in self._table.batch_get(keys, _ATTRIBUTES)}

    def _task_update(
        self, task_id: str, attachment_id: str, expression: str, condition: str, values: Any
    ) -> Any:
        """An Update of the task item; ``#count`` is ``attachment_count`` and ``#att`` the
        attachment's summary."""
        names = {"#count": "attachment_count", "#att": summary_attribute(attachment_id)}
        used = f"{expression} {condition}"
        update: dict[str, Any] = {
            "TableName": self._table.name,
            "Key": it.task_key(task_id),
            "UpdateExpression": expression,
            "ConditionExpression": condition,
            # DynamoDB refuses names the expressions do not use.
            "ExpressionAttributeNames": {k: v for k, v in names.items() if k in used},
            "ReturnValuesOnConditionCheckFailure": "ALL_OLD",
        }
        if values:
            update["ExpressionAttributeValues"] = values
        return {"Update": update}

    def create_attachment(
        self,
        record: AttachmentRecord,
        user_id: str,
        roles: Collection[Role],
        max_per_task: int,
        daily: DailyQuota | None = None,
    ) -> None:
        count = self._task_update(
            record.attachment.task_id,
            record.attachment.id,
            "SET #count = if_not_exists(#count, :zero) + :one, #att = :summary",
            "attribute_exists(pk) AND attribute_not_exists(deleted_at) "
            "AND (attribute_not_exists(#count) OR #count < :max)",
            {
                ":zero": {"N": "0"},
                ":one": {"N": "1"},
                ":max": {"N": str(max_per_task)},
                ":summary": summary_value(record.attachment),
            },
        )
        put = {
            "Put": {
                "TableName": self._table.name,
                "Item": record_to_item(record),
                "ConditionExpression": "attribute_not_exists(pk)",
            }
        }
        # The caller's upload forms today (a rate: deleting an attachment gives none back).
        today = (
            [counters.raise_today(self._table.name, user_id, "attachments", daily)]
            if daily is not None
            else []
        )
        try:
            self._table.transact(
                [
                    self._table.member_check(record.project_id, user_id, roles),
                    count,
                    put,
                    *today,
                ],
                writable_project=record.project_id,
            )
        except TransactionCancelled as exc:
            if daily is not None and exc.failed(3) and not exc.failed(0):
                raise counters.rate_limited(daily, "attachments") from exc
            if exc.failed(1) and it.is_trashed(exc.item(1)) and not exc.failed(0):
                raise NotFound("task not found") from exc
            if exc.failed(1) and exc.item(1) is not None and not exc.failed(0):
                raise AttachmentLimitReached(
                    f"a task can have at most {max_per_task} attachments; delete one first",
                    {"limit": max_per_task},
                ) from exc
            if exc.failed(2):
                raise Conflict("an attachment with this id already exists") from exc
            exc.raise_for(target=1, what="task")

    def get_attachment(
        self, task_id: str, attachment_id: str, user_id: str
    ) -> tuple[AttachmentRecord, Role] | None:
        parts = split_task_id(task_id)
        if parts is None:
            return None
        project_id, task_ulid = parts
        found = self._read(
            [
                attachment_key(project_id, task_ulid, attachment_id),
                it.task_key(task_id),
                it.member_key(project_id, user_id),
            ]
        )
        item = found.get(attachment_sk(task_ulid, attachment_id))
        member = found.get(f"MEMBER#{user_id}")
        task = found.get(f"TASK#{task_ulid}")
        if item is None or member is None or task is None or it.is_trashed(task):
            return None
        return record_from_item(item), Role(member["role"]["S"])

    def list_attachments(self, task_id: str, user_id: str) -> Sequence[Attachment]:
        parts = split_task_id(task_id)
        if parts is None:
            raise NotFound("task not found")
        project_id, task_ulid = parts
        # Not projected: the summaries' names are not known before the task item is read.
        found = {
            item["sk"]["S"]: item
            for item in self._table.batch_get(
                [it.task_key(task_id), it.member_key(project_id, user_id)]
            )
        }
        task = found.get(f"TASK#{task_ulid}")
        if task is None or it.is_trashed(task) or f"MEMBER#{user_id}" not in found:
            raise NotFound("task not found")
        return summaries_from_task_item(task, task_id)

    def complete_attachment(
        self,
        record: AttachmentRecord,
        user_id: str,
        roles: Collection[Role],
        found: ObjectHead,
        now: str,
    ) -> CompleteOutcome:
        sets = "#status = :ready, completed_at = :now"
        values: dict[str, Any] = {
            ":ready": {"S": AttachmentStatus.ready.value},
            ":pending": {"S": AttachmentStatus.pending.value},
            ":now": {"S": now},
            ":size": {"N": str(found.size)},
            ":type": {"S": found.content_type},
        }
        if found.version_id:
            sets += ", version_id = :version"
            values[":version"] = {"S": found.version_id}
        ready = record.attachment.model_copy(
            update={"status": AttachmentStatus.ready, "completed_at": now}
        )
        # The whole summary, not a path into it: it may predate summaries on task items.
        summary = self._task_update(
            record.attachment.task_id,
            record.attachment.id,
            "SET #att = :summary",
            "attribute_exists(pk)",
            {":summary": summary_value(ready)},
        )
        summary["Update"].pop("ReturnValuesOnConditionCheckFailure")
        update = {
            "Update": {
                "TableName": self._table.name,
                "Key": attachment_key(record.project_id, record.task_ulid, record.attachment.id),
                # Leaving gsi1 takes it off the sweeper's list.
                "UpdateExpression": f"SET {sets} REMOVE gsi1pk, gsi1sk",
                # Checked by the caller already; here again, atomically, against the record.
                "ConditionExpression": "attribute_exists(pk) AND #status = :pending "
                "AND #size = :size AND content_type = :type",
                "ExpressionAttributeNames": {"#status": "status", "#size": "size"},
                "ExpressionAttributeValues": values,
                "ReturnValuesOnConditionCheckFailure": "ALL_OLD",
            }
        }
        member = self._table.member_check(record.project_id, user_id, roles)
        try:
            self._table.transact([member, update, summary], writable_project=record.project_id)
        except TransactionCancelled as exc:
            old = exc.item(1)
            if exc.failed(2) and not exc.failed(0) and not exc.failed(1):
                raise NotFound("attachment not found") from exc  # the task is gone
            if exc.failed(0) or not exc.failed(1) or old is None:
                exc.raise_for(target=1, what="attachment")
            elif record_from_item(old).attachment.status is AttachmentStatus.ready:
                return CompleteOutcome.already_ready
            return CompleteOutcome.mismatch
        return CompleteOutcome.completed

    def delete_attachment(
        self, task_id: str, attachment_id: str, user_id: str, roles: Collection[Role]
    ) -> None:
        parts = split_task_id(task_id)
        if parts is None:
            raise NotFound("attachment not found")
        project_id, task_ulid = parts
        delete = {
            "Delete": {
                "TableName": self._table.name,
                "Key": attachment_key(project_id, task_ulid, attachment_id),
                "ConditionExpression": "attribute_exists(pk)",
                "ReturnValuesOnConditionCheckFailure": "ALL_OLD",
            }
        }
        count = self._task_update(
            task_id,
            attachment_id,
            "SET #count = #count - :one REMOVE #att",
            "#count > :zero",
            {":zero": {"N": "0"}, ":one": {"N": "1"}},
        )
        try:
            self._table.transact(
                [self._table.member_check(project_id, user_id, roles), delete, count],
                writable_project=project_id,
            )
        except TransactionCancelled as exc:
            if exc.failed(2) and not exc.failed(0):
                raise NotFound("attachment not found") from exc  # the task is gone
            exc.raise_for(target=1, what="attachment")

    # Clean-up (no caller: the sweeper and the stream consumer) ---------------------------
    def stale_uploads(self, cutoff: str, days: Sequence[str]) -> Sequence[AttachmentRecord]:
        records: list[AttachmentRecord] = []
        for day in days:
            query: dict[str, Any] = {
                "TableName": self._table.name,
                "IndexName": "gsi1",
                "KeyConditionExpression": "gsi1pk = :day AND gsi1sk < :cutoff",
                "ExpressionAttributeValues": {
                    ":day": {"S": f"{_UPLOADS}{day}"},
                    ":cutoff": {"S": cutoff},
                },
            }
            while True:
                response = self._table.client.query(**query)
                records += [record_from_item(item) for item in response.get("Items", [])]
                if "LastEvaluatedKey" not in response:
                    break
                query["ExclusiveStartKey"] = response["LastEvaluatedKey"]
        return records

    def discard_upload(self, record: AttachmentRecord) -> bool:
        a = record.attachment
        delete = {
            "Delete": {
                "TableName": self._table.name,
                "Key": attachment_key(record.project_id, record.task_ulid, a.id),
                "ConditionExpression": "#status = :pending",
                "ExpressionAttributeNames": {"#status": "status"},
                "ExpressionAttributeValues": {":pending": {"S": AttachmentStatus.pending.value}},
            }
        }
        count = self._task_update(
            a.task_id,
            a.id,
            "SET #count = #count - :one REMOVE #att",
            "#count > :zero",
            {":zero": {"N": "0"}, ":one": {"N": "1"}},
        )
        try:
            self._table.transact([delete, count])
            return True
        except TransactionCancelled as exc:
            if exc.failed(0):
                return False  # completed (or gone) meanwhile
        # The task is gone: no count to keep, only the record.
        try:
            self._table.client.delete_item(
                TableName=self._table.name,
                Key=attachment_key(record.project_id, record.task_ulid, a.id),
                ConditionExpression="#status = :pending",
                ExpressionAttributeNames={"#status": "status"},
                ExpressionAttributeValues={":pending": {"S": AttachmentStatus.pending.value}},
            )
        except self._table.client.exceptions.ConditionalCheckFailedException:
            return False
        return True

    def task_attachment_keys(self, project_id: str, task_ulid: str) -> Sequence[str]:
        query: dict[str, Any] = {
            "TableName": self._table.name,
            "KeyConditionExpression": "pk = :pk AND begins_with(sk, :prefix)",
            "ExpressionAttributeValues": {
                ":pk": {"S": it.project_pk(project_id)},
                ":prefix": {"S": f"{_PREFIX}{task_ulid}#"},
            },
            "ProjectionExpression": "sk",
            "ConsistentRead": True,
        }
        keys: list[str] = []
        while True:
            response = self._table.client.query(**query)
            keys += [item["sk"]["S"] for item in response.get("Items", [])]
            if "LastEvaluatedKey" not in response:
                return keys
            query["ExclusiveStartKey"] = response["LastEvaluatedKey"]

    def delete_items(self, project_id: str, sort_keys: Sequence[str]) -> None:
        pk = {"S": it.project_pk(project_id)}
        for start in range(0, len(sort_keys), 25):
            batch = sort_keys[start : start + 25]
            self._table.delete_keys([{"pk": pk, "sk": {"S": sk}} for sk in batch])
