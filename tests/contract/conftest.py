"""The contract suite: every port's behaviour, held against each of its implementations.

One fixture, ``backend``, parametrised over ``fake`` (``tests/fakes``, in memory) and
``real`` (the adapters of ``tasklane.dal`` on the session's moto server and embedded
PostgreSQL). A test asks the backend for the ports it checks and runs once per backend, so a
fake can never drift from what the real adapter does: a unit test passing on the fake says
something about production.

Adding a port: a method on both backends below, and ``tests/contract/test_<port>.py``.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cached_property
from typing import TYPE_CHECKING, Any

import httpx
import pytest

from tasklane.dal.dynamodb import items as it
from tasklane.domain.models import Member, Person, Project, Role, Task, format_time
from tasklane.domain.notifications import NotificationJob
from tests.builders import project_model, task_model
from tests.fakes.activity import InMemoryActivity
from tests.fakes.archive import InMemoryArchive
from tests.fakes.attachments import InMemoryAttachments
from tests.fakes.board import InMemoryBoard
from tests.fakes.calendar import InMemoryFeeds
from tests.fakes.checklists import InMemoryChecklists
from tests.fakes.comments import InMemoryComments
from tests.fakes.contents import InMemoryProjectContents
from tests.fakes.imports import InMemoryImportSink
from tests.fakes.invitations import InMemoryInvitations
from tests.fakes.jobs import InMemoryExports, InMemoryImports
from tests.fakes.live import InMemoryConnections
from tests.fakes.mail import InMemoryMailer
from tests.fakes.members import InMemoryMembers
from tests.fakes.notifications import InMemoryInbox
from tests.fakes.project_purge import InMemoryProjectPurge
from tests.fakes.projection import InMemoryProjectedItems
from tests.fakes.projects import InMemoryProjects
from tests.fakes.queue import InMemoryJobQueue
from tests.fakes.recipients import InMemoryRecipients
from tests.fakes.relational import InMemoryDatabase, RelationalState
from tests.fakes.storage import InMemoryStorage
from tests.fakes.table import InMemoryTable, row
from tests.fakes.tasks import InMemoryPreparedOccurrences, InMemoryTasks
from tests.fakes.trash import InMemoryTrash
from tests.fakes.webhooks import InMemoryWebhookDeliveries, InMemoryWebhooks
from tests.servers import session_database

if TYPE_CHECKING:
    from tasklane.domain.ports.activity import ActivityStore
    from tasklane.domain.ports.archive import ArchiveStore
    from tasklane.domain.ports.attachments import AttachmentStore
    from tasklane.domain.ports.board import BoardStore
    from tasklane.domain.ports.calendar import FeedTokenStore
    from tasklane.domain.ports.checklists import ChecklistStore
    from tasklane.domain.ports.comments import CommentStore
    from tasklane.domain.ports.contents import ProjectContents
    from tasklane.domain.ports.imports import ImportSink
    from tasklane.domain.ports.invitations import InvitationStore
    from tasklane.domain.ports.jobs import ExportStore, ImportStore
    from tasklane.domain.ports.live import ConnectionStore
    from tasklane.domain.ports.mail import Mailer
    from tasklane.domain.ports.members import MemberStore
    from tasklane.domain.ports.notifications import NotificationInbox
    from tasklane.domain.ports.projection import ProjectionSource
    from tasklane.domain.ports.projects import ProjectPurgeStore, ProjectStore
    from tasklane.domain.ports.queue import JobQueue
    from tasklane.domain.ports.recipients import RecipientDirectory
    from tasklane.domain.ports.relational import Relational
    from tasklane.domain.ports.storage import ObjectStorage
    from tasklane.domain.ports.tasks import PreparedOccurrences, TaskStore
    from tasklane.domain.ports.trash import TrashStore
    from tasklane.domain.ports.webhooks import WebhookDeliveries, WebhookStore

T0 = datetime(2025, 3, 1, 9, 30, 15, 123000, tzinfo=UTC)
#: What a task item has had since the board: its position and the board index's keys.
_BOARD_ATTRIBUTES = ("position", "board_pk", "board_sk")


class FakeBackend:
    """Every port's fake, sharing what the real adapters share (the table, the database)."""

    name = "fake"

    def __init__(self) -> None:
        self.table = InMemoryTable()
        self.state = RelationalState()
        self._storage = InMemoryStorage()
        self._inbox = InMemoryInbox()
        self._queue = InMemoryJobQueue()
        self._mailer = InMemoryMailer()

    # DynamoDB ----------------------------------------------------------------------
    def projects(self) -> ProjectStore:
        return InMemoryProjects(self.table)

    def project_purge(self) -> ProjectPurgeStore:
        return InMemoryProjectPurge(self.table)

    def webhook_deliveries(self) -> WebhookDeliveries:
        return InMemoryWebhookDeliveries(self.table)

    def tasks(self) -> TaskStore:
        return InMemoryTasks(self.table)

    def prepared(self) -> PreparedOccurrences:
        return InMemoryPreparedOccurrences(self.table)

    def board(self) -> BoardStore:
        return InMemoryBoard(self.table)

    def members(self) -> MemberStore:
        return InMemoryMembers(self.table)

    def invitations(self) -> InvitationStore:
        return InMemoryInvitations(self.table)

    def checklists(self) -> ChecklistStore:
        return InMemoryChecklists(self.table)

    def trash(self) -> TrashStore:
        return InMemoryTrash(self.table)

    def activity(self) -> ActivityStore:
        return InMemoryActivity(self.table)

    def archive(self) -> ArchiveStore:
        return InMemoryArchive(self.table)

    def comments(self) -> CommentStore:
        return InMemoryComments(self.table)

    def attachments(self) -> AttachmentStore:
        return InMemoryAttachments(self.table)

    def webhooks(self) -> WebhookStore:
        return InMemoryWebhooks(self.table)

    def inbox(self) -> NotificationInbox:
        return self._inbox

    def connections(self) -> ConnectionStore:
        return InMemoryConnections(self.table)

    def projected_items(self) -> ProjectionSource:
        return InMemoryProjectedItems(self.table)

    def feeds(self) -> FeedTokenStore:
        return InMemoryFeeds(self.table)

    def exports(self) -> ExportStore:
        return InMemoryExports(self.table)

    def imports(self) -> ImportStore:
        return InMemoryImports(self.table)

    def import_sink(self) -> ImportSink:
        return InMemoryImportSink(self.table)

    def contents(self) -> ProjectContents:
        return InMemoryProjectContents(self.table)

    def share(self, project_id: str, user_id: str, role: Role) -> None:
        self.table.add_member(project_id, user_id, role)

    def item_keys(self) -> set[tuple[str, str]]:
        """Every item's (pk, sk), to check what a purge left."""
        return set(self.table.items)

    def forget_board(self, project_id: str, task_ids: list[str]) -> None:
        """The tasks and project as written before positions existed (set-up only)."""
        for task_id in task_ids:
            item = self.table.items[row(it.task_key(task_id))]
            for name in _BOARD_ATTRIBUTES:
                item.pop(name, None)
        self.table.items[row(it.project_key(project_id))].pop(it.BOARD_INDEXED, None)

    # S3, SQS, SES --------------------------------------------------------------------
    def storage(self) -> ObjectStorage:
        return self._storage

    def upload(self, form: tuple[str, dict[str, str]], body: bytes) -> None:
        _, fields = form
        self._storage.upload(fields["key"], body, fields["Content-Type"])

    def pending(self, key: str) -> bool:
        versions = self._storage.objects.get(key) or []
        return bool(versions) and "pending" in versions[-1].tags

    def queue(self) -> JobQueue:
        return self._queue

    def received(self) -> list[NotificationJob]:
        return list(self._queue.jobs)

    def mailer(self) -> Mailer:
        return self._mailer

    def mailbox(self) -> list[dict[str, str]]:
        return [{"to": m["to"], "subject": m["subject"]} for m in self._mailer.sent]

    # PostgreSQL ----------------------------------------------------------------------
    def database(self) -> Relational:
        return InMemoryDatabase(self.state, clock=lambda: T0)

    def recipients(self) -> RecipientDirectory:
        return InMemoryRecipients(self.state)


