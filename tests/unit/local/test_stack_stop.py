"""Stopping the local stack asks every background thread to end before it joins any, so the
threads' last batches overlap instead of adding up (a Ctrl-C on a busy machine)."""

from __future__ import annotations

from tasklane.local.bootstrap import LocalConfig
from tasklane.local.runtime import LocalStack, Stoppable, job_pollers, webhook_poller


class Recorder:
    """A service that notes when it was asked to end and when it was stopped."""

    def __init__(self, name: str, events: list[str]) -> None:
        self.name = name
        self.events = events

    def request_stop(self) -> None:
        self.events.append(f"ask {self.name}")

    def stop(self) -> None:
        self.events.append(f"stop {self.name}")


class Plain:
    """A service without a thread of its own (moto, PostgreSQL): stopped, never asked."""

    def __init__(self, name: str, events: list[str]) -> None:
        self.name = name
        self.events = events

    def stop(self) -> None:
        self.events.append(f"stop {self.name}")


def test_every_thread_is_asked_before_any_is_joined_then_last_started_stops_first() -> None:
    events: list[str] = []
    stack = LocalStack(port=0, aws_port=0)
    moto, stream, notifier = (
        Plain("moto", events),
        Recorder("stream", events),
        Recorder("sqs", events),
    )
    assert isinstance(stream, Stoppable)
    assert not isinstance(moto, Stoppable)
    stack._services = [moto, stream, notifier]  # as start() would have listed them

    stack.stop()
    stack.stop()  # twice is harmless

    assert events == ["ask stream", "ask sqs", "stop sqs", "stop stream", "stop moto"]


def test_workers_whose_calls_take_seconds_take_one_message_at_a_time() -> None:
    # A stop waits for the batch in hand: one webhook attempt (≤ 5 s), one export or import
    # job, never several unreachable receivers in a row (the fuzz stack's Ctrl-C passed 30 s).
    config = LocalConfig(
        region="us-east-1",
        endpoint_url="http://127.0.0.1:1",
        user_pool_id="pool",
        client_id="client",
        table_name="table",
        jwks_url="http://127.0.0.1:1/jwks",
        issuer="http://127.0.0.1:1/pool",
        webhooks_queue_url="http://127.0.0.1:1/queue/webhooks",
        exports_queue_url="http://127.0.0.1:1/queue/exports",
        imports_queue_url="http://127.0.0.1:1/queue/imports",
    )
    pollers = [webhook_poller(config), *job_pollers(config)]
    assert [poller.batch_size for poller in pollers] == [1, 1, 1]
