"""The api function's container: the use cases behind the HTTP routes.

The handler puts it in the resolver's context for each request (``container`` key); routes
read it from there (:func:`tasklane.api.http.container`), never from this module.
"""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING

from tasklane.wiring.base import Container, Root, close_database

if TYPE_CHECKING:
    from tasklane.api.idempotency import IdempotentRunner
    from tasklane.dal.postgres.database import PostgresDatabase
    from tasklane.domain.ports.files import ExchangeFiles
    from tasklane.domain.ports.queue import JobQueue
    from tasklane.logic.activity import ActivityService
    from tasklane.logic.archive import ArchiveService
    from tasklane.logic.attachments import AttachmentService
    from tasklane.logic.board import BoardService
    from tasklane.logic.checklists import ChecklistService
    from tasklane.logic.comments import CommentService
    from tasklane.logic.exchange.exports import ExportService
    from tasklane.logic.exchange.feeds import CalendarFeeds
    from tasklane.logic.exchange.importing import ImportService
    from tasklane.logic.exchange.registrations import WebhookRegistry
    from tasklane.logic.invitations import InvitationService
    from tasklane.logic.members import MemberService
    from tasklane.logic.notifications.inbox import InboxService
    from tasklane.logic.pages import Cursors
    from tasklane.logic.profiles import KnownUsers, ProfileService
    from tasklane.logic.projects import ProjectService
    from tasklane.logic.recurrence import RecurrenceService
    from tasklane.logic.search import SearchService
    from tasklane.logic.stats import StatsService
    from tasklane.logic.tasks import TaskService
    from tasklane.logic.trash import TrashService