class RealBackend:
    """Every port's adapter, on the session's servers, made empty for the test."""

    name = "real"

    def __init__(self, request: pytest.FixtureRequest) -> None:
        self._request = request

    @cached_property
    def config(self) -> Any:
        return self._request.getfixturevalue("aws")

    @cached_property
    def clients(self) -> Any:
        from tasklane.dal.aws import AwsClients
        from tasklane.settings import AwsSettings

        return AwsClients(AwsSettings(self.config.region, self.config.endpoint_url))

    @cached_property
    def table(self) -> Any:
        from tasklane.dal.dynamodb.table import Table

        return Table(self.config.table_name, lambda: self.clients.dynamodb)

    # DynamoDB ----------------------------------------------------------------------
    def projects(self) -> ProjectStore:
        from tasklane.dal.dynamodb.projects import DynamoProjects

        return DynamoProjects(self.table)

    def project_purge(self) -> ProjectPurgeStore:
        from tasklane.dal.dynamodb.project_purge import DynamoProjectPurge

        return DynamoProjectPurge(self.table)

    def webhook_deliveries(self) -> WebhookDeliveries:
        from tasklane.dal.dynamodb.webhooks import DynamoWebhooks

        return DynamoWebhooks(self.table)

    def tasks(self) -> TaskStore:
        from tasklane.dal.dynamodb.tasks import DynamoTasks

        return DynamoTasks(self.table)

    def prepared(self) -> PreparedOccurrences:
        from tasklane.dal.dynamodb.recurrence import DynamoPreparedOccurrences

        return DynamoPreparedOccurrences(self.table)

    def board(self) -> BoardStore:
        from tasklane.dal.dynamodb.board import DynamoBoard

        return DynamoBoard(self.table)

    def members(self) -> MemberStore:
        from tasklane.dal.dynamodb.members import DynamoMembers

        return DynamoMembers(self.table)

    def invitations(self) -> InvitationStore:
        from tasklane.dal.dynamodb.invitations import DynamoInvitations

        return DynamoInvitations(self.table)

    def checklists(self) -> ChecklistStore:
        from tasklane.dal.dynamodb.checklists import DynamoChecklists

        return DynamoChecklists(self.table)

    def trash(self) -> TrashStore:
        from tasklane.dal.dynamodb.trash import DynamoTrash

        return DynamoTrash(self.table)

    def activity(self) -> ActivityStore:
        from tasklane.dal.dynamodb.activity import DynamoActivity

        return DynamoActivity(self.table)

    def archive(self) -> ArchiveStore:
        from tasklane.dal.dynamodb.archive import DynamoArchive

        return DynamoArchive(self.table)

    def comments(self) -> CommentStore:
        from tasklane.dal.dynamodb.comments import DynamoComments

        return DynamoComments(self.table)

    def webhooks(self) -> WebhookStore:
        from tasklane.dal.dynamodb.webhooks import DynamoWebhooks

        return DynamoWebhooks(self.table)

    def attachments(self) -> AttachmentStore:
        from tasklane.dal.dynamodb.attachments import DynamoAttachments

        return DynamoAttachments(self.table)

    def inbox(self) -> NotificationInbox:
        from tasklane.dal.dynamodb.notifications import DynamoInbox

        return DynamoInbox(self.table)

    def connections(self) -> ConnectionStore:
        from tasklane.dal.dynamodb.connections import DynamoConnections

        return DynamoConnections(self.table)

    def projected_items(self) -> ProjectionSource:
        from tasklane.dal.dynamodb.projected import DynamoProjectedItems

        return DynamoProjectedItems(self.table)

    def feeds(self) -> FeedTokenStore:
        from tasklane.dal.dynamodb.feeds import DynamoFeeds

        return DynamoFeeds(self.table)

    def exports(self) -> ExportStore:
        from tasklane.dal.dynamodb.jobs import DynamoExports

        return DynamoExports(self.table)

    def imports(self) -> ImportStore:
        from tasklane.dal.dynamodb.jobs import DynamoImports

        return DynamoImports(self.table)

    def import_sink(self) -> ImportSink:
        from tasklane.dal.dynamodb.imports import DynamoImportSink

        return DynamoImportSink(self.table)

    def contents(self) -> ProjectContents:
        from tasklane.dal.dynamodb.contents import DynamoProjectContents

        return DynamoProjectContents(self.table)

    def item_keys(self) -> set[tuple[str, str]]:
        """Every item's (pk, sk), to check what a purge left (a Scan: tests only)."""
        pages = self.clients.dynamodb.get_paginator("scan").paginate(
            TableName=self.table.name, ProjectionExpression="pk, sk"
        )
        return {(i["pk"]["S"], i["sk"]["S"]) for page in pages for i in page["Items"]}

    def share(self, project_id: str, user_id: str, role: Role) -> None:
        """The membership item, as ``MemberStore.create_member`` writes it (set-up only)."""
        member = Member(
            user_id=user_id,
            email=f"{user_id}@example.com",
            display_name=user_id,
            role=role,
            added_at=format_time(T0),
            added_by="set-up",
        )
        self.clients.dynamodb.put_item(
            TableName=self.table.name, Item=it.member_to_item(project_id, member)
        )

    def forget_board(self, project_id: str, task_ids: list[str]) -> None:
        """The tasks and project as written before positions existed (set-up only)."""
        for task_id in task_ids:
            self.clients.dynamodb.update_item(
                TableName=self.table.name,
                Key=it.task_key(task_id),
                UpdateExpression="REMOVE #a0, #a1, #a2",
                ExpressionAttributeNames={f"#a{n}": a for n, a in enumerate(_BOARD_ATTRIBUTES)},
            )
        self.clients.dynamodb.update_item(
            TableName=self.table.name,
            Key=it.project_key(project_id),
            UpdateExpression=f"REMOVE {it.BOARD_INDEXED}",
        )

    # S3, SQS, SES --------------------------------------------------------------------
    def storage(self) -> ObjectStorage:
        from tasklane.dal.storage import S3Storage

        return S3Storage(self.config.bucket_name, lambda: self.clients.s3)

    def upload(self, form: tuple[str, dict[str, str]], body: bytes) -> None:
        """What the browser does with the form: a multipart POST, the file last."""
        url, fields = form
        response = httpx.post(url, data=fields, files={"file": ("f", body)}, timeout=10)
        assert response.status_code in (200, 201, 204), response.text

    def pending(self, key: str) -> bool:
        tags = self.clients.s3.get_object_tagging(Bucket=self.config.bucket_name, Key=key)
        return any(t["Key"] == "pending" for t in tags["TagSet"])

    def queue(self) -> JobQueue:
        from tasklane.dal.queue import SqsJobQueue

        return SqsJobQueue(self.config.queue_url, lambda: self.clients.sqs)

    def received(self) -> list[NotificationJob]:
        jobs: list[NotificationJob] = []
        while True:
            messages = self.clients.sqs.receive_message(
                QueueUrl=self.config.queue_url, MaxNumberOfMessages=10, WaitTimeSeconds=0
            ).get("Messages", [])
            if not messages:
                return jobs
            for message in messages:
                jobs.append(NotificationJob.model_validate(json.loads(message["Body"])))
                self.clients.sqs.delete_message(
                    QueueUrl=self.config.queue_url, ReceiptHandle=message["ReceiptHandle"]
                )

    def mailer(self) -> Mailer:
        from tasklane.dal.mail import SesMailer

        return SesMailer(self.config.mail_sender, lambda: self.clients.ses)

    def mailbox(self) -> list[dict[str, str]]:
        from tasklane.local.mailbox import read_mailbox

        mail = read_mailbox(self.config.endpoint_url, self.config.region)
        return [{"to": m["to"][0], "subject": m["subject"]} for m in reversed(mail)]

    # PostgreSQL ----------------------------------------------------------------------
    @cached_property
    def _database(self) -> Any:
        return session_database(self._request.getfixturevalue("pg_tables"))

    def database(self) -> Relational:
        return self._database  # type: ignore[no-any-return]

    def recipients(self) -> RecipientDirectory:
        from tasklane.dal.postgres.recipients import PostgresRecipientDirectory

        return PostgresRecipientDirectory(self._database)


