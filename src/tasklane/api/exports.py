"""/exports: start an export of your data, follow it, download its ZIP."""

from __future__ import annotations

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.api_gateway import Router
from aws_lambda_powertools.metrics import MetricUnit

from tasklane.api.http import caller_id, container, json_response, reads_headers
from tasklane.api.idempotency import IDEMPOTENCY_KEY, StoredResponse, idempotent
from tasklane.domain.errors import ValidationFailed
from tasklane.domain.exchange.jobs import Export, ExportCreate, ExportList
from tasklane.observability import metrics

router = Router()
TAGS = ["Export and import"]


@router.post(
    "/exports",
    tags=TAGS,
    summary="Start an export",
    description="Queues an export of one project (`project_id`) or of every project you can "
    "read (no body, or `project_id` omitted). Poll `GET /exports/{id}`: once `ready`, "
    "`download.url` fetches a ZIP with `tasks.json` (every field, comments, attachments' "
    "metadata), `tasks.csv` (spreadsheet-safe) and the attachments' files. The ZIP is "
    "deleted after 7 days. At most 3 exports queued or running at once (429).",
    status_code=201,
    openapi_extensions=reads_headers(IDEMPOTENCY_KEY),
)
def create_export(body: ExportCreate | None = None) -> Response[Export]:
    user = caller_id(router)
    # Powertools lets any non-object JSON through an optional body as "no body" (found by
    # the contract fuzz test with `[null, null]`): only an object or nothing is an export.
    raw = (router.current_event.body or "").strip()
    if raw and not raw.startswith("{"):
        raise ValidationFailed("the body must be a JSON object, or empty")

    def work() -> StoredResponse:
        export = container(router).exports.start(user, body or ExportCreate())
        metrics.add_metric(name="ExportsStarted", unit=MetricUnit.Count, value=1)
        return {
            "status": 201,
            "body": export.model_dump(mode="json"),
            "headers": {"Location": f"/exports/{export.id}"},
        }

    return idempotent(router, work)


@router.get("/exports", tags=TAGS, summary="List your latest exports (newest first)")
def list_exports() -> ExportList:
    return ExportList(items=list(container(router).exports.list(caller_id(router))))


@router.get(
    "/exports/<export_id>",
    tags=TAGS,
    summary="Read an export: its progress, and a short-lived download link once ready",
    description="`download.url` is a presigned S3 GET valid for a few minutes: ask again "
    "for a new one. Someone else's export answers 404.",
)
def get_export(export_id: str) -> Response[Export]:
    export = container(router).exports.get(caller_id(router), export_id)
    # The link is a bearer credential for minutes: no cache may keep it.
    return json_response(200, export, {"Cache-Control": "no-store"})
