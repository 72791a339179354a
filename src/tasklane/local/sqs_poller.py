"""The local stand-in for Lambda's SQS event source mapping (the notifier's).

Long-polls the queue and calls the handler with the event Lambda would send:
``{"Records": [...]}`` of up to ``batch_size`` messages, each with ``messageId``,
``receiptHandle``, ``body``, ``attributes`` (``ApproximateReceiveCount``, ``SentTimestamp``,
…), ``messageAttributes`` (Lambda's camel-case shape), ``md5OfBody``, ``eventSource``
(``aws:sqs``), ``eventSourceARN`` and ``awsRegion``.

Failures follow ``ReportBatchItemFailures``: the messages the handler did not report are
deleted; the reported ones (all of them, if the handler raised) are left alone and come back
after the visibility timeout, which the poller sets on receive (``visibility_timeout``,
seconds: short locally so a retry is seen within seconds; the queue's own 180 s fit a Lambda
timeout). After the queue's ``maxReceiveCount`` receives, SQS itself moves a message to the
dead-letter queue, as in AWS.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from tasklane.local.invoke import LOCAL_ACCOUNT_ID
from tasklane.local.lambda_context import new_context

logger = logging.getLogger("tasklane.local.sqs")

Handler = Callable[[dict[str, Any], Any], Any]

#: Lambda's default (and SQS's maximum per receive).
DEFAULT_BATCH_SIZE = 10
DEFAULT_VISIBILITY_TIMEOUT = 2
#: Long polling: a receive returns as soon as a message arrives, or after this many seconds
#: (short, so that stopping the stack does not wait for a long poll to end).
DEFAULT_WAIT_SECONDS = 1


@dataclass
class SqsPollerStats:
    batches: int = 0
    messages: int = 0
    failed: int = 0
    deleted: int = 0
    errors: list[str] = field(default_factory=list)


def _message_attributes(raw: dict[str, Any]) -> dict[str, Any]:
    """boto3's ``MessageAttributes`` in the shape Lambda's SQS event uses."""
    return {
        name: {
            "stringValue": value.get("StringValue"),
            "binaryValue": value.get("BinaryValue"),
            "stringListValues": value.get("StringListValues", []),
            "binaryListValues": value.get("BinaryListValues", []),
            "dataType": value.get("DataType", "String"),
        }
        for name, value in raw.items()
    }


def to_lambda_record(message: dict[str, Any], queue_arn: str, region: str) -> dict[str, Any]:
    return {
        "messageId": message["MessageId"],
        "receiptHandle": message["ReceiptHandle"],
        "body": message["Body"],
        "attributes": dict(message.get("Attributes", {})),
        "messageAttributes": _message_attributes(message.get("MessageAttributes", {})),
        "md5OfBody": message.get("MD5OfBody", ""),
        "eventSource": "aws:sqs",
        "eventSourceARN": queue_arn,
        "awsRegion": region,
    }


class SqsPoller:
    """Polls one queue in a background thread (or step by step: :meth:`poll`)."""

    def __init__(
        self,
        queue_url: str,
        handler: Handler,
        *,
        region: str,
        endpoint_url: str | None = None,
        batch_size: int = DEFAULT_BATCH_SIZE,
        visibility_timeout: int = DEFAULT_VISIBILITY_TIMEOUT,
        wait_seconds: int = DEFAULT_WAIT_SECONDS,
        function_name: str = "tasklane-notifier",
        client: Any = None,
    ) -> None:
        self._url = queue_url
        self._handler = handler
        self._region = region
        self._endpoint = endpoint_url
        self._batch_size = batch_size
        self._visibility = visibility_timeout
        self._wait = wait_seconds
        self._function_name = function_name
        self._client = client
        self._arn: str | None = None
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.stats = SqsPollerStats()

    @property
    def batch_size(self) -> int:
        """The most messages one receive (one handler call) takes."""
        return self._batch_size

    def start(self) -> SqsPoller:
        self._thread = threading.Thread(target=self._run, name="tasklane-sqs", daemon=True)
        self._thread.start()
        return self

    def request_stop(self) -> None:
        """Ask the thread to end after its current long poll; :meth:`stop` waits for it."""
        self._stop.set()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=self._wait + 10)
            self._thread = None

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                self.poll()
            except Exception as exc:  # keep polling: moto may be restarting
                logger.warning("SQS poll failed: %r", exc)
                self.stats.errors.append(repr(exc))
                self._stop.wait(1.0)

    def _sqs(self) -> Any:
        if self._client is None:
            import boto3

            kwargs: dict[str, Any] = {"region_name": self._region}
            if self._endpoint:
                kwargs["endpoint_url"] = self._endpoint
            self._client = boto3.client("sqs", **kwargs)
        return self._client

    def _queue_arn(self) -> str:
        if self._arn is None:
            attributes = self._sqs().get_queue_attributes(
                QueueUrl=self._url, AttributeNames=["QueueArn"]
            )
            self._arn = str(attributes["Attributes"]["QueueArn"])
        return self._arn

    def poll(self, wait_seconds: int | None = None) -> int:
        """One receive, one handler call if anything came; returns the messages delivered."""
        sqs = self._sqs()
        response = sqs.receive_message(
            QueueUrl=self._url,
            MaxNumberOfMessages=self._batch_size,
            WaitTimeSeconds=self._wait if wait_seconds is None else wait_seconds,
            VisibilityTimeout=self._visibility,
            MessageSystemAttributeNames=["All"],
            MessageAttributeNames=["All"],
        )
        messages = response.get("Messages", [])
        if not messages:
            return 0
        arn = self._queue_arn()
        event = {"Records": [to_lambda_record(m, arn, self._region) for m in messages]}
        failed = self._deliver(event)
        done = [m for m in messages if m["MessageId"] not in failed]
        for start in range(0, len(done), 10):
            chunk = done[start : start + 10]
            sqs.delete_message_batch(
                QueueUrl=self._url,
                Entries=[
                    {"Id": str(i), "ReceiptHandle": m["ReceiptHandle"]} for i, m in enumerate(chunk)
                ],
            )
        self.stats.batches += 1
        self.stats.messages += len(messages)
        self.stats.failed += len(failed)
        self.stats.deleted += len(done)
        return len(messages)

    def _deliver(self, event: dict[str, Any]) -> set[str]:
        """The failed message ids: those reported, or all if the handler raised."""
        context = new_context(
            function_name=self._function_name,
            region=self._region,
            account_id=LOCAL_ACCOUNT_ID,
            memory_mb=256,
            timeout_seconds=30.0,
        )
        everything = {r["messageId"] for r in event["Records"]}
        try:
            result = self._handler(event, context)
        except Exception:
            logger.exception("the notifier failed the whole batch")
            return everything
        failures = (result or {}).get("batchItemFailures") or []
        failed = {str(f.get("itemIdentifier", "")) for f in failures}
        # An empty or unknown identifier fails the whole batch (Lambda's rule).
        return everything if failed - everything else failed