class ApiContainer(Container):
    # Shared parts ----------------------------------------------------------------------
    @cached_property
    def cursor_secret(self) -> bytes:
        """The key that makes list cursors tamper-evident: given, or read once from Secrets
        Manager (in AWS the key is never in the environment)."""
        secret = self.settings.cursor_secret
        if not secret and self.settings.cursor_secret_arn:
            response = self.aws.secretsmanager.get_secret_value(
                SecretId=self.settings.cursor_secret_arn
            )
            secret = str(response["SecretString"])
        if not secret:
            raise RuntimeError("TASKLANE_CURSOR_SECRET (or TASKLANE_CURSOR_SECRET_ARN) is not set")
        return secret.encode()

    @cached_property
    def cursors(self) -> Cursors:
        from tasklane.logic.pages import Cursors

        return Cursors(self.cursor_secret)

    @cached_property
    def database(self) -> PostgresDatabase:
        from tasklane.wiring.relational import database

        return database(self.settings)

    @cached_property
    def known_users(self) -> KnownUsers:
        from tasklane.logic.profiles import KnownUsers

        return KnownUsers()

    @cached_property
    def idempotency(self) -> IdempotentRunner:
        from tasklane.api.idempotency import IdempotentRunner
        from tasklane.dal.idempotency import persistence_layer

        records = persistence_layer(self.settings.table_name, self.aws.dynamodb)
        return IdempotentRunner(records, self.settings.idempotency_ttl_seconds)

    # DynamoDB use cases ----------------------------------------------------------------
    @cached_property
    def projects(self) -> ProjectService:
        from tasklane.dal.dynamodb.projects import DynamoProjects
        from tasklane.logic.projects import ProjectService

        return ProjectService(DynamoProjects(self.table), self.cursors, limits=self.settings.limits)

    @cached_property
    def tasks(self) -> TaskService:
        from tasklane.dal.dynamodb.board import DynamoBoard
        from tasklane.dal.dynamodb.tasks import DynamoTasks
        from tasklane.logic.tasks import TaskService

        return TaskService(
            DynamoTasks(self.table),
            DynamoBoard(self.table),
            self.projects,
            self.cursors,
            limits=self.settings.limits,
        )

    @cached_property
    def recurrence(self) -> RecurrenceService:
        from tasklane.dal.dynamodb.tasks import DynamoTasks
        from tasklane.domain.models import utc_now
        from tasklane.logic.recurrence import RecurrenceService

        return RecurrenceService(DynamoTasks(self.table), utc_now)

    @cached_property
    def checklists(self) -> ChecklistService:
        from tasklane.dal.dynamodb.checklists import DynamoChecklists
        from tasklane.dal.dynamodb.tasks import DynamoTasks
        from tasklane.domain.models import utc_now
        from tasklane.logic.checklists import ChecklistService

        return ChecklistService(DynamoChecklists(self.table), DynamoTasks(self.table), utc_now)

    @cached_property
    def trash(self) -> TrashService:
        from tasklane.dal.dynamodb.tasks import DynamoTasks
        from tasklane.dal.dynamodb.trash import DynamoTrash
        from tasklane.domain.models import utc_now
        from tasklane.logic.trash import TrashService

        return TrashService(
            DynamoTrash(self.table),
            DynamoTasks(self.table),
            self.cursors,
            self.settings.trash_retention_days,
            utc_now,
            limits=self.settings.limits,
        )

    @cached_property
    def archive(self) -> ArchiveService:
        from tasklane.dal.dynamodb.archive import DynamoArchive
        from tasklane.domain.models import utc_now
        from tasklane.logic.archive import ArchiveService

        return ArchiveService(DynamoArchive(self.table), utc_now)

    @cached_property
    def activity(self) -> ActivityService:
        from tasklane.dal.dynamodb.activity import DynamoActivity
        from tasklane.logic.activity import ActivityService

        return ActivityService(DynamoActivity(self.table), self.cursors)

    @cached_property
    def board(self) -> BoardService:
        from tasklane.dal.dynamodb.board import DynamoBoard
        from tasklane.dal.dynamodb.tasks import DynamoTasks
        from tasklane.logic.board import BoardService

        return BoardService(DynamoBoard(self.table), DynamoTasks(self.table))

    @cached_property
    def members(self) -> MemberService:
        from tasklane.dal.dynamodb.members import DynamoMembers
        from tasklane.logic.members import MemberService

        return MemberService(DynamoMembers(self.table), self.projects, self.cursors)

    @cached_property
    def invitations(self) -> InvitationService:
        from tasklane.dal.dynamodb.invitations import DynamoInvitations
        from tasklane.logic.invitations import InvitationService

        return InvitationService(
            DynamoInvitations(self.table),
            self.projects,
            self.profiles,
            self.cursors,
            self.settings.limits,
        )

    @cached_property
    def comments(self) -> CommentService:
        from tasklane.dal.dynamodb.comments import DynamoComments
        from tasklane.logic.comments import CommentService

        return CommentService(DynamoComments(self.table), self.cursors, limits=self.settings.limits)

    @cached_property
    def attachments(self) -> AttachmentService:
        from tasklane.dal.dynamodb.attachments import DynamoAttachments
        from tasklane.dal.storage import S3Storage
        from tasklane.logic.attachments import AttachmentService

        return AttachmentService(
            DynamoAttachments(self.table),
            S3Storage(self.settings.attachments.bucket, lambda: self.aws.s3),
            self.settings.attachments,
            limits=self.settings.limits,
        )

    @cached_property
    def inbox(self) -> InboxService:
        from tasklane.dal.dynamodb.notifications import DynamoInbox
        from tasklane.logic.notifications.inbox import InboxService

        return InboxService(DynamoInbox(self.table), self.cursors)

    # Export and import --------------------------------------------------------------
    @cached_property
    def exchange_files(self) -> ExchangeFiles:
        from tasklane.dal.files import S3ExchangeFiles

        return S3ExchangeFiles(self.settings.exchange.bucket, lambda: self.aws.s3)

    @cached_property
    def import_queue(self) -> JobQueue:
        from tasklane.dal.queue import SqsJobQueue

        return SqsJobQueue(self.settings.exchange.imports_queue_url, lambda: self.aws.sqs)

    @cached_property
    def exports(self) -> ExportService:
        from tasklane.dal.dynamodb.jobs import DynamoExports
        from tasklane.logic.exchange.exports import ExportService

        return ExportService(
            DynamoExports(self.table),
            self.projects,
            self.exchange_files,
            self.settings.exchange,
        )

    @cached_property
    def imports(self) -> ImportService:
        from tasklane.dal.dynamodb.jobs import DynamoImports
        from tasklane.logic.exchange.importing import ImportService

        return ImportService(
            DynamoImports(self.table),
            self.exchange_files,
            self.import_queue,
            self.projects,
            self.profile_time_zone,
            self.settings.exchange,
        )

    @cached_property
    def calendar_feeds(self) -> CalendarFeeds:
        from tasklane.dal.dynamodb.feeds import DynamoFeeds
        from tasklane.logic.exchange.feeds import CalendarFeeds

        return CalendarFeeds(
            DynamoFeeds(self.table),
            self.database,
            api_url=self.settings.api_url,
            web_url=self.settings.notifications.web_url,
            max_events=self.settings.exchange.calendar.max_events,
        )

    @cached_property
    def webhooks(self) -> WebhookRegistry:
        from tasklane.dal.dynamodb.webhooks import DynamoWebhooks
        from tasklane.dal.http import system_resolver
        from tasklane.dal.queue import SqsJobQueue
        from tasklane.domain.exchange.targets import TargetPolicy
        from tasklane.logic.exchange.registrations import WebhookRegistry

        policy = TargetPolicy(
            allow_http_loopback=self.settings.exchange.webhooks.allow_http_loopback
        )
        url = self.settings.exchange.webhooks_queue_url
        return WebhookRegistry(
            DynamoWebhooks(self.table),
            policy,
            system_resolver,
            # The test ping's only write is its message: there is nothing to write twice.
            queue=SqsJobQueue(url, lambda: self.aws.sqs),
        )

    def profile_time_zone(self, user_id: str) -> str:
        """The user's profile's time zone (UTC before they have a profile): what dates
        without an offset in an imported file mean."""
        from tasklane.domain.profiles import DEFAULT_TIME_ZONE

        with self.database.transaction() as tx:
            return tx.profiles.time_zone(user_id) or DEFAULT_TIME_ZONE

    # PostgreSQL use cases --------------------------------------------------------------
    @cached_property
    def profiles(self) -> ProfileService:
        from tasklane.logic.profiles import ProfileService

        return ProfileService(self.database, self.known_users)

    @cached_property
    def search(self) -> SearchService:
        from tasklane.logic.search import SearchService

        return SearchService(self.database, self.profiles, self.cursors)

    @cached_property
    def stats(self) -> StatsService:
        from tasklane.logic.stats import StatsService

        return StatsService(self.database, self.profiles)

    def close(self) -> None:
        close_database(self)


root: Root[ApiContainer] = Root(ApiContainer)
