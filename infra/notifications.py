"""The notification pipeline: queue + DLQ, the SES sender identity, notifier and reminders.

    events (stream) ──┐
                      ├──► notifications queue ──► notifier ──► SES e-mail + in-app note
    reminders ────────┘        │ (3 receives)         (outside the VPC: DynamoDB, SES, SQS)
    (EventBridge, 5 min;       ▼
     PostgreSQL, in the VPC)  DLQ ──► alarm

The queue's settings are read from ``tasklane.resources.NOTIFICATIONS_QUEUE`` (the local
bootstrap reads the same shape), never restated here. Producers in the isolated subnets
(events, reminders) reach SQS through an interface endpoint open to their security groups
only. Each role holds only what its function calls.
"""

from __future__ import annotations

import aws_cdk as cdk
from aws_cdk import aws_events as events
from aws_cdk import aws_events_targets as targets
from aws_cdk import aws_iam as iam
from aws_cdk import aws_lambda_event_sources as sources
from aws_cdk import aws_ses as ses
from aws_cdk import aws_sqs as sqs
from aws_cdk import triggers
from constructs import Construct

from infra.bundling import LambdaBundles
from infra.config import StageConfig
from infra.data import Data
from infra.database import Database
from infra.functions import ServiceFunction
from infra.nag import acknowledge
from infra.network import Network
from tasklane.resources import NOTIFICATIONS_QUEUE, REMINDER_INTERVAL_MINUTES, QueueShape
from tasklane.settings import Env

#: What the notifier writes: Powertools idempotency records (conditional put, get, update,
#: delete of an expired record) and in-app notifications (a put, or a transaction of puts
#: and updates, which DynamoDB authorises per item as PutItem / UpdateItem).
NOTIFIER_TABLE_ACTIONS = (
    "dynamodb:GetItem",
    "dynamodb:PutItem",
    "dynamodb:UpdateItem",
    "dynamodb:DeleteItem",
)
#: SES v2 ``SendEmail`` is authorised as ``ses:SendEmail``; the v1 raw API as SendRawEmail.
SES_SEND_ACTIONS = ("ses:SendEmail", "ses:SendRawEmail")
#: The notifier's SES resource as cdk-nag names it (see :func:`ses_send_statement`).
SES_IDENTITIES = "arn:<AWS::Partition>:ses:<AWS::Region>:<AWS::AccountId>:identity/*"
#: Batches from the queue (SQS's maximum without a batching window).
NOTIFIER_BATCH_SIZE = 10


def ses_send_statement(scope: Construct, sender: str) -> iam.PolicyStatement:
    """Sending as ``sender`` and nobody else.

    Not a grant on the sender's identity alone: in the SES sandbox every recipient is a
    verified identity of the account, and SES authorises the send against the recipient's
    identity too, so such a grant fails every sandbox send (the jobs would all end in the
    DLQ). The grant covers the account's identities in this region; the ``ses:FromAddress``
    condition keeps the From address to the stage's sender.
    """
    # Pseudo parameters, not the synth's region: the same statement (and the cdk-nag
    # acknowledgment naming it) whatever region the stack is deployed to.
    identities = f"arn:{cdk.Aws.PARTITION}:ses:{cdk.Aws.REGION}:{cdk.Aws.ACCOUNT_ID}:identity/*"
    return iam.PolicyStatement(
        actions=list(SES_SEND_ACTIONS),
        resources=[identities],
        conditions={"StringEquals": {"ses:FromAddress": sender}},
    )


class NotificationQueue(Construct):
    """The jobs queue and its DLQ: SQS-managed SSE, TLS-only policies, redrive from the shape."""

    def __init__(
        self, scope: Construct, construct_id: str, *, shape: QueueShape = NOTIFICATIONS_QUEUE
    ) -> None:
        super().__init__(scope, construct_id)
        if not shape.sqs_managed_sse:
            raise ValueError("the queue construct supports SQS-managed SSE only")
        self.shape = shape
        self.dlq = sqs.Queue(
            self,
            "Dlq",
            encryption=sqs.QueueEncryption.SQS_MANAGED,
            enforce_ssl=True,
            retention_period=cdk.Duration.seconds(shape.dlq_retention_seconds),
        )
        # (cdk-nag's SQS3 sees that this is the queue's DLQ: no acknowledgment needed.)
        self.queue = sqs.Queue(
            self,
            "Queue",
            encryption=sqs.QueueEncryption.SQS_MANAGED,
            enforce_ssl=True,
            visibility_timeout=cdk.Duration.seconds(shape.visibility_timeout_seconds),
            retention_period=cdk.Duration.seconds(shape.retention_seconds),
            receive_message_wait_time=cdk.Duration.seconds(shape.receive_wait_seconds),
            dead_letter_queue=sqs.DeadLetterQueue(
                queue=self.dlq, max_receive_count=shape.max_receive_count
            ),
        )

    def grant_send(self, fn: ServiceFunction) -> None:
        """``sqs:SendMessage`` (SendMessageBatch is authorised as it) on the queue only:
        the producers have the queue's URL, so no GetQueueUrl / GetQueueAttributes."""
        fn.role.add_to_principal_policy(
            iam.PolicyStatement(actions=["sqs:SendMessage"], resources=[self.queue.queue_arn])
        )


