"""The webhooks function's container: the delivery worker (the table, DNS and the
internet only: no PostgreSQL, so the function runs outside the VPC)."""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING

from tasklane.wiring.base import Container, Root

if TYPE_CHECKING:
    from tasklane.dal.queue import SqsVisibility
    from tasklane.logic.exchange.webhook_delivery import WebhookDeliverer


class WebhooksContainer(Container):
    @cached_property
    def deliverer(self) -> WebhookDeliverer:
        from tasklane.dal.dynamodb.webhooks import DynamoWebhooks
        from tasklane.dal.http import Urllib3Transport, system_resolver
        from tasklane.domain.exchange.targets import TargetPolicy
        from tasklane.logic.exchange.webhook_delivery import DeliveryRules, WebhookDeliverer

        hooks = self.settings.exchange.webhooks
        return WebhookDeliverer(
            DynamoWebhooks(self.table),
            Urllib3Transport(),
            system_resolver,
            TargetPolicy(allow_http_loopback=hooks.allow_http_loopback),
            DeliveryRules(
                timeout_seconds=hooks.timeout_seconds,
                disable_after_failures=hooks.disable_after_failures,
                disable_after_seconds=hooks.disable_after_seconds,
                retry_scale=hooks.retry_scale,
            ),
        )

    @cached_property
    def visibility(self) -> SqsVisibility:
        from tasklane.dal.queue import SqsVisibility

        return SqsVisibility(self.settings.exchange.webhooks_queue_url, lambda: self.aws.sqs)


root: Root[WebhooksContainer] = Root(WebhooksContainer)
