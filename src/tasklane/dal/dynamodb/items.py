"""Item layout: key builders and conversions between models and DynamoDB items.

The layout is documented beside ``tasklane.resources.TABLE``.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from boto3.dynamodb.types import TypeDeserializer, TypeSerializer

from tasklane.domain.board import default_position
from tasklane.domain.checklists import ATTRIBUTE_PREFIX, ChecklistItem, ordered
from tasklane.domain.ids import split_task_id
from tasklane.domain.models import (
    Comment,
    Member,
    Person,
    Priority,
    Project,
    Role,
    Status,
    Task,
    format_time,
)
from tasklane.domain.recurrence import Series

_serializer = TypeSerializer()
_deserializer = TypeDeserializer()

Item = dict[str, Any]
Key = dict[str, Any]

#: Sorts after every date, so tasks without a due date come last in ascending order.
NO_DUE = "~"
#: The board's index: a partition per status column, tasks in position order.
BOARD_INDEX = "gsi_board"
#: Set on a project item once all its tasks are on the board index (projects made before
#: the board existed get their tasks indexed on their first board read).
BOARD_INDEXED = "board_indexed"


def project_pk(project_id: str) -> str:
    return f"PROJECT#{project_id}"


def project_key(project_id: str) -> Key:
    return {"pk": {"S": project_pk(project_id)}, "sk": {"S": "PROJECT"}}


def member_key(project_id: str, user_id: str) -> Key:
    return {"pk": {"S": project_pk(project_id)}, "sk": {"S": f"MEMBER#{user_id}"}}


def task_key(task_id: str) -> Key:
    parts = split_task_id(task_id)
    if parts is None:
        raise ValueError("not a task id")
    project_id, ulid = parts
    return {"pk": {"S": project_pk(project_id)}, "sk": {"S": f"TASK#{ulid}"}}


def user_pk(user_id: str) -> str:
    return f"USER#{user_id}"


def assignee_pk(user_id: str) -> str:
    return f"ASSIGNEE#{user_id}"


def comment_prefix(task_id: str) -> str:
    """The sort-key prefix of a task's comments."""
    parts = split_task_id(task_id)
    if parts is None:
        raise ValueError("not a task id")
    return f"COMMENT#{parts[1]}#"


def comment_key(task_id: str, comment_id: str) -> Key:
    return {
        "pk": {"S": project_pk(task_project(task_id))},
        "sk": {"S": f"{comment_prefix(task_id)}{comment_id}"},
    }


def task_project(task_id: str) -> str:
    parts = split_task_id(task_id)
    if parts is None:
        raise ValueError("not a task id")
    return parts[0]


def exchange_pk(user_id: str) -> str:
    """A user's exports, imports, import claims and calendar feed."""
    return f"EXCHANGE#{user_id}"


def export_key(user_id: str, export_id: str) -> Key:
    return {"pk": {"S": exchange_pk(user_id)}, "sk": {"S": f"EXPORT#{export_id}"}}


def import_key(user_id: str, import_id: str) -> Key:
    return {"pk": {"S": exchange_pk(user_id)}, "sk": {"S": f"IMPORT#{import_id}"}}


def project_claim_key(user_id: str, key: str) -> Key:
    """The project an import created for ``key`` (claimed per importing user)."""
    return {"pk": {"S": exchange_pk(user_id)}, "sk": {"S": f"CLAIM#{key}"}}


def task_claim_key(project_id: str, key: str) -> Key:
    """The task an import created for ``key`` in this project (gone with the project)."""
    return {"pk": {"S": project_pk(project_id)}, "sk": {"S": f"IMPORTED#{key}"}}


def webhook_key(project_id: str, webhook_id: str) -> Key:
    return {"pk": {"S": project_pk(project_id)}, "sk": {"S": f"WEBHOOK#{webhook_id}"}}


def webhook_log_key(project_id: str, webhook_id: str, slot: int) -> Key:
    """One slot of the webhook's delivery log (a ring of ``DELIVERY_LOG_SIZE``)."""
    return {"pk": {"S": project_pk(project_id)}, "sk": {"S": f"WHLOG#{webhook_id}#{slot:03d}"}}


def webhook_claim_key(project_id: str, delivery_id: str) -> Key:
    """The queue message that owns a delivery (the worker's dedupe; expires by TTL)."""
    return {"pk": {"S": project_pk(project_id)}, "sk": {"S": f"WHCLAIM#{delivery_id}"}}


def feed_key(user_id: str) -> Key:
    return {"pk": {"S": exchange_pk(user_id)}, "sk": {"S": "CALENDAR"}}


def feed_lookup_key(token_hash: str) -> Key:
    return {"pk": {"S": f"CALFEED#{token_hash}"}, "sk": {"S": "CALFEED"}}


