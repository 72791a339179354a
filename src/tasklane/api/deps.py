"""The use cases the routes call, built once per container on first use.

Tests swap the store (an in-memory fake, or a DynamoStore on another table) with
``use_store``; nothing else in the API knows which one it talks to.
"""

from __future__ import annotations

from dataclasses import dataclass

from tasklane.domain.ports import Store
from tasklane.logic.pages import Cursors
from tasklane.logic.projects import ProjectService
from tasklane.logic.tasks import TaskService
from tasklane.settings import get_cursor_secret, get_settings


@dataclass(frozen=True, slots=True)
class Services:
    projects: ProjectService
    tasks: TaskService


_services: Services | None = None


def build(store: Store, cursor_secret: bytes) -> Services:
    cursors = Cursors(cursor_secret)
    projects = ProjectService(store, cursors)
    return Services(projects=projects, tasks=TaskService(store, projects, cursors))


def services() -> Services:
    global _services
    if _services is None:
        from tasklane.dal.dynamodb import DynamoStore

        settings = get_settings()
        _services = build(DynamoStore(settings.table_name), get_cursor_secret())
    return _services


def use_store(store: Store | None) -> None:
    """Tests: route every use case to ``store`` (None: back to DynamoDB)."""
    global _services
    _services = build(store, get_cursor_secret()) if store is not None else None
