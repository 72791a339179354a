"""The stale-upload sweeper: an EventBridge schedule invokes it (see infra/functions.py), and
locally the runtime's scheduler does.

It removes pending attachments whose upload form expired more than the grace period ago
(:func:`tasklane.logic.attachments.sweep_stale_uploads`). It needs the table and the bucket
only (:mod:`tasklane.wiring.sweeper`): no cursor secret, no PostgreSQL.
"""

from __future__ import annotations

from typing import Any

from tasklane.domain.models import utc_now
from tasklane.logic.attachments import sweep_stale_uploads
from tasklane.observability import logger
from tasklane.wiring.sweeper import root


def sweep_once() -> int:
    container = root.get()
    return sweep_stale_uploads(
        container.attachment_store,
        container.storage,
        container.settings.attachments,
        utc_now(),
    )


@logger.inject_lambda_context
def lambda_handler(event: dict[str, Any], context: Any) -> dict[str, int]:
    swept = sweep_once()
    logger.info("swept abandoned uploads", extra={"swept": swept})
    return {"swept": swept}