#: A checklist item is a top-level attribute of its task, ``chk_<item id>`` (a map): two
#: users changing different items never write the same attribute, and a missing map's key
#: is never an invalid document path.
CHECKLIST_PREFIX = ATTRIBUTE_PREFIX
#: The number of checklist items (the 100-item limit is a condition on it).
CHECKLIST_COUNT = "checklist_count"
#: The table's one TTL attribute: a trashed task's purge time, an entry's expiry.
EXPIRES_AT = "expires_at"


def checklist_attribute(item_id: str) -> str:
    return f"{CHECKLIST_PREFIX}{item_id}"


def is_trashed(item: Item | None) -> bool:
    """A task item in its project's trash: it answers like a deleted one but to the trash."""
    return item is not None and "deleted_at" in item


#: Activity entries: in their project's partition (the project's feed is one Query, and
#: the project's purge takes them), and on gsi1 under their task (the task's feed).
ACTIVITY_PREFIX = "ACTIVITY#"


def activity_key(project_id: str, entry_id: str) -> Key:
    return {"pk": {"S": project_pk(project_id)}, "sk": {"S": f"{ACTIVITY_PREFIX}{entry_id}"}}


def task_activity_pk(task_id: str) -> str:
    return f"{ACTIVITY_PREFIX}{task_id}"


def trash_pk(project_id: str) -> str:
    """gsi1 partition of a project's trash (a trashed task is off the assignee index)."""
    return f"TRASH#{project_id}"


def trash_sort_key(deleted_at: str, task_id: str) -> str:
    return f"{deleted_at}#{task_id}"


def due_sort_key(due_at: str | None, task_id: str) -> str:
    return f"DUE#{due_at or NO_DUE}#{task_id}"


def priority_sort_key(priority: Priority, task_id: str) -> str:
    return f"PRIORITY#{priority.rank}#{task_id}"


def board_pk(project_id: str, status: Status | str) -> str:
    """A status column of a project: the board index's partition."""
    return f"BOARD#{project_id}#{Status(status).value}"


def board_sk(position: str, task_id: str) -> str:
    """Position, then the task's ULID (creation order) for tasks that tie. ``#`` sorts before
    every digit of a position, so a key sorts before its own extensions as positions do."""
    return f"{position}#{_ulid(task_id)}"


def _ulid(task_id: str) -> str:
    parts = split_task_id(task_id)
    if parts is None:
        raise ValueError("not a task id")
    return parts[1]


def serialize(values: dict[str, Any]) -> Item:
    return {name: _serializer.serialize(value) for name, value in values.items()}


def deserialize(item: Item) -> dict[str, Any]:
    return {name: _deserializer.deserialize(value) for name, value in item.items()}


def project_to_items(project: Project, owner: Person | None = None) -> tuple[Item, Item]:
    """The project item and its owner's membership item (with the owner's e-mail and name
    when known, as every membership item has them)."""
    project_item = {
        **project_key(project.id),
        **serialize(
            {
                "type": "project",
                "project_id": project.id,
                "name": project.name,
                "description": project.description,
                "is_inbox": project.is_inbox,
                "owner_id": project.owner_id,
                "created_at": project.created_at,
                "updated_at": project.updated_at,
                "version": project.version,
                # A new project's tasks are on the board index from their creation.
                BOARD_INDEXED: True,
            }
        ),
    }
    member = Member(
        user_id=project.owner_id,
        email=owner.email if owner else "",
        display_name=owner.display_name if owner else "",
        role=Role.owner,
        added_at=project.created_at,
        added_by=project.owner_id,
    )
    return project_item, member_to_item(project.id, member, inbox=project.is_inbox)


def member_to_item(project_id: str, member: Member, *, inbox: bool = False) -> Item:
    """A membership: who, with which role; on gsi1 under the user, so their project list
    is one Query (the Inbox sorts first)."""
    rank = 0 if inbox else 1
    return {
        **member_key(project_id, member.user_id),
        **serialize(
            {
                "type": "member",
                "project_id": project_id,
                "user_id": member.user_id,
                "role": member.role.value,
                "email": member.email,
                "display_name": member.display_name,
                "added_by": member.added_by,
                "gsi1pk": user_pk(member.user_id),
                "gsi1sk": f"PROJECT#{rank}#{project_id}",
                "created_at": member.added_at,
            }
        ),
    }


def member_from_item(item: Item) -> Member:
    data = deserialize(item)
    return Member(
        user_id=data["user_id"],
        email=data.get("email", ""),
        display_name=data.get("display_name", ""),
        role=Role(data["role"]),
        added_at=data["created_at"],
        added_by=data.get("added_by", data["user_id"]),
    )


