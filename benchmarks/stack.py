"""The api handler in this process, against moto in server mode (one per benchmark run).

Every DynamoDB request the handler makes goes through the one cached client in
``tasklane.dal.aws``; botocore event hooks on that client count the requests by operation
and add up the items each one read.
"""

from __future__ import annotations

import contextlib
import io
import os
import warnings
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from benchmarks.events import Client

TABLE_NAME = "tasklane-bench"
REGION = "us-east-1"

#: What the handler needs, as the CDK app would set it. Logs and metrics stay quiet.
HANDLER_ENVIRONMENT = {
    "TASKLANE_TABLE_NAME": TABLE_NAME,
    "TASKLANE_CURSOR_SECRET": "bench-cursor-secret",
    "TASKLANE_CORS_ORIGINS": "http://127.0.0.1:3000",
    "POWERTOOLS_SERVICE_NAME": "tasklane-bench",
    "POWERTOOLS_METRICS_NAMESPACE": "TasklaneBench",
    "POWERTOOLS_METRICS_DISABLED": "true",
    "POWERTOOLS_TRACE_DISABLED": "true",
    "POWERTOOLS_LOG_LEVEL": "ERROR",
}


@dataclass(slots=True)
class Calls:
    """What one request cost in DynamoDB."""

    operations: Counter[str] = field(default_factory=Counter)
    #: Sum of ``ScannedCount``: items a Query or Scan read (before any FilterExpression).
    scanned: int = 0
    #: Items read by key: GetItem (0 or 1) and the items BatchGetItem returned.
    key_reads: int = 0
    #: Items returned by Query/Scan (after the FilterExpression).
    returned: int = 0

    @property
    def total(self) -> int:
        return sum(self.operations.values())

    def describe(self) -> str:
        return ", ".join(f"{count} {name}" for name, count in sorted(self.operations.items()))


class CallCounter:
    """botocore hooks on the handler's DynamoDB client."""

    def __init__(self) -> None:
        self.current = Calls()
        self.active = False

    def _before(self, model: Any, **_: Any) -> None:
        if self.active:
            self.current.operations[model.name] += 1

    def _after(self, parsed: Any, model: Any, **_: Any) -> None:
        if not self.active or not isinstance(parsed, dict):
            return
        self.current.scanned += int(parsed.get("ScannedCount", 0))
        self.current.returned += int(parsed.get("Count", 0))
        if model.name == "GetItem":
            self.current.key_reads += 1 if "Item" in parsed else 0
        elif model.name == "BatchGetItem":
            self.current.key_reads += sum(len(v) for v in parsed.get("Responses", {}).values())

    def attach(self, client: Any) -> None:
        client.meta.events.register("before-call.dynamodb", self._before)
        client.meta.events.register("after-call.dynamodb", self._after)

    def detach(self, client: Any) -> None:
        client.meta.events.unregister("before-call.dynamodb", self._before)
        client.meta.events.unregister("after-call.dynamodb", self._after)

    @contextmanager
    def count(self) -> Iterator[Calls]:
        self.current = Calls()
        self.active = True
        try:
            yield self.current
        finally:
            self.active = False


@dataclass(slots=True)
class Stack:
    endpoint_url: str
    counter: CallCounter
    handler: Any
    #: A client of our own for seeding, so seeding is never counted.
    seed_client: Any

    def client(self, user: str) -> Client:
        return Client(self.handler, user)


@contextmanager
def running_stack() -> Iterator[Stack]:
    """moto, the table and the api handler; the environment is restored afterwards."""
    from tasklane.local.bootstrap import bootstrap
    from tasklane.local.emulators import MotoServer
    from tasklane.local.launcher import aws_environment
    from tasklane.wiring import functions

    saved = dict(os.environ)
    server = MotoServer()
    endpoint = server.start()
    client = None
    counter = CallCounter()
    try:
        for name, value in aws_environment(endpoint, REGION).items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
        os.environ.update(HANDLER_ENVIRONMENT)
        config = bootstrap(endpoint, region=REGION, table_name=TABLE_NAME)
        os.environ["TASKLANE_USER_POOL_ID"] = config.user_pool_id
        os.environ["TASKLANE_USER_POOL_CLIENT_ID"] = config.client_id

        import boto3

        from tasklane.handlers.api import lambda_handler
        from tasklane.wiring.api import root

        functions.reset()  # the api function's container is built from this environment

        def quiet_handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
            # Metrics prints its EMF blob (the cold-start metric) to stdout: keep it out of
            # the benchmark's output.
            with contextlib.redirect_stdout(io.StringIO()), warnings.catch_warnings():
                warnings.filterwarnings("ignore", "No application metrics to publish")
                result: dict[str, Any] = lambda_handler(event, context)
                return result

        client = root.get().aws.dynamodb
        counter.attach(client)
        seed = boto3.client("dynamodb", endpoint_url=endpoint, region_name=REGION)
        try:
            yield Stack(endpoint, counter, quiet_handler, seed)
        finally:
            seed.close()
    finally:
        if client is not None:
            counter.detach(client)
        server.stop()
        os.environ.clear()
        os.environ.update(saved)
        functions.reset()
