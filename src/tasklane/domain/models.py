"""API and domain models (pydantic v2).

Input models forbid unknown fields, trim and normalise what they accept, and say exactly what
is wrong (the API turns their errors into 422 with field paths).
"""

import re
import unicodedata
from datetime import UTC, datetime
from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    AwareDatetime,
    BeforeValidator,
    ConfigDict,
    Field,
    WithJsonSchema,
    computed_field,
)
from pydantic.fields import FieldInfo

from tasklane.domain import patterns
from tasklane.domain.base import Model, patch_schema
from tasklane.domain.checklists import ChecklistItem
from tasklane.domain.recurrence import KEEPS_DUE_DATE, NEEDS_DUE_DATE, RuleText, Series
from tasklane.domain.text import (
    _LINE_SEPARATORS,
    MAX_DESCRIPTION,
    MAX_TITLE,
    _is_control,
    _length,
    _single_line,
    _text,
)
from tasklane.domain.zones import TimeZone

MAX_LABELS = 20
MAX_LABEL = 50
MAX_PROJECT_NAME = 100
MAX_PROJECT_DESCRIPTION = 1_000
MAX_COMMENT = 5_000
MAX_EMAIL = 320
MAX_USER_ID = 128
DEFAULT_PAGE_SIZE = 50
MAX_PAGE_SIZE = 100
INBOX_NAME = "Inbox"

_SPACES = re.compile(r"\s+")
#: RFC 3339 date-time with a mandatory offset in the years 1970-9998 (pydantic alone also
#: takes Unix timestamps, and dates without a time).
_RFC3339 = re.compile(patterns.INSTANT)


class Status(StrEnum):
    todo = "todo"
    in_progress = "in_progress"
    done = "done"


class Priority(StrEnum):
    low = "low"
    medium = "medium"
    high = "high"
    urgent = "urgent"

    @property
    def rank(self) -> int:
        return _PRIORITY_RANK[self]


_PRIORITY_RANK = {Priority.low: 0, Priority.medium: 1, Priority.high: 2, Priority.urgent: 3}


class Role(StrEnum):
    owner = "owner"
    editor = "editor"
    viewer = "viewer"

    @property
    def can_write_tasks(self) -> bool:
        return self in (Role.owner, Role.editor)


def _grantable(role: Role) -> Role:
    # A project has exactly one owner, fixed at creation: ownership is never granted.
    if role is Role.owner:
        raise ValueError("must be editor or viewer; a project has one owner")
    return role


#: The roles an owner can give a member.
GrantableRole = Annotated[
    Role,
    AfterValidator(_grantable),
    WithJsonSchema(
        {
            "type": "string",
            "enum": [role.value for role in Role if role is not Role.owner],
            "title": "GrantableRole",
        }
    ),
]


def format_time(value: datetime) -> str:
    """UTC, fixed width, millisecond precision: sorts as text in DynamoDB keys."""
    utc = value.astimezone(UTC)
    return f"{utc.year:04d}-{utc:%m-%dT%H:%M:%S}.{utc.microsecond // 1000:03d}Z"


def utc_now() -> datetime:
    return datetime.now(UTC)


def normalise_label(value: str) -> str:
    """NFKC, trimmed, inner whitespace collapsed, case-folded: "  Bug  Fix" == "bug fix"."""
    return _SPACES.sub(" ", unicodedata.normalize("NFKC", value)).strip().casefold()


def _labels(values: list[str]) -> list[str]:
    result: list[str] = []
    for position, raw in enumerate(values):
        # As sent (the rule the OpenAPI document states), then once more as stored: NFKC
        # and case folding may lengthen a label.
        trimmed = raw.strip()
        if not 1 <= len(trimmed) <= MAX_LABEL:
            raise ValueError(f"label {position} must be 1-{MAX_LABEL} characters after trimming")
        label = normalise_label(raw)
        if not 1 <= len(label) <= MAX_LABEL:
            raise ValueError(f"label {position} must be 1-{MAX_LABEL} characters once normalised")
        if any(_is_control(c) or c in _LINE_SEPARATORS for c in label):
            raise ValueError(f"label {position} must not contain control characters")
        if label not in result:
            result.append(label)
    return result


