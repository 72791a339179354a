"""``ChecklistStore`` on DynamoDB: each item is the task item's attribute ``chk_<item id>``.

Every write is one TransactWriteItems of the caller's membership check and one UpdateItem
that touches the item's own attribute (plus the task's version, times and item count).
Different items are different attributes: two ticks at once both land. Their conditions
name only their own item (and the task's version when ``If-Match`` was sent).
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime
from typing import Any

from tasklane.dal.dynamodb import items as it
from tasklane.dal.dynamodb.table import Table, TransactionCancelled
from tasklane.dal.dynamodb.task_updates import TaskUpdate
from tasklane.domain.checklists import MAX_ITEMS, ChecklistFull, ChecklistItem
from tasklane.domain.errors import NotFound, PreconditionFailed
from tasklane.domain.ids import split_task_id
from tasklane.domain.models import Role, Task, format_time


class DynamoChecklists:
    def __init__(self, table: Table) -> None:
        self._table = table

    def _write(
        self,
        task_id: str,
        user_id: str,
        roles: Collection[Role],
        expression: TaskUpdate,
        conditions: list[str],
        expected_version: int | None,
        extra: list[dict[str, Any]] | None = None,
    ) -> TransactionCancelled | None:
        """The item's update in one transaction; the refusal when a condition of the
        update (not the membership) failed with the task present, for the caller to name."""
        parts = split_task_id(task_id)
        if parts is None:
            raise NotFound("task not found")
        guard, values = Table.guard(expected_version)
        expression.names["#c_deleted"] = "deleted_at"
        update = {
            "Update": {
                "TableName": self._table.name,
                "Key": it.task_key(task_id),
                "UpdateExpression": expression.render(),
                "ConditionExpression": " AND ".join(
                    [guard, "attribute_not_exists(#c_deleted)", *conditions]
                ),
                "ExpressionAttributeNames": expression.names,
                "ExpressionAttributeValues": values | expression.values,
                "ReturnValuesOnConditionCheckFailure": "ALL_OLD",
            }
        }
        try:
            self._table.transact(
                [self._table.member_check(parts[0], user_id, roles), update, *(extra or [])],
                writable_project=parts[0],
            )
        except TransactionCancelled as exc:
            found = exc.item(1) if exc.failed(1) and not exc.failed(0) else None
            if found is not None and "deleted_at" in found:
                raise NotFound("task not found") from exc
            if found is None:
                exc.raise_for(target=1, what="task")
            if expected_version is not None and int(found["version"]["N"]) != expected_version:
                exc.raise_for(target=1, what="task")
            return exc
        return None

    def add_item(
        self,
        task_id: str,
        user_id: str,
        roles: Collection[Role],
        item: ChecklistItem,
        expected_version: int | None,
        now: datetime,
    ) -> None:
        expression = TaskUpdate(task_id, user_id, now)
        expression.names |= {"#chk": it.checklist_attribute(item.id), "#count": it.CHECKLIST_COUNT}
        expression.values |= {
            ":item": it.serialize({"v": it.checklist_item_value(item)})["v"],
            ":zero": {"N": "0"},
            ":max": {"N": str(MAX_ITEMS)},
        }
        expression.add_set("#chk = :item")
        expression.add_set("#count = if_not_exists(#count, :zero) + :one")
        conditions = [
            "attribute_not_exists(#chk)",
            "(attribute_not_exists(#count) OR #count < :max)",
        ]
        refused = self._write(task_id, user_id, roles, expression, conditions, expected_version)
        if refused is not None:
            raise ChecklistFull(f"a checklist holds at most {MAX_ITEMS} items") from refused

    def change_item(
        self,
        task_id: str,
        item_id: str,
        user_id: str,
        roles: Collection[Role],
        changes: dict[str, Any],
        expected_version: int | None,
        now: datetime,
    ) -> None:
        expression = TaskUpdate(task_id, user_id, now)
        expression.names["#chk"] = it.checklist_attribute(item_id)
        for field in ("text", "position"):
            if field in changes:
                expression.names[f"#f_{field}"] = field
                expression.values[f":f_{field}"] = {"S": str(changes[field])}
                expression.add_set(f"#chk.#f_{field} = :f_{field}")
        if "done" in changes:
            expression.names |= {"#f_done": "done", "#f_by": "done_by", "#f_at": "done_at"}
            expression.values[":f_done"] = {"BOOL": bool(changes["done"])}
            expression.add_set("#chk.#f_done = :f_done")
            if changes["done"]:
                # Ticking a ticked item keeps who ticked it first.
                expression.values[":f_at"] = {"S": format_time(now)}
                expression.add_set("#chk.#f_by = if_not_exists(#chk.#f_by, :by)")
                expression.add_set("#chk.#f_at = if_not_exists(#chk.#f_at, :f_at)")
            else:
                expression.add_remove("#chk.#f_by")
                expression.add_remove("#chk.#f_at")
        refused = self._write(
            task_id, user_id, roles, expression, ["attribute_exists(#chk)"], expected_version
        )
        if refused is not None:
            raise NotFound("checklist item not found") from refused

    def remove_item(
        self,
        task_id: str,
        item_id: str,
        user_id: str,
        roles: Collection[Role],
        expected_version: int | None,
        now: datetime,
    ) -> None:
        expression = _removal(task_id, item_id, user_id, now)
        refused = self._write(
            task_id, user_id, roles, expression, ["attribute_exists(#chk)"], expected_version
        )
        if refused is not None:
            raise NotFound("checklist item not found") from refused

    def convert_item(
        self,
        task_id: str,
        item: ChecklistItem,
        user_id: str,
        roles: Collection[Role],
        created: Task,
        now: datetime,
    ) -> None:
        expression = _removal(task_id, item.id, user_id, now)
        expression.names["#f_text"] = "text"
        expression.values[":f_text"] = {"S": item.text}
        put = {
            "Put": {
                "TableName": self._table.name,
                "Item": it.task_to_item(created),
                "ConditionExpression": "attribute_not_exists(pk)",
            }
        }
        refused = self._write(
            task_id, user_id, roles, expression, ["#chk.#f_text = :f_text"], None, [put]
        )
        if refused is not None:
            if it.checklist_attribute(item.id) in (refused.item(1) or {}):
                raise PreconditionFailed(
                    "the item has changed since you read it; read it again and retry"
                ) from refused
            raise NotFound("checklist item not found") from refused


def _removal(task_id: str, item_id: str, user_id: str, now: datetime) -> TaskUpdate:
    expression = TaskUpdate(task_id, user_id, now)
    expression.names |= {"#chk": it.checklist_attribute(item_id), "#count": it.CHECKLIST_COUNT}
    expression.add_set("#count = #count - :one")
    expression.add_remove("#chk")
    return expression
