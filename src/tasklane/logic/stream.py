"""The DynamoDB stream, as the rest of the system sees it: changes and their consumers.

The table's stream (``NEW_AND_OLD_IMAGES``) is the outbox (docs/architecture.md: no dual
writes).
``tasklane.handlers.events`` turns each stream record into one :class:`StreamChange` (as
:func:`seen_change` shows it) and hands it to every :class:`StreamConsumer` in its list, in
order. A consumer that raises fails the
record: the handler reports it in ``batchItemFailures`` and Lambda (or the local poller)
delivers it again — to *every* consumer, so each consumer must be idempotent and tolerate
replays and out-of-order delivery (compare versions, never count).

Adding a consumer is one line in ``tasklane.wiring.events.EventsContainer.consumers``::

    class AttachmentCleanup:
        name = "attachments"

        def handle(self, change: StreamChange) -> None:
            if change.event_name == "REMOVE" and change.item_type == "task":
                ...  # delete the task's objects

Consumers see plain Python values (numbers as ``Decimal``, as boto3's deserializer gives
them); they never see Powertools' or boto3's record classes, so they can be unit-tested with
:func:`change_from_record` on hand-written records or by building ``StreamChange`` directly.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any, Literal, Protocol

from boto3.dynamodb.types import TypeDeserializer

from tasklane.domain.prepared import is_prepared, without_stamp

EventName = Literal["INSERT", "MODIFY", "REMOVE"]

_deserializer = TypeDeserializer()


@dataclass(frozen=True, slots=True)
class StreamChange:
    """One item-level change from the table's stream."""

    event_id: str
    event_name: EventName
    #: The stream's sequence number: increases for successive changes of the same item.
    sequence_number: str
    #: The item's primary key (``pk``, ``sk``), deserialized.
    keys: dict[str, Any]
    #: The item before the change (None for INSERT), deserialized.
    old: dict[str, Any] | None
    #: The item after the change (None for REMOVE), deserialized.
    new: dict[str, Any] | None
    #: When the stream recorded the change (``ApproximateCreationDateTime``), if it says.
    recorded_at: datetime | None = None
    #: Who made it, when not a user's request (TTL's removals: the DynamoDB service).
    user_identity: dict[str, Any] | None = None

    @property
    def image(self) -> dict[str, Any]:
        """The item as it is now, or as it was just before it was removed."""
        return self.new if self.new is not None else (self.old or {})

    @property
    def item_type(self) -> str | None:
        """The item's ``type`` attribute: ``project``, ``member``, ``task``, … (None for items
        without one, such as idempotency records)."""
        value = self.image.get("type")
        return value if isinstance(value, str) else None

    @property
    def removed(self) -> bool:
        return self.event_name == "REMOVE"


class StreamConsumer(Protocol):
    """Reacts to table changes. Must be idempotent and order-tolerant (see module doc)."""

    #: Short and stable; shown in logs and metrics when the consumer fails a record.
    name: str

    def handle(self, change: StreamChange) -> None:
        """Apply one change; raise to have the record delivered again."""
        ...


def _image(raw: Any) -> dict[str, Any] | None:
    if not raw:
        return None
    return {name: _deserializer.deserialize(value) for name, value in raw.items()}


def change_from_record(record: dict[str, Any]) -> StreamChange:
    """A DynamoDB Streams record, as Lambda delivers it (AttributeValue JSON images)."""
    body = record["dynamodb"]
    return StreamChange(
        event_id=str(record.get("eventID", "")),
        event_name=record["eventName"],
        sequence_number=str(body["SequenceNumber"]),
        keys=_image(body.get("Keys")) or {},
        old=_image(body.get("OldImage")),
        new=_image(body.get("NewImage")),
        recorded_at=_recorded_at(body.get("ApproximateCreationDateTime")),
        user_identity=record.get("userIdentity"),
    )


def seen_change(record: dict[str, Any]) -> StreamChange | None:
    """The record as consumers see it (:func:`as_seen`); None when there is nothing to see."""
    return as_seen(change_from_record(record))


def as_seen(change: StreamChange) -> StreamChange | None:
    """``change`` without a recurring task's prepared next occurrence
    (:mod:`tasklane.domain.prepared`): preparing, re-preparing or withdrawing one is no
    change; revealing it is its creation (an INSERT of what it became); and the task's stamp
    of its preparation is no change either, nor part of any image."""
    if is_prepared(change.new) or (is_prepared(change.old) and change.new is None):
        return None
    old, new = without_stamp(change.old), without_stamp(change.new)
    if is_prepared(old):
        return replace(change, event_name="INSERT", old=None, new=new)
    if change.event_name == "MODIFY" and old == new:
        return None
    return replace(change, old=old, new=new)


def _recorded_at(value: Any) -> datetime | None:
    # Epoch seconds in Lambda's JSON; a datetime when boto3 read the record itself.
    if isinstance(value, datetime):
        return value.astimezone(UTC)
    if isinstance(value, int | float | Decimal):
        return datetime.fromtimestamp(float(value), UTC)
    return None


class ConsumerFailed(Exception):
    """One or more consumers failed a change; the record is to be delivered again."""

    def __init__(self, failures: dict[str, BaseException]) -> None:
        super().__init__(", ".join(f"{name}: {exc!r}" for name, exc in failures.items()))
        self.failures = failures


def dispatch(change: StreamChange, consumers: Sequence[StreamConsumer]) -> None:
    """Every consumer sees the change, even when one before it fails (one broken consumer
    must not hold the others back); any failure fails the record, and on redelivery every
    consumer sees the change again — they are idempotent."""
    failures: dict[str, BaseException] = {}
    for consumer in consumers:
        try:
            consumer.handle(change)
        except Exception as exc:  # reported below; the record is retried
            failures[consumer.name] = exc
    if failures:
        raise ConsumerFailed(failures) from next(iter(failures.values()))