def _rfc3339_text(value: object) -> object:
    if isinstance(value, str) and not _RFC3339.fullmatch(value):
        raise ValueError(
            "must be an RFC 3339 date-time with an offset in the years 1970-9998, "
            "e.g. 2026-12-01T17:00:00+01:00"
        )
    if not isinstance(value, str | datetime):
        raise ValueError("must be an RFC 3339 date-time string with an offset")
    return value


def _to_utc(value: datetime) -> datetime:
    # The written year is 1970-9998, so the UTC one is 1969-9999: still four digits.
    return value.astimezone(UTC)


def documented(**schema: Any) -> FieldInfo:
    """What the OpenAPI document adds to a type's JSON Schema: the validators' rules as
    ``pattern``, ``enum`` etc. (see :mod:`tasklane.domain.patterns`). Not checked by pydantic
    itself: the validators beside it are, with their own error messages."""
    info: FieldInfo = Field(json_schema_extra=schema)
    return info


# Lengths are checked after trimming; the Field bound only stops absurd inputs early.
Title = Annotated[
    str,
    Field(max_length=MAX_TITLE * 4),
    AfterValidator(_single_line),
    AfterValidator(lambda v: _length(v, 1, MAX_TITLE)),
    documented(pattern=patterns.single_line(MAX_TITLE)),
]
Description = Annotated[
    str,
    Field(max_length=MAX_DESCRIPTION),
    AfterValidator(_text),
    documented(pattern=patterns.text()),
]
Label = Annotated[
    str, Field(max_length=MAX_LABEL * 4), documented(pattern=patterns.label(MAX_LABEL))
]
Labels = Annotated[
    list[Label],
    Field(
        max_length=MAX_LABELS,
        description="Stored normalised (NFKC, inner whitespace collapsed, case-folded) and "
        "without duplicates.",
    ),
    AfterValidator(_labels),
]
#: A label to filter by (a query parameter): blank is refused once normalised.
LABEL_FILTER: dict[str, Any] = {
    "min_length": 1,
    "description": "Compared as stored (normalised like a task's labels); not blank.",
    "json_schema_extra": {"pattern": patterns.blank_free()},
}
#: An instant given as RFC 3339 text with an offset, held in UTC.
Instant = Annotated[
    AwareDatetime,
    BeforeValidator(_rfc3339_text),
    AfterValidator(_to_utc),
    documented(pattern=patterns.INSTANT),
]
DueAt = Instant
ProjectName = Annotated[
    str,
    Field(max_length=MAX_PROJECT_NAME * 4),
    AfterValidator(_single_line),
    AfterValidator(lambda v: _length(v, 1, MAX_PROJECT_NAME)),
    documented(pattern=patterns.single_line(MAX_PROJECT_NAME)),
]
ProjectDescription = Annotated[
    str,
    Field(max_length=MAX_PROJECT_DESCRIPTION),
    AfterValidator(_text),
    documented(pattern=patterns.text()),
]
CommentBody = Annotated[
    str,
    Field(max_length=MAX_COMMENT * 4),
    AfterValidator(_text),
    AfterValidator(str.strip),
    AfterValidator(lambda v: _length(v, 1, MAX_COMMENT)),
    documented(pattern=patterns.trimmed_text(MAX_COMMENT)),
]
#: A user id (the Cognito ``sub``). Membership, checked in the write's transaction, decides
#: whether it names someone who may be assigned; this only stops absurd values early.
UserId = Annotated[
    str,
    Field(min_length=1, max_length=MAX_USER_ID),
    AfterValidator(_single_line),
    AfterValidator(lambda v: _length(v, 1, MAX_USER_ID)),
    documented(pattern=patterns.single_line(MAX_USER_ID)),
]
#: The bound applies as sent: the pattern cannot count the two parts of an address together.
Email = Annotated[
    str,
    Field(max_length=MAX_EMAIL),
    AfterValidator(_single_line),
    AfterValidator(lambda v: _length(v, 3, MAX_EMAIL)),
    AfterValidator(lambda v: _email(v)),
    documented(pattern=patterns.email()),
]


