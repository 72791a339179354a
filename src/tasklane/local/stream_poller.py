"""The local stand-in for Lambda's DynamoDB Streams event source mapping.

Reads the table's stream from moto (``get_shard_iterator`` / ``get_records``) and calls the
events handler with the event Lambda would send: ``{"Records": [...]}`` of up to
``batch_size`` records in stream order, each with ``eventID``, ``eventName``,
``eventVersion``, ``eventSource``, ``awsRegion``, ``dynamodb`` (``Keys``, ``NewImage``,
``OldImage``, ``SequenceNumber``, ``SizeBytes``, ``StreamViewType``,
``ApproximateCreationDateTime`` in epoch seconds) and ``eventSourceARN``.

Failures follow ``ReportBatchItemFailures``: the shard restarts at the lowest failed sequence
number, so that record and every later one are delivered again; a handler that raises fails
the whole batch. After ``max_attempts`` deliveries of the same first record it is skipped
(Lambda's ``MaximumRetryAttempts``, with the record logged instead of sent to a destination).
Bisecting a failed batch is not emulated.
"""

from __future__ import annotations

import logging
import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from tasklane.local.invoke import LOCAL_ACCOUNT_ID
from tasklane.local.lambda_context import new_context

logger = logging.getLogger("tasklane.local.stream")

Handler = Callable[[dict[str, Any], Any], Any]

DEFAULT_BATCH_SIZE = 100
DEFAULT_MAX_ATTEMPTS = 3


@dataclass
class _Shard:
    shard_id: str
    #: Where the next read starts: after this sequence number (None: the shard's start).
    after: str | None = None
    #: The eventID of that record: if another record now holds its sequence number, moto
    #: rewrote the shard (see _poll_shard) and the shard is read again from its start.
    after_id: str | None = None
    #: (first sequence number of the failing batch, deliveries so far)
    failing: tuple[str, int] | None = None


@dataclass
class PollerStats:
    batches: int = 0
    records: int = 0
    failed_records: int = 0
    skipped_records: int = 0
    errors: list[str] = field(default_factory=list)


def to_lambda_record(record: dict[str, Any], stream_arn: str, region: str) -> dict[str, Any]:
    """A boto3 ``get_records`` record as Lambda delivers it (dates as epoch seconds)."""
    body = dict(record["dynamodb"])
    created = body.get("ApproximateCreationDateTime")
    if isinstance(created, datetime):
        body["ApproximateCreationDateTime"] = int(created.timestamp())
    return {
        "eventID": record.get("eventID") or uuid.uuid4().hex,
        "eventName": record["eventName"],
        "eventVersion": record.get("eventVersion", "1.1"),
        "eventSource": "aws:dynamodb",
        "awsRegion": record.get("awsRegion") or region,
        "dynamodb": body,
        "eventSourceARN": stream_arn,
    }


