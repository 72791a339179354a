"""``ProjectContents`` in memory, on the shared :class:`tests.fakes.table.InMemoryTable`: one
kind of item of a project's partition at a time, in key order, as the DynamoDB adapter's
Queries read them (``tasklane.dal.dynamodb.contents``)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import TypeVar

from tasklane.dal.dynamodb import items as it
from tasklane.dal.dynamodb.attachments import record_from_item
from tasklane.domain.attachments import AttachmentRecord
from tasklane.domain.models import Comment, Task
from tests.fakes.table import InMemoryTable

T = TypeVar("T")


class InMemoryProjectContents:
    def __init__(self, table: InMemoryTable) -> None:
        self._table = table

    def _items(self, project_id: str, prefix: str, convert: Callable[[it.Item], T]) -> Iterator[T]:
        pk = it.project_pk(project_id)
        # A snapshot: the adapter's pages do not see writes made after they were read.
        found = [
            item
            for (p, s), item in sorted(self._table.items.items())
            if p == pk and s.startswith(prefix)
        ]
        return (convert(item) for item in found)

    def tasks(self, project_id: str) -> Iterator[Task]:
        return self._items(project_id, "TASK#", it.task_from_item)

    def comments(self, project_id: str) -> Iterator[Comment]:
        return self._items(project_id, "COMMENT#", it.comment_from_item)

    def attachments(self, project_id: str) -> Iterator[AttachmentRecord]:
        return self._items(project_id, "ATTACHMENT#", record_from_item)
