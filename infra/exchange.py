"""Export and import (issue 18): the exchange bucket, the export and import queues with
their DLQs, the exporter and importer functions, and what the api function may do with
them.

The bucket and the queues are read from ``tasklane.resources`` (``EXCHANGE_BUCKET``,
``EXPORTS_QUEUE``, ``IMPORTS_QUEUE``), as the local bootstrap reads them. Both workers run
outside the VPC: they read and write the table and S3 only (no PostgreSQL), so they need
neither NAT nor endpoints. Every grant names its prefix: the api signs upload forms for
``imports/`` and download links for ``exports/``; the exporter writes ``exports/`` and reads
the attachments; the importer reads ``imports/``.
"""

from __future__ import annotations

import aws_cdk as cdk
from aws_cdk import aws_iam as iam
from aws_cdk import aws_lambda_event_sources as sources
from constructs import Construct

from infra.bundling import LambdaBundles
from infra.config import StageConfig
from infra.data import Data, shaped_bucket
from infra.functions import ATTACHMENTS_PREFIX, ServiceFunction, logical_id
from infra.nag import acknowledge
from infra.notifications import NotificationQueue
from tasklane.resources import (
    EXCHANGE_BUCKET,
    EXPORTS_PREFIX,
    EXPORTS_QUEUE,
    IMPORTS_PREFIX,
    IMPORTS_QUEUE,
    ExchangeBucketShape,
)
from tasklane.settings import Env

#: A worker may run for Lambda's longest timeout; the queues' visibility is six times it.
WORKER_TIMEOUT_SECONDS = EXPORTS_QUEUE.visibility_timeout_seconds // 6
#: The ZIP streams through an 8 MiB part buffer and a 1 MiB CSV spool: memory buys CPU here.
WORKER_MEMORY_MB = 1024
#: Jobs run one per invocation, a few at a time: each reads a whole project.
WORKER_MAX_CONCURRENCY = 5
#: What each worker does with the table: read projects and contents, move its job item.
EXPORTER_TABLE_ACTIONS = ("dynamodb:GetItem", "dynamodb:BatchGetItem", "dynamodb:Query",
                          "dynamodb:UpdateItem")  # fmt: skip
#: The importer also writes projects, tasks, comments and claims (transactions are
#: authorised per item as these actions).
IMPORTER_TABLE_ACTIONS = (*EXPORTER_TABLE_ACTIONS, "dynamodb:PutItem",
                          "dynamodb:ConditionCheckItem")  # fmt: skip


class Exchange(Construct):
    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        config: StageConfig,
        bundles: LambdaBundles,
        data: Data,
        api_function: ServiceFunction,
        shape: ExchangeBucketShape = EXCHANGE_BUCKET,
    ) -> None:
        super().__init__(scope, construct_id)
        # Exports and uploads expire after shape.expiry_days (7), with their records.
        self.bucket = shaped_bucket(self, "Bucket", shape, config, data.access_logs, "exchange/")
        self.exports = NotificationQueue(self, "Exports", shape=EXPORTS_QUEUE)
        self.imports = NotificationQueue(self, "Imports", shape=IMPORTS_QUEUE)
        table = {Env.TABLE_NAME: data.table.table_name}
        bucket = {Env.EXCHANGE_BUCKET: self.bucket.bucket_name}

        self.exporter = self._worker(
            "Exporter",
            config,
            bundles,
            "exporter",
            "Tasklane exporter: export jobs to ZIP files",
            {**table, **bucket, Env.ATTACHMENTS_BUCKET: data.attachments.bucket_name},
            self.exports,
        )
        self.exporter.grant_table_items(data.table, ["gsi1"], EXPORTER_TABLE_ACTIONS)
        # Multipart uploads are authorised as PutObject; a failed export aborts its upload.
        self._grant_objects(
            self.exporter, EXPORTS_PREFIX, "s3:PutObject", "s3:AbortMultipartUpload"
        )
        self.exporter.role.add_to_principal_policy(
            iam.PolicyStatement(
                actions=["s3:GetObject", "s3:GetObjectVersion"],
                resources=[data.attachments.arn_for_objects(f"{ATTACHMENTS_PREFIX}*")],
            )
        )
        acknowledge(
            self.exporter.role,
            f"AwsSolutions-IAM5[Resource::<{logical_id(data.attachments)}.Arn>/"
            f"{ATTACHMENTS_PREFIX}*]",
            "An export copies the attachments of the projects it exports into its ZIP: read "
            "only, limited to the attachments/ prefix of the one bucket.",
        )

        self.importer = self._worker(
            "Importer",
            config,
            bundles,
            "importer",
            "Tasklane importer: uploaded files to projects and tasks",
            {**table, **bucket},
            self.imports,
        )
        self.importer.grant_table_items(data.table, [], IMPORTER_TABLE_ACTIONS)
        self._grant_objects(self.importer, IMPORTS_PREFIX, "s3:GetObject")

        # The api: presigned POST forms for imports (signed with its role: PutObject),
        # reading an upload back (dry run, HEAD), download links for exports; the jobs.
        for name, value in {
            **bucket,
            Env.EXPORTS_QUEUE_URL: self.exports.queue.queue_url,
            Env.IMPORTS_QUEUE_URL: self.imports.queue.queue_url,
        }.items():
            api_function.function.add_environment(name, value)
        self._grant_objects(api_function, IMPORTS_PREFIX, "s3:PutObject", "s3:GetObject")
        self._grant_objects(api_function, EXPORTS_PREFIX, "s3:GetObject")
        self.exports.grant_send(api_function)
        self.imports.grant_send(api_function)

    def _worker(
        self,
        construct_id: str,
        config: StageConfig,
        bundles: LambdaBundles,
        handler: str,
        description: str,
        environment: dict[str, str],
        jobs: NotificationQueue,
    ) -> ServiceFunction:
        fn = ServiceFunction(
            self,
            construct_id,
            config=config,
            bundles=bundles,
            handler=f"tasklane.handlers.{handler}.lambda_handler",
            description=description,
            memory_mb=WORKER_MEMORY_MB,
            timeout=cdk.Duration.seconds(WORKER_TIMEOUT_SECONDS),
            environment=environment,
        )
        # The event source grants receive / delete / change visibility on this queue only.
        fn.function.add_event_source(
            sources.SqsEventSource(
                jobs.queue,
                batch_size=1,
                report_batch_item_failures=True,
                max_concurrency=WORKER_MAX_CONCURRENCY,
            )
        )
        return fn

    def _grant_objects(self, fn: ServiceFunction, prefix: str, *actions: str) -> None:
        fn.role.add_to_principal_policy(
            iam.PolicyStatement(
                actions=list(actions), resources=[self.bucket.arn_for_objects(f"{prefix}*")]
            )
        )
        acknowledge(
            fn.role,
            f"AwsSolutions-IAM5[Resource::<{logical_id(self.bucket)}.Arn>/{prefix}*]",
            f"Exchange objects are keyed {prefix}<user id>/<job id>, one per export or import: "
            f"the grant is limited to the {prefix} prefix of the one bucket.",
        )
