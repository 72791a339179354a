"""Stopping the local stack asks every background thread to end before it joins any, so the
threads' last batches overlap instead of adding up (a Ctrl-C on a busy machine)."""

from __future__ import annotations

from tasklane.local.runtime import LocalStack, Stoppable


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
