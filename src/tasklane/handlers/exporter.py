"""The exporter function: export jobs from their queue (one per message), each writing one
ZIP to the exchange bucket (:mod:`tasklane.logic.exchange.export_run`).

A redelivered job does nothing twice: the run tells a finished export from an interrupted
one. Retries and the last receive: :mod:`tasklane.handlers.job_runs`.
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
from tasklane.resources import EXPORTS_QUEUE
from tasklane.wiring.exporter import root

processor = BatchProcessor(event_type=EventType.SQS)


def record_handler(record: SQSRecord) -> None:
    from tasklane.domain.exchange.jobs import ExportJob

    summary = run_job(
        record,
        ExportJob.model_validate_json,
        lambda job, last: root.get().runner.run(job, last_attempt=last),
        EXPORTS_QUEUE,
        "Exports",
    )
    if summary is not None:
        metrics.add_metric(name="ExportsReady", unit=MetricUnit.Count, value=1)
        metrics.add_metric(name="ExportedTasks", unit=MetricUnit.Count, value=summary.tasks)


@logger.inject_lambda_context
@tracer.capture_lambda_handler
@metrics.log_metrics
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return dict(
        process_partial_response(
            event=event, record_handler=record_handler, processor=processor, context=context
        )
    )
