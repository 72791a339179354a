"""The stream as the consumers see it: changes from Lambda's records, and a failing consumer
holding back no other."""

from __future__ import annotations

import pytest

from tasklane.logic.stream import ConsumerFailed, StreamChange, change_from_record, dispatch

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
