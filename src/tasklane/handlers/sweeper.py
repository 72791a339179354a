"""The stale-upload sweeper: an EventBridge schedule invokes it (see infra/functions.py).

It removes pending attachments whose upload form expired more than the grace period ago
(:func:`tasklane.logic.attachments.sweep_stale_uploads`), as the local runtime's timer does
(``tasklane.local.attachment_sweeper``). It needs the table and the bucket only: it reads
the attachment settings, not :func:`tasklane.settings.get_settings` (which also loads the
api's cursor secret, which this function has no access to).
"""

from __future__ import annotations

import os
from typing import Any

from tasklane.domain.models import utc_now
from tasklane.logic.attachments import sweep_stale_uploads
from tasklane.observability import logger
from tasklane.settings import attachments_from_environment


def sweep_once() -> int:
    from tasklane.dal.dynamodb.attachments import DynamoAttachments
    from tasklane.dal.storage import S3Storage

    settings = attachments_from_environment()
    table = os.environ.get("TASKLANE_TABLE_NAME", "tasklane")
    return sweep_stale_uploads(
        DynamoAttachments(table), S3Storage(settings.bucket), settings, utc_now()
    )


@logger.inject_lambda_context
def lambda_handler(event: dict[str, Any], context: Any) -> dict[str, int]:
    swept = sweep_once()
    logger.info("swept abandoned uploads", extra={"swept": swept})
    return {"swept": swept}