def _email(value: str) -> str:
    # Only the shape: the address is looked up, never mailed from here.
    local, at, domain = value.rpartition("@")
    if not at or not local or not domain or " " in value:
        raise ValueError("must be an e-mail address")
    return value


class _Input(Model):
    model_config = ConfigDict(extra="forbid", str_max_length=MAX_DESCRIPTION, defer_build=True)


class TaskCreate(_Input):
    model_config = ConfigDict(json_schema_extra=NEEDS_DUE_DATE)

    title: Title
    description: Description = ""
    status: Status = Status.todo
    priority: Priority = Priority.medium
    due_at: DueAt | None = Field(
        default=None, description="RFC 3339 date-time with an offset; stored in UTC."
    )
    labels: Labels = Field(default_factory=list)
    assignee_id: UserId | None = Field(
        default=None, description="A member of the project (their user id)."
    )
    recurrence: RuleText | None = Field(
        default=None,
        description="Repeat the task (needs `due_at`): completing it creates the next occurrence.",
    )
    time_zone: TimeZone | None = Field(
        default=None,
        description="The IANA time zone `recurrence` is read in (a weekly 09:00 task stays "
        "at 09:00 there across daylight-saving changes); default: your profile's.",
    )


class TaskPatch(_Input):
    """Only the fields present are changed; ``due_at: null`` clears the due date,
    ``assignee_id: null`` unassigns."""

    # At least one field; null only where it means "clear" (``changes`` refuses the rest).
    model_config = ConfigDict(
        json_schema_extra=patch_schema(
            nullable=("due_at", "assignee_id", "recurrence"),
            min_properties=1,
            extra=KEEPS_DUE_DATE,
        )
    )

    title: Title | None = None
    description: Description | None = None
    status: Status | None = None
    priority: Priority | None = None
    due_at: DueAt | None = None
    labels: Labels | None = None
    assignee_id: UserId | None = None
    recurrence: RuleText | None = Field(
        default=None, description="A new rule; `null` stops repeating."
    )
    time_zone: TimeZone | None = Field(
        default=None, description="The zone the rule is read in (with `recurrence`)."
    )

    def changes(self) -> dict[str, Any]:
        """The fields the client sent. ``None`` survives only for ``due_at``,
        ``assignee_id`` and ``recurrence`` (clear them)."""
        sent = self.model_dump(include=self.model_fields_set)
        nullable = {"due_at", "assignee_id", "recurrence"}
        bad = [name for name, value in sent.items() if value is None and name not in nullable]
        if bad:
            raise ValueError(f"{', '.join(sorted(bad))} cannot be null")
        return sent


class ChecklistProgress(Model):
    done: int
    total: int


