"""User profiles: who a user is to the rest of the system (e-mail, name, time zone,
notification preferences). Kept in PostgreSQL; the Cognito ``sub`` is the key."""

from collections.abc import Mapping
from enum import StrEnum
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    ConfigDict,
    Field,
    StrictBool,
    StrictInt,
    TypeAdapter,
    ValidationError,
)

from tasklane.domain import patterns
from tasklane.domain.base import Model, patch_schema
from tasklane.domain.models import Email, Person, documented
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


#: Built on first use (a claim check), not at import: cold starts pay only when needed.
class _LazyAdapter:
    def __init__(self, annotation: Any) -> None:
        self._annotation = annotation
        self._adapter: TypeAdapter[str] | None = None

    def validate_python(self, value: str) -> str:
        if self._adapter is None:
            self._adapter = TypeAdapter(self._annotation)
        return self._adapter.validate_python(value)


_EMAIL = _LazyAdapter(Email)
_DISPLAY_NAME = _LazyAdapter(DisplayName)


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
    """What the ID token says about the caller (verified by the authorizer).

    ``email`` is the address only when the token says Cognito verified it (``email_verified``),
    else empty: an unverified address is never stored, shown or matched (anyone can type any
    address into an account they own). Build it with :func:`identity_from_claims`.
    """

    sub: str
    email: str = ""
    name: str = ""

    def default_display_name(self) -> str:
        name = self.name.strip() or self.email.partition("@")[0].strip() or "user"
        return name[:MAX_DISPLAY_NAME]

    def person(self) -> Person:
        """The caller as the token describes them (a project owner's member entry)."""
        return Person(user_id=self.sub, email=self.email, display_name=self.default_display_name())


def _claim_text(claims: Mapping[str, Any], name: str) -> str:
    value = claims.get(name)
    return value if isinstance(value, str) else ""


def is_verified(value: object) -> bool:
    """``email_verified`` as API Gateway passes it (the text ``"true"``) or as a JWT library
    decodes it (a boolean)."""
    return value is True or (isinstance(value, str) and value.strip().lower() == "true")


def verified_email(claims: Mapping[str, Any]) -> str:
    """The token's e-mail address if Cognito verified it and it is a well-formed address."""
    if not is_verified(claims.get("email_verified")):
        return ""
    try:
        return _EMAIL.validate_python(_claim_text(claims, "email"))
    except ValidationError:
        return ""


def display_name_claim(claims: Mapping[str, Any]) -> str:
    """The ``name`` claim if it passes as a display name (one line, no control characters,
    1-100 characters), else empty: a user writes their own ``name`` attribute, and it ends
    up in other people's e-mails and pages."""
    try:
        return _DISPLAY_NAME.validate_python(_claim_text(claims, "name"))
    except ValidationError:
        return ""


def identity_from_claims(claims: Mapping[str, Any]) -> Identity | None:
    """The caller the authorizer's claims describe; None without a ``sub``."""
    sub = claims.get("sub")
    if not isinstance(sub, str) or not sub:
        return None
    return Identity(sub=sub, email=verified_email(claims), name=display_name_claim(claims))