class Notifications(Construct):
    """Queue, SES identity, the notifier (queue consumer) and the reminders (scheduled).

    ``events`` is the stream consumer that also produces jobs: it gets the queue's settings
    and send permission here, so everything about the pipeline is in one place.
    """

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        config: StageConfig,
        bundles: LambdaBundles,
        data: Data,
        network: Network,
        database: Database,
        database_env: dict[str, str],
        events_function: ServiceFunction,
        migrations: triggers.Trigger,
        web_url: str,
    ) -> None:
        super().__init__(scope, construct_id)
        self.jobs = NotificationQueue(self, "Jobs")
        queue = self.jobs.queue
        # SES: the sender's e-mail identity. SES mails a verification link to the address on
        # deploy; until it is clicked (and, in the SES sandbox, for unverified recipients)
        # sends fail and the jobs end in the DLQ (docs/deploy.md). An identity is unique per
        # account and region: a stage whose sender another stage (or a verified domain)
        # already covers says sender_identity "existing" and creates none.
        self.sender_identity: ses.EmailIdentity | None = None
        if config.sender_identity == "create":
            self.sender_identity = ses.EmailIdentity(
                self, "SenderIdentity", identity=ses.Identity.email(config.sender_email)
            )
        environment = {
            Env.NOTIFICATIONS_QUEUE_URL: queue.queue_url,
            Env.MAIL_SENDER: config.sender_email,
            Env.WEB_URL: web_url,
        }

        # The notifier: outside the VPC (the job carries the recipient's snapshot, so no
        # PostgreSQL), hence no NAT or endpoints needed for DynamoDB, SES and SQS. Its
        # timeout is a sixth of the queue's visibility timeout, as AWS advises.
        self.notifier = ServiceFunction(
            self,
            "Notifier",
            config=config,
            bundles=bundles,
            handler="tasklane.handlers.notifier.lambda_handler",
            description="Tasklane notifier: notification jobs to e-mail and in-app notes",
            memory_mb=config.notifier_memory_mb,
            timeout=cdk.Duration.seconds(NOTIFICATIONS_QUEUE.visibility_timeout_seconds // 6),
            environment={Env.TABLE_NAME: data.table.table_name, **environment},
        )
        self.notifier.grant_table_items(data.table, [], NOTIFIER_TABLE_ACTIONS)
        self.notifier.role.add_to_principal_policy(ses_send_statement(self, config.sender_email))
        acknowledge(
            self.notifier.role,
            f"AwsSolutions-IAM5[Resource::{SES_IDENTITIES}]",
            "SES authorises a sandbox send against the recipient's identity as well as the "
            "sender's, so the grant covers the account's identities in this region; the "
            "ses:FromAddress condition holds it to the stage's one sender address.",
        )
        # The event source grants receive / delete / change visibility on this queue only.
        self.notifier.function.add_event_source(
            sources.SqsEventSource(
                queue,
                batch_size=NOTIFIER_BATCH_SIZE,
                report_batch_item_failures=True,
                max_concurrency=config.notifier_max_concurrency,
            )
        )

        # The reminders: PostgreSQL (tasks falling due, reminders_sent) through the proxy,
        # then SendMessageBatch; in the isolated subnets like the events function.
        self.reminders = ServiceFunction(
            self,
            "Reminders",
            config=config,
            bundles=bundles,
            handler="tasklane.handlers.reminders.lambda_handler",
            description="Tasklane reminders: tasks falling due to notification jobs",
            memory_mb=config.reminders_memory_mb,
            timeout=cdk.Duration.seconds(60),
            network=network,
            environment={**database_env, **environment},
        )
        # Its queries need the schema (reminders_sent): the migrations run first.
        migrations.execute_before(self.reminders.function)
        assert self.reminders.security_group is not None
        database.allow_clients(self.reminders.security_group)
        database.grant_connect(self.reminders.role)
        self.reminders_schedule = events.Rule(
            self,
            "RemindersSchedule",
            description="Tasklane: enqueue due-soon and overdue reminders",
            schedule=events.Schedule.rate(cdk.Duration.minutes(REMINDER_INTERVAL_MINUTES)),
            # A missed run is made up by the next one (it queries a window, not an instant).
            targets=[targets.LambdaFunction(self.reminders.function, retry_attempts=0)],
        )

        # The producers in the isolated subnets reach SQS through its interface endpoint
        # (opened by their declaration in infra/services.py).
        for producer in (events_function, self.reminders):
            self.jobs.grant_send(producer)
        for name, value in environment.items():
            events_function.function.add_environment(name, value)
        # The events function's NotificationJobs consumer also keeps the unread counter right
        # when TTL removes an unread notice: a conditional marker put and a counter update,
        # in one transaction (authorised per item as PutItem / UpdateItem), on the table only.
        events_function.grant_table_items(
            data.table, [], ("dynamodb:PutItem", "dynamodb:UpdateItem")
        )
