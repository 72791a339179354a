"""The exporter function's container: the export run (the table and S3 only: no PostgreSQL,
so the function runs outside the VPC)."""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING

from tasklane.wiring.base import Container, Root

if TYPE_CHECKING:
    from tasklane.logic.exchange.export_run import ExportRunner


class ExporterContainer(Container):
    @cached_property
    def runner(self) -> ExportRunner:
        from tasklane.dal.dynamodb.contents import DynamoProjectContents
        from tasklane.dal.dynamodb.jobs import DynamoExports
        from tasklane.dal.dynamodb.projects import DynamoProjects
        from tasklane.dal.files import S3ExchangeFiles
        from tasklane.dal.storage import S3Storage
        from tasklane.logic.exchange.export_run import ExportRunner

        return ExportRunner(
            DynamoExports(self.table),
            DynamoProjects(self.table),
            DynamoProjectContents(self.table),
            S3Storage(self.settings.attachments.bucket, lambda: self.aws.s3),
            S3ExchangeFiles(self.settings.exchange.bucket, lambda: self.aws.s3),
        )


root: Root[ExporterContainer] = Root(ExporterContainer)
