"""``InvitationStore`` on DynamoDB: invitation items in their project's partition.

======================  ====================  ================  ===============================
item                    pk                    sk                index keys
======================  ====================  ================  ===============================
invitation              PROJECT#<project id>  INVITE#<ulid>     while pending, gsi1:
                                                                INVITEE#<address>,
                                                                INVITE#<created>#<id>; TTL
======================  ====================  ================  ===============================

Round trips: creating, accepting, declining and revoking are one TransactWriteItems each
(the invitation with its quota counters and, for acceptance, the membership); reading one is
a GetItem; a project's pending invitations are a GetItem (the caller's membership) and one
Query; an invitee's are one Query on gsi1. Closing an invitation updates it (``status``, off
gsi1, a short TTL) rather than deleting it: every removal the stream sees is then the TTL's
or a project purge's, and :meth:`release_removed` frees its inviter's slot exactly once.
"""

from __future__ import annotations

import time
from collections.abc import Collection
from datetime import datetime, timedelta
from typing import Any, NoReturn

from tasklane.dal.dynamodb import counters
from tasklane.dal.dynamodb import items as it
from tasklane.dal.dynamodb.table import GSI1_KEYS, Table, TransactionCancelled
from tasklane.domain.errors import Conflict, NotFound
from tasklane.domain.ids import split_invitation_id
from tasklane.domain.invitations import CLOSED_KEPT_DAYS, Invitation, InvitationStatus
from tasklane.domain.models import Member, Role, format_time
from tasklane.domain.notifications import parse_instant
from tasklane.domain.ports.limits import DailyQuota, Quota
from tasklane.domain.ports.pages import Page, PageKey
from tasklane.domain.trash import project_archived

#: A removal counted: the marker outlives any redelivery of the stream record (24 h).
RELEASE_MARKER_SECONDS = 3 * 24 * 3600
PENDING = "pending_invitations"


def invitation_key(invitation_id: str) -> it.Key:
    parts = split_invitation_id(invitation_id)
    if parts is None:
        raise ValueError("not an invitation id")
    return {"pk": {"S": it.project_pk(parts[0])}, "sk": {"S": f"INVITE#{parts[1]}"}}


def invitee_pk(email_key: str) -> str:
    return f"INVITEE#{email_key}"


def _epoch(value: str) -> int:
    return int(parse_instant(value).timestamp())


def invitation_to_item(invitation: Invitation) -> it.Item:
    values: dict[str, Any] = {
        "type": "invitation",
        "invitation_id": invitation.id,
        "project_id": invitation.project_id,
        "project_name": invitation.project_name,
        "email": invitation.email,
        "email_key": invitation.email_key,
        "role": invitation.role.value,
        "invited_by": invitation.invited_by,
        "inviter_name": invitation.inviter_name,
        "created_at": invitation.created_at,
        "expires": invitation.expires_at,
        "status": invitation.status.value,
        # DynamoDB's TTL removes it once it expired (the stream then frees its slot).
        "expires_at": _epoch(invitation.expires_at),
    }
    if invitation.status is InvitationStatus.pending:
        values |= {
            "gsi1pk": invitee_pk(invitation.email_key),
            "gsi1sk": f"INVITE#{invitation.created_at}#{invitation.id}",
        }
    return {**invitation_key(invitation.id), **it.serialize(values)}


def invitation_from_item(item: it.Item) -> Invitation:
    data = it.deserialize(item)
    return Invitation(
        id=data["invitation_id"],
        project_id=data["project_id"],
        project_name=data.get("project_name", ""),
        email=data["email"],
        role=Role(data["role"]),
        invited_by=data["invited_by"],
        inviter_name=data.get("inviter_name", ""),
        created_at=data["created_at"],
        expires_at=data["expires"],
        status=InvitationStatus(data["status"]),
    )


