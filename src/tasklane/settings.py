"""Configuration from the environment, read once per container.

Everything that differs between AWS and the local stack is here; the rest of the code
never reads ``os.environ`` itself.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from functools import cache

#: Default limits, also documented in the README and the OpenAPI descriptions.
MAX_BODY_BYTES = 1024 * 1024


def _int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    return int(raw) if raw else default


@dataclass(frozen=True, slots=True)
class Settings:
    region: str
    table_name: str
    user_pool_id: str
    user_pool_client_id: str
    #: Where clients reach Cognito: empty in AWS (the SDK default), moto's URL locally.
    cognito_endpoint: str
    #: Public base URL of the API, returned by ``GET /config``.
    api_url: str
    #: Origins allowed by CORS (comma separated in the environment).
    cors_origins: tuple[str, ...]
    #: Seconds an ``Idempotency-Key`` is remembered.
    idempotency_ttl_seconds: int = 24 * 3600
    max_body_bytes: int = MAX_BODY_BYTES
    #: Set only by the local runtime; enables local-only routes such as the dev mailbox.
    local_mode: bool = False
    #: PostgreSQL (see tasklane.dal.postgres.engine). ``db_host`` may be a Unix socket
    #: directory (local); in AWS it is the RDS Proxy endpoint.
    db: DatabaseSettings = field(default_factory=lambda: DatabaseSettings())
    #: S3 attachments: bucket, limits, URL lifetimes (see tasklane.domain.attachments).
    attachments: AttachmentSettings = field(default_factory=lambda: AttachmentSettings())
    #: The notification pipeline: queue, mail sender, links (see tasklane.logic.notifications).
    notifications: NotificationSettings = field(default_factory=lambda: NotificationSettings())
    #: Import, export, webhooks and the calendar feed (see tasklane.domain.exchange).
    exchange: ExchangeSettings = field(default_factory=lambda: ExchangeSettings())


@dataclass(frozen=True, slots=True)
class DatabaseSettings:
    host: str = ""
    port: int = 5432
    name: str = "tasklane"
    user: str = "tasklane"
    password: str = field(default="", repr=False)
    #: ``password`` (the field above), ``iam`` (an RDS IAM auth token per new connection) or
    #: ``secret`` (user and password from the Secrets Manager secret ``secret_arn``).
    auth: str = "password"
    secret_arn: str = ""
    #: libpq ``sslmode``; IAM authentication needs ``require`` or stronger.
    sslmode: str = ""
    #: Connections kept per container: a Lambda serves one request at a time.
    pool_size: int = 1


def database_from_environment() -> DatabaseSettings:
    auth = os.environ.get("TASKLANE_DB_AUTH", "password")
    if auth not in ("password", "iam", "secret"):
        raise RuntimeError("TASKLANE_DB_AUTH must be password, iam or secret")
    return DatabaseSettings(
        host=os.environ.get("TASKLANE_DB_HOST", ""),
        port=_int("TASKLANE_DB_PORT", 5432),
        name=os.environ.get("TASKLANE_DB_NAME", "tasklane"),
        user=os.environ.get("TASKLANE_DB_USER", "tasklane"),
        password=os.environ.get("TASKLANE_DB_PASSWORD", ""),
        auth=auth,
        secret_arn=os.environ.get("TASKLANE_DB_SECRET_ARN", ""),
        sslmode=os.environ.get("TASKLANE_DB_SSLMODE", "require" if auth == "iam" else ""),
        pool_size=_int("TASKLANE_DB_POOL_SIZE", 1),
    )


def _secret_string(arn: str) -> str:
    """A Secrets Manager secret's value: in AWS the cursor key is never in the environment.

    Read once per container, at start-up (``get_settings`` is cached)."""
    if not arn:
        return ""
    import boto3

    response = boto3.client("secretsmanager").get_secret_value(SecretId=arn)
    return str(response["SecretString"])


@cache
def get_cursor_secret() -> bytes:
    """The key for the HMAC that makes list cursors tamper-evident.

    Apart from the rest of the settings: only the api function signs cursors, so only it
    is given the secret (and the events, migrate and sweeper functions never need it).
    """
    secret = os.environ.get("TASKLANE_CURSOR_SECRET", "") or _secret_string(
        os.environ.get("TASKLANE_CURSOR_SECRET_ARN", "")
    )
    if not secret:
        raise RuntimeError("TASKLANE_CURSOR_SECRET (or TASKLANE_CURSOR_SECRET_ARN) is not set")
    return secret.encode()


@cache
def get_settings() -> Settings:
    origins = os.environ.get("TASKLANE_CORS_ORIGINS", "")
    return Settings(
        region=os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION", "us-east-1"),
        table_name=os.environ.get("TASKLANE_TABLE_NAME", "tasklane"),
        user_pool_id=os.environ.get("TASKLANE_USER_POOL_ID", ""),
        user_pool_client_id=os.environ.get("TASKLANE_USER_POOL_CLIENT_ID", ""),
        cognito_endpoint=os.environ.get("TASKLANE_COGNITO_ENDPOINT", ""),
        api_url=os.environ.get("TASKLANE_API_URL", ""),
        cors_origins=tuple(o.strip() for o in origins.split(",") if o.strip()),
        idempotency_ttl_seconds=_int("TASKLANE_IDEMPOTENCY_TTL_SECONDS", 24 * 3600),
        max_body_bytes=_int("TASKLANE_MAX_BODY_BYTES", MAX_BODY_BYTES),
        local_mode=os.environ.get("TASKLANE_LOCAL_MODE", "") == "1",
        db=database_from_environment(),
        attachments=attachments_from_environment(),
        notifications=notifications_from_environment(),
        exchange=exchange_from_environment(),
    )


@dataclass(frozen=True, slots=True)
class AttachmentSettings:
    bucket: str = "tasklane-attachments"
    #: Largest file accepted (bytes); the presigned POST pins it, completing checks it.
    max_bytes: int = 25 * 1024 * 1024
    max_per_task: int = 20
    #: Media types accepted; empty means every type we can recognise (see
    #: ``tasklane.domain.attachments.CONTENT_TYPES``). A deployment may only narrow that list.
    allowed_types: tuple[str, ...] = ()
    #: Minutes, not hours: a leaked upload form or download link is short-lived.
    upload_expiry_seconds: int = 300
    download_expiry_seconds: int = 60
    #: How long after its upload form expired a pending upload is swept away. The grace
    #: covers an upload that started just before the form expired and is still running.
    pending_grace_seconds: int = 3600


def attachments_from_environment() -> AttachmentSettings:
    types = os.environ.get("TASKLANE_ATTACHMENT_TYPES", "")
    return AttachmentSettings(
        bucket=os.environ.get("TASKLANE_ATTACHMENTS_BUCKET", "tasklane-attachments"),
        max_bytes=_int("TASKLANE_ATTACHMENT_MAX_BYTES", 25 * 1024 * 1024),
        max_per_task=_int("TASKLANE_ATTACHMENTS_PER_TASK", 20),
        allowed_types=tuple(t.strip().lower() for t in types.split(",") if t.strip()),
        upload_expiry_seconds=_int("TASKLANE_ATTACHMENT_UPLOAD_EXPIRY_SECONDS", 300),
        download_expiry_seconds=_int("TASKLANE_ATTACHMENT_DOWNLOAD_EXPIRY_SECONDS", 60),
        pending_grace_seconds=_int("TASKLANE_ATTACHMENT_PENDING_GRACE_SECONDS", 3600),
    )


DEFAULT_MAIL_SENDER = "notifications@tasklane.local"
DEFAULT_WEB_URL = "http://127.0.0.1:3000"


@dataclass(frozen=True, slots=True)
class NotificationSettings:
    """Read by the events, reminders and notifier functions and the api; none of them needs
    more than this block and the table name (no cursor secret: see get_cursor_secret)."""

    #: The jobs queue: the events and reminders functions send to it.
    queue_url: str = ""
    #: The SES identity e-mails are sent from (verified in SES).
    mail_sender: str = DEFAULT_MAIL_SENDER
    #: Base URL of the web app: e-mails link to ``<web_url>/tasks/<task id>``.
    web_url: str = DEFAULT_WEB_URL
    #: Seconds a job id is remembered by the notifier's idempotency records: longer than the
    #: queue keeps a message (4 days), so no redelivery can outlive its record.
    idempotency_ttl_seconds: int = 7 * 24 * 3600


def notifications_from_environment() -> NotificationSettings:
    return NotificationSettings(
        queue_url=os.environ.get("TASKLANE_NOTIFICATIONS_QUEUE_URL", ""),
        mail_sender=os.environ.get("TASKLANE_MAIL_SENDER", "") or DEFAULT_MAIL_SENDER,
        web_url=(os.environ.get("TASKLANE_WEB_URL", "") or DEFAULT_WEB_URL).rstrip("/"),
        idempotency_ttl_seconds=_int(
            "TASKLANE_NOTIFICATION_IDEMPOTENCY_TTL_SECONDS", 7 * 24 * 3600
        ),
    )


@dataclass(frozen=True, slots=True)
class ImportLimits:
    """What one import may hold. Bytes are checked while reading (413), counts while parsing
    (422): a file is never read whole before it is judged."""

    #: The uploaded file (the presigned POST pins it too).
    max_bytes: int = 20 * 1024 * 1024
    #: Tasks in one import.
    max_rows: int = 10_000
    #: One CSV record (all its physical lines): past this the file is refused, because a
    #: CSV reader cannot find the next record after an unterminated quoted field.
    max_row_bytes: int = 256 * 1024
    #: Lists, labels, checklists and comments a Trello board may carry besides its cards
    #: (held in memory while the cards are read).
    max_side_items: int = 50_000
    max_comments_per_task: int = 200
    max_checklist_items_per_task: int = 100
    #: Projects in one Tasklane export.
    max_projects: int = 1_000


@dataclass(frozen=True, slots=True)
class WebhookSettings:
    #: ``http://`` receivers on loopback addresses (a developer's local receiver). Only the
    #: local runtime may turn it on: reading it with ``local_mode`` off is an error.
    allow_http_loopback: bool = False
    #: Connect + read, per attempt.
    timeout_seconds: float = 5.0
    #: Consecutive failed attempts, lasting at least ``disable_after_seconds``, that disable
    #: a webhook (both must hold: a short outage during a burst of events does not).
    disable_after_failures: int = 20
    disable_after_seconds: int = 24 * 3600


@dataclass(frozen=True, slots=True)
class CalendarSettings:
    #: Events in one feed: the soonest due first.
    max_events: int = 1_000


@dataclass(frozen=True, slots=True)
class ExchangeSettings:
    imports: ImportLimits = field(default_factory=ImportLimits)
    webhooks: WebhookSettings = field(default_factory=WebhookSettings)
    calendar: CalendarSettings = field(default_factory=CalendarSettings)


def exchange_from_environment() -> ExchangeSettings:
    local_mode = os.environ.get("TASKLANE_LOCAL_MODE", "") == "1"
    allow_loopback = os.environ.get("TASKLANE_WEBHOOK_ALLOW_HTTP_LOOPBACK", "") == "1"
    if allow_loopback and not local_mode:
        # A deployment that could post to its own loopback is an SSRF hole: fail at start-up.
        raise RuntimeError("TASKLANE_WEBHOOK_ALLOW_HTTP_LOOPBACK is for the local runtime only")
    defaults = ImportLimits()
    return ExchangeSettings(
        imports=ImportLimits(
            max_bytes=_int("TASKLANE_IMPORT_MAX_BYTES", defaults.max_bytes),
            max_rows=_int("TASKLANE_IMPORT_MAX_ROWS", defaults.max_rows),
            max_row_bytes=_int("TASKLANE_IMPORT_MAX_ROW_BYTES", defaults.max_row_bytes),
            max_side_items=_int("TASKLANE_IMPORT_MAX_SIDE_ITEMS", defaults.max_side_items),
            max_comments_per_task=_int(
                "TASKLANE_IMPORT_MAX_COMMENTS_PER_TASK", defaults.max_comments_per_task
            ),
            max_checklist_items_per_task=_int(
                "TASKLANE_IMPORT_MAX_CHECKLIST_ITEMS_PER_TASK",
                defaults.max_checklist_items_per_task,
            ),
            max_projects=_int("TASKLANE_IMPORT_MAX_PROJECTS", defaults.max_projects),
        ),
        webhooks=WebhookSettings(
            allow_http_loopback=allow_loopback,
            timeout_seconds=float(os.environ.get("TASKLANE_WEBHOOK_TIMEOUT_SECONDS") or 5.0),
            disable_after_failures=_int("TASKLANE_WEBHOOK_DISABLE_AFTER_FAILURES", 20),
            disable_after_seconds=_int("TASKLANE_WEBHOOK_DISABLE_AFTER_SECONDS", 24 * 3600),
        ),
        calendar=CalendarSettings(max_events=_int("TASKLANE_CALENDAR_MAX_EVENTS", 1_000)),
    )
