"""The stale-upload sweeper: an EventBridge schedule invokes it (see infra/functions.py), and
locally the runtime's scheduler does.

It removes pending attachments whose upload form expired more than the grace period ago
(:func:`tasklane.logic.attachments.sweep_stale_uploads`), and resumes the purge of deleted
projects whose last pass stalled (:func:`tasklane.logic.project_purge.resume_stalled`: one
touch each; the events function does the work). It needs the table and the bucket
only (:mod:`tasklane.wiring.sweeper`): no cursor secret, no PostgreSQL.
"""

from __future__ import annotations

from typing import Any

from tasklane.domain.models import utc_now
from tasklane.logic.attachments import sweep_stale_uploads
from tasklane.logic.project_purge import resume_stalled
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


def resume_purges() -> int:
    return resume_stalled(root.get().purge_store, utc_now())


@logger.inject_lambda_context
def lambda_handler(event: dict[str, Any], context: Any) -> dict[str, int]:
    swept = sweep_once()
    resumed = resume_purges()
    logger.info("swept abandoned uploads", extra={"swept": swept, "purges_resumed": resumed})
    return {"swept": swept, "purges_resumed": resumed}