Backend = FakeBackend | RealBackend


@pytest.fixture(params=["fake", pytest.param("real", marks=pytest.mark.integration)])
def backend(request: pytest.FixtureRequest) -> Iterator[Backend]:
    if request.param == "fake":
        yield FakeBackend()
    else:
        yield RealBackend(request)


# Set-up shared by the DynamoDB ports' contracts ---------------------------------------------
ALICE, BOB, CAROL = "user-alice", "user-bob", "user-carol"


def project(owner: str = ALICE, name: str = "Work", *, inbox: bool = False) -> Project:
    return project_model(owner, format_time(T0), name, inbox=inbox)


def owner(user_id: str = ALICE) -> Person:
    return Person(user_id=user_id, email=f"{user_id}@example.com", display_name=user_id)


def task(project_id: str, title: str = "Write tests", by: str = ALICE, **fields: Any) -> Task:
    return task_model(project_id, by, format_time(T0), title=title, **fields)


@dataclass
class Shared:
    """A project of Alice's shared with Bob (editor) and Carol (viewer)."""

    backend: Backend
    project: Project = field(init=False)

    def __post_init__(self) -> None:
        self.project = project()
        self.backend.projects().create_project(self.project, owner())
        self.backend.share(self.project.id, BOB, Role.editor)
        self.backend.share(self.project.id, CAROL, Role.viewer)


@pytest.fixture
def shared(backend: Backend) -> Shared:
    return Shared(backend)
