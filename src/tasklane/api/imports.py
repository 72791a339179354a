"""/imports: upload a file (Tasklane export, Trello, Todoist, CSV), check it, import it."""

from __future__ import annotations

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.api_gateway import Router
from aws_lambda_powertools.metrics import MetricUnit

from tasklane.api.http import caller_id, container, identity, json_response, reads_headers
from tasklane.api.idempotency import IDEMPOTENCY_KEY, StoredResponse, idempotent
from tasklane.domain.exchange.jobs import Import, ImportCreate, ImportList, ImportUpload
from tasklane.domain.exchange.report import ImportReport
from tasklane.observability import metrics

router = Router()
TAGS = ["Export and import"]


@router.post(
    "/imports",
    tags=TAGS,
    summary="Start an import: get an upload form for its file",
    description="Answers a presigned S3 POST (as attachments do): send its `fields`, then "
    "the file (last, field `file`), to `upload.url` before `upload.expires_at`. Then "
    "`POST /imports/{id}/dry-run` (as often as you like) and `POST /imports/{id}/start`. "
    "`format`: `tasklane` (our export's `tasks.json` or the whole ZIP), `trello` (board "
    "JSON), `todoist` (CSV), `csv` (with `mapping`: our field → your column). A file larger "
    "than the limit is 413.",
    status_code=201,
    openapi_extensions=reads_headers(IDEMPOTENCY_KEY),
)
def create_import(body: ImportCreate) -> Response[ImportUpload]:
    who = identity(router)

    def work() -> StoredResponse:
        created = container(router).imports.create(who.person(), body)
        metrics.add_metric(name="ImportsCreated", unit=MetricUnit.Count, value=1)
        return {
            "status": 201,
            "body": created.model_dump(mode="json", by_alias=True),
            "headers": {"Location": f"/imports/{created.import_.id}", "Cache-Control": "no-store"},
        }

    return idempotent(router, work)


@router.get("/imports", tags=TAGS, summary="List your latest imports (newest first)")
def list_imports() -> ImportList:
    return ImportList(items=list(container(router).imports.list(caller_id(router))))


@router.get(
    "/imports/<import_id>",
    tags=TAGS,
    summary="Read an import: its state, progress and, once done, its report",
)
def get_import(import_id: str) -> Import:
    return container(router).imports.get(caller_id(router), import_id)


@router.post(
    "/imports/<import_id>/dry-run",
    tags=TAGS,
    summary="Check the uploaded file: what the import would create, and every row's problem",
    description="Writes nothing. A file that cannot be read on is refused as the import "
    "would refuse it: 413 (`details.reason`: `file_too_large`, `row_too_large`, ...) or 422 "
    "(`details.reason` and `row` or `offset`). 409 `upload_rejected` until the file is "
    "uploaded with the declared size.",
)
def dry_run_import(import_id: str) -> ImportReport:
    return container(router).imports.dry_run(caller_id(router), import_id)


@router.post(
    "/imports/<import_id>/start",
    tags=TAGS,
    summary="Run the import",
    description="Queues the real run (once: 409 afterwards). Poll `GET /imports/{id}`: the "
    "report counts what was created, what an earlier run had created already (`skipped`) "
    "and every row's problem; a row that fails does not stop the others.",
    status_code=202,
)
def start_import(import_id: str) -> Response[Import]:
    started = container(router).imports.start(caller_id(router), import_id)
    metrics.add_metric(name="ImportsStarted", unit=MetricUnit.Count, value=1)
    return json_response(202, started)
