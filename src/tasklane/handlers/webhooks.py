"""The webhooks function: delivery jobs from their queue, one attempt per receive.

A delivered (or skipped) job is deleted. A failed attempt sets its message's visibility to
the retry delay and is reported in ``batchItemFailures``, so SQS hands it back then: the
receive count is the attempt number. The last attempt's failure is reported with the
queue's own visibility, and SQS moves the message to the DLQ on its next receive
(``maxReceiveCount``: :data:`tasklane.resources.WEBHOOKS_QUEUE`).
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
from tasklane.wiring.webhooks import root

#: A batch whose attempts all failed is still a run that worked: reporting every message
#: retries them; raising would count a receiver's outage as this function's error (the
#: ``WebhooksErrors`` alarm is for our failures).
processor = BatchProcessor(event_type=EventType.SQS, raise_on_entire_batch_failure=False)
#: Per outcome: the metric it counts (``WebhookDeliveriesFailed`` alarms in the dashboard).
METRICS = {
    "delivered": "WebhookDeliveries",
    "retry": "WebhookAttemptsFailed",
    "gave_up": "WebhookDeliveriesFailed",
    "skipped": "WebhookDeliveriesSkipped",
}


class AttemptFailed(Exception):
    """Reported to the batch processor: the message stays, and comes back later."""


def record_handler(record: SQSRecord) -> str:
    from tasklane.domain.exchange.registrations import DeliveryJob
    from tasklane.logic.exchange.webhook_delivery import Outcome

    job = DeliveryJob.model_validate_json(record.body)
    logger.set_correlation_id(job.id)
    try:
        container = root.get()
        count = int(record.attributes.approximate_receive_count)
        result = container.deliverer.attempt(job, record.message_id, count)
        metrics.add_metric(name=METRICS[result.outcome], unit=MetricUnit.Count, value=1)
        if result.disabled:
            metrics.add_metric(name="WebhooksDisabled", unit=MetricUnit.Count, value=1)
            logger.warning("webhook switched off", extra={"webhook_id": job.webhook_id})
        if result.outcome is Outcome.retry and result.retry_after is not None:
            container.visibility.postpone(record.receipt_handle, result.retry_after)
        if result.outcome in (Outcome.retry, Outcome.gave_up):
            error = result.attempt.error if result.attempt else None
            raise AttemptFailed(f"attempt {count} failed: {error}")
        return result.outcome.value
    finally:
        logger.set_correlation_id(None)


@logger.inject_lambda_context
@tracer.capture_lambda_handler
@metrics.log_metrics
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return dict(
        process_partial_response(
            event=event, record_handler=record_handler, processor=processor, context=context
        )
    )
