"""Webhook registrations: what a project's owner registers, what the API shows of it, and
the delivery jobs on the webhooks queue.

A webhook lives in its project's partition (so deleting the project deletes it). Its secret
is shown once, when it is created or rotated; afterwards only a hint of it
(:func:`tasklane.domain.exchange.webhooks.secret_hint`). The delivery worker reads the
webhook for every attempt, so a rotated secret, a changed URL or a disabled webhook apply
to retries already queued.
"""

import re
from typing import Annotated, Any

from pydantic import AfterValidator, ConfigDict, Field

from tasklane.domain import patterns
from tasklane.domain.base import Model, patch_schema
from tasklane.domain.errors import Conflict
from tasklane.domain.exchange.targets import MAX_URL
from tasklane.domain.exchange.webhooks import DeliveryAttempt, WebhookEvent

MAX_WEBHOOKS_PER_PROJECT = 10
MAX_WEBHOOK_DESCRIPTION = 200
#: Why a webhook was switched off: by its owner, or by the worker after repeated failures.
DISABLED_BY_OWNER = "owner"
DISABLED_FAILING = "failing"

_ULID = re.compile(r"[0-9a-hjkmnp-tv-z]{26}")


def is_webhook_id(value: str) -> bool:
    return bool(_ULID.fullmatch(value))


def _events(values: list[WebhookEvent] | None) -> list[WebhookEvent] | None:
    if values is None:
        return None
    if WebhookEvent.ping in values:
        raise ValueError("webhook.ping is sent by the test endpoint; it cannot be chosen")
    if not values:
        raise ValueError("name at least one event, or leave events out for all of them")
    return list(dict.fromkeys(values))


def _description(value: str) -> str:
    value = value.strip()
    if any(ord(c) < 32 or ord(c) == 127 for c in value):
        raise ValueError("must be one line without control characters")
    return value


#: The events a webhook may subscribe to (``webhook.ping`` is sent by the test endpoint).
CHOOSABLE_EVENTS: list[Any] = [e.value for e in WebhookEvent if e is not WebhookEvent.ping]


def _choosable_events(schema: dict[str, Any]) -> None:
    # The list's branch (not null's): at least one event, webhook.ping not among them.
    for branch in schema.get("anyOf", [schema]):
        if branch.get("type") == "array":
            branch["minItems"] = 1
            branch["items"] = {"type": "string", "enum": CHOOSABLE_EVENTS}


Events = Annotated[
    list[WebhookEvent] | None,
    AfterValidator(_events),
    Field(json_schema_extra=_choosable_events),
]
Url = Annotated[
    str,
    Field(
        min_length=1,
        max_length=MAX_URL,
        json_schema_extra={"pattern": patterns.webhook_url()},
    ),
]
Description = Annotated[
    str,
    Field(
        max_length=MAX_WEBHOOK_DESCRIPTION,
        json_schema_extra={"pattern": patterns.one_line_or_blank()},
    ),
    AfterValidator(_description),
]


class WebhookCreate(Model):
    model_config = ConfigDict(extra="forbid", defer_build=True)

    url: Url = Field(
        description="https, to a host that resolves to public addresses only (checked now "
        "and before each delivery: 422 otherwise, which no pattern can foresee)."
    )
    events: Events = Field(default=None, description="Omitted or null: every event.")
    description: Description = ""


class WebhookPatch(Model):
    """Only the fields sent change; ``events: null`` subscribes to every event, and
    ``enabled: true`` switches a disabled webhook back on (its failure count starts again)."""

    # Only ``events`` may be null (every event); the others are changed or left out.
    model_config = ConfigDict(
        extra="forbid", defer_build=True, json_schema_extra=patch_schema(nullable=("events",))
    )

    url: Url | None = None
    events: Events = None
    description: Description | None = None
    enabled: bool | None = None

    def changes(self) -> dict[str, Any]:
        sent = self.model_dump(include=self.model_fields_set)
        bad = [name for name, value in sent.items() if value is None and name != "events"]
        if bad:
            raise ValueError(f"{', '.join(sorted(bad))} cannot be null")
        return sent


class Webhook(Model):
    id: str
    project_id: str
    url: str
    events: list[WebhookEvent] | None = Field(description="null: every event.")
    description: str
    enabled: bool
    disabled_reason: str | None = Field(
        description=f"`{DISABLED_BY_OWNER}`, or `{DISABLED_FAILING}` after repeated failed "
        "deliveries (the owner is notified)."
    )
    failures: int = Field(description="Failed attempts in a row.")
    failing_since: str | None
    secret_hint: str
    created_at: str
    created_by: str
    updated_at: str
    version: int


class WebhookSecret(Model):
    """The webhook and its signing secret: shown this once."""

    webhook: Webhook
    secret: str = Field(description="Signs every delivery; shown only now. Keep it safe.")


class WebhookList(Model):
    items: list[Webhook]


class DeliveryLog(Model):
    items: list[DeliveryAttempt] = Field(description="The latest attempts, newest first.")


class TestDelivery(Model):
    delivery_id: str


class WebhookRecord(Model):
    """A webhook as the table holds it: with its secret and its attempt counter."""

    webhook: Webhook
    secret: str
    #: Attempts so far: the delivery log is a ring of the last 100, indexed by this.
    attempts: int = 0


class DeliveryJob(Model):
    """One change for one webhook: the webhooks queue's message. The URL and the secret are
    read from the webhook at each attempt, never carried here."""

    id: str = Field(description="The delivery id.")
    webhook_id: str
    project_id: str
    event: WebhookEvent
    created_at: str
    data: dict[str, Any]
    previous: dict[str, Any] | None = None

    @property
    def kind(self) -> str:
        return self.event.value


class TooManyWebhooks(Conflict):
    code = "webhook_limit_reached"
