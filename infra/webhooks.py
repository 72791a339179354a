"""Webhook deliveries (issue 18): the webhooks queue with its DLQ, the delivery worker, and
what the events function (it enqueues deliveries from the stream) and the api function (it
enqueues a test ping) may do with them.

The queue's shape is ``tasklane.resources.WEBHOOKS_QUEUE``, as the local bootstrap reads it:
one message per delivery, one receive per attempt, the worker setting each failed attempt's
visibility to its retry delay; after ``max_receive_count`` receives SQS moves it to the DLQ.
The worker runs outside the VPC: it posts to receivers on the internet (no NAT gateway, and
nothing in the VPC it could reach), and it reads and writes the table only.
"""

from __future__ import annotations

import aws_cdk as cdk
from aws_cdk import aws_lambda_event_sources as sources
from constructs import Construct

from infra.bundling import LambdaBundles
from infra.config import StageConfig
from infra.data import Data
from infra.functions import ServiceFunction
from infra.notifications import NotificationQueue
from tasklane.domain.exchange.webhooks import RETRY_DELAYS
from tasklane.resources import WEBHOOKS_QUEUE
from tasklane.settings import Env

#: Lambda's recommendation: the queue's visibility is six times the function's timeout.
WORKER_TIMEOUT_SECONDS = WEBHOOKS_QUEUE.visibility_timeout_seconds // 6
#: Attempts of one batch run one after another, each within its 5 s timeout.
WORKER_BATCH_SIZE = 5
#: Receivers are other people's servers: a burst of changes must not become a flood.
WORKER_MAX_CONCURRENCY = 10
WORKER_MEMORY_MB = 256
#: The worker's table items: claims, attempt counters, failure streaks, the switch-off
#: (UpdateItem) and the delivery log (PutItem). It reads through its updates' return values.
WORKER_TABLE_ACTIONS = ("dynamodb:UpdateItem", "dynamodb:PutItem")
#: The events function's: the project's webhooks and whether the project lives (Queries).
EVENTS_TABLE_ACTIONS = ("dynamodb:Query",)
#: A delivery's retries take about a day (+10 % jitter): a message older than that plus an
#: hour is not retrying, it is stuck.
OLDEST_MESSAGE_SECONDS = round(sum(RETRY_DELAYS) * 1.1) + 3_600


class Webhooks(Construct):
    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        config: StageConfig,
        bundles: LambdaBundles,
        data: Data,
        events_function: ServiceFunction,
        api_function: ServiceFunction,
    ) -> None:
        super().__init__(scope, construct_id)
        self.deliveries = NotificationQueue(self, "Deliveries", shape=WEBHOOKS_QUEUE)
        queue_url = {Env.WEBHOOKS_QUEUE_URL: self.deliveries.queue.queue_url}
        self.worker = ServiceFunction(
            self,
            "Worker",
            config=config,
            bundles=bundles,
            handler="tasklane.handlers.webhooks.lambda_handler",
            description="Tasklane webhooks: one signed delivery attempt per queue message",
            memory_mb=WORKER_MEMORY_MB,
            timeout=cdk.Duration.seconds(WORKER_TIMEOUT_SECONDS),
            environment={Env.TABLE_NAME: data.table.table_name, **queue_url},
        )
        # The event source grants receive, delete and change visibility on this queue only.
        self.worker.function.add_event_source(
            sources.SqsEventSource(
                self.deliveries.queue,
                batch_size=WORKER_BATCH_SIZE,
                report_batch_item_failures=True,
                max_concurrency=WORKER_MAX_CONCURRENCY,
            )
        )
        self.worker.grant_table_items(data.table, [], WORKER_TABLE_ACTIONS)

        # The producers: the stream consumer (every change) and the api (a test ping). The
        # events function is in the VPC: it reaches SQS through the interface endpoint its
        # declaration in infra/services.py opens.
        events_function.grant_table_items(data.table, [], EVENTS_TABLE_ACTIONS)
        for producer in (events_function, api_function):
            self.deliveries.grant_send(producer)
            for name, value in queue_url.items():
                producer.function.add_environment(name, value)
