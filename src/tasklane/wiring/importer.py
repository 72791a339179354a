"""The importer function's container: the import run (the table and S3 only: no PostgreSQL,
so the function runs outside the VPC)."""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING

from tasklane.wiring.base import Container, Root

if TYPE_CHECKING:
    from tasklane.logic.exchange.import_run import ImportRunner


class ImporterContainer(Container):
    @cached_property
    def runner(self) -> ImportRunner:
        from tasklane.dal.dynamodb.imports import DynamoImportSink
        from tasklane.dal.dynamodb.jobs import DynamoImports
        from tasklane.dal.files import S3ExchangeFiles
        from tasklane.logic.exchange.import_run import ImportRunner

        return ImportRunner(
            DynamoImports(self.table),
            DynamoImportSink(self.table),
            S3ExchangeFiles(self.settings.exchange.bucket, lambda: self.aws.s3),
            self.settings.exchange.imports,
            quotas=self.settings.limits,
        )


root: Root[ImporterContainer] = Root(ImporterContainer)
