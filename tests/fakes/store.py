"""``InMemoryStore``: the ``Store`` protocol in memory, with ``DynamoStore``'s semantics.

Items live in one dict keyed by ``(pk, sk)`` in exactly the layout DynamoStore writes (built
by ``tasklane.dal.dynamodb.items``), and a list runs the way DynamoStore's Query runs: key
conditions pick and order the items by the index's sort key, ``Limit`` counts the items
*read*, filters drop items after they were read, and the next page starts where
``tasklane.dal.dynamodb.store._next_key`` says. So list order, short filtered pages and
cursors come out as they do on DynamoDB.

One deliberate choice: like DynamoDB itself, a Query that reads exactly ``Limit`` items
returns a LastEvaluatedKey even when nothing follows (moto returns one only when more items
follow). Only an empty trailing page of a filtered list can tell the two apart.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from tasklane.dal.dynamodb import items as it
from tasklane.dal.dynamodb.store import NOT_A_MEMBER, _next_key
from tasklane.domain.errors import (
    Conflict,
    Forbidden,
    NotFound,
    PreconditionFailed,
    ValidationFailed,
)
from tasklane.domain.ids import split_task_id
from tasklane.domain.models import (
    Comment,
    Member,
    Person,
    Priority,
    Project,
    Role,
    SortKey,
    Status,
    Task,
    TaskQuery,
    format_time,
)
from tasklane.domain.ports import Page, PageKey

Row = tuple[str, str]
SortValue = Callable[[it.Item], tuple[str, ...]]


@dataclass(frozen=True, slots=True)
class Read:
    """One Query: which list operation ran it and how many items it read (ScannedCount)."""

    operation: str
    items: int


def _row(item_or_key: it.Item) -> Row:
    return item_or_key["pk"]["S"], item_or_key["sk"]["S"]


def _version(item: it.Item) -> int:
    return int(item["version"]["N"])


class InMemoryStore:
    def __init__(self) -> None:
        #: Every item, DynamoDB-typed, keyed by ``(pk, sk)``.
        self.items: dict[Row, it.Item] = {}
        #: One entry per list Query, in call order: assert on ``reads[-1].items``.
        self.reads: list[Read] = []

    # Test helpers (not part of the Store protocol) -------------------------------------
    def add_member(self, project_id: str, user_id: str, role: Role) -> None:
        """Shares a project, with the membership item DynamoStore's layout uses."""
        project = self.items[(it.project_pk(project_id), "PROJECT")]
        member = Member(
            user_id=user_id,
            email=f"{user_id}@example.com",
            display_name=user_id,
            role=role,
            added_at=project["created_at"]["S"],
            added_by=project["owner_id"]["S"],
        )
        self._put(it.member_to_item(project_id, member, inbox=project["is_inbox"]["BOOL"]))

    # Building blocks --------------------------------------------------------------------
    def _get(self, key: it.Key) -> it.Item | None:
        return self.items.get(_row(key))

    def _put(self, item: it.Item) -> None:
        self.items[_row(item)] = item

    def _check_member(
        self, project_id: str, user_id: str, roles: Collection[Role], what: str
    ) -> None:
        """The membership ConditionCheck: absent is NotFound, another role Forbidden."""
        member = self._get(it.member_key(project_id, user_id))
        if member is None:
            raise NotFound(f"{what} not found")
        if member["role"]["S"] not in {role.value for role in roles}:
            raise Forbidden(f"your role in this project does not allow this change to the {what}")

    def _check_target(self, key: it.Key, expected_version: int | None, what: str) -> it.Item:
        """``attribute_exists(pk) [AND version = :expected]`` on the item written."""
        item = self._get(key)
        if item is None:
            raise NotFound(f"{what} not found")
        if expected_version is not None and _version(item) != expected_version:
            raise PreconditionFailed(
                f"the {what} has changed since you read it; read it again and retry"
            )
        return item

    def _query(
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
        return found, _next_key(found, limit, response, key_names)

    # Projects -------------------------------------------------------------------------
    def create_project(self, project: Project, owner: Person | None = None) -> None:
        project_item, member_item = it.project_to_items(project, owner)
        if self._get(project_item) is not None or self._get(member_item) is not None:
            raise Conflict("project already exists")
        self._put(project_item)
        self._put(member_item)

    def get_project(self, project_id: str, user_id: str) -> Project | None:
        project = self._get(it.project_key(project_id))
        member = self._get(it.member_key(project_id, user_id))
        if project is None or member is None:
            return None
        return it.project_from_item(project, Role(member["role"]["S"]))

    def list_projects(self, user_id: str, limit: int, start: PageKey | None) -> Page[Project]:
        user = it.user_pk(user_id)
        members, next_key = self._query(
            "list_projects",
            (i for i in self.items.values() if i.get("gsi1pk") == {"S": user}),
            lambda i: (i["gsi1sk"]["S"], i["pk"]["S"], i["sk"]["S"]),
            ("pk", "sk", "gsi1pk", "gsi1sk"),
            limit,
            start,
            forward=True,
        )
        result = []
        for member in members[:limit]:
            project = self.items.get((member["pk"]["S"], "PROJECT"))
            if project is not None:
                result.append(it.project_from_item(project, Role(member["role"]["S"])))
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
        self._check_member(project_id, user_id, roles, "project")
        item = self._check_target(it.project_key(project_id), expected_version, "project")
        data = it.deserialize(item)
        data |= changes
        data["version"] += 1
        data["updated_at"] = format_time(now)
        self._put(it.serialize(data))

    def delete_project(
        self, project_id: str, user_id: str, roles: Collection[Role], expected_version: int | None
    ) -> None:
        self._check_member(project_id, user_id, roles, "project")
        self._check_target(it.project_key(project_id), expected_version, "project")
        del self.items[_row(it.member_key(project_id, user_id))]
        del self.items[_row(it.project_key(project_id))]

    def project_has_tasks(self, project_id: str) -> bool:
        pk = it.project_pk(project_id)
        return any(p == pk and s.startswith("TASK#") for p, s in self.items)

    def purge_project(self, project_id: str) -> int:
        pk = it.project_pk(project_id)
        rows = [row for row in self.items if row[0] == pk]
        for row in rows:
            del self.items[row]
        return len(rows)

    # Tasks ----------------------------------------------------------------------------
    def _check_assignee(self, project_id: str, assignee_id: str | None) -> None:
        if assignee_id is not None and self._get(it.member_key(project_id, assignee_id)) is None:
            raise ValidationFailed("the assignee is not a member", NOT_A_MEMBER)

    def create_task(self, task: Task, user_id: str, roles: Collection[Role]) -> None:
        item = it.task_to_item(task)
        if self._get(item) is not None:
            raise Conflict("a task with this id already exists")
        self._check_member(task.project_id, user_id, roles, "project")
        self._check_assignee(task.project_id, task.assignee_id)
        self._put(item)

    def get_task(self, task_id: str, user_id: str) -> Task | None:
        parts = split_task_id(task_id)
        if parts is None:
            return None
        task = self._get(it.task_key(task_id))
        member = self._get(it.member_key(parts[0], user_id))
        return it.task_from_item(task) if task is not None and member is not None else None

    def update_task(
        self,
        task_id: str,
        user_id: str,
        roles: Collection[Role],
        changes: dict[str, Any],
        expected_version: int | None,
        now: datetime,
    ) -> None:
        parts = split_task_id(task_id)
        if parts is None:
            raise NotFound("task not found")
        self._check_member(parts[0], user_id, roles, "task")
        if "assignee_id" in changes and changes["assignee_id"] != user_id:
            self._check_assignee(parts[0], changes["assignee_id"])
        data = it.deserialize(self._check_target(it.task_key(task_id), expected_version, "task"))
        stamp = format_time(now)
        data["version"] += 1
        data["updated_at"] = stamp
        data["updated_by"] = user_id
        for field, value in changes.items():
            if field == "due_at":
                if value is None:
                    data.pop("due_at", None)
                else:
                    data["due_at"] = value
                data["lsi_due_sk"] = data["gsi1sk"] = it.due_sort_key(value, task_id)
            elif field == "assignee_id":
                if value is None:
                    data.pop("assignee_id", None)
                    data.pop("gsi1pk", None)
                else:
                    data["assignee_id"] = value
                    data["gsi1pk"] = it.assignee_pk(value)
                    if "due_at" not in changes:
                        data["gsi1sk"] = data["lsi_due_sk"]
            elif field == "priority":
                priority = Priority(value)
                data["priority"] = priority.value
                data["lsi_priority_sk"] = it.priority_sort_key(priority, task_id)
            elif field == "status":
                status = Status(value)
                data["status"] = status.value
                if status is Status.done:
                    data.setdefault("completed_at", stamp)  # if_not_exists
                else:
                    data.pop("completed_at", None)
            else:
                data[field] = value
        self._put(it.serialize(data))

    def delete_task(
        self, task_id: str, user_id: str, roles: Collection[Role], expected_version: int | None
    ) -> None:
        parts = split_task_id(task_id)
        if parts is None:
            raise NotFound("task not found")
        self._check_member(parts[0], user_id, roles, "task")
        self._check_target(it.task_key(task_id), expected_version, "task")
        del self.items[_row(it.task_key(task_id))]

    def list_tasks(
        self, project_id: str, user_id: str, query: TaskQuery, start: PageKey | None
    ) -> Page[Task]:
        if self._get(it.member_key(project_id, user_id)) is None:
            raise NotFound("project not found")
        pk = it.project_pk(project_id)
        tasks = [i for (p, s), i in self.items.items() if p == pk and s.startswith("TASK#")]
        after = format_time(query.due_after) if query.due_after else None
        before = format_time(query.due_before) if query.due_before else None

        # The table (created: sk) or the local index of the sort, as DynamoStore queries it.
        index = {SortKey.due: "lsi_due_sk", SortKey.priority: "lsi_priority_sk"}.get(query.sort)
        key_names = ("pk", "sk", index) if index else ("pk", "sk")

        def sort_value(item: it.Item) -> tuple[str, ...]:
            return (item[index]["S"], item["sk"]["S"]) if index else (item["sk"]["S"],)

        if query.sort is SortKey.due and (after or before):
            # The same key condition as DynamoStore: lsi_due_sk BETWEEN :lo AND :hi.
            low, high = f"DUE#{after or ''}", f"DUE#{before or ':'}"
            tasks = [i for i in tasks if low <= i["lsi_due_sk"]["S"] <= high]
            after = before = None  # the key condition replaces the due filter

        def keep(item: it.Item) -> bool:
            due = item.get("due_at", {}).get("S")
            labels = [label["S"] for label in item.get("labels", {}).get("L", [])]
            return (
                (after is None or (due is not None and due >= after))
                and (before is None or (due is not None and due < before))
                and (query.status is None or item["status"]["S"] == query.status.value)
                and (query.priority is None or item["priority"]["S"] == query.priority.value)
                and (query.label is None or query.label in labels)
            )

        found, next_key = self._query(
            "list_tasks",
            tasks,
            sort_value,
            key_names,
            query.limit,
            start,
            forward=query.order == "asc",
            keep=keep,
        )
        return Page([it.task_from_item(item) for item in found[: query.limit]], next_key)

    # Assignments ----------------------------------------------------------------------
    def list_assigned(self, user_id: str, limit: int, start: PageKey | None) -> Page[Task]:
        assignee = {"S": it.assignee_pk(user_id)}
        found, next_key = self._query(
            "list_assigned",
            (i for i in self.items.values() if i.get("gsi1pk") == assignee),
            lambda i: (i["gsi1sk"]["S"], i["pk"]["S"], i["sk"]["S"]),
            ("pk", "sk", "gsi1pk", "gsi1sk"),
            limit,
            start,
            forward=True,
        )
        return Page([it.task_from_item(item) for item in found[:limit]], next_key)

    def clear_assignments(self, project_id: str, user_id: str, now: datetime) -> int:
        if self._get(it.member_key(project_id, user_id)) is not None:
            return 0  # a member again: their assignments stand
        if self._get(it.project_key(project_id)) is None:
            return 0  # a deleted project's tasks are purged anyway
        pk, changed = it.project_pk(project_id), 0
        for (p, _s), item in list(self.items.items()):
            if p == pk and item.get("assignee_id") == {"S": user_id}:
                data = it.deserialize(item)
                del data["assignee_id"], data["gsi1pk"]
                data |= {
                    "version": data["version"] + 1,
                    "updated_at": format_time(now),
                    "updated_by": user_id,
                }
                self._put(it.serialize(data))
                changed += 1
        return changed

    # Members --------------------------------------------------------------------------
    def create_member(
        self, project_id: str, member: Member, user_id: str, roles: Collection[Role]
    ) -> None:
        if member.user_id == user_id:
            raise Conflict("you are already a member of this project")
        self._check_member(project_id, user_id, roles, "project")
        item = it.member_to_item(project_id, member)
        if self._get(item) is not None:
            raise Conflict("the user is already a member of this project")
        self._put(item)

    def get_member(self, project_id: str, member_id: str, user_id: str) -> Member | None:
        found = self._get(it.member_key(project_id, member_id))
        if self._get(it.member_key(project_id, user_id)) is None or found is None:
            return None
        return it.member_from_item(found)

    def list_members(
        self, project_id: str, user_id: str, limit: int, start: PageKey | None
    ) -> Page[Member]:
        project = self._get(it.project_key(project_id))
        if self._get(it.member_key(project_id, user_id)) is None or project is None:
            raise NotFound("project not found")
        pk = it.project_pk(project_id)
        first: list[Member] = []
        if start is None:
            owner = self._get(it.member_key(project_id, project["owner_id"]["S"]))
            if owner is not None:
                first.append(it.member_from_item(owner))
            start, limit = {"pk": pk, "sk": "MEMBER#"}, limit - len(first)
            if limit == 0:
                return Page(first, start)
        found, next_key = self._query(
            "list_members",
            (i for (p, s), i in self.items.items() if p == pk and s.startswith("MEMBER#")),
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
        self._check_member(project_id, user_id, roles, "member")
        item = self._get(it.member_key(project_id, member_id))
        if item is None:
            raise NotFound("member not found")
        if item["role"]["S"] == Role.owner.value:
            raise Conflict("the owner's membership cannot change; the owner cannot leave")
        return item

    def _check_own_membership(
        self, project_id: str, user_id: str, roles: Collection[Role]
    ) -> it.Item:
        """DynamoStore's single conditional write on the caller's own membership."""
        item = self._get(it.member_key(project_id, user_id))
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
        else:
            item = self._check_member_write(project_id, member_id, user_id, roles)
        self._put({**item, "role": {"S": role.value}})

    def remove_member(
        self, project_id: str, member_id: str, user_id: str, roles: Collection[Role]
    ) -> None:
        if member_id == user_id:
            self._check_own_membership(project_id, user_id, roles)
        else:
            self._check_member_write(project_id, member_id, user_id, roles)
        del self.items[_row(it.member_key(project_id, member_id))]

    # Comments -------------------------------------------------------------------------
    def create_comment(self, comment: Comment, user_id: str, roles: Collection[Role]) -> None:
        self._check_member(it.task_project(comment.task_id), user_id, roles, "task")
        if self._get(it.task_key(comment.task_id)) is None:
            raise NotFound("task not found")
        item = it.comment_to_item(comment)
        if self._get(item) is not None:
            raise Conflict("a comment with this id already exists")
        self._put(item)

    def get_comment(self, task_id: str, comment_id: str, user_id: str) -> Comment | None:
        found = self._get(it.comment_key(task_id, comment_id))
        if found is None or self._get(it.member_key(it.task_project(task_id), user_id)) is None:
            return None
        return it.comment_from_item(found)

    def list_comments(
        self, task_id: str, user_id: str, limit: int, start: PageKey | None
    ) -> Page[Comment]:
        project_id = it.task_project(task_id)
        member = self._get(it.member_key(project_id, user_id))
        if member is None or self._get(it.task_key(task_id)) is None:
            raise NotFound("task not found")
        pk, prefix = it.project_pk(project_id), it.comment_prefix(task_id)
        found, next_key = self._query(
            "list_comments",
            (i for (p, s), i in self.items.items() if p == pk and s.startswith(prefix)),
            lambda i: (i["sk"]["S"],),
            ("pk", "sk"),
            limit,
            start,
            forward=True,
        )
        return Page([it.comment_from_item(i) for i in found[:limit]], next_key)

    def _check_comment(
        self,
        task_id: str,
        comment_id: str,
        user_id: str,
        roles: Collection[Role],
        expected_version: int | None,
        author: str | None,
    ) -> it.Item:
        self._check_member(it.task_project(task_id), user_id, roles, "comment")
        item = self._get(it.comment_key(task_id, comment_id))
        if item is None:
            raise NotFound("comment not found")
        if author is not None and item["author_id"]["S"] != author:
            raise Forbidden("only its author can change this comment")
        if expected_version is not None and _version(item) != expected_version:
            raise PreconditionFailed(
                "the comment has changed since you read it; read it again and retry"
            )
        return item

    def update_comment(
        self,
        task_id: str,
        comment_id: str,
        user_id: str,
        roles: Collection[Role],
        body: str,
        expected_version: int | None,
        now: datetime,
    ) -> None:
        item = self._check_comment(task_id, comment_id, user_id, roles, expected_version, user_id)
        data = it.deserialize(item)
        data |= {"body": body, "updated_at": format_time(now), "version": data["version"] + 1}
        self._put(it.serialize(data))

    def delete_comment(
        self,
        task_id: str,
        comment_id: str,
        user_id: str,
        roles: Collection[Role],
        expected_version: int | None,
        *,
        any_author: bool,
    ) -> None:
        author = None if any_author else user_id
        self._check_comment(task_id, comment_id, user_id, roles, expected_version, author)
        del self.items[_row(it.comment_key(task_id, comment_id))]

    def purge_task_comments(self, task_id: str) -> int:
        pk, prefix = it.project_pk(it.task_project(task_id)), it.comment_prefix(task_id)
        rows = [row for row in self.items if row[0] == pk and row[1].startswith(prefix)]
        for row in rows:
            del self.items[row]
        return len(rows)
