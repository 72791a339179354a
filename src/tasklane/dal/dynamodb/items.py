"""Item layout: key builders and conversions between models and DynamoDB items.

The layout is documented beside ``tasklane.resources.TABLE``.
"""

from __future__ import annotations

from typing import Any

from boto3.dynamodb.types import TypeDeserializer, TypeSerializer

from tasklane.domain.ids import split_task_id
from tasklane.domain.models import Priority, Project, Role, Task

_serializer = TypeSerializer()
_deserializer = TypeDeserializer()

Item = dict[str, Any]
Key = dict[str, Any]

#: Sorts after every date, so tasks without a due date come last in ascending order.
NO_DUE = "~"


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


def due_sort_key(due_at: str | None, task_id: str) -> str:
    return f"DUE#{due_at or NO_DUE}#{task_id}"


def priority_sort_key(priority: Priority, task_id: str) -> str:
    return f"PRIORITY#{priority.rank}#{task_id}"


def serialize(values: dict[str, Any]) -> Item:
    return {name: _serializer.serialize(value) for name, value in values.items()}


def deserialize(item: Item) -> dict[str, Any]:
    return {name: _deserializer.deserialize(value) for name, value in item.items()}


def project_to_items(project: Project) -> tuple[Item, Item]:
    """The project item and its owner's membership item."""
    rank = 0 if project.is_inbox else 1
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
            }
        ),
    }
    member_item = {
        **member_key(project.id, project.owner_id),
        **serialize(
            {
                "type": "member",
                "project_id": project.id,
                "user_id": project.owner_id,
                "role": Role.owner.value,
                "gsi1pk": user_pk(project.owner_id),
                "gsi1sk": f"PROJECT#{rank}#{project.id}",
                "created_at": project.created_at,
            }
        ),
    }
    return project_item, member_item


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
    )


def task_to_item(task: Task) -> Item:
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
        "version": task.version,
        "lsi_due_sk": due_sort_key(task.due_at, task.id),
        "lsi_priority_sk": priority_sort_key(task.priority, task.id),
    }
    if task.due_at is not None:
        values["due_at"] = task.due_at
    if task.completed_at is not None:
        values["completed_at"] = task.completed_at
    return {**task_key(task.id), **serialize(values)}


def task_from_item(item: Item) -> Task:
    data = deserialize(item)
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
        version=int(data["version"]),
    )


def flatten_key(key: Key) -> dict[str, str]:
    return {name: value["S"] for name, value in key.items()}


def expand_key(key: dict[str, str]) -> Key:
    return {name: {"S": value} for name, value in key.items()}