class DynamoInvitations:
    def __init__(self, table: Table) -> None:
        self._table = table

    def _open_project(self, project_id: str) -> dict[str, Any]:
        """The project exists, is not marked deleted, and is not archived (read-only: its
        membership changes neither). The item found comes back on failure
        (:func:`_raise_closed_project` says why). Not ``Table.transact``'s own archive
        check: a transaction takes one action per item."""
        return {
            "ConditionCheck": {
                "TableName": self._table.name,
                "Key": it.project_key(project_id),
                "ConditionExpression": "attribute_exists(pk) AND attribute_not_exists(deleted_at) "
                "AND attribute_not_exists(archived_at)",
                "ReturnValuesOnConditionCheckFailure": "ALL_OLD",
            }
        }

    def create_invitation(
        self,
        invitation: Invitation,
        user_id: str,
        roles: Collection[Role],
        pending: Quota,
        daily: DailyQuota,
    ) -> None:
        name = self._table.name
        actions = [
            self._table.member_check(invitation.project_id, user_id, roles),
            self._open_project(invitation.project_id),
            {
                "Put": {
                    "TableName": name,
                    "Item": invitation_to_item(invitation),
                    "ConditionExpression": "attribute_not_exists(pk)",
                }
            },
            counters.raise_by_one(
                name, counters.user_counters_key(user_id), PENDING, pending.maximum
            ),
            counters.raise_today(name, user_id, "invitations", daily),
        ]
        try:
            self._table.transact(actions)
        except TransactionCancelled as exc:
            if exc.failed(0):
                exc.raise_for(target=2, what="project")
            if exc.failed(1):
                _raise_closed_project(exc.item(1), "project not found")
            if exc.failed(3):
                raise counters.limit_reached(pending, "pending invitations") from exc
            if exc.failed(4):
                raise counters.rate_limited(daily, "invitations") from exc
            exc.raise_for(target=2, what="invitation")

    def get_invitation(self, invitation_id: str) -> Invitation | None:
        if split_invitation_id(invitation_id) is None:
            return None
        found = self._table.client.get_item(
            TableName=self._table.name, Key=invitation_key(invitation_id), ConsistentRead=True
        ).get("Item")
        if found is None or found.get("type", {}).get("S") != "invitation":
            return None
        return invitation_from_item(found)

    def list_project_invitations(
        self,
        project_id: str,
        user_id: str,
        roles: Collection[Role],
        limit: int,
        start: PageKey | None,
    ) -> Page[Invitation]:
        self._table.check_role(project_id, user_id, roles, "project")
        request = {
            "TableName": self._table.name,
            "KeyConditionExpression": "pk = :pk AND begins_with(sk, :invite)",
            "FilterExpression": "#status = :pending",
            "ExpressionAttributeNames": {"#status": "status"},
            "ExpressionAttributeValues": {
                ":pk": {"S": it.project_pk(project_id)},
                ":invite": {"S": "INVITE#"},
                ":pending": {"S": InvitationStatus.pending.value},
            },
            "ConsistentRead": True,
        }
        found, next_key = self._table.page(request, limit, start, ("pk", "sk"))
        return Page([invitation_from_item(item) for item in found], next_key)

    def list_invitee_invitations(
        self, email_key: str, limit: int, start: PageKey | None
    ) -> Page[Invitation]:
        request = {
            "TableName": self._table.name,
            "IndexName": "gsi1",
            "KeyConditionExpression": "gsi1pk = :pk",
            "ExpressionAttributeValues": {":pk": {"S": invitee_pk(email_key)}},
            "ScanIndexForward": False,
        }
        found, next_key = self._table.page(request, limit, start, GSI1_KEYS)
        return Page([invitation_from_item(item) for item in found], next_key)

    def _close(
        self, invitation: Invitation, status: InvitationStatus, now: datetime
    ) -> dict[str, Any]:
        """The Update that closes a pending invitation (off gsi1, kept a few days)."""
        kept = int((now + timedelta(days=CLOSED_KEPT_DAYS)).timestamp())
        return {
            "Update": {
                "TableName": self._table.name,
                "Key": invitation_key(invitation.id),
                "UpdateExpression": "SET #status = :status, #ttl = :ttl, closed_at = :now "
                "REMOVE gsi1pk, gsi1sk",
                "ConditionExpression": "#status = :pending",
                "ExpressionAttributeNames": {"#status": "status", "#ttl": "expires_at"},
                "ExpressionAttributeValues": {
                    ":status": {"S": status.value},
                    ":pending": {"S": InvitationStatus.pending.value},
                    ":ttl": {"N": str(kept)},
                    ":now": {"S": format_time(now)},
                },
            }
        }

    def accept(self, invitation: Invitation, member: Member, now: datetime, members: Quota) -> None:
        name = self._table.name
        close = self._close(invitation, InvitationStatus.accepted, now)
        body = close["Update"]
        body["ConditionExpression"] += " AND email_key = :key AND expires > :now"
        body["ExpressionAttributeValues"][":key"] = {"S": member.email.strip().lower()}
        actions = [
            close,
            {
                "Put": {
                    "TableName": name,
                    "Item": it.member_to_item(invitation.project_id, member),
                    "ConditionExpression": "attribute_not_exists(pk)",
                }
            },
            self._open_project(invitation.project_id),
            counters.raise_by_one(
                name,
                counters.project_counters_key(invitation.project_id),
                "members",
                members.maximum,
            ),
            counters.lower_by_one(name, counters.user_counters_key(invitation.invited_by), PENDING),
        ]
        try:
            self._table.transact(actions)
        except TransactionCancelled as exc:
            if exc.failed(0):
                raise NotFound("invitation not found") from exc
            if exc.failed(2):
                _raise_closed_project(exc.item(2), "invitation not found")
            if exc.failed(1):
                raise Conflict("you are already a member of this project") from exc
            if exc.failed(3):
                raise counters.limit_reached(members, "members in this project") from exc
            exc.raise_for(target=0, what="invitation", member=0)

    def close(
        self,
        invitation: Invitation,
        status: InvitationStatus,
        now: datetime,
        user_id: str | None = None,
        roles: Collection[Role] = (),
    ) -> None:
        checks = (
            [self._table.member_check(invitation.project_id, user_id, roles)]
            if user_id is not None
            else []
        )
        actions = [
            *checks,
            self._close(invitation, status, now),
            counters.lower_by_one(
                self._table.name, counters.user_counters_key(invitation.invited_by), PENDING
            ),
        ]
        try:
            # A member revoking: a write into the project. The invitee declining is not.
            self._table.transact(
                actions, writable_project=invitation.project_id if checks else None
            )
        except TransactionCancelled as exc:
            if checks and exc.failed(0):
                exc.raise_for(target=1, what="invitation")
            if exc.failed(len(checks)):
                raise NotFound("invitation not found") from exc
            exc.raise_for(target=len(checks), what="invitation", member=len(checks))

    def release_removed(self, invitation_id: str, invited_by: str) -> bool:
        name = self._table.name
        owner = it.user_pk(invited_by)
        marker = {
            "Put": {
                "TableName": name,
                "Item": {
                    "pk": {"S": owner},
                    "sk": {"S": f"RELEASED#{invitation_id}"},
                    "expires_at": {"N": str(int(time.time()) + RELEASE_MARKER_SECONDS)},
                },
                "ConditionExpression": "attribute_not_exists(pk)",
            }
        }
        lower = counters.lower_by_one(name, counters.user_counters_key(invited_by), PENDING)
        try:
            self._table.transact([marker, lower])
        except TransactionCancelled as exc:
            if exc.failed(0):
                return False
            raise
        return True


def _raise_closed_project(found: it.Item | None, missing: str) -> NoReturn:
    """Why :meth:`DynamoInvitations._open_project` failed: archived (409), or gone."""
    if found is not None and "deleted_at" not in found and "archived_at" in found:
        raise project_archived()
    raise NotFound(missing)
