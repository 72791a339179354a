"""The sweeper function's container: abandoned uploads and stalled project purges (the
table and the bucket only; no cursor secret, no PostgreSQL)."""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING

from tasklane.wiring.base import Container, Root

if TYPE_CHECKING:
    from tasklane.domain.ports.attachments import AttachmentStore
    from tasklane.domain.ports.projects import ProjectPurgeStore
    from tasklane.domain.ports.storage import ObjectStorage


class SweeperContainer(Container):
    @cached_property
    def attachment_store(self) -> AttachmentStore:
        from tasklane.dal.dynamodb.attachments import DynamoAttachments

        return DynamoAttachments(self.table)

    @cached_property
    def purge_store(self) -> ProjectPurgeStore:
        from tasklane.dal.dynamodb.project_purge import DynamoProjectPurge

        return DynamoProjectPurge(self.table)

    @cached_property
    def storage(self) -> ObjectStorage:
        from tasklane.dal.storage import S3Storage

        return S3Storage(self.settings.attachments.bucket, lambda: self.aws.s3)


root: Root[SweeperContainer] = Root(SweeperContainer)
