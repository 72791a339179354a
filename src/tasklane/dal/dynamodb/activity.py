"""``ActivityStore`` on DynamoDB.

An entry is an item ``ACTIVITY#<entry id>`` in its project's partition (the project's feed
is one Query, newest first, and deleting the project takes its history), on gsi1 under
``ACTIVITY#<task id>`` when it concerns a task (the task's feed), with the table's TTL a
year after the change. The entry itself is kept as JSON: ``old`` and ``new`` hold any
value a field had. Recording is one TransactWriteItems: the project's existence (a change
arriving after the project was deleted writes nothing) and one Put per entry, whose id is
derived from the change, so a replay rewrites the same items.
"""

from __future__ import annotations

from collections.abc import Sequence

from tasklane.dal.dynamodb import items as it
from tasklane.dal.dynamodb.table import Table, TransactionCancelled
from tasklane.domain.activity import ActivityEntry, expires_at
from tasklane.domain.errors import NotFound
from tasklane.domain.ids import split_task_id
from tasklane.domain.ports.pages import Page, PageKey

#: TransactWriteItems takes 100 actions: the project's check and 99 entries.
MAX_ENTRIES = 99


def entry_to_item(entry: ActivityEntry) -> it.Item:
    values = {
        "type": "activity",
        "entry": entry.model_dump_json(),
        it.EXPIRES_AT: expires_at(entry.at),
    }
    if entry.task_id is not None:
        values |= {"gsi1pk": it.task_activity_pk(entry.task_id), "gsi1sk": entry.id}
    return {**it.activity_key(entry.project_id, entry.id), **it.serialize(values)}


def entry_from_item(item: it.Item) -> ActivityEntry:
    return ActivityEntry.model_validate_json(item["entry"]["S"])


class DynamoActivity:
    def __init__(self, table: Table) -> None:
        self._table = table

    def record(self, project_id: str, entries: Sequence[ActivityEntry]) -> bool:
        if not entries:
            return True
        puts = [
            {"Put": {"TableName": self._table.name, "Item": entry_to_item(entry)}}
            for entry in entries[:MAX_ENTRIES]
        ]
        try:
            self._table.transact([self._table.live_project_check(project_id), *puts])
        except TransactionCancelled as exc:
            if exc.failed(0):
                return False
            raise
        return True

    def project_page(
        self, project_id: str, user_id: str, limit: int, start: PageKey | None
    ) -> Page[ActivityEntry]:
        self._table.require_member(project_id, user_id)
        request = {
            "TableName": self._table.name,
            "KeyConditionExpression": "pk = :pk AND begins_with(sk, :prefix)",
            "ExpressionAttributeValues": {
                ":pk": {"S": it.project_pk(project_id)},
                ":prefix": {"S": it.ACTIVITY_PREFIX},
            },
            "ScanIndexForward": False,
        }
        found, next_key = self._table.page(request, limit, start, ("pk", "sk"))
        return Page([entry_from_item(item) for item in found], next_key)

    def task_page(
        self, task_id: str, user_id: str, limit: int, start: PageKey | None
    ) -> Page[ActivityEntry]:
        parts = split_task_id(task_id)
        if parts is None:
            raise NotFound("task not found")
        self._table.require_member(parts[0], user_id)
        found, next_key = self._table.gsi1_page(
            it.task_activity_pk(task_id), limit, start, forward=False
        )
        return Page([entry_from_item(item) for item in found], next_key)
