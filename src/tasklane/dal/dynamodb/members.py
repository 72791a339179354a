"""``MemberStore`` on DynamoDB: membership items in the project's partition.

Round trips: adding, changing and removing a member is one TransactWriteItems (the caller's
role and the write; a change of one's own membership is one conditional write with the role
in its condition, as a transaction may touch an item once); reading one is a BatchGetItem of
the membership asked for and the caller's. A page is a BatchGetItem (the caller's membership
and the project, for its owner), one Query (the other members, at most ``limit + 1`` read),
and on the first page a GetItem of the owner's membership when the caller is someone else:
2-3 requests.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any, NoReturn

from tasklane.dal.dynamodb import counters
from tasklane.dal.dynamodb import items as it
from tasklane.dal.dynamodb.table import Table, TransactionCancelled
from tasklane.domain.errors import Conflict, Forbidden, NotFound
from tasklane.domain.models import Member, Role
from tasklane.domain.ports.pages import Page, PageKey


class DynamoMembers:
    def __init__(self, table: Table) -> None:
        self._table = table

    def create_member(
        self, project_id: str, member: Member, user_id: str, roles: Collection[Role]
    ) -> None:
        """One TransactWriteItems: the caller's role, the new membership and its count."""
        if member.user_id == user_id:
            raise Conflict("you are already a member of this project")
        put = {
            "Put": {
                "TableName": self._table.name,
                "Item": it.member_to_item(project_id, member),
                "ConditionExpression": "attribute_not_exists(pk)",
            }
        }
        # Counted (never refused: an operator's direct add), as its removal will lower it.
        counted = counters.raise_unbounded(
            self._table.name, counters.project_counters_key(project_id), "members"
        )
        try:
            self._table.transact(
                [self._table.member_check(project_id, user_id, roles), put, counted],
                writable_project=project_id,
            )
        except TransactionCancelled as exc:
            if not exc.failed(0) and exc.failed(1):
                raise Conflict("the user is already a member of this project") from exc
            exc.raise_for(target=1, what="project")

    def get_member(self, project_id: str, member_id: str, user_id: str) -> Member | None:
        """One BatchGetItem: the membership asked for and the caller's."""
        keys = [it.member_key(project_id, user_id)]
        if member_id != user_id:
            keys.append(it.member_key(project_id, member_id))
        by_sk = {item["sk"]["S"]: item for item in self._table.batch_get(keys)}
        if f"MEMBER#{user_id}" not in by_sk:
            return None
        found = by_sk.get(f"MEMBER#{member_id}")
        return it.member_from_item(found) if found is not None else None

    def list_members(
        self, project_id: str, user_id: str, limit: int, start: PageKey | None
    ) -> Page[Member]:
        """A BatchGetItem (the caller's membership and the project, for its owner), one
        Query (the other members, at most ``limit + 1`` read), and on the first page a
        GetItem of the owner's membership when the caller is not the owner: 2-3 requests."""
        mine, project = it.member_key(project_id, user_id), it.project_key(project_id)
        by_sk = {item["sk"]["S"]: item for item in self._table.batch_get([mine, project])}
        if mine["sk"]["S"] not in by_sk or "PROJECT" not in by_sk:
            raise NotFound("project not found")
        owner_id = by_sk["PROJECT"]["owner_id"]["S"]
        first: list[Member] = []
        if start is None:
            owner = by_sk.get(f"MEMBER#{owner_id}") or self._table.client.get_item(
                TableName=self._table.name,
                Key=it.member_key(project_id, owner_id),
                ConsistentRead=True,
            ).get("Item")
            if owner is not None:
                first.append(it.member_from_item(owner))
            # The owner takes one place of the first page; the Query fills the others,
            # starting before every membership ("MEMBER#" sorts before "MEMBER#<id>").
            start, limit = {"pk": mine["pk"]["S"], "sk": "MEMBER#"}, limit - len(first)
            if limit == 0:
                return Page(first, start)
        request = {
            "TableName": self._table.name,
            "KeyConditionExpression": "pk = :pk AND begins_with(sk, :member)",
            "FilterExpression": "#role <> :owner",
            "ExpressionAttributeNames": {"#role": "role"},
            "ExpressionAttributeValues": {
                ":pk": mine["pk"],
                ":member": {"S": "MEMBER#"},
                ":owner": {"S": Role.owner.value},
            },
            "ConsistentRead": True,
        }
        found, next_key = self._table.page(request, limit, start, ("pk", "sk"))
        return Page(first + [it.member_from_item(item) for item in found], next_key)

    def update_member(
        self, project_id: str, member_id: str, user_id: str, roles: Collection[Role], role: Role
    ) -> None:
        """One TransactWriteItems: the caller's role, and the change unless it is the
        owner's membership (of one's own role: the one write, the role in its condition)."""
        update = _member_write(
            {
                "Update": {
                    "TableName": self._table.name,
                    "Key": it.member_key(project_id, member_id),
                    "UpdateExpression": "SET #role = :role",
                    "ExpressionAttributeValues": {":role": {"S": role.value}},
                }
            },
            "Update",
        )
        self._member_change(project_id, member_id, user_id, roles, update, "Update")

    def remove_member(
        self, project_id: str, member_id: str, user_id: str, roles: Collection[Role]
    ) -> None:
        """One TransactWriteItems: the caller's role and the removal (for leaving, of the
        caller's own membership alone, its role in the delete's condition)."""
        delete = _member_write(
            {
                "Delete": {
                    "TableName": self._table.name,
                    "Key": it.member_key(project_id, member_id),
                }
            },
            "Delete",
        )
        self._member_change(project_id, member_id, user_id, roles, delete, "Delete")

    def _member_change(
        self,
        project_id: str,
        member_id: str,
        user_id: str,
        roles: Collection[Role],
        write: dict[str, Any],
        kind: str,
    ) -> None:
        if member_id == user_id:
            # One item, once per transaction: the caller's role joins the write's condition.
            check = self._table.member_check(project_id, user_id, roles)["ConditionCheck"]
            body = write[kind]
            body["ConditionExpression"] += f" AND {check['ConditionExpression']}"
            body["ExpressionAttributeValues"] |= check["ExpressionAttributeValues"]
            items = [write]
        else:
            items = [self._table.member_check(project_id, user_id, roles), write]
        # A removal frees a place under the project's member limit (the counter only ever
        # counts members besides the owner, whose membership cannot be removed).
        counted = (
            [
                counters.lower_by_one(
                    self._table.name, counters.project_counters_key(project_id), "members"
                )
            ]
            if kind == "Delete"
            else []
        )
        # An archived project keeps its members as they are; leaving it stays possible (it
        # changes nothing of the project, and a member who cannot unarchive is not stuck).
        leaving = kind == "Delete" and member_id == user_id
        try:
            self._table.transact(
                [*items, *counted], writable_project=None if leaving else project_id
            )
        except TransactionCancelled as exc:
            if len(items) == 1 and exc.failed(0):
                _raise_member_refusal(exc.item(0), refused=True)
            if len(items) == 2 and not exc.failed(0) and exc.failed(1):
                _raise_member_refusal(exc.item(1))
            exc.raise_for(target=len(items) - 1, what="member")


def _member_write(write: dict[str, Any], kind: str) -> dict[str, Any]:
    """A write of an existing membership that is not the owner's."""
    body = write[kind]
    body["ConditionExpression"] = "attribute_exists(pk) AND #role <> :owner"
    body["ExpressionAttributeNames"] = {"#role": "role"}
    body["ExpressionAttributeValues"] = body.get("ExpressionAttributeValues", {}) | {
        ":owner": {"S": Role.owner.value}
    }
    body["ReturnValuesOnConditionCheckFailure"] = "ALL_OLD"
    return write


def _raise_member_refusal(item: it.Item | None, *, refused: bool = False) -> NoReturn:
    """Why a membership write was refused: it is not there, it is the owner's, or (for a
    change of one's own membership, ``refused``) the caller's role does not allow it."""
    if item is None:
        raise NotFound("member not found")
    if item.get("role", {}).get("S") == Role.owner.value:
        raise Conflict("the owner's membership cannot change; the owner cannot leave")
    if refused:
        raise Forbidden("your role in this project does not allow this change to the member")
    raise RuntimeError("membership write refused for no known reason")
