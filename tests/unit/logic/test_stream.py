"""The stream as the consumers see it: changes from Lambda's records, and a failing consumer
holding back no other."""

from __future__ import annotations

from typing import Any

import pytest

from tasklane.domain.prepared import NEXT_PREPARED, PREPARED_FOR, PREPARED_FROM
from tasklane.logic.stream import (
    ConsumerFailed,
    StreamChange,
    as_seen,
    change_from_record,
    dispatch,
)

RECORD = {
    "eventID": "1",
    "eventName": "MODIFY",
    "eventVersion": "1.1",
    "eventSource": "aws:dynamodb",
    "awsRegion": "us-east-1",
    "dynamodb": {
        "Keys": {"pk": {"S": "PROJECT#p"}, "sk": {"S": "TASK#t"}},
        "OldImage": {"type": {"S": "task"}, "version": {"N": "1"}},
        "NewImage": {"type": {"S": "task"}, "version": {"N": "2"}, "labels": {"L": []}},
        "SequenceNumber": "111",
        "SizeBytes": 10,
        "StreamViewType": "NEW_AND_OLD_IMAGES",
    },
    "eventSourceARN": "arn:aws:dynamodb:us-east-1:1:table/t/stream/x",
}


def test_change_from_a_lambda_record() -> None:
    change = change_from_record(RECORD)
    assert change.item_type == "task"
    assert change.new == {"type": "task", "version": 2, "labels": []}
    assert change.old is not None
    assert change.old["version"] == 1
    assert change.keys == {"pk": "PROJECT#p", "sk": "TASK#t"}
    assert not change.removed


class Recorder:
    def __init__(self, name: str, fail: bool = False) -> None:
        self.name, self.fail, self.seen = name, fail, 0

    def handle(self, change: StreamChange) -> None:
        self.seen += 1
        if self.fail:
            raise RuntimeError(self.name)


def test_a_failing_consumer_does_not_hold_back_the_others() -> None:
    first, broken, last = Recorder("a"), Recorder("b", fail=True), Recorder("c")
    with pytest.raises(ConsumerFailed) as raised:
        dispatch(change_from_record(RECORD), [first, broken, last])
    assert (first.seen, broken.seen, last.seen) == (1, 1, 1)
    assert list(raised.value.failures) == ["b"]


def _change(event: str, old: dict[str, Any] | None, new: dict[str, Any] | None) -> StreamChange:
    keys = {"pk": "PROJECT#p", "sk": "TASK#t"}
    return StreamChange("1", event, "111", keys, old, new)  # type: ignore[arg-type]


TASK = {"type": "task", "task_id": "t", "version": 3, "title": "Water"}
PREPARED = TASK | {"deleted_at": "2025-01-01T00:00:00.000Z", PREPARED_FOR: "s", PREPARED_FROM: 3}


def test_a_prepared_occurrence_is_not_seen_until_it_is_revealed() -> None:
    assert as_seen(_change("INSERT", None, PREPARED)) is None
    assert as_seen(_change("MODIFY", PREPARED, PREPARED | {"title": "Fern"})) is None
    assert as_seen(_change("REMOVE", PREPARED, None)) is None
    revealed = as_seen(_change("MODIFY", PREPARED, TASK))
    assert revealed is not None
    assert (revealed.event_name, revealed.old, revealed.new) == ("INSERT", None, TASK)


def test_the_stamp_of_a_preparation_is_no_change() -> None:
    assert as_seen(_change("MODIFY", TASK, TASK | {NEXT_PREPARED: 3})) is None
    assert as_seen(_change("MODIFY", TASK | {NEXT_PREPARED: 2}, TASK | {NEXT_PREPARED: 3})) is None
    # Beside a real change, it is left out of both images.
    done = TASK | {"status": "done", "version": 4}
    seen = as_seen(_change("MODIFY", TASK | {NEXT_PREPARED: 3}, done))
    assert seen is not None
    assert (seen.old, seen.new) == (TASK, done)
    # Any other change passes as it is.
    plain = _change("MODIFY", TASK, done)
    assert as_seen(plain) == plain
