"""The stream consumer that sends a new export's job to the export queue.

No dual write: ``POST /exports`` writes the export item (``queued``) and nothing else; its
INSERT record on the stream sends the job here. A crash between the two can lose nothing
(the stream retries the record), and a replayed record sends the job again, which the
exporter takes for what it is (:mod:`tasklane.logic.exchange.export_run`: a finished export
is not run twice).
"""

from __future__ import annotations

from tasklane.domain.exchange.jobs import ExportJob, ExportStatus
from tasklane.domain.ports.queue import JobQueue
from tasklane.logic.stream import StreamChange
from tasklane.observability import logger


class ExportJobs:
    """A :class:`tasklane.logic.stream.StreamConsumer`."""

    name = "exports"

    def __init__(self, queue: JobQueue | None) -> None:
        #: None: no export queue configured (a stack without exports).
        self._queue = queue

    def handle(self, change: StreamChange) -> None:
        new = change.new
        if change.item_type != "export" or change.event_name != "INSERT" or new is None:
            return
        if new.get("status") != ExportStatus.queued.value or self._queue is None:
            return
        job = ExportJob(id=str(new["id"]), user_id=str(new["user_id"]))
        self._queue.send([job])
        logger.info("export job enqueued", extra={"export_id": job.id})
