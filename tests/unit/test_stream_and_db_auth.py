"""The stream consumer interface and the database authentication sources."""

from __future__ import annotations

from typing import Any

import pytest

from tasklane.dal.postgres.engine import (
    IAM_TOKEN_REUSE_SECONDS,
    IamTokenSource,
    SecretSource,
    connect_args,
    create_engine,
)
from tasklane.logic.stream import ConsumerFailed, StreamChange, change_from_record, dispatch
from tasklane.settings import DatabaseSettings

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


class FakeRds:
    def __init__(self) -> None:
        self.calls: list[dict[str, Any]] = []

    def generate_db_auth_token(self, **kwargs: Any) -> str:
        self.calls.append(kwargs)
        return f"token-{len(self.calls)}"


def test_iam_tokens_are_made_per_connection_and_renewed_before_expiry() -> None:
    settings = DatabaseSettings(host="proxy.example", port=5432, user="app", auth="iam")
    now = [0.0]
    rds = FakeRds()
    source = IamTokenSource(settings, "eu-west-1", client=rds, clock=lambda: now[0])
    assert source() == source() == "token-1"
    now[0] += IAM_TOKEN_REUSE_SECONDS
    assert source() == "token-2"
    assert rds.calls[0] == {
        "DBHostname": "proxy.example",
        "Port": 5432,
        "DBUsername": "app",
        "Region": "eu-west-1",
    }


def test_the_engine_hands_each_new_connection_a_fresh_password() -> None:
    settings = DatabaseSettings(host="proxy.example", user="app", auth="iam", sslmode="require")
    passwords = iter(["first", "second"])
    engine = create_engine(settings, "eu-west-1", source=lambda: next(passwords))
    params: list[dict[str, Any]] = [{}, {}]
    for cparams in params:
        engine.dialect.dispatch.do_connect(engine.dialect, None, [], cparams)
    assert [p["password"] for p in params] == ["first", "second"]
    args = connect_args(settings)
    assert args["prepare_threshold"] is None  # no server-side prepares: RDS Proxy would pin
    assert args["sslmode"] == "require"


def test_secret_source_reads_the_secret_once() -> None:
    class FakeSecrets:
        calls = 0

        def get_secret_value(self, SecretId: str) -> dict[str, str]:
            self.calls += 1
            return {"SecretString": '{"username": "u", "password": "p"}'}

    fake = FakeSecrets()
    source = SecretSource("arn:secret", client=fake)
    assert source() == source() == "p"
    assert fake.calls == 1
