"""A timer that sweeps abandoned uploads: what a schedule does in AWS.

Every ``interval`` seconds it removes pending attachments whose upload form expired more
than the grace period ago (:func:`tasklane.logic.attachments.sweep_stale_uploads`). moto runs
no bucket lifecycle rules, so locally this timer is the only thing that removes them.
"""

from __future__ import annotations

import logging
import threading

from tasklane.domain.models import utc_now

log = logging.getLogger(__name__)


class AttachmentSweeper:
    def __init__(self, interval: float = 60.0) -> None:
        self._interval = interval
        self._stop = threading.Event()
        self._thread = threading.Thread(
            target=self._run, name="tasklane-attachment-sweeper", daemon=True
        )

    def start(self) -> AttachmentSweeper:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout=10)

    def sweep_once(self) -> int:
        from tasklane.dal.dynamodb.attachments import DynamoAttachments
        from tasklane.dal.storage import S3Storage
        from tasklane.logic.attachments import sweep_stale_uploads
        from tasklane.settings import get_settings

        settings = get_settings()
        return sweep_stale_uploads(
            DynamoAttachments(settings.table_name),
            S3Storage(settings.attachments.bucket),
            settings.attachments,
            utc_now(),
        )

    def _run(self) -> None:
        while not self._stop.wait(self._interval):
            try:
                swept = self.sweep_once()
            except Exception:
                # A failed sweep is retried at the next tick; the stack keeps running.
                log.exception("sweeping abandoned uploads failed")
                continue
            if swept:
                log.info("swept %d abandoned uploads", swept)
