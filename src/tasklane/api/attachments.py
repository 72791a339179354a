"""/tasks/{task_id}/attachments: upload forms, completion, download links."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.api_gateway import Router
from aws_lambda_powertools.event_handler.openapi.params import Query
from aws_lambda_powertools.metrics import MetricUnit

from tasklane.api.http import caller_id, container, json_response, reads_headers
from tasklane.api.idempotency import IDEMPOTENCY_KEY, StoredResponse, idempotent
from tasklane.domain.attachments import (
    Attachment,
    AttachmentCreate,
    AttachmentDetail,
    AttachmentList,
    AttachmentUpload,
)
from tasklane.observability import metrics

router = Router()
TAGS = ["Attachments"]


@router.post(
    "/tasks/<task_id>/attachments",
    tags=TAGS,
    summary="Start an attachment: get an upload form",
    description="Answers a presigned S3 POST: send its `fields`, then the file (last, field "
    "`file`), as multipart/form-data to `url` before `expires_at`. The form admits exactly "
    "the declared size and type. Then call `complete`. Until then the attachment is "
    "`pending`; pending uploads never completed are removed.",
    status_code=201,
    openapi_extensions=reads_headers(IDEMPOTENCY_KEY),
)
def create_attachment(task_id: str, body: AttachmentCreate) -> Response[AttachmentUpload]:
    user = caller_id(router)

    def work() -> StoredResponse:
        created = container(router).attachments.create(user, task_id, body)
        metrics.add_metric(name="AttachmentsStarted", unit=MetricUnit.Count, value=1)
        return {
            "status": 201,
            "body": created.model_dump(mode="json"),
            "headers": {
                "Location": f"/tasks/{task_id}/attachments/{created.attachment.id}",
                "Cache-Control": "no-store",
            },
        }

    return idempotent(router, work)


@router.post(
    "/tasks/<task_id>/attachments/<attachment_id>/complete",
    tags=TAGS,
    summary="Check the uploaded file and attach it",
    description="Checks the object: present, the declared size, within the limit, the "
    "declared type, and content that looks like that type. Then the attachment is `ready`. "
    "Otherwise the object is deleted and the answer is 409 `upload_rejected` with "
    "`details.reason` (`not_uploaded`, `too_large`, `size_mismatch`, `type_mismatch`, "
    "`type_not_allowed`, `content_mismatch`); the form may be used again until it expires.",
)
def complete_attachment(task_id: str, attachment_id: str) -> Response[Attachment]:
    attachment = container(router).attachments.complete(caller_id(router), task_id, attachment_id)
    metrics.add_metric(name="AttachmentsCompleted", unit=MetricUnit.Count, value=1)
    return json_response(200, attachment)


@router.get("/tasks/<task_id>/attachments", tags=TAGS, summary="List a task's attachments")
def list_attachments(task_id: str) -> AttachmentList:
    return AttachmentList(
        items=list(container(router).attachments.list(caller_id(router), task_id))
    )


@router.get(
    "/tasks/<task_id>/attachments/<attachment_id>",
    tags=TAGS,
    summary="Read an attachment, with a short-lived download link",
    description="`download.url` is a presigned S3 GET that saves the file under its name "
    "(`Content-Disposition: attachment`, RFC 6266 with a UTF-8 `filename*`). "
    "`disposition=inline` shows PNG, JPEG, GIF and WebP images in the browser instead; "
    "other types are always saved.",
)
def get_attachment(
    task_id: str,
    attachment_id: str,
    disposition: Annotated[Literal["attachment", "inline"], Query()] = "attachment",
) -> Response[AttachmentDetail]:
    detail = container(router).attachments.get(
        caller_id(router), task_id, attachment_id, disposition
    )
    # The link is a bearer credential for a minute: no cache may keep it.
    return json_response(200, detail, {"Cache-Control": "no-store"})


@router.delete(
    "/tasks/<task_id>/attachments/<attachment_id>",
    tags=TAGS,
    summary="Delete an attachment",
    description="Removes the record now; the file is deleted right after (every version).",
    status_code=204,
)
def delete_attachment(task_id: str, attachment_id: str) -> Response[Any]:
    container(router).attachments.delete(caller_id(router), task_id, attachment_id)
    metrics.add_metric(name="AttachmentsDeleted", unit=MetricUnit.Count, value=1)
    return json_response(204, None)
