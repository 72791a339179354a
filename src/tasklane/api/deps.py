"""The use cases the routes call, built once per container on first use.

Tests swap the store (an in-memory fake, or a DynamoStore on another table) with
``use_store``, and the user directory (PostgreSQL profiles) with ``use_directory``; nothing
else in the API knows which one it talks to.
"""

from __future__ import annotations

from dataclasses import dataclass

from tasklane.domain.ports import Store
from tasklane.logic.comments import CommentService
from tasklane.logic.members import Directory, MemberService
from tasklane.logic.pages import Cursors
from tasklane.logic.projects import ProjectService
from tasklane.logic.tasks import TaskService
from tasklane.settings import get_cursor_secret, get_settings


@dataclass(frozen=True, slots=True)
class Services:
    projects: ProjectService
    tasks: TaskService
    members: MemberService
    comments: CommentService


_services: Services | None = None
#: Test replacements (None: DynamoDB, PostgreSQL).
_store: Store | None = None
_directory: Directory | None = None


def build(store: Store, cursor_secret: bytes, directory: Directory | None = None) -> Services:
    cursors = Cursors(cursor_secret)
    projects = ProjectService(store, cursors)
    return Services(
        projects=projects,
        tasks=TaskService(store, projects, cursors),
        members=MemberService(store, directory or _profile_directory(), projects, cursors),
        comments=CommentService(store, cursors),
    )


def _profile_directory() -> Directory:
    """The PostgreSQL profiles; the engine (and SQLAlchemy) only on the first lookup."""
    from tasklane.logic.members import ProfileDirectory
    from tasklane.logic.profiles import ProfileService

    def transaction():  # type: ignore[no-untyped-def]
        from tasklane.dal.postgres.engine import engine

        return engine().begin()

    return ProfileDirectory(transaction, ProfileService(transaction))


def services() -> Services:
    global _services
    if _services is None:
        store = _store
        if store is None:
            from tasklane.dal.dynamodb import DynamoStore

            store = DynamoStore(get_settings().table_name)
        _services = build(store, get_cursor_secret(), _directory)
    return _services


def use_store(store: Store | None) -> None:
    """Tests: route every use case to ``store`` (None: back to DynamoDB)."""
    global _store, _services
    _store, _services = store, None


def use_directory(directory: Directory | None) -> None:
    """Tests: find users in ``directory`` (None: back to the PostgreSQL profiles)."""
    global _directory, _services
    _directory, _services = directory, None
