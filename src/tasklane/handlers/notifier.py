"""The notifier function: SQS batches of notification jobs in, partial batch failures out.

Each record is one job (:class:`tasklane.domain.notifications.NotificationJob`). A record
that fails — a body that is no job, SES or DynamoDB refusing — is reported in
``batchItemFailures``: SQS delivers it again after the visibility timeout, and after the
third receive moves it to the dead-letter queue. The rest of the batch is done and deleted.

Idempotent per job id (Powertools idempotency, records in the app table): a job delivered
again after it succeeded — SQS's at-least-once, a replayed stream record, a reminder enqueued
twice — returns the stored result and sends nothing. Needs the table and SES only, no
PostgreSQL: the job carries the recipient's snapshot. The notifier and its idempotency layer
come from the function's container (:mod:`tasklane.wiring.notifier`).
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

from tasklane.observability import logger, metrics, tracer
from tasklane.wiring.notifier import root

processor = BatchProcessor(event_type=EventType.SQS)


def record_handler(record: SQSRecord) -> dict[str, Any]:
    from tasklane.domain.notifications import NotificationJob

    try:
        job = NotificationJob.model_validate_json(record.body)
    except ValueError:
        metrics.add_metric(name="JobsFailed", unit=MetricUnit.Count, value=1)
        logger.exception("not a notification job", extra={"message_id": record.message_id})
        raise
    logger.set_correlation_id(job.id)
    try:
        result = root.get().deliver(job=job.model_dump(mode="json"))
    except Exception:
        metrics.add_metric(name="JobsFailed", unit=MetricUnit.Count, value=1)
        logger.exception("notification job failed", extra={"kind": job.kind.value})
        raise
    finally:
        logger.set_correlation_id(None)
    if result.get("replayed"):
        logger.info("notification job already delivered", extra={"job_id": job.id})
    elif result.get("message_id"):
        metrics.add_metric(name="NotificationsSent", unit=MetricUnit.Count, value=1)
    else:
        metrics.add_metric(name="NotificationsSkipped", unit=MetricUnit.Count, value=1)
        logger.info(
            "no e-mail for this job",
            extra={"job_id": job.id, "kind": job.kind.value, "reason": result.get("skipped")},
        )
    return result


@logger.inject_lambda_context
@tracer.capture_lambda_handler
@metrics.log_metrics
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    root.get().idempotency_config.register_lambda_context(context)
    response = process_partial_response(
        event=event, record_handler=record_handler, processor=processor, context=context
    )
    return dict(response)
