"""The notifier function's container: the notifier and its idempotency layer (the table and
SES only: no PostgreSQL, the job carries the recipient's snapshot)."""

from __future__ import annotations

from collections.abc import Callable
from functools import cached_property
from typing import TYPE_CHECKING, Any

from tasklane.wiring.base import Container, Root

if TYPE_CHECKING:
    from aws_lambda_powertools.utilities.idempotency import IdempotencyConfig

    from tasklane.logic.notifications.notifier import Notifier


class NotifierContainer(Container):
    @cached_property
    def notifier(self) -> Notifier:
        from tasklane.dal.dynamodb.members import DynamoMembers
        from tasklane.dal.dynamodb.notifications import DynamoInbox
        from tasklane.dal.mail import SesMailer
        from tasklane.logic.notifications.notifier import Notifier

        mail = self.settings.notifications
        return Notifier(
            DynamoInbox(self.table),
            SesMailer(mail.mail_sender, lambda: self.aws.ses),
            mail.web_url,
            DynamoMembers(self.table),
        )

    @cached_property
    def idempotency_config(self) -> IdempotencyConfig:
        from aws_lambda_powertools.utilities.idempotency import IdempotencyConfig

        return IdempotencyConfig(
            # The job id alone: the same job rebuilt later (another created_at) is the same.
            event_key_jmespath="id",
            raise_on_no_idempotency_key=True,
            expires_after_seconds=self.settings.notifications.idempotency_ttl_seconds,
            response_hook=lambda response, _record: {**response, "replayed": True},
        )

    @cached_property
    def deliver(self) -> Callable[..., dict[str, Any]]:
        """``deliver(job=<job as JSON>)``: the notifier, once per job id."""
        from aws_lambda_powertools.utilities.idempotency import idempotent_function

        from tasklane.dal.idempotency import persistence_layer
        from tasklane.domain.notifications import NotificationJob

        notifier = self.notifier

        # Powertools' decorator carries no type information.
        @idempotent_function(  # type: ignore[untyped-decorator]
            data_keyword_argument="job",
            config=self.idempotency_config,
            persistence_store=persistence_layer(self.settings.table_name, self.aws.dynamodb),
        )
        def deliver(job: dict[str, Any]) -> dict[str, Any]:
            return notifier.deliver(NotificationJob.model_validate(job)).as_dict()

        return deliver  # type: ignore[no-any-return]


root: Root[NotifierContainer] = Root(NotifierContainer)
