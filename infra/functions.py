"""The Lambda functions: one code asset, one role and one log group per function.

Each role holds only what its function uses (no AWS managed policies): its own log group,
X-Ray, and the grants listed in :class:`Functions`. The table grants name the table and its
indexes (from ``resources.TABLE``) one by one, with the item-level actions the data access
layer calls — never ``Scan``, never ``*``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

import aws_cdk as cdk
from aws_cdk import aws_cloudwatch as cloudwatch
from aws_cdk import aws_dynamodb as dynamodb
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_events as events
from aws_cdk import aws_events_targets as targets
from aws_cdk import aws_iam as iam
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_lambda_event_sources as sources
from aws_cdk import aws_secretsmanager as secretsmanager
from aws_cdk import aws_sqs as sqs
from aws_cdk import triggers
from constructs import Construct

from infra.bundling import PACKAGE, LambdaBundles
from infra.config import LAMBDA_PYTHON, METRICS_NAMESPACE, SERVICE_NAME, StageConfig
from infra.data import Data
from infra.database import APP_USER, DATABASE_NAME, PORT, Database
from infra.log_groups import stage_log_group
from infra.nag import acknowledge
from infra.network import Network
from infra.services import services_of
from tasklane.dal.postgres.engine import RDS_CA_BUNDLE
from tasklane.settings import Env

RUNTIME = lambda_.Runtime(f"python{LAMBDA_PYTHON}", lambda_.RuntimeFamily.PYTHON)
ARCHITECTURE = lambda_.Architecture.ARM_64
#: Where Lambda unpacks the code asset.
LAMBDA_TASK_ROOT = "/var/task"
#: The RDS CA bundle's place in a bundle (the package's place under the task root).
RDS_CA_BUNDLE_IN_BUNDLE = f"tasklane/{RDS_CA_BUNDLE.relative_to(PACKAGE).as_posix()}"

#: What the api's data access layer calls (TransactWriteItems and TransactGetItems are
#: authorised per item as PutItem / UpdateItem / DeleteItem / ConditionCheckItem / GetItem).
TABLE_READ_WRITE = (
    "dynamodb:GetItem",
    "dynamodb:BatchGetItem",
    "dynamodb:Query",
    "dynamodb:PutItem",
    "dynamodb:UpdateItem",
    "dynamodb:DeleteItem",
    "dynamodb:BatchWriteItem",
    "dynamodb:ConditionCheckItem",
)
#: Presigned POST (with its pending tag) and GET are signed with the api's credentials; it
#: reads an object's head, clears the tag on completion and deletes objects and prefixes.
ATTACHMENT_OBJECT_ACTIONS = (
    "s3:PutObject",
    "s3:PutObjectTagging",
    "s3:GetObject",
    "s3:GetObjectVersion",
    "s3:DeleteObjectTagging",
    "s3:DeleteObjectVersionTagging",
    "s3:DeleteObject",
    "s3:DeleteObjectVersion",
)
ATTACHMENTS_PREFIX = "attachments/"
#: Lambda attaches a VPC function through network interfaces it manages with the function's
#: role; these actions support no resource-level permissions that Lambda's check accepts.
VPC_ACCESS_ACTIONS = (
    "ec2:CreateNetworkInterface",
    "ec2:DescribeNetworkInterfaces",
    "ec2:DescribeSubnets",
    "ec2:DeleteNetworkInterface",
    "ec2:AssignPrivateIpAddresses",
    "ec2:UnassignPrivateIpAddresses",
)


def warn_without_rds_ca_bundle(scope: Construct, bundle: Path = RDS_CA_BUNDLE) -> None:
    """Synth warns when the RDS CA bundle was not fetched (it is not in the repository)."""
    if not bundle.is_file():
        cdk.Annotations.of(scope).add_warning_v2(
            "tasklane:rds-ca-bundle",
            f"{RDS_CA_BUNDLE_IN_BUNDLE} is missing: the migrations (and so the deploy) "
            "will fail to connect until it is fetched (docs/deploy.md, 'Database TLS')",
        )


class ServiceFunction(Construct):
    """A function with its own role and log group, Powertools settings and X-Ray."""

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        config: StageConfig,
        bundles: LambdaBundles,
        handler: str,
        description: str,
        memory_mb: int,
        timeout: cdk.Duration,
        environment: Mapping[str, str],
        reserved_concurrency: int | None = None,
        unscoped_actions: str = "",
        network: Network | None = None,
    ) -> None:
        super().__init__(scope, construct_id)
        #: The AWS APIs its code calls (infra/services.py): the network paths opened below.
        self.services = services_of(handler)
        #: In the VPC (isolated subnets) with its own security group, or None: outside it.
        self.security_group: ec2.SecurityGroup | None = None
        if network is not None:
            self.security_group = ec2.SecurityGroup(
                self,
                "Sg",
                vpc=network.vpc,
                # EC2 refuses some characters (an apostrophe) in descriptions.
                description=f"{description.replace(chr(39), '')}: no ingress",
                allow_all_outbound=True,
            )
            network.open_paths(self.security_group, self.services)
            unscoped_actions += (
                ", and the network interface actions Lambda performs with the role to attach "
                "the function to its VPC (ec2:CreateNetworkInterface, ...)"
            )
        self.log_group = stage_log_group(self, "Logs", config)
        self.role = iam.Role(
            self,
            "Role",
            assumed_by=iam.ServicePrincipal("lambda.amazonaws.com"),
            description=f"{description} (least privilege)",
        )
        self.log_group.grant_write(self.role)
        if network is not None:
            # What AWSLambdaVPCAccessExecutionRole grants, inline (no AWS managed policies).
            self.role.add_to_principal_policy(
                iam.PolicyStatement(actions=list(VPC_ACCESS_ACTIONS), resources=["*"])
            )
        self.function = lambda_.Function(
            self,
            "Function",
            runtime=RUNTIME,
            architecture=ARCHITECTURE,
            code=bundles.code(handler),  # what this handler imports (infra/bundling.py)
            handler=handler,
            description=description,
            memory_size=memory_mb,
            timeout=timeout,
            role=self.role,
            log_group=self.log_group,
            tracing=lambda_.Tracing.ACTIVE,
            reserved_concurrent_executions=reserved_concurrency,
            vpc=network.vpc if network is not None else None,
            vpc_subnets=network.isolated_subnets if network is not None else None,
            security_groups=[self.security_group] if self.security_group else None,
            environment={
                Env.SERVICE_NAME: SERVICE_NAME,
                Env.METRICS_NAMESPACE: METRICS_NAMESPACE,
                "LOG_LEVEL": "DEBUG" if not config.production else "INFO",
                "POWERTOOLS_LOG_LEVEL": "DEBUG" if not config.production else "INFO",
                **environment,
            },
        )
        acknowledge(
            self.function,
            "AwsSolutions-L1",
            f"Python {LAMBDA_PYTHON}, not 3.14: the bundle ships bytecode compiled by the "
            "runtime's own Python version (no 3.14 interpreter on the build machines), and a "
            "bundle without it imports ~4x slower on every cold start (benchmarks/report.md).",
        )
        acknowledge(
            self,
            "AwsSolutions-IAM5[Resource::*]",
            "Only actions that support no resource-level permissions are on '*': X-Ray "
            f"PutTraceSegments and PutTelemetryRecords (active tracing){unscoped_actions}. "
            "Every other statement names its resource.",
        )

    def grant_table_items(
        self, table: dynamodb.ITable, index_names: Sequence[str], actions: Sequence[str]
    ) -> None:
        """Item-level ``actions`` on the table and the named indexes only (no wildcard)."""
        stack = cdk.Stack.of(self)
        index_arns = [
            stack.format_arn(
                service="dynamodb",
                resource="table",
                resource_name=f"{table.table_name}/index/{name}",
            )
            for name in index_names
        ]
        self.role.add_to_principal_policy(
            iam.PolicyStatement(actions=list(actions), resources=[table.table_arn, *index_arns])
        )

    def metric_errors(self) -> cloudwatch.Metric:
        return self.function.metric_errors(period=cdk.Duration.minutes(5), statistic="Sum")


class Functions(Construct):
    """The api function (always) and the events function (the table's stream consumer)."""

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        config: StageConfig,
        data: Data,
        user_pool_id: str,
        user_pool_client_id: str,
        api_url: str,
        network: Network,
        database: Database,
    ) -> None:
        super().__init__(scope, construct_id)
        bundles = LambdaBundles(python_version=LAMBDA_PYTHON, architecture=ARCHITECTURE)
        #: The code assets, for the functions other constructs add (notifications).
        self.bundles = bundles
        shape = data.table_shape
        index_names = [i.name for i in (*shape.global_indexes, *shape.local_indexes)]

        # The HMAC key that makes list cursors tamper-evident: read by the api at start-up.
        self.cursor_secret = secretsmanager.Secret(
            self,
            "CursorSecret",
            description="Tasklane: HMAC key for list cursors",
            generate_secret_string=secretsmanager.SecretStringGenerator(
                password_length=64, exclude_punctuation=True
            ),
            removal_policy=config.removal_policy,
        )
        acknowledge(
            self.cursor_secret,
            "AwsSolutions-SMG4",
            "The cursor HMAC key is not rotated automatically: a new key invalidates every "
            "cursor handed out (clients restart from the first page). Rotate by hand if it "
            "leaks; it protects only cursor integrity, never data access.",
        )

        common = {
            Env.TABLE_NAME: data.table.table_name,
            Env.ATTACHMENTS_BUCKET: data.attachments.bucket_name,
        }
        # The functions that use PostgreSQL: through the proxy, IAM auth as the app user.
        database_env = {
            Env.DB_HOST: database.proxy.endpoint,
            Env.DB_PORT: str(PORT),
            Env.DB_NAME: DATABASE_NAME,
            Env.DB_USER: APP_USER,
            Env.DB_AUTH: "iam",
            # The proxy's certificate (ACM) must chain to an Amazon Root CA and name the
            # proxy's host: an IAM token is never sent to an impostor. The roots are
            # certifi's, shipped in the bundle (tasklane.dal.postgres.engine).
            Env.DB_SSLMODE: "verify-full",
        }
        self.database_env = database_env
        self.api = ServiceFunction(
            self,
            "Api",
            config=config,
            bundles=bundles,
            handler="tasklane.handlers.api.lambda_handler",
            description="Tasklane api: REST requests from API Gateway",
            memory_mb=config.api_memory_mb,
            timeout=cdk.Duration.seconds(15),
            reserved_concurrency=config.api_reserved_concurrency,
            network=network,
            environment={
                **common,
                **database_env,
                Env.USER_POOL_ID: user_pool_id,
                Env.USER_POOL_CLIENT_ID: user_pool_client_id,
                Env.API_URL: api_url,
                Env.CORS_ORIGINS: ",".join(config.web_origins),
                Env.CURSOR_SECRET_ARN: self.cursor_secret.secret_arn,
            },
        )
        self.api.grant_table_items(data.table, index_names, TABLE_READ_WRITE)
        self.cursor_secret.grant_read(self.api.role)
        self._grant_attachment_objects(self.api, data, ATTACHMENT_OBJECT_ACTIONS)
        # An alias: the API targets it, and provisioned concurrency (a setting) lives on it.
        self.api_alias = lambda_.Alias(
            self,
            "ApiLive",
            alias_name="live",
            version=self.api.function.current_version,
            provisioned_concurrent_executions=config.api_provisioned_concurrency or None,
        )

        # The events function: the table's stream, in order per partition, partial failures.
        self.events_dlq = stream_dlq(self, "EventsDlq")
        self.events = ServiceFunction(
            self,
            "Events",
            config=config,
            bundles=bundles,
            handler="tasklane.handlers.events.lambda_handler",
            description="Tasklane events: the table's stream (projection, follow-ups)",
            memory_mb=config.events_memory_mb,
            timeout=cdk.Duration.seconds(60),
            environment={**common, **database_env},
            unscoped_actions=" and dynamodb:ListStreams (the stream event source)",
            network=network,
        )
        self.events.function.add_event_source(
            sources.DynamoEventSource(
                data.table,
                starting_position=lambda_.StartingPosition.TRIM_HORIZON,
                batch_size=config.events_batch_size,
                max_batching_window=cdk.Duration.seconds(1),
                bisect_batch_on_error=True,
                report_batch_item_failures=True,
                retry_attempts=config.events_retry_attempts,
                max_record_age=cdk.Duration.days(1),
                parallelization_factor=1,
                on_failure=sources.SqsDlq(self.events_dlq),
            )
        )

        # PostgreSQL: only these two functions reach the proxy, as the app user only.
        for fn in (self.api, self.events):
            assert fn.security_group is not None
            database.allow_clients(fn.security_group)
            database.grant_connect(fn.role)
        # The events function's attachment clean-up (logic.attachment_cleanup): it deletes a
        # removed task's attachment items and every version of their objects, and clears the
        # pending tag of completed uploads. A deleted project's purge (logic.project_purge)
        # needs the same: Query and BatchWriteItem of its partition, the objects under its
        # prefix, the project item's conditional DeleteItem, and the UpdateItem that starts
        # the next pass (granted with the notification consumer's, on the table only).
        self.events.grant_table_items(
            data.table, [], ("dynamodb:Query", "dynamodb:BatchWriteItem", "dynamodb:DeleteItem")
        )
        # The membership clean-up (logic.members.MembershipCleanup): a removed member's
        # assignments come from gsi1 (ASSIGNEE#<user>) and are cleared one transaction per
        # task, which checks the membership and the project (ConditionCheckItem).
        self.events.grant_table_items(
            data.table, ["gsi1"], ("dynamodb:Query", "dynamodb:ConditionCheckItem")
        )
        # The activity history (logic.activity): its entries, put in one transaction with a
        # check that their project exists (ConditionCheckItem, granted above). Its own grant:
        # the notification consumer's PutItem comes with the notifications construct. The
        # prepared next occurrences (logic.occurrences) use it too: the copy's PutItem in a
        # transaction with the task's stamp (UpdateItem, granted with the notifications'), and
        # a withdrawal's conditional DeleteItem (granted above).
        self.events.grant_table_items(data.table, [], ("dynamodb:PutItem",))
        self._grant_attachment_objects(
            self.events,
            data,
            (
                "s3:DeleteObject",
                "s3:DeleteObjectVersion",
                "s3:DeleteObjectTagging",
                "s3:DeleteObjectVersionTagging",
            ),
        )

        self.migrate = self._migrations_runner(config, bundles, network, database)
        self.sweeper = self._sweeper(config, bundles, data)

    def _grant_attachment_objects(
        self, fn: ServiceFunction, data: Data, actions: Sequence[str]
    ) -> None:
        """``actions`` on the attachment objects, and listing (with versions) their prefix."""
        fn.role.add_to_principal_policy(
            iam.PolicyStatement(
                actions=list(actions),
                resources=[data.attachments.arn_for_objects(f"{ATTACHMENTS_PREFIX}*")],
            )
        )
        fn.role.add_to_principal_policy(
            iam.PolicyStatement(
                actions=["s3:ListBucket", "s3:ListBucketVersions"],
                resources=[data.attachments.bucket_arn],
                conditions={"StringLike": {"s3:prefix": [f"{ATTACHMENTS_PREFIX}*"]}},
            )
        )
        acknowledge(
            fn.role,
            f"AwsSolutions-IAM5[Resource::<{logical_id(data.attachments)}.Arn>/"
            f"{ATTACHMENTS_PREFIX}*]",
            "Attachment objects are keyed attachments/<project>/<task>/<id>, created per upload: "
            "the grant is limited to that prefix of the one bucket.",
        )

    def _migrations_runner(
        self, config: StageConfig, bundles: LambdaBundles, network: Network, database: Database
    ) -> ServiceFunction:
        """Alembic ``upgrade head`` on every deploy that changes the code (migrations are in
        the bundle), after the database exists and before the api and events functions.

        It connects to the instance directly (not through the proxy) with the master secret:
        it must create the app user (``GRANT rds_iam``) that IAM authentication through the
        proxy needs, so it cannot itself depend on that user.
        """
        fn = ServiceFunction(
            self,
            "Migrate",
            config=config,
            bundles=bundles,
            handler="tasklane.handlers.migrate.lambda_handler",
            description="Tasklane migrations: Alembic upgrade on deploy (CDK Trigger)",
            memory_mb=512,
            timeout=cdk.Duration.minutes(5),
            network=network,
            environment={
                Env.DB_HOST: database.instance.db_instance_endpoint_address,
                Env.DB_PORT: database.instance.db_instance_endpoint_port,
                Env.DB_NAME: DATABASE_NAME,
                Env.DB_AUTH: "secret",
                Env.DB_SECRET_ARN: database.secret.secret_arn,
                # The instance's certificate chains to the RDS CA, which no public store
                # holds: the RDS CA bundle is package data (tasklane.dal.postgres.engine).
                Env.DB_SSLMODE: "verify-full",
                Env.DB_CA_BUNDLE: f"{LAMBDA_TASK_ROOT}/{RDS_CA_BUNDLE_IN_BUNDLE}",
                Env.DB_APP_USER: APP_USER,
                # The bundle's root is the function's task root.
                Env.MIGRATIONS_DIR: f"{LAMBDA_TASK_ROOT}/migrations",
            },
        )
        warn_without_rds_ca_bundle(fn)
        assert fn.security_group is not None
        database.allow_to_database(fn.security_group)
        database.secret.grant_read(fn.role)
        self.migrate_trigger = triggers.Trigger(
            self,
            "MigrateOnDeploy",
            handler=fn.function,
            execute_after=[database.instance],
            execute_before=[self.api.function, self.events.function],
            execute_on_handler_change=True,
            invocation_type=triggers.InvocationType.REQUEST_RESPONSE,
            timeout=cdk.Duration.minutes(6),
        )
        return fn

    def _sweeper(self, config: StageConfig, bundles: LambdaBundles, data: Data) -> ServiceFunction:
        """``sweep_stale_uploads`` on a schedule; outside the VPC (no PostgreSQL)."""
        fn = ServiceFunction(
            self,
            "Sweeper",
            config=config,
            bundles=bundles,
            handler="tasklane.handlers.sweeper.lambda_handler",
            description="Tasklane sweeper: abandoned uploads, stalled project purges",
            memory_mb=256,
            timeout=cdk.Duration.minutes(5),
            environment={
                Env.TABLE_NAME: data.table.table_name,
                Env.ATTACHMENTS_BUCKET: data.attachments.bucket_name,
            },
        )
        # stale_uploads queries gsi1; discard_upload deletes the attachment item and updates
        # the task in one transaction (or deletes the item alone when the task is gone).
        # Stalled project purges: a Query of gsi1 (PURGE) and an UpdateItem of each.
        fn.grant_table_items(
            data.table,
            ["gsi1"],
            ("dynamodb:Query", "dynamodb:DeleteItem", "dynamodb:UpdateItem"),
        )
        self._grant_attachment_objects(fn, data, ("s3:DeleteObject", "s3:DeleteObjectVersion"))
        self.sweeper_schedule = events.Rule(
            self,
            "SweeperSchedule",
            description="Tasklane: sweep abandoned attachment uploads",
            schedule=events.Schedule.rate(cdk.Duration.minutes(config.sweeper_interval_minutes)),
            targets=[targets.LambdaFunction(fn.function, retry_attempts=2)],
        )
        return fn


def stream_dlq(scope: Construct, construct_id: str) -> sqs.Queue:
    """The dead-letter destination of a stream event source mapping (failure records)."""
    queue = sqs.Queue(
        scope,
        construct_id,
        encryption=sqs.QueueEncryption.SQS_MANAGED,
        enforce_ssl=True,
        retention_period=cdk.Duration.days(14),
    )
    acknowledge(
        queue,
        "AwsSolutions-SQS3",
        "This queue is the dead-letter destination of a stream's event source mapping; it "
        "has no dead-letter queue of its own.",
    )
    return queue


def logical_id(construct: Construct) -> str:
    """The logical id of a construct's CloudFormation resource (for nag finding ids)."""
    child = construct.node.default_child
    assert isinstance(child, cdk.CfnElement)
    stack = cdk.Stack.of(construct)
    return str(stack.resolve(stack.get_logical_id(child)))
