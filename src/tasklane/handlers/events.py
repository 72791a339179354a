"""The events function: DynamoDB Stream batches in, partial batch failures out.

A thin dispatcher: every record becomes a :class:`tasklane.logic.stream.StreamChange` and goes
to each consumer of the function's container (:mod:`tasklane.wiring.events`). A record that
any consumer fails is reported in ``batchItemFailures`` (the function's event source mapping
sets ``ReportBatchItemFailures``), so Lambda — or the local stream poller — delivers it again
from that record on.
"""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.utilities.batch import (
    BatchProcessor,
    EventType,
    process_partial_response,
)
from aws_lambda_powertools.utilities.data_classes.dynamo_db_stream_event import DynamoDBRecord
from aws_lambda_powertools.utilities.typing import LambdaContext

from tasklane.logic.stream import dispatch, seen_change
from tasklane.observability import logger, metrics, tracer
from tasklane.wiring.events import root

processor = BatchProcessor(event_type=EventType.DynamoDBStreams)


def record_handler(record: DynamoDBRecord) -> None:
    change = seen_change(record.raw_event)
    if change is None:
        return
    try:
        dispatch(change, root.get().consumers)
    except Exception:
        logger.exception(
            "stream record failed",
            extra={"event_id": change.event_id, "sequence_number": change.sequence_number},
        )
        raise


@logger.inject_lambda_context
@tracer.capture_lambda_handler
@metrics.log_metrics
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    response = process_partial_response(
        event=event, record_handler=record_handler, processor=processor, context=context
    )
    return dict(response)