def comment_to_item(comment: Comment) -> Item:
    return {
        **comment_key(comment.task_id, comment.id),
        **serialize(
            {
                "type": "comment",
                "comment_id": comment.id,
                "task_id": comment.task_id,
                "project_id": task_project(comment.task_id),
                "author_id": comment.author_id,
                "body": comment.body,
                "created_at": comment.created_at,
                "updated_at": comment.updated_at,
                "version": comment.version,
            }
        ),
    }


def comment_from_item(item: Item) -> Comment:
    data = deserialize(item)
    return Comment(
        id=data["comment_id"],
        task_id=data["task_id"],
        author_id=data["author_id"],
        body=data["body"],
        created_at=data["created_at"],
        updated_at=data["updated_at"],
        version=int(data["version"]),
    )


def project_from_item(item: Item, role: Role) -> Project:
    data = deserialize(item)
    return Project(
        id=data["project_id"],
        name=data["name"],
        description=data.get("description", ""),
        is_inbox=bool(data.get("is_inbox", False)),
        owner_id=data["owner_id"],
        role=role,
        created_at=data["created_at"],
        updated_at=data["updated_at"],
        version=int(data["version"]),
        archived_at=data.get("archived_at"),
        archived_by=data.get("archived_by"),
    )


def task_to_item(task: Task) -> Item:
    due_key = due_sort_key(task.due_at, task.id)
    position = task.position or default_position(task.id)
    values: dict[str, Any] = {
        "type": "task",
        "task_id": task.id,
        "project_id": task.project_id,
        "title": task.title,
        "description": task.description,
        "status": task.status.value,
        "priority": task.priority.value,
        "labels": task.labels,
        "created_at": task.created_at,
        "updated_at": task.updated_at,
        "created_by": task.created_by,
        "updated_by": task.updated_by or task.created_by,
        "version": task.version,
        "lsi_due_sk": due_key,
        "lsi_priority_sk": priority_sort_key(task.priority, task.id),
        # gsi1sk always mirrors the due key, so a change of either the due date or the
        # assignee is one SET; gsi1pk exists only while the task is assigned, and an item
        # without it is not on gsi1 ("assigned to me" is one Query, due soonest first).
        "gsi1sk": due_key,
        "position": position,
        "board_pk": board_pk(task.project_id, task.status),
        "board_sk": board_sk(position, task.id),
    }
    if task.assignee_id is not None:
        values |= {"assignee_id": task.assignee_id, "gsi1pk": assignee_pk(task.assignee_id)}
    if task.due_at is not None:
        values["due_at"] = task.due_at
    if task.completed_at is not None:
        values["completed_at"] = task.completed_at
    if task.recurrence is not None:
        values["recurrence"] = task.recurrence.model_dump()
    for entry in task.checklist:
        values[checklist_attribute(entry.id)] = checklist_item_value(entry)
    values[CHECKLIST_COUNT] = len(task.checklist)
    return {**task_key(task.id), **serialize(values)}


def checklist_item_value(entry: ChecklistItem) -> dict[str, Any]:
    """An item as its attribute holds it (no nulls: absent means not ticked)."""
    return entry.model_dump(exclude_none=True)


def checklist_from_data(data: dict[str, Any]) -> list[ChecklistItem]:
    return ordered(
        [
            ChecklistItem.model_validate(value)
            for name, value in data.items()
            if name.startswith(CHECKLIST_PREFIX) and isinstance(value, dict)
        ]
    )


def _epoch_text(value: Any) -> str | None:
    if value is None:
        return None
    return format_time(datetime.fromtimestamp(int(value), UTC))


def task_from_item(item: Item) -> Task:
    data = deserialize(item)
    checklist = checklist_from_data(data)
    return Task(
        id=data["task_id"],
        project_id=data["project_id"],
        title=data["title"],
        description=data.get("description", ""),
        status=data["status"],
        priority=data["priority"],
        due_at=data.get("due_at"),
        labels=list(data.get("labels", [])),
        created_at=data["created_at"],
        updated_at=data["updated_at"],
        completed_at=data.get("completed_at"),
        created_by=data["created_by"],
        # Items written before tasks recorded their last writer: the creator wrote last.
        updated_by=data.get("updated_by", data["created_by"]),
        assignee_id=data.get("assignee_id"),
        # Tasks written before positions existed: their creation key (domain.board).
        position=data.get("position") or default_position(data["task_id"]),
        version=int(data["version"]),
        recurrence=Series.model_validate(data["recurrence"]) if data.get("recurrence") else None,
        checklist=checklist,
        deleted_at=data.get("deleted_at"),
        deleted_by=data.get("deleted_by"),
        purge_at=_epoch_text(data.get(EXPIRES_AT)) if data.get("deleted_at") else None,
    )


def flatten_key(key: Key) -> dict[str, str]:
    return {name: value["S"] for name, value in key.items()}


def expand_key(key: dict[str, str]) -> Key:
    return {name: {"S": value} for name, value in key.items()}
