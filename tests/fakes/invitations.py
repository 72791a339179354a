"""``InvitationStore`` in memory, on the shared :class:`tests.fakes.table.InMemoryTable`
(the adapter's item layout, quota counters included)."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime, timedelta

from tasklane.dal.dynamodb import counters
from tasklane.dal.dynamodb import items as it
from tasklane.dal.dynamodb.invitations import (
    PENDING,
    invitation_from_item,
    invitation_key,
    invitation_to_item,
    invitee_pk,
)
from tasklane.dal.dynamodb.table import GSI1_KEYS
from tasklane.domain.errors import Conflict, NotFound
from tasklane.domain.ids import split_invitation_id
from tasklane.domain.invitations import CLOSED_KEPT_DAYS, Invitation, InvitationStatus
from tasklane.domain.models import Member, Role, format_time
from tasklane.domain.notifications import parse_instant
from tasklane.domain.ports.limits import DailyQuota, Quota
from tasklane.domain.ports.pages import Page, PageKey
from tests.fakes.table import InMemoryTable


class InMemoryInvitations:
    def __init__(self, table: InMemoryTable) -> None:
        self._table = table

    def _live_project(self, project_id: str, missing: str = "project not found") -> None:
        project = self._table.get(it.project_key(project_id))
        if project is None or "deleted_at" in project:
            raise NotFound(missing)
        self._table.check_writable(project_id)

    def create_invitation(
        self,
        invitation: Invitation,
        user_id: str,
        roles: Collection[Role],
        pending: Quota,
        daily: DailyQuota,
    ) -> None:
        self._table.check_member(invitation.project_id, user_id, roles, "project")
        self._live_project(invitation.project_id)
        mine = counters.user_counters_key(user_id)
        today = counters.user_day_key(user_id, daily.day)
        if not self._table.can_raise(mine, PENDING, pending.maximum):
            raise counters.limit_reached(pending, "pending invitations")
        if not self._table.can_raise(today, "invitations", daily.maximum):
            raise counters.rate_limited(daily, "invitations")
        self._table.put(invitation_to_item(invitation))
        self._table.add_count(mine, PENDING, 1)
        self._table.add_count(today, "invitations", 1, daily.expires_at)

    def get_invitation(self, invitation_id: str) -> Invitation | None:
        if split_invitation_id(invitation_id) is None:
            return None
        found = self._table.get(invitation_key(invitation_id))
        return invitation_from_item(found) if found is not None else None

    def list_project_invitations(
        self,
        project_id: str,
        user_id: str,
        roles: Collection[Role],
        limit: int,
        start: PageKey | None,
    ) -> Page[Invitation]:
        self._table.check_role(project_id, user_id, roles, "project")
        pk = it.project_pk(project_id)
        found, next_key = self._table.query(
            "list_project_invitations",
            (i for (p, s), i in self._table.items.items() if p == pk and s.startswith("INVITE#")),
            lambda i: (i["sk"]["S"],),
            ("pk", "sk"),
            limit,
            start,
            forward=True,
            keep=lambda i: i["status"]["S"] == InvitationStatus.pending.value,
        )
        return Page([invitation_from_item(i) for i in found[:limit]], next_key)

    def list_invitee_invitations(
        self, email_key: str, limit: int, start: PageKey | None
    ) -> Page[Invitation]:
        wanted = invitee_pk(email_key)
        found, next_key = self._table.query(
            "list_invitee_invitations",
            (i for i in self._table.items.values() if i.get("gsi1pk", {}).get("S") == wanted),
            lambda i: (i["gsi1sk"]["S"], i["pk"]["S"], i["sk"]["S"]),
            GSI1_KEYS,
            limit,
            start,
            forward=False,
        )
        return Page([invitation_from_item(i) for i in found[:limit]], next_key)

    def _pending(self, invitation: Invitation) -> dict[str, dict[str, str]]:
        item = self._table.get(invitation_key(invitation.id))
        if item is None or item["status"]["S"] != InvitationStatus.pending.value:
            raise NotFound("invitation not found")
        return item

    def _closed(
        self, item: dict[str, dict[str, str]], status: InvitationStatus, now: datetime
    ) -> None:
        closed = {k: v for k, v in item.items() if k not in ("gsi1pk", "gsi1sk")}
        closed["status"] = {"S": status.value}
        closed["closed_at"] = {"S": format_time(now)}
        kept = now + timedelta(days=CLOSED_KEPT_DAYS)
        closed["expires_at"] = {"N": str(int(kept.timestamp()))}
        self._table.put(closed)

    def accept(self, invitation: Invitation, member: Member, now: datetime, members: Quota) -> None:
        item = self._pending(invitation)
        if (
            item["email_key"]["S"] != member.email.strip().lower()
            or parse_instant(item["expires"]["S"]) <= now
        ):
            raise NotFound("invitation not found")
        self._live_project(invitation.project_id, "invitation not found")
        if self._table.get(it.member_key(invitation.project_id, member.user_id)) is not None:
            raise Conflict("you are already a member of this project")
        counted = counters.project_counters_key(invitation.project_id)
        if not self._table.can_raise(counted, "members", members.maximum):
            raise counters.limit_reached(members, "members in this project")
        self._closed(item, InvitationStatus.accepted, now)
        self._table.put(it.member_to_item(invitation.project_id, member))
        self._table.add_count(counted, "members", 1)
        self._table.add_count(counters.user_counters_key(invitation.invited_by), PENDING, -1)

    def close(
        self,
        invitation: Invitation,
        status: InvitationStatus,
        now: datetime,
        user_id: str | None = None,
        roles: Collection[Role] = (),
    ) -> None:
        if user_id is not None:
            self._table.check_member(invitation.project_id, user_id, roles, "invitation")
            self._table.check_writable(invitation.project_id)
        item = self._pending(invitation)
        self._closed(item, status, now)
        self._table.add_count(counters.user_counters_key(invitation.invited_by), PENDING, -1)

    def release_removed(self, invitation_id: str, invited_by: str) -> bool:
        marker = {
            "pk": {"S": it.user_pk(invited_by)},
            "sk": {"S": f"RELEASED#{invitation_id}"},
        }
        if self._table.get(marker) is not None:
            return False
        self._table.put(marker)
        self._table.add_count(counters.user_counters_key(invited_by), PENDING, -1)
        return True
