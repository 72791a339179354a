"""``MemberStore`` in memory, on the shared :class:`tests.fakes.table.InMemoryTable`."""

from __future__ import annotations

from collections.abc import Collection

from tasklane.dal.dynamodb import counters
from tasklane.dal.dynamodb import items as it
from tasklane.domain.errors import Conflict, Forbidden, NotFound
from tasklane.domain.models import Member, Role
from tasklane.domain.ports.pages import Page, PageKey
from tests.fakes.table import InMemoryTable, row


class InMemoryMembers:
    def __init__(self, table: InMemoryTable) -> None:
        self._table = table

    def create_member(
        self, project_id: str, member: Member, user_id: str, roles: Collection[Role]
    ) -> None:
        if member.user_id == user_id:
            raise Conflict("you are already a member of this project")
        self._table.check_member(project_id, user_id, roles, "project")
        self._table.check_writable(project_id)
        item = it.member_to_item(project_id, member)
        if self._table.get(item) is not None:
            raise Conflict("the user is already a member of this project")
        self._table.put(item)
        self._table.add_count(counters.project_counters_key(project_id), "members", 1)

    def get_member(self, project_id: str, member_id: str, user_id: str) -> Member | None:
        found = self._table.get(it.member_key(project_id, member_id))
        if self._table.get(it.member_key(project_id, user_id)) is None or found is None:
            return None
        return it.member_from_item(found)

    def list_members(
        self, project_id: str, user_id: str, limit: int, start: PageKey | None
    ) -> Page[Member]:
        project = self._table.get(it.project_key(project_id))
        if self._table.get(it.member_key(project_id, user_id)) is None or project is None:
            raise NotFound("project not found")
        pk = it.project_pk(project_id)
        first: list[Member] = []
        if start is None:
            owner = self._table.get(it.member_key(project_id, project["owner_id"]["S"]))
            if owner is not None:
                first.append(it.member_from_item(owner))
            start, limit = {"pk": pk, "sk": "MEMBER#"}, limit - len(first)
            if limit == 0:
                return Page(first, start)
        found, next_key = self._table.query(
            "list_members",
            (i for (p, s), i in self._table.items.items() if p == pk and s.startswith("MEMBER#")),
            lambda i: (i["sk"]["S"],),
            ("pk", "sk"),
            limit,
            start,
            forward=True,
            keep=lambda i: i["role"]["S"] != Role.owner.value,
        )
        return Page(first + [it.member_from_item(i) for i in found[:limit]], next_key)

    def _check_member_write(
        self, project_id: str, member_id: str, user_id: str, roles: Collection[Role]
    ) -> it.Item:
        """The caller's role, then: the membership exists and is not the owner's."""
        self._table.check_member(project_id, user_id, roles, "member")
        self._table.check_writable(project_id)
        item = self._table.get(it.member_key(project_id, member_id))
        if item is None:
            raise NotFound("member not found")
        if item["role"]["S"] == Role.owner.value:
            raise Conflict("the owner's membership cannot change; the owner cannot leave")
        return item

    def _check_own_membership(
        self, project_id: str, user_id: str, roles: Collection[Role]
    ) -> it.Item:
        """DynamoMembers' single conditional write on the caller's own membership."""
        item = self._table.get(it.member_key(project_id, user_id))
        if item is None:
            raise NotFound("member not found")
        if item["role"]["S"] == Role.owner.value:
            raise Conflict("the owner's membership cannot change; the owner cannot leave")
        if item["role"]["S"] not in {role.value for role in roles}:
            raise Forbidden("your role in this project does not allow this change to the member")
        return item

    def update_member(
        self, project_id: str, member_id: str, user_id: str, roles: Collection[Role], role: Role
    ) -> None:
        if member_id == user_id:
            item = self._check_own_membership(project_id, user_id, roles)
            self._table.check_writable(project_id)
        else:
            item = self._check_member_write(project_id, member_id, user_id, roles)
        self._table.put({**item, "role": {"S": role.value}})

    def remove_member(
        self, project_id: str, member_id: str, user_id: str, roles: Collection[Role]
    ) -> None:
        if member_id == user_id:
            self._check_own_membership(project_id, user_id, roles)  # leaving: even archived
        else:
            self._check_member_write(project_id, member_id, user_id, roles)
        del self._table.items[row(it.member_key(project_id, member_id))]
        self._table.add_count(counters.project_counters_key(project_id), "members", -1)