class Task(Model):
    id: str
    project_id: str
    title: str
    description: str
    status: Status
    priority: Priority
    due_at: str | None = Field(description="UTC, RFC 3339")
    labels: list[str]
    created_at: str
    updated_at: str
    completed_at: str | None
    created_by: str
    updated_by: str | None = Field(
        default=None,
        description="The user who last created or changed the task (null in search hits: "
        "the search index does not keep it).",
    )
    assignee_id: str | None = Field(default=None, description="A member of the project.")
    position: str | None = Field(
        default=None,
        description="The task's place in its status column: columns list by `position`, "
        "then `id` (compare as plain strings, code point by code point). A new task goes to "
        "the end of its column; `POST /tasks/{task_id}/move` changes it. Null in search "
        "hits: the search index does not keep it.",
    )
    version: int
    recurrence: Series | None = Field(
        default=None, description="The series a recurring task belongs to (null: no repeat)."
    )
    checklist: list[ChecklistItem] = Field(
        default_factory=list, description="In order (null-free; empty in search hits)."
    )
    deleted_at: str | None = Field(
        default=None, description="When it was moved to the trash (trash listings only)."
    )
    deleted_by: str | None = None
    purge_at: str | None = Field(
        default=None, description="When the trash purges it for good (trash listings only)."
    )

    @computed_field(description='What a list shows: done of total ("3/7").')  # type: ignore[prop-decorator]
    @property
    def checklist_progress(self) -> ChecklistProgress:
        done = sum(item.done for item in self.checklist)
        return ChecklistProgress(done=done, total=len(self.checklist))


class TaskPage(Model):
    items: list[Task]
    next_cursor: str | None = Field(
        description="Pass as `cursor` for the next page; null on the last page. "
        "A filtered page may hold fewer than `limit` items while more follow."
    )


class ProjectCreate(_Input):
    name: ProjectName
    description: ProjectDescription = ""


class ProjectPatch(_Input):
    model_config = ConfigDict(json_schema_extra=patch_schema(min_properties=1))

    name: ProjectName | None = None
    description: ProjectDescription | None = None

    def changes(self) -> dict[str, Any]:
        sent = self.model_dump(include=self.model_fields_set)
        bad = [name for name, value in sent.items() if value is None]
        if bad:
            raise ValueError(f"{', '.join(sorted(bad))} cannot be null")
        return sent


class Project(Model):
    id: str
    name: str
    description: str
    is_inbox: bool
    owner_id: str
    role: Role = Field(description="The caller's role in this project.")
    created_at: str
    updated_at: str
    version: int
    archived_at: str | None = Field(
        default=None, description="Set while the project is archived: read-only, hidden."
    )
    archived_by: str | None = None


class ProjectPage(Model):
    items: list[Project]
    next_cursor: str | None


class Person(Model):
    """Who a user is to the people they work with: a profile's public part."""

    user_id: str
    email: str
    display_name: str


class MemberCreate(_Input):
    email: Email = Field(
        description="The address to invite (with or without an account; only the user "
        "whose verified address it is can accept)."
    )
    role: GrantableRole


class MemberPatch(_Input):
    role: GrantableRole


class Member(Model):
    user_id: str
    email: str = Field(description="Their verified address when they joined.")
    display_name: str
    role: Role
    added_at: str
    added_by: str = Field(description="Who invited them (the owner).")


class MemberPage(Model):
    items: list[Member]
    next_cursor: str | None = Field(description="The owner comes first on the first page.")


class CommentCreate(_Input):
    body: CommentBody


class CommentPatch(_Input):
    body: CommentBody


class Comment(Model):
    id: str = Field(description="The comment's id (a ULID); routes carry the task id too.")
    task_id: str
    author_id: str
    body: str
    created_at: str
    updated_at: str
    version: int


class CommentPage(Model):
    items: list[Comment]
    next_cursor: str | None = Field(description="Oldest first.")


class SortKey(StrEnum):
    created = "created"
    due = "due"
    priority = "priority"
    #: The board's order: by status column (to do, in progress, done), then position.
    position = "position"


class TaskQuery(Model):
    """A validated list request. ``cursor`` is checked against the rest (same query only)."""

    status: Status | None = None
    priority: Priority | None = None
    label: str | None = None
    due_before: datetime | None = None
    due_after: datetime | None = None
    sort: SortKey = SortKey.created
    order: Literal["asc", "desc"] = "asc"
    limit: int = Field(default=DEFAULT_PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE)

    def fingerprint(self) -> dict[str, Any]:
        """What a cursor is bound to: the filters and sort it was issued for."""
        return self.model_dump(mode="json", exclude={"limit"})
