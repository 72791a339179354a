"""``ProjectStore`` on DynamoDB.

Round trips: create, get, update and delete are one request each (a TransactWriteItems that
checks the caller's membership and writes, or a BatchGetItem of the project and the
membership); a page of the caller's projects is two (a Query on gsi1 and a BatchGetItem of
the projects). Deleting is three: a Query of the memberships, the transaction that marks
the project and deletes them, and a Query for any membership added meanwhile (the purge of
the rest: :mod:`tasklane.dal.dynamodb.project_purge`).
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime
from typing import Any

from tasklane.dal.dynamodb import counters
from tasklane.dal.dynamodb import items as it
from tasklane.dal.dynamodb.table import Table, TransactionCancelled
from tasklane.domain.errors import Conflict
from tasklane.domain.models import Person, Project, Role, format_time
from tasklane.domain.ports.limits import Quota
from tasklane.domain.ports.pages import Page, PageKey
from tasklane.domain.project_purge import MEMBER_PREFIX, PURGE_PARTITION
from tasklane.domain.trash import project_archived

#: Other members deleted in the delete's own transaction (100 actions, three of them the
#: caller's membership, the mark and the quota counter); beyond, right after it.
MEMBERS_IN_DELETE = 97


class DynamoProjects:
    def __init__(self, table: Table) -> None:
        self._table = table

    def create_project(
        self, project: Project, owner: Person | None = None, quota: Quota | None = None
    ) -> None:
        project_item, member_item = it.project_to_items(project, owner)
        not_there = "attribute_not_exists(pk)"
        name = self._table.name
        counted = (
            [
                counters.raise_by_one(
                    name, counters.user_counters_key(project.owner_id), "projects", quota.maximum
                )
            ]
            if quota is not None
            else []
        )
        try:
            self._table.transact(
                [
                    *(
                        {"Put": {"TableName": name, "Item": item, "ConditionExpression": not_there}}
                        for item in (project_item, member_item)
                    ),
                    *counted,
                ]
            )
        except TransactionCancelled as exc:
            if quota is not None and exc.failed(2):
                raise counters.limit_reached(quota, "projects") from exc
            raise Conflict("project already exists") from exc

    def get_project(self, project_id: str, user_id: str) -> Project | None:
        found = self._table.batch_get(
            [it.project_key(project_id), it.member_key(project_id, user_id)]
        )
        by_sk = {item["sk"]["S"]: item for item in found}
        project, member = by_sk.get("PROJECT"), by_sk.get(f"MEMBER#{user_id}")
        if project is None or member is None:
            return None
        return it.project_from_item(project, Role(member["role"]["S"]))

    def list_projects(self, user_id: str, limit: int, start: PageKey | None) -> Page[Project]:
        members, next_key = self._table.gsi1_page(it.user_pk(user_id), limit, start)
        if not members:
            return Page([], next_key)
        projects = {
            item["pk"]["S"]: item
            for item in self._table.batch_get(
                [it.project_key(m["project_id"]["S"]) for m in members]
            )
        }
        result = [
            it.project_from_item(projects[m["pk"]["S"]], Role(m["role"]["S"]))
            for m in members
            if m["pk"]["S"] in projects
        ]
        return Page(result, next_key)

    def update_project(
        self,
        project_id: str,
        user_id: str,
        roles: Collection[Role],
        changes: dict[str, Any],
        expected_version: int | None,
        now: datetime,
    ) -> None:
        condition, values = Table.guard(expected_version)
        # Archived, read-only: in the update's own condition (a transaction takes one action
        # per item, so not Table.transact's separate check of the same project item).
        condition += " AND attribute_not_exists(#archived)"
        names = {"#version": "version", "#updated": "updated_at", "#archived": "archived_at"}
        sets = ["#version = #version + :one", "#updated = :now"]
        values |= {":one": {"N": "1"}, ":now": {"S": format_time(now)}}
        for n, (field, value) in enumerate(changes.items()):
            names[f"#f{n}"] = field
            values[f":f{n}"] = it.serialize({"v": value})["v"]
            sets.append(f"#f{n} = :f{n}")
        update = {
            "Update": {
                "TableName": self._table.name,
                "Key": it.project_key(project_id),
                "UpdateExpression": "SET " + ", ".join(sets),
                "ConditionExpression": condition,
                "ExpressionAttributeNames": names,
                "ExpressionAttributeValues": values,
                "ReturnValuesOnConditionCheckFailure": "ALL_OLD",
            }
        }
        try:
            self._table.transact([self._table.member_check(project_id, user_id, roles), update])
        except TransactionCancelled as exc:
            found = exc.item(1)
            if not exc.failed(0) and found is not None and "archived_at" in found:
                raise project_archived() from exc
            exc.raise_for(target=1, what="project")

    def delete_project(
        self,
        project_id: str,
        user_id: str,
        roles: Collection[Role],
        expected_version: int | None,
        now: datetime,
    ) -> None:
        # Everyone else's membership goes in the same transaction as the mark: from its
        # commit on, no former member reads or writes anything in the project.
        mine = f"MEMBER#{user_id}"
        others = [
            key
            for key in self._table.partition_keys(project_id, MEMBER_PREFIX)
            if key["sk"]["S"] != mine
        ][:MEMBERS_IN_DELETE]
        # The caller's membership goes with the project: its check becomes a Delete.
        member_check = self._table.member_check(project_id, user_id, roles)["ConditionCheck"]
        # Only an owner deletes, and the Inbox (never counted) cannot be deleted.
        freed = counters.lower_by_one(
            self._table.name, counters.user_counters_key(user_id), "projects"
        )
        removed = [{"Delete": {"TableName": self._table.name, "Key": key}} for key in others]
        try:
            self._table.transact(
                [{"Delete": member_check}, self._mark(project_id, user_id, expected_version, now),
                 freed, *removed]
            )  # fmt: skip
        except TransactionCancelled as exc:
            exc.raise_for(target=1, what="project")
        # A membership added between the read above and the mark (an invitation accepted;
        # none can be after it), or beyond one transaction's size: gone now, and the purge
        # deletes memberships first should this request die here.
        self._table.delete_all(self._table.partition_keys(project_id, MEMBER_PREFIX))

    def _mark(
        self, project_id: str, user_id: str, expected_version: int | None, now: datetime
    ) -> dict[str, Any]:
        """The project item marked deleted, and listed for the sweeper (gsi1)."""
        condition, values = Table.guard(expected_version)
        at = format_time(now)
        return {
            "Update": {
                "TableName": self._table.name,
                "Key": it.project_key(project_id),
                "UpdateExpression": "SET #deleted = :now, #by = :user, #version = #version + :one, "
                "gsi1pk = :purge, gsi1sk = :now",
                "ConditionExpression": f"{condition} AND attribute_not_exists(#deleted)",
                "ExpressionAttributeNames": {
                    "#deleted": "deleted_at",
                    "#by": "deleted_by",
                    "#version": "version",
                },
                "ExpressionAttributeValues": values
                | {
                    ":now": {"S": at},
                    ":user": {"S": user_id},
                    ":one": {"N": "1"},
                    ":purge": {"S": PURGE_PARTITION},
                },
                "ReturnValuesOnConditionCheckFailure": "ALL_OLD",
            }
        }

    def deletion_pending(self, project_id: str, user_id: str) -> bool:
        found = self._table.client.get_item(
            TableName=self._table.name,
            Key=it.project_key(project_id),
            ConsistentRead=True,
            ProjectionExpression="owner_id, deleted_at",
        ).get("Item")
        return (
            found is not None
            and "deleted_at" in found
            and found.get("owner_id", {}).get("S") == user_id
        )

    def project_has_tasks(self, project_id: str) -> bool:
        response = self._table.client.query(
            TableName=self._table.name,
            KeyConditionExpression="pk = :pk AND begins_with(sk, :task)",
            ExpressionAttributeValues={
                ":pk": {"S": it.project_pk(project_id)},
                ":task": {"S": "TASK#"},
            },
            ProjectionExpression="pk",
            ConsistentRead=True,
            Limit=1,
        )
        return bool(response.get("Items"))
