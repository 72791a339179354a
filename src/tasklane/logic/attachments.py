"""Attachments: hand out upload forms, check uploads, hand out download links.

Files never pass through the API (docs/architecture.md): the browser POSTs them to S3 with a
form we sign, then asks us to ``complete``. S3 enforces the form's size, type and key in AWS; moto
enforces nothing, and an upload form can be used again until it expires, so ``complete``
checks the object itself before it counts: present, the declared size, within the limit, the
declared type, and first bytes that look like that type.

AWS requests per use case: create 1 (the transaction; signing the form is local), complete
3 (read record and access, ranged GET, transaction — or delete the rejected object), get 1,
list 1 (the task item carries a summary of each attachment), delete 1. Removing objects
after a delete follows from the table's stream (:mod:`tasklane.logic.attachment_cleanup`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from typing import Literal

from tasklane.domain.attachments import (
    CONTENT_TYPES,
    SNIFF_BYTES,
    Attachment,
    AttachmentCreate,
    AttachmentDetail,
    AttachmentRecord,
    AttachmentStatus,
    AttachmentUpload,
    CompleteOutcome,
    Download,
    ObjectHead,
    UploadForm,
    UploadRejected,
    allowed_types,
    content_disposition,
    content_matches,
    is_attachment_id,
    normalise_content_type,
    sanitise_file_name,
)
from tasklane.domain.errors import Forbidden, NotFound, PayloadTooLarge, ValidationFailed
from tasklane.domain.ids import new_ulid, split_task_id
from tasklane.domain.models import Role, format_time, utc_now
from tasklane.domain.ports.attachments import AttachmentStore
from tasklane.domain.ports.limits import daily_quota
from tasklane.domain.ports.storage import ObjectStorage
from tasklane.logic.access import TASK_WRITERS
from tasklane.settings import AttachmentSettings, LimitSettings

Disposition = Literal["attachment", "inline"]


class AttachmentService:
    def __init__(
        self,
        store: AttachmentStore,
        storage: ObjectStorage,
        settings: AttachmentSettings,
        clock: Callable[[], datetime] = utc_now,
        limits: LimitSettings | None = None,
    ) -> None:
        self._per_day = (limits or LimitSettings()).attachments_per_day
        self._store = store
        self._storage = storage
        self._settings = settings
        self._allowed = allowed_types(settings.allowed_types)
        self._clock = clock

    # Use cases --------------------------------------------------------------------------
    def create(self, user_id: str, task_id: str, data: AttachmentCreate) -> AttachmentUpload:
        parts = split_task_id(task_id)
        if parts is None:
            raise NotFound("task not found")
        project_id, task_ulid = parts
        media_type = normalise_content_type(data.content_type)
        if media_type not in self._allowed:
            raise ValidationFailed(
                f"files of type {media_type!r} cannot be attached",
                [
                    {
                        "loc": ["body", "content_type"],
                        "message": "not an accepted type",
                        "allowed": sorted(self._allowed),
                    }
                ],
            )
        if data.size > self._settings.max_bytes:
            raise PayloadTooLarge(
                f"the file is larger than the limit of {self._settings.max_bytes} bytes",
                {"limit_bytes": self._settings.max_bytes},
            )
        now = self._clock()
        expires = now + timedelta(seconds=self._settings.upload_expiry_seconds)
        record = AttachmentRecord(
            attachment=Attachment(
                id=new_ulid(),
                task_id=task_id,
                file_name=sanitise_file_name(data.file_name, media_type),
                size=data.size,
                content_type=media_type,
                status=AttachmentStatus.pending,
                created_at=format_time(now),
                created_by=user_id,
            ),
            project_id=project_id,
            task_ulid=task_ulid,
            upload_expires_at=format_time(expires),
        )
        self._store.create_attachment(
            record,
            user_id,
            TASK_WRITERS,
            self._settings.max_per_task,
            daily_quota("attachments_per_day", self._per_day, now),
        )
        url, fields = self._storage.upload_form(
            record.key, media_type, data.size, self._settings.upload_expiry_seconds
        )
        form = UploadForm(url=url, fields=fields, expires_at=record.upload_expires_at)
        return AttachmentUpload(attachment=record.attachment, upload=form)

    def complete(self, user_id: str, task_id: str, attachment_id: str) -> Attachment:
        record, role = self._find(user_id, task_id, attachment_id)
        if record.attachment.status is AttachmentStatus.ready:
            return record.attachment  # completing twice is harmless
        if role not in TASK_WRITERS:
            raise Forbidden("your role in this project does not allow adding attachments")
        found = self._storage.read_head(record.key, SNIFF_BYTES)
        if found is None:
            raise UploadRejected(
                "not_uploaded",
                "no file has been uploaded for this attachment yet: send it with the upload "
                "form first, then complete",
            )
        problem = self._check(record, found)
        if problem is not None:
            # The record stays pending: the form may be used again until it expires.
            self._storage.delete_object(record.key, found.version_id)
            raise UploadRejected(*problem)
        now = format_time(self._clock())
        outcome = self._store.complete_attachment(record, user_id, TASK_WRITERS, found, now)
        if outcome is CompleteOutcome.mismatch:  # changed since we read it: start again
            self._storage.delete_object(record.key, found.version_id)
            raise UploadRejected("changed", "the attachment changed while it was checked; retry")
        return record.attachment.model_copy(
            update={"status": AttachmentStatus.ready, "completed_at": now}
        )

    def get(
        self, user_id: str, task_id: str, attachment_id: str, disposition: Disposition
    ) -> AttachmentDetail:
        record, _role = self._find(user_id, task_id, attachment_id)
        attachment = record.attachment
        download = None
        if attachment.status is AttachmentStatus.ready:
            kind = CONTENT_TYPES.get(attachment.content_type)
            # Only raster images are safe to show in the browser; the rest is saved.
            inline = disposition == "inline" and kind is not None and kind.inline
            expires_in = self._settings.download_expiry_seconds
            content_type = attachment.content_type
            if kind is not None and kind.family == "text":
                content_type += "; charset=utf-8"  # complete checked it is UTF-8
            url = self._storage.download_url(
                record.key,
                record.version_id,
                content_type,
                content_disposition(attachment.file_name, inline=inline),
                expires_in,
            )
            download = Download(
                url=url,
                expires_at=format_time(self._clock() + timedelta(seconds=expires_in)),
                disposition="inline" if inline else "attachment",
            )
        return AttachmentDetail(**attachment.model_dump(), download=download)

    def list(self, user_id: str, task_id: str) -> Sequence[Attachment]:
        if split_task_id(task_id) is None:
            raise NotFound("task not found")
        return self._store.list_attachments(task_id, user_id)

    def delete(self, user_id: str, task_id: str, attachment_id: str) -> None:
        """The record goes now; its object follows from the table's stream."""
        if split_task_id(task_id) is None or not is_attachment_id(attachment_id):
            raise NotFound("attachment not found")
        self._store.delete_attachment(task_id, attachment_id, user_id, TASK_WRITERS)

    # Helpers ----------------------------------------------------------------------------
    def _find(
        self, user_id: str, task_id: str, attachment_id: str
    ) -> tuple[AttachmentRecord, Role]:
        if split_task_id(task_id) is None or not is_attachment_id(attachment_id):
            raise NotFound("attachment not found")
        found = self._store.get_attachment(task_id, attachment_id, user_id)
        if found is None:
            raise NotFound("attachment not found")
        return found

    def _check(self, record: AttachmentRecord, found: ObjectHead) -> tuple[str, str] | None:
        """Why the object cannot be attached, as (reason, message); None if it can."""
        declared = record.attachment
        limit = self._settings.max_bytes
        if found.size > limit:
            return "too_large", f"the file is {found.size} bytes; the limit is {limit}"
        if found.size != declared.size:
            return (
                "size_mismatch",
                f"the file is {found.size} bytes but {declared.size} were declared",
            )
        actual_type = normalise_content_type(found.content_type)
        if actual_type != declared.content_type:
            return (
                "type_mismatch",
                f"the file was uploaded as {actual_type or 'no type'} but declared as "
                f"{declared.content_type}",
            )
        if actual_type not in self._allowed:
            return "type_not_allowed", f"files of type {actual_type} cannot be attached"
        if not content_matches(declared.content_type, found.head, found.size):
            return (
                "content_mismatch",
                f"the file's content does not look like {declared.content_type}",
            )
        return None


def sweep_stale_uploads(
    store: AttachmentStore,
    storage: ObjectStorage,
    settings: AttachmentSettings,
    now: datetime,
    lookback_days: int = 7,
) -> int:
    """Removes pending uploads whose form expired more than the grace period ago: the
    record (freeing the task's slot) and any object. Returns how many.

    Run on a timer (the local runtime; a schedule in AWS). The bucket's lifecycle rule
    expires tagged pending objects too, which covers uploads finished after the sweep.
    """
    cutoff = now - timedelta(seconds=settings.pending_grace_seconds)
    days = [(cutoff - timedelta(days=n)).strftime("%Y-%m-%d") for n in range(lookback_days + 1)]
    swept = 0
    for record in store.stale_uploads(format_time(cutoff), days):
        if store.discard_upload(record):
            storage.delete_prefix(record.key)
            swept += 1
    return swept
