"""The live function: DynamoDB Stream batches in, posts to WebSocket connections out
(:func:`tasklane.logic.live_fanout.fan_out`).

Its own consumer of the stream, beside the events function: it needs no PostgreSQL, so it
runs outside the VPC and reaches the Management API's public endpoint, and a stalled
projection never delays a live update (nor the reverse). A failure fails the whole batch:
Lambda (or the local stream poller) delivers it again; clients ignore what is not newer
than what they hold.
"""

from __future__ import annotations

from typing import Any

from tasklane.domain.models import utc_now
from tasklane.logic.live_fanout import fan_out
from tasklane.logic.stream import seen_change
from tasklane.observability import logger
from tasklane.wiring.live import root


@logger.inject_lambda_context
def lambda_handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    container = root.get()
    seen = (seen_change(record) for record in event.get("Records", []))
    changes = [change for change in seen if change is not None]
    result = fan_out(
        changes, container.connections, container.poster, utc_now(), container.high_water
    )
    if result.messages:
        logger.debug(
            "fanned out",
            extra={
                "messages": result.messages,
                "posts": result.posts,
                "gone": result.gone,
                "expired": result.expired,
            },
        )
    return {"batchItemFailures": []}
