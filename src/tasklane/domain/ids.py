"""Identifiers.

Projects are ULIDs. A task id is ``<project id>-<task ulid>``: it carries its project, so one
BatchGetItem can read the task and the caller's membership together. Ids are lower-case
Crockford base32; anything else is simply an unknown id (404), never a 400.
"""

from __future__ import annotations

import hashlib
import re

from ulid import ULID

_ULID = r"[0-9a-hjkmnp-tv-z]{26}"
_PROJECT_ID = re.compile(_ULID)
_TASK_ID = re.compile(rf"({_ULID})-({_ULID})")

#: Path alias for the caller's own Inbox: ``/projects/inbox/tasks``.
INBOX_ALIAS = "inbox"

#: The shapes, as the OpenAPI document states them for path parameters (JSON Schema
#: patterns). A path that does not fit is still answered 404, like an unknown id.
ULID_PATTERN = f"^{_ULID}$"
PROJECT_ID_PATTERN = f"^(?:{INBOX_ALIAS}|{_ULID})$"
TASK_ID_PATTERN = f"^{_ULID}-{_ULID}$"


def new_ulid() -> str:
    return str(ULID()).lower()


def new_project_id() -> str:
    return new_ulid()


def inbox_project_id(user_id: str) -> str:
    """The Inbox id is derived from the user, so creating it twice is impossible."""
    digest = hashlib.sha256(f"inbox:{user_id}".encode()).digest()[:16]
    return str(ULID.from_bytes(digest)).lower()


def is_project_id(value: str) -> bool:
    return bool(_PROJECT_ID.fullmatch(value))


def new_task_id(project_id: str) -> str:
    return f"{project_id}-{new_ulid()}"


def split_task_id(task_id: str) -> tuple[str, str] | None:
    """``(project id, task ulid)``, or None when the id cannot be one of ours."""
    match = _TASK_ID.fullmatch(task_id)
    return (match.group(1), match.group(2)) if match else None


def is_task_id(task_id: str) -> bool:
    """``task_id`` is of our form and its ULID decodes (26 characters hold 130 bits, a ULID
    128: the first is 0-7), so ids derived from it can be computed."""
    parts = split_task_id(task_id)
    return parts is not None and parts[1][0] in "01234567"


def new_invitation_id(project_id: str) -> str:
    """``<project id>-<ulid>``, like a task id: it names its project's partition."""
    return f"{project_id}-{new_ulid()}"


def split_invitation_id(invitation_id: str) -> tuple[str, str] | None:
    """``(project id, invitation ulid)``, or None when the id cannot be one of ours."""
    return split_task_id(invitation_id)