class StreamPoller:
    """Polls one table's stream in a background thread (or step by step: :meth:`poll`)."""

    def __init__(
        self,
        table_name: str,
        handler: Handler,
        *,
        region: str,
        endpoint_url: str | None = None,
        batch_size: int = DEFAULT_BATCH_SIZE,
        interval: float = 0.1,
        max_attempts: int = DEFAULT_MAX_ATTEMPTS,
        client: Any = None,
        dynamodb: Any = None,
    ) -> None:
        self._table = table_name
        self._handler = handler
        self._region = region
        self._endpoint = endpoint_url
        self._batch_size = batch_size
        self._interval = interval
        self._max_attempts = max_attempts
        self._streams = client
        self._dynamodb = dynamodb
        self._stream_arn: str | None = None
        self._shards: dict[str, _Shard] = {}
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._idle = threading.Event()
        self.stats = PollerStats()

    # -- lifecycle -----------------------------------------------------------------------
    def start(self) -> StreamPoller:
        self._thread = threading.Thread(target=self._run, name="tasklane-stream", daemon=True)
        self._thread.start()
        return self

    def request_stop(self) -> None:
        """Ask the thread to end after its current batch; :meth:`stop` waits for it."""
        self._stop.set()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=10)
            self._thread = None

    def wait_idle(self, timeout: float = 5.0) -> bool:
        """Tests: wait until a poll found nothing new."""
        self._idle.clear()
        return self._idle.wait(timeout)

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                delivered = self.poll()
            except Exception as exc:  # keep polling: moto may be restarting
                logger.warning("stream poll failed: %r", exc)
                self.stats.errors.append(repr(exc))
                self._stream_arn = None  # rediscover (the table may have been recreated)
                self._shards.clear()
                delivered = 0
            if delivered == 0:
                self._idle.set()
                self._stop.wait(self._interval)

    # -- one round -----------------------------------------------------------------------
    def poll(self) -> int:
        """One ``get_records`` per shard, one handler call per non-empty batch; returns how
        many records were delivered."""
        self._discover()
        delivered = 0
        for shard in list(self._shards.values()):
            delivered += self._poll_shard(shard)
        return delivered

    def _clients(self) -> tuple[Any, Any]:
        if self._streams is None or self._dynamodb is None:
            import boto3

            kwargs: dict[str, Any] = {"region_name": self._region}
            if self._endpoint:
                kwargs["endpoint_url"] = self._endpoint
            self._streams = self._streams or boto3.client("dynamodbstreams", **kwargs)
            self._dynamodb = self._dynamodb or boto3.client("dynamodb", **kwargs)
        return self._streams, self._dynamodb

    def _discover(self) -> None:
        streams, dynamodb = self._clients()
        arn = dynamodb.describe_table(TableName=self._table)["Table"].get("LatestStreamArn")
        if arn != self._stream_arn:
            self._stream_arn = arn
            self._shards.clear()
        if arn is None:
            return
        description = streams.describe_stream(StreamArn=arn)["StreamDescription"]
        for shard in description.get("Shards", []):
            shard_id = shard["ShardId"]
            if shard_id not in self._shards:
                self._shards[shard_id] = _Shard(shard_id)

    def _poll_shard(self, shard: _Shard) -> int:
        streams, _ = self._clients()
        assert self._stream_arn is not None
        # A fresh iterator per read, from the checkpoint record itself. moto restores a deep
        # copy of its tables when a transaction fails, stream included, and hands the same
        # sequence numbers to the records written next: an old iterator is stranded, and a
        # checkpoint may now name another record. Then read the shard again from its start
        # (the consumers are idempotent); AWS never rewrites a shard.
        position: dict[str, str] = (
            {"ShardIteratorType": "AT_SEQUENCE_NUMBER", "SequenceNumber": shard.after}
            if shard.after is not None
            else {"ShardIteratorType": "TRIM_HORIZON"}
        )
        iterator = streams.get_shard_iterator(
            StreamArn=self._stream_arn, ShardId=shard.shard_id, **position
        )["ShardIterator"]
        limit = self._batch_size + (1 if shard.after is not None else 0)
        response = streams.get_records(ShardIterator=iterator, Limit=limit)
        records = response.get("Records", [])
        if shard.after is not None:
            if records and records[0].get("eventID") == shard.after_id:
                records = records[1:]
            else:
                logger.warning("the stream shard was rewritten; reading it again")
                shard.after = shard.after_id = None
                return self._poll_shard(shard)
        if not records:
            return 0
        event = {"Records": [to_lambda_record(r, self._stream_arn, self._region) for r in records]}
        failed = self._deliver(event)
        self.stats.batches += 1
        self.stats.records += len(records)
        if not failed:
            shard.failing = None
            shard.after = str(records[-1]["dynamodb"]["SequenceNumber"])
            shard.after_id = records[-1].get("eventID")
            return len(records)
        self.stats.failed_records += len(failed)
        first = min(failed, key=int)
        attempts = shard.failing[1] + 1 if shard.failing and shard.failing[0] == first else 1
        # Resume at the failed record (the records before it are done).
        sequence = [str(r["dynamodb"]["SequenceNumber"]) for r in records]
        index = sequence.index(first)
        if attempts >= self._max_attempts:
            # Give up on this record, as Lambda does after MaximumRetryAttempts.
            logger.error("stream record %s failed %d times; skipped", first, attempts)
            self.stats.skipped_records += 1
            shard.failing = None
            shard.after, shard.after_id = first, records[index].get("eventID")
        else:
            shard.failing = (first, attempts)
            if index > 0:
                shard.after = sequence[index - 1]
                shard.after_id = records[index - 1].get("eventID")
        return len(records)

    def _deliver(self, event: dict[str, Any]) -> list[str]:
        """The failed sequence numbers: those reported, or all if the handler raised."""
        context = new_context(
            function_name="tasklane-events",
            region=self._region,
            account_id=LOCAL_ACCOUNT_ID,
            memory_mb=512,
            timeout_seconds=60.0,
        )
        everything = [r["dynamodb"]["SequenceNumber"] for r in event["Records"]]
        try:
            result = self._handler(event, context)
        except Exception:
            logger.exception("the events handler failed the whole batch")
            return everything
        failures = (result or {}).get("batchItemFailures") or []
        failed = [str(f.get("itemIdentifier", "")) for f in failures]
        # An empty or unknown identifier fails the whole batch (Lambda's rule).
        if any(f not in everything for f in failed):
            return everything
        return failed
