"""``InMemoryTable``: the one DynamoDB table in memory, shared by the fakes of the ports
stored in it (projects, tasks, members, comments, attachments), as the DynamoDB adapters
share :class:`tasklane.dal.dynamodb.table.Table`.

Items live in one dict keyed by ``(pk, sk)`` in exactly the layout the adapters write (built
by ``tasklane.dal.dynamodb.items``), and a list runs the way a DynamoDB Query runs: key
conditions pick and order the items by the index's sort key, ``Limit`` counts the items
*read*, filters drop items after they were read, and the next page starts where
``tasklane.dal.dynamodb.table.next_key`` says. So list order, short filtered pages and
cursors come out as they do on DynamoDB (``tests/contract`` checks that they do).

One deliberate choice: like DynamoDB itself, a Query that reads exactly ``Limit`` items
returns a LastEvaluatedKey even when nothing follows (moto returns one only when more items
follow). Only an empty trailing page of a filtered list can tell the two apart.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass

from tasklane.dal.dynamodb import items as it
from tasklane.dal.dynamodb.table import next_key
from tasklane.domain.errors import Forbidden, NotFound, PreconditionFailed
from tasklane.domain.models import Member, Role
from tasklane.domain.ports.pages import PageKey
from tasklane.domain.trash import project_archived

Row = tuple[str, str]
SortValue = Callable[[it.Item], tuple[str, ...]]


@dataclass(frozen=True, slots=True)
class Read:
    """One Query: which list operation ran it and how many items it read (ScannedCount)."""

    operation: str
    items: int


def row(item_or_key: it.Item) -> Row:
    return item_or_key["pk"]["S"], item_or_key["sk"]["S"]


def version(item: it.Item) -> int:
    return int(item["version"]["N"])


class InMemoryTable:
    def __init__(self) -> None:
        #: Every item, DynamoDB-typed, keyed by ``(pk, sk)``.
        self.items: dict[Row, it.Item] = {}
        #: One entry per list Query, in call order: assert on ``reads[-1].items``.
        self.reads: list[Read] = []

    # Test helpers (no port has these) ------------------------------------------------
    def add_member(self, project_id: str, user_id: str, role: Role) -> None:
        """Shares a project, with the membership item the DynamoDB adapters write."""
        project = self.items[(it.project_pk(project_id), "PROJECT")]
        member = Member(
            user_id=user_id,
            email=f"{user_id}@example.com",
            display_name=user_id,
            role=role,
            added_at=project["created_at"]["S"],
            added_by=project["owner_id"]["S"],
        )
        self.put(it.member_to_item(project_id, member, inbox=project["is_inbox"]["BOOL"]))

    # Building blocks ----------------------------------------------------------------
    def get(self, key: it.Key) -> it.Item | None:
        return self.items.get(row(key))

    def put(self, item: it.Item) -> None:
        self.items[row(item)] = item

    def check_member(
        self, project_id: str, user_id: str, roles: Collection[Role], what: str
    ) -> None:
        """The membership ConditionCheck: absent is NotFound, another role Forbidden."""
        member = self.get(it.member_key(project_id, user_id))
        if member is None:
            raise NotFound(f"{what} not found")
        if member["role"]["S"] not in {role.value for role in roles}:
            raise Forbidden(f"your role in this project does not allow this change to the {what}")

    def check_role(self, project_id: str, user_id: str, roles: Collection[Role], what: str) -> None:
        """A read's access check: NotFound unless a member, Forbidden without the role."""
        member = self.get(it.member_key(project_id, user_id))
        if member is None:
            raise NotFound(f"{what} not found")
        if member["role"]["S"] not in {role.value for role in roles}:
            raise Forbidden(f"your role in this project does not allow this on the {what}")

    # Quota counters (tasklane.dal.dynamodb.counters) ---------------------------------
    def count(self, key: it.Key, attribute: str) -> int:
        item = self.get(key)
        return int(item[attribute]["N"]) if item is not None and attribute in item else 0

    def can_raise(self, key: it.Key, attribute: str, maximum: int) -> bool:
        """The raise's condition: below ``maximum`` (check before any write)."""
        return self.count(key, attribute) < maximum

    def add_count(
        self, key: it.Key, attribute: str, delta: int, expires_at: int | None = None
    ) -> None:
        item = dict(self.get(key) or {"pk": key["pk"], "sk": key["sk"]})
        item[attribute] = {"N": str(self.count(key, attribute) + delta)}
        if expires_at is not None:
            item["expires_at"] = {"N": str(expires_at)}
        self.put(item)

    def check_writable(self, project_id: str) -> None:
        """The ConditionCheck of ``Table.transact(..., writable_project=)``: not archived
        (409), not marked deleted (404)."""
        project = self.get(it.project_key(project_id))
        if project is not None and "deleted_at" in project:
            raise NotFound("project not found")
        if project is not None and "archived_at" in project:
            raise project_archived()

    def live_project(self, project_id: str) -> bool:
        """``Table.live_project_check``: the project exists and is not marked deleted."""
        project = self.get(it.project_key(project_id))
        return project is not None and "deleted_at" not in project

    def check_target(self, key: it.Key, expected_version: int | None, what: str) -> it.Item:
        """``attribute_exists(pk) [AND version = :expected]`` on the item written."""
        item = self.get(key)
        if item is None:
            raise NotFound(f"{what} not found")
        if expected_version is not None and version(item) != expected_version:
            raise PreconditionFailed(
                f"the {what} has changed since you read it; read it again and retry"
            )
        return item

    def query(
        self,
        operation: str,
        candidates: Iterable[it.Item],
        sort_value: SortValue,
        key_names: tuple[str, ...],
        limit: int,
        start: PageKey | None,
        forward: bool,
        keep: Callable[[it.Item], bool] = lambda _item: True,
    ) -> tuple[list[it.Item], PageKey | None]:
        """One Query of ``Limit = limit + 1``: the items kept and where the next page starts.

        ``candidates`` already satisfy the key condition; ``sort_value`` is the index's sort
        key with the table's keys as tie-breakers.
        """
        ordered = sorted(candidates, key=sort_value, reverse=not forward)
        if start is not None:
            # ExclusiveStartKey: resume strictly after it, in the direction of the Query.
            mark = sort_value(it.expand_key(start))
            if forward:
                ordered = [i for i in ordered if sort_value(i) > mark]
            else:
                ordered = [i for i in ordered if sort_value(i) < mark]
        read = ordered[: limit + 1]
        self.reads.append(Read(operation, len(read)))
        found = [item for item in read if keep(item)]
        evaluated = {name: read[-1][name] for name in key_names} if len(read) == limit + 1 else None
        response = {"LastEvaluatedKey": evaluated} if evaluated else {}
        return found, next_key(found, limit, response, key_names)
