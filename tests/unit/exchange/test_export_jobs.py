"""The stream consumer that sends a new export's job (no dual write in ``POST /exports``)."""

from __future__ import annotations

from typing import Any

from tasklane.domain.exchange.jobs import ExportJob
from tasklane.logic.exchange.export_jobs import ExportJobs
from tasklane.logic.stream import StreamChange
from tests.fakes.queue import InMemoryJobQueue

KEYS = {"pk": "EXCHANGE#ada", "sk": "EXPORT#01jexport00000000000000000"}


def _export(status: str, kind: str = "export") -> dict[str, Any]:
    return {"type": kind, "id": "01jexport00000000000000000", "user_id": "ada", "status": status}


def test_a_new_export_sends_its_job_once_per_record() -> None:
    queue = InMemoryJobQueue()
    consumer = ExportJobs(queue)
    consumer.handle(StreamChange("e-1", "INSERT", "1", KEYS, None, _export("queued")))
    assert queue.jobs == [ExportJob(id="01jexport00000000000000000", user_id="ada")]
    # Its progress, its end, and other items send nothing.
    consumer.handle(StreamChange("e-2", "MODIFY", "2", KEYS, _export("queued"), _export("ready")))
    consumer.handle(StreamChange("e-3", "INSERT", "3", KEYS, None, _export("queued", "import")))
    assert len(queue.jobs) == 1


def test_no_queue_no_job() -> None:
    queue = InMemoryJobQueue()
    ExportJobs(None).handle(StreamChange("e", "INSERT", "1", KEYS, None, _export("queued")))
    assert queue.jobs == []
