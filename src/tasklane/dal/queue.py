"""A jobs queue on SQS: ``SendMessageBatch``, ten jobs per call (notification, export, import
and webhook jobs alike)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from tasklane.domain.ports.queue import QueueMessage

#: SQS's limit on entries per SendMessageBatch.
BATCH_SIZE = 10
#: Entries SQS failed for a server-side reason are sent again this many times.
RETRIES = 2


class QueueError(RuntimeError):
    """Some jobs could not be enqueued; the caller fails (and is retried) as a whole."""


def message_entry(index: int, job: QueueMessage) -> dict[str, Any]:
    return {
        # Only unique within the call; the job's own id (with ':') is not a valid entry id.
        "Id": str(index),
        "MessageBody": job.model_dump_json(),
        "MessageAttributes": {
            "kind": {"DataType": "String", "StringValue": str(job.kind)},
            "job_id": {"DataType": "String", "StringValue": job.id},
        },
    }


class SqsJobQueue:
    """``JobQueue`` (tasklane.domain.ports.queue) on SQS."""

    def __init__(self, queue_url: str, client: Callable[[], Any]) -> None:
        self._url = queue_url
        self._client = client

    @property
    def _sqs(self) -> Any:
        # The container's client, created on the first send.
        return self._client()

    def send(self, jobs: Sequence[QueueMessage]) -> None:
        if jobs and not self._url:
            raise QueueError(f"no queue URL for {jobs[0].kind} jobs")
        for start in range(0, len(jobs), BATCH_SIZE):
            self._send_batch(
                [message_entry(i, job) for i, job in enumerate(jobs[start : start + BATCH_SIZE])]
            )

    def _send_batch(self, entries: list[dict[str, Any]]) -> None:
        pending = entries
        for _ in range(RETRIES + 1):
            response = self._sqs.send_message_batch(QueueUrl=self._url, Entries=pending)
            failed = response.get("Failed") or []
            if not failed:
                return
            if any(f.get("SenderFault") for f in failed):
                break  # our request is wrong: sending it again cannot help
            again = {f["Id"] for f in failed}
            pending = [entry for entry in pending if entry["Id"] in again]
        raise QueueError(f"SQS refused {len(failed)} of {len(entries)} jobs: {failed[:3]}")
