"""The reminders function: an EventBridge schedule (every REMINDER_INTERVAL_MINUTES) runs it.

It claims the reminders due now in PostgreSQL and enqueues their jobs on the notifications
queue (:mod:`tasklane.logic.notifications.reminders`: once per task and due date, also when
runs overlap). The local runtime's scheduler invokes :func:`lambda_handler` the same way.
"""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.typing import LambdaContext

from tasklane.observability import logger, metrics, tracer
from tasklane.wiring.reminders import root


@tracer.capture_method
def run_once() -> int:
    jobs = root.get().reminders.run_once()
    if jobs:
        metrics.add_metric(name="RemindersEnqueued", unit=MetricUnit.Count, value=len(jobs))
    logger.info("reminders enqueued", extra={"enqueued": len(jobs)})
    return len(jobs)


@logger.inject_lambda_context
@tracer.capture_lambda_handler
@metrics.log_metrics
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, int]:
    return {"enqueued": run_once()}
