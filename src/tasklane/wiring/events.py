"""The events function's container: the stream consumers, in order.

Adding a consumer is one line in :meth:`EventsContainer.consumers` (see
:mod:`tasklane.logic.stream` for what a consumer must guarantee).
"""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING

from tasklane.wiring.base import Container, Root, close_database

if TYPE_CHECKING:
    from tasklane.dal.postgres.database import PostgresDatabase
    from tasklane.logic.stream import StreamConsumer


class EventsContainer(Container):
    @cached_property
    def database(self) -> PostgresDatabase:
        from tasklane.wiring.relational import database

        return database(self.settings)

    @cached_property
    def consumers(self) -> list[StreamConsumer]:
        """Every consumer sees every change, in this order (connections open lazily)."""
        from tasklane.dal.dynamodb.activity import DynamoActivity
        from tasklane.dal.dynamodb.attachments import DynamoAttachments
        from tasklane.dal.dynamodb.comments import DynamoComments
        from tasklane.dal.dynamodb.invitations import DynamoInvitations
        from tasklane.dal.dynamodb.notifications import DynamoInbox
        from tasklane.dal.dynamodb.project_purge import DynamoProjectPurge
        from tasklane.dal.dynamodb.recurrence import DynamoPreparedOccurrences
        from tasklane.dal.dynamodb.tasks import DynamoTasks
        from tasklane.dal.dynamodb.webhooks import DynamoWebhooks
        from tasklane.dal.postgres.recipients import PostgresRecipientDirectory
        from tasklane.dal.queue import SqsJobQueue
        from tasklane.dal.storage import S3Storage
        from tasklane.logic.activity import ActivityRecorder
        from tasklane.logic.attachment_cleanup import AttachmentCleanup
        from tasklane.logic.exchange.export_jobs import ExportJobs
        from tasklane.logic.exchange.webhook_jobs import WebhookJobs
        from tasklane.logic.invitation_release import InvitationRelease
        from tasklane.logic.membership_cleanup import MembershipCleanup
        from tasklane.logic.notifications.jobs import NotificationJobs
        from tasklane.logic.occurrences import OccurrencePreparation
        from tasklane.logic.project_purge import ProjectPurge
        from tasklane.logic.projection import ProjectionConsumer
        from tasklane.observability import logger

        url = self.settings.notifications.queue_url
        if not url:
            logger.warning("TASKLANE_NOTIFICATIONS_QUEUE_URL is not set: no notifications")
        storage = S3Storage(self.settings.attachments.bucket, lambda: self.aws.s3)
        hooks_url = self.settings.exchange.webhooks_queue_url
        exports_url = self.settings.exchange.exports_queue_url
        return [
            ProjectionConsumer(self.database),
            AttachmentCleanup(DynamoAttachments(self.table), storage),
            MembershipCleanup(DynamoTasks(self.table), DynamoComments(self.table)),
            InvitationRelease(DynamoInvitations(self.table)),
            NotificationJobs(
                PostgresRecipientDirectory(self.database),
                SqsJobQueue(url, lambda: self.aws.sqs) if url else None,
                DynamoInbox(self.table),
            ),
            ActivityRecorder(DynamoActivity(self.table)),
            OccurrencePreparation(DynamoPreparedOccurrences(self.table)),
            ExportJobs(SqsJobQueue(exports_url, lambda: self.aws.sqs) if exports_url else None),
            WebhookJobs(
                DynamoWebhooks(self.table),
                SqsJobQueue(hooks_url, lambda: self.aws.sqs) if hooks_url else None,
            ),
            # Last: a pass deletes many items; the others have handled this change first.
            ProjectPurge(DynamoProjectPurge(self.table), storage),
        ]

    def close(self) -> None:
        close_database(self)


root: Root[EventsContainer] = Root(EventsContainer)
