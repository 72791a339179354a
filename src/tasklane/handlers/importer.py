"""The importer function: import jobs from their queue (one per message), each reading one
uploaded file and writing what it holds (:mod:`tasklane.logic.exchange.import_run`).

A redelivered job creates nothing twice: the run claims every project and task it writes.
Retries and the last receive: :mod:`tasklane.handlers.job_runs`.
"""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.batch import (
    BatchProcessor,
    EventType,
    process_partial_response,
)
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord
from aws_lambda_powertools.utilities.typing import LambdaContext

from tasklane.handlers.job_runs import run_job
from tasklane.observability import logger, metrics, tracer
from tasklane.resources import IMPORTS_QUEUE
from tasklane.wiring.importer import root

processor = BatchProcessor(event_type=EventType.SQS)


def record_handler(record: SQSRecord) -> None:
    from tasklane.domain.exchange.jobs import ImportJob

    report = run_job(
        record,
        ImportJob.model_validate_json,
        lambda job, last: root.get().runner.run(job, last_attempt=last),
        IMPORTS_QUEUE,
        "Imports",
    )
    if report is not None:
        metrics.add_metric(name="ImportsDone", unit=MetricUnit.Count, value=1)
        metrics.add_metric(name="ImportedTasks", unit=MetricUnit.Count, value=report.tasks)


@logger.inject_lambda_context
@tracer.capture_lambda_handler
@metrics.log_metrics
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return dict(
        process_partial_response(
            event=event, record_handler=record_handler, processor=processor, context=context
        )
    )
