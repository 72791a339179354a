"""What the exporter and the importer do alike with each SQS record: read the job, run it
with its correlation id, and tell the run whether this is the queue's last receive.

On the last receive a run marks its job ``failed`` instead of raising, so the user sees it
fail rather than a job that never ends (the message is then deleted, not sent to the DLQ).
Before that, a run that raises is reported in ``batchItemFailures`` and received again.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord

from tasklane.observability import logger, metrics
from tasklane.resources import QueueShape

J = TypeVar("J")
R = TypeVar("R")


def run_job(
    record: SQSRecord,
    parse: Callable[[str], J],
    run: Callable[[J, bool], R],
    queue: QueueShape,
    kind: str,
) -> R:
    """``run(job, last_attempt)``; ``kind`` names the metric of failures (``<kind>Failed``)."""
    job = parse(record.body)
    logger.set_correlation_id(getattr(job, "id", None))
    try:
        last = int(record.attributes.approximate_receive_count) >= queue.max_receive_count
        return run(job, last)
    except Exception:
        metrics.add_metric(name=f"{kind}Failed", unit=MetricUnit.Count, value=1)
        logger.exception("job failed; it will be received again", extra={"kind": kind})
        raise
    finally:
        logger.set_correlation_id(None)
