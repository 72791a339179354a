"""User profiles: who a user is to the rest of the system (e-mail, name, time zone,
notification preferences). Kept in PostgreSQL; the Cognito ``sub`` is the key."""

from enum import StrEnum
from typing import Annotated, Any

from pydantic import AfterValidator, ConfigDict, Field, StrictBool, StrictInt

from tasklane.domain import patterns
from tasklane.domain.base import Model, patch_schema
from tasklane.domain.models import Person, documented
from tasklane.domain.text import _length, _single_line
from tasklane.domain.zones import DEFAULT_TIME_ZONE as DEFAULT_TIME_ZONE
from tasklane.domain.zones import TimeZone

MAX_DISPLAY_NAME = 100
MAX_REMINDER_LEAD_MINUTES = 7 * 24 * 60


class EventKind(StrEnum):
    """What a user can be notified of; each can be switched off."""

    task_due = "task_due"
    task_assigned = "task_assigned"
    task_changed = "task_changed"
    comment_added = "comment_added"
    project_shared = "project_shared"


DisplayName = Annotated[
    str,
    Field(max_length=MAX_DISPLAY_NAME * 4),
    AfterValidator(_single_line),
    AfterValidator(lambda v: _length(v, 1, MAX_DISPLAY_NAME)),
    documented(pattern=patterns.single_line(MAX_DISPLAY_NAME)),
]


class NotificationPreferences(Model):
    model_config = ConfigDict(extra="forbid", defer_build=True)

    events: dict[EventKind, bool] = Field(
        default_factory=lambda: dict.fromkeys(EventKind, True),
        description="Per event kind: notify (true) or not. Kinds left out keep their value.",
    )
    reminder_lead_minutes: int = Field(
        default=60,
        ge=0,
        le=MAX_REMINDER_LEAD_MINUTES,
        description="How long before a due date the reminder goes out.",
    )


class Profile(Model):
    user_id: str
    email: str
    display_name: str
    time_zone: str
    notifications: NotificationPreferences
    created_at: str
    updated_at: str


class NotificationPatch(Model):
    # Strict: JSON's true is not 1, nor "yes" true (pydantic's lax mode would take both).
    model_config = ConfigDict(extra="forbid", defer_build=True)

    events: dict[EventKind, StrictBool] | None = None
    reminder_lead_minutes: StrictInt | None = Field(
        default=None, ge=0, le=MAX_REMINDER_LEAD_MINUTES
    )


class ProfilePatch(Model):
    """Only the fields sent change; none of them may be null."""

    model_config = ConfigDict(extra="forbid", defer_build=True, json_schema_extra=patch_schema())

    display_name: DisplayName | None = None
    time_zone: TimeZone | None = None
    notifications: NotificationPatch | None = None

    def changes(self) -> dict[str, Any]:
        sent = self.model_dump(include=self.model_fields_set, exclude_unset=True)
        bad = [name for name, value in sent.items() if value is None]
        if bad:
            raise ValueError(f"{', '.join(sorted(bad))} cannot be null")
        return sent


class Identity(Model):
    """What the ID token says about the caller (verified by the authorizer)."""

    sub: str
    email: str = ""
    name: str = ""

    def default_display_name(self) -> str:
        name = self.name.strip() or self.email.partition("@")[0].strip() or "user"
        return name[:MAX_DISPLAY_NAME]

    def person(self) -> Person:
        """The caller as the token describes them (a project owner's member entry)."""
        return Person(user_id=self.sub, email=self.email, display_name=self.default_display_name())
