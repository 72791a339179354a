"""Configuration from the environment: the only module of the runtime that reads it.

Everything that differs between AWS and the local stack is here. The names of the variables
are declared once, in :class:`Env`: the CDK app (``infra/``) sets them on each function, the
local launcher sets them for the in-process handlers, and :meth:`Settings.from_environment`
reads them. Each function's container (``tasklane.wiring``) reads its settings once, when it
is built; nothing else in ``src/tasklane`` reads ``os.environ``.

The settings are ``NamedTuple``s, not dataclasses: immutable and typed alike, and about eight
times cheaper to define, which every cold start pays (``benchmarks/cold_start.py``).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import NamedTuple

from tasklane.env_names import Env as Env  # re-exported: every module names them from here

#: Powertools' service name and EMF namespace (the CDK app and the local launcher set them).
SERVICE_NAME = "tasklane"
METRICS_NAMESPACE = "Tasklane"
#: Default limits, also documented in the README and the OpenAPI descriptions.
MAX_BODY_BYTES = 1024 * 1024
DEFAULT_REGION = "us-east-1"
DEFAULT_TABLE_NAME = "tasklane"
DEFAULT_BUCKET = "tasklane-attachments"
DEFAULT_EXCHANGE_BUCKET = "tasklane-exchange"
DEFAULT_DATABASE = "tasklane"
#: The local stack's resource names (``tasklane.local.bootstrap``); the CDK app names its own.
LOCAL_USER_POOL_NAME = "tasklane"
LOCAL_CLIENT_NAME = "tasklane-web"
LOCAL_QUEUE_NAME = "tasklane-notifications"
LOCAL_EXPORTS_QUEUE_NAME = "tasklane-exports"
LOCAL_IMPORTS_QUEUE_NAME = "tasklane-imports"
LOCAL_WEBHOOKS_QUEUE_NAME = "tasklane-webhooks"
#: The sender SES must know (verified in SES).
DEFAULT_MAIL_SENDER = "notifications@tasklane.local"
DEFAULT_WEB_URL = "http://127.0.0.1:3000"


class _Reader:
    """Typed reads of one environment mapping (empty values count as unset)."""

    def __init__(self, environ: Mapping[str, str]) -> None:
        self._environ = environ

    def text(self, name: str, default: str = "") -> str:
        return self._environ.get(name) or default

    def number(self, name: str, default: int) -> int:
        raw = self._environ.get(name)
        return int(raw) if raw else default

    def items(self, name: str) -> tuple[str, ...]:
        """A comma-separated list."""
        return tuple(v.strip() for v in self.text(name).split(",") if v.strip())


class AwsSettings(NamedTuple):
    region: str = DEFAULT_REGION
    #: Where every AWS client goes: empty in AWS (the SDK's endpoints), moto's URL locally.
    endpoint_url: str = ""

    @classmethod
    def read(cls, env: _Reader) -> AwsSettings:
        region = env.text(Env.REGION) or env.text(Env.DEFAULT_REGION, DEFAULT_REGION)
        return cls(region=region, endpoint_url=env.text(Env.ENDPOINT_URL))


class ObservabilitySettings(NamedTuple):
    """Powertools' service and namespace: without a namespace, Powertools refuses to flush
    metrics and the request fails, so both have defaults."""

    service: str = SERVICE_NAME
    namespace: str = METRICS_NAMESPACE

    @classmethod
    def read(cls, env: _Reader) -> ObservabilitySettings:
        return cls(
            service=env.text(Env.SERVICE_NAME, SERVICE_NAME),
            namespace=env.text(Env.METRICS_NAMESPACE, METRICS_NAMESPACE),
        )


class DatabaseSettings(NamedTuple):
    """PostgreSQL (see tasklane.dal.postgres.engine). ``host`` may be a Unix socket directory
    (local); in AWS it is the RDS Proxy endpoint (or, for the migrations, the instance)."""

    host: str = ""
    port: int = 5432
    name: str = DEFAULT_DATABASE
    user: str = DEFAULT_DATABASE
    password: str = ""
    #: ``password`` (the field above), ``iam`` (an RDS IAM auth token per new connection) or
    #: ``secret`` (user and password from the Secrets Manager secret ``secret_arn``).
    auth: str = "password"
    secret_arn: str = ""
    #: libpq ``sslmode``; IAM authentication needs ``require`` or stronger. AWS uses
    #: ``verify-full``: the server's certificate must chain to a trusted root and name the host.
    sslmode: str = ""
    #: The PEM file of the roots ``verify-full`` trusts (libpq ``sslrootcert``). Empty: the
    #: public roots certifi ships, which hold the Amazon Root CAs that sign RDS Proxy's
    #: certificates (ACM). A DB instance reached directly needs the RDS CA bundle instead.
    ca_bundle: str = ""
    #: Connections kept per container: a Lambda serves one request at a time.
    pool_size: int = 1
    #: The migrations function: the login role the other functions use, and where the
    #: Alembic scripts are (empty: ``migrations/`` beside the package).
    app_user: str = DEFAULT_DATABASE
    migrations_dir: str = ""

    def __repr__(self) -> str:
        return _masked(self, "password")

    @classmethod
    def read(cls, env: _Reader) -> DatabaseSettings:
        auth = env.text(Env.DB_AUTH, "password")
        if auth not in ("password", "iam", "secret"):
            raise RuntimeError(f"{Env.DB_AUTH} must be password, iam or secret")
        return cls(
            host=env.text(Env.DB_HOST),
            port=env.number(Env.DB_PORT, 5432),
            name=env.text(Env.DB_NAME, DEFAULT_DATABASE),
            user=env.text(Env.DB_USER, DEFAULT_DATABASE),
            password=env.text(Env.DB_PASSWORD),
            auth=auth,
            secret_arn=env.text(Env.DB_SECRET_ARN),
            sslmode=env.text(Env.DB_SSLMODE, "require" if auth == "iam" else ""),
            ca_bundle=env.text(Env.DB_CA_BUNDLE),
            pool_size=env.number(Env.DB_POOL_SIZE, 1),
            app_user=env.text(Env.DB_APP_USER, DEFAULT_DATABASE),
            migrations_dir=env.text(Env.MIGRATIONS_DIR),
        )


#: How long an attachment's upload form is valid, and the bounds a deployment may choose.
UPLOAD_EXPIRY_SECONDS = 120
UPLOAD_EXPIRY_BOUNDS = (30, 600)


class AttachmentSettings(NamedTuple):
    bucket: str = DEFAULT_BUCKET
    #: Largest file accepted (bytes); the presigned POST pins it, completing checks it.
    max_bytes: int = 25 * 1024 * 1024
    max_per_task: int = 20
    #: Media types accepted; empty means every type we can recognise (see
    #: ``tasklane.domain.attachments.CONTENT_TYPES``). A deployment may only narrow that list.
    allowed_types: tuple[str, ...] = ()
    #: A leaked upload form or download link is short-lived, and a form leaves little time
    #: to be used again (issue 14, finding 8). The client POSTs the file right after
    #: creating the attachment; 2 minutes carry the largest file (25 MiB) at 2 Mbit/s even
    #: if S3 checked the expiry at the upload's end. Between the bounds below.
    upload_expiry_seconds: int = UPLOAD_EXPIRY_SECONDS
    download_expiry_seconds: int = 60
    #: How long after its upload form expired a pending upload is swept away. The grace
    #: covers an upload that started just before the form expired and is still running.
    pending_grace_seconds: int = 3600

    @classmethod
    def read(cls, env: _Reader) -> AttachmentSettings:
        return cls(
            bucket=env.text(Env.ATTACHMENTS_BUCKET, DEFAULT_BUCKET),
            max_bytes=env.number(Env.ATTACHMENT_MAX_BYTES, 25 * 1024 * 1024),
            max_per_task=env.number(Env.ATTACHMENTS_PER_TASK, 20),
            allowed_types=tuple(t.lower() for t in env.items(Env.ATTACHMENT_TYPES)),
            upload_expiry_seconds=_upload_expiry(env),
            download_expiry_seconds=env.number(Env.ATTACHMENT_DOWNLOAD_EXPIRY_SECONDS, 60),
            pending_grace_seconds=env.number(Env.ATTACHMENT_PENDING_GRACE_SECONDS, 3600),
        )


def _upload_expiry(env: _Reader) -> int:
    seconds = env.number(Env.ATTACHMENT_UPLOAD_EXPIRY_SECONDS, UPLOAD_EXPIRY_SECONDS)
    low, high = UPLOAD_EXPIRY_BOUNDS
    if not low <= seconds <= high:
        raise RuntimeError(
            f"{Env.ATTACHMENT_UPLOAD_EXPIRY_SECONDS} must be between {low} and {high} seconds"
        )
    return seconds


class NotificationSettings(NamedTuple):
    #: The jobs queue: the events and reminders functions send to it.
    queue_url: str = ""
    #: The SES identity e-mails are sent from (verified in SES).
    mail_sender: str = DEFAULT_MAIL_SENDER
    #: Base URL of the web app: e-mails link to ``<web_url>/tasks/<task id>``.
    web_url: str = DEFAULT_WEB_URL
    #: Seconds a job id is remembered by the notifier's idempotency records: longer than the
    #: queue keeps a message (4 days), so no redelivery can outlive its record.
    idempotency_ttl_seconds: int = 7 * 24 * 3600

    @classmethod
    def read(cls, env: _Reader) -> NotificationSettings:
        return cls(
            queue_url=env.text(Env.NOTIFICATIONS_QUEUE_URL),
            mail_sender=env.text(Env.MAIL_SENDER, DEFAULT_MAIL_SENDER),
            web_url=env.text(Env.WEB_URL, DEFAULT_WEB_URL).rstrip("/"),
            idempotency_ttl_seconds=env.number(
                Env.NOTIFICATION_IDEMPOTENCY_TTL_SECONDS, 7 * 24 * 3600
            ),
        )


class ImportLimits(NamedTuple):
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

    @classmethod
    def read(cls, env: _Reader) -> ImportLimits:
        # Each field from its variable, Env.IMPORT_<FIELD> (max_rows: IMPORT_MAX_ROWS).
        d = cls()
        return cls(
            *(env.number(getattr(Env, f"IMPORT_{f.upper()}"), getattr(d, f)) for f in cls._fields)
        )


class WebhookSettings(NamedTuple):
    #: ``http://`` receivers on loopback addresses (a developer's local receiver). Only the
    #: local runtime may turn it on: reading it with ``local_mode`` off is an error.
    allow_http_loopback: bool = False
    #: Connect + read, per attempt.
    timeout_seconds: float = 5.0
    #: Consecutive failed attempts, lasting at least ``disable_after_seconds``, that disable
    #: a webhook (both must hold: a short outage during a burst of events does not).
    disable_after_failures: int = 20
    disable_after_seconds: int = 24 * 3600
    #: Multiplies the retry delays: 1 in AWS; local tests shorten them (0: at once).
    retry_scale: float = 1.0

    @classmethod
    def read(cls, env: _Reader, *, local_mode: bool) -> WebhookSettings:
        allow_loopback = env.text(Env.WEBHOOK_ALLOW_HTTP_LOOPBACK) == "1"
        if allow_loopback and not local_mode:
            # A deployment that could post to its own loopback is an SSRF hole: fail at start.
            raise RuntimeError(f"{Env.WEBHOOK_ALLOW_HTTP_LOOPBACK} is for the local runtime only")
        scale = float(env.text(Env.WEBHOOK_RETRY_SCALE) or 1.0)
        if scale < 0 or (scale != 1.0 and not local_mode):
            # Retries within seconds would hammer a receiver that is down.
            raise RuntimeError(f"{Env.WEBHOOK_RETRY_SCALE}: local runtime only, not negative")
        return cls(
            allow_http_loopback=allow_loopback,
            timeout_seconds=float(env.text(Env.WEBHOOK_TIMEOUT_SECONDS) or 5.0),
            disable_after_failures=env.number(Env.WEBHOOK_DISABLE_AFTER_FAILURES, 20),
            disable_after_seconds=env.number(Env.WEBHOOK_DISABLE_AFTER_SECONDS, 24 * 3600),
            retry_scale=scale,
        )


class CalendarSettings(NamedTuple):
    #: Events in one feed: the soonest due first.
    max_events: int = 1_000

    @classmethod
    def read(cls, env: _Reader) -> CalendarSettings:
        return cls(max_events=env.number(Env.CALENDAR_MAX_EVENTS, 1_000))


class ExchangeSettings(NamedTuple):
    """Import, export, webhooks and the calendar feed (see tasklane.domain.exchange)."""

    #: Export ZIPs and import uploads (``tasklane.resources.EXCHANGE_BUCKET``).
    bucket: str = DEFAULT_EXCHANGE_BUCKET
    #: The jobs queues: the api sends import jobs, the events function export jobs and
    #: webhook deliveries (and the api a webhook's test ping).
    exports_queue_url: str = ""
    imports_queue_url: str = ""
    webhooks_queue_url: str = ""
    #: Minutes, as for attachments: an upload form or a download link is a bearer credential.
    upload_expiry_seconds: int = 900
    download_expiry_seconds: int = 300
    imports: ImportLimits = ImportLimits()
    webhooks: WebhookSettings = WebhookSettings()
    calendar: CalendarSettings = CalendarSettings()

    @classmethod
    def read(cls, env: _Reader, *, local_mode: bool) -> ExchangeSettings:
        return cls(
            bucket=env.text(Env.EXCHANGE_BUCKET, DEFAULT_EXCHANGE_BUCKET),
            exports_queue_url=env.text(Env.EXPORTS_QUEUE_URL),
            imports_queue_url=env.text(Env.IMPORTS_QUEUE_URL),
            webhooks_queue_url=env.text(Env.WEBHOOKS_QUEUE_URL),
            imports=ImportLimits.read(env),
            webhooks=WebhookSettings.read(env, local_mode=local_mode),
            calendar=CalendarSettings.read(env),
        )


class LimitSettings(NamedTuple):
    """Per-user quotas (docs/api.md, "Limits"). Count limits answer 409 ``limit_reached``,
    rates 429 ``rate_limited`` with ``Retry-After``; each is enforced by a counter written in
    the same transaction as the work it counts, so no burst gets past it."""

    projects_per_user: int = 100
    tasks_per_project: int = 5_000
    #: Members besides the owner.
    members_per_project: int = 50
    comments_per_task: int = 500
    #: Upload forms a user may ask for per UTC day.
    attachments_per_day: int = 200
    #: Invitations an owner has waiting (all projects together).
    pending_invitations: int = 50
    #: Invitations an owner may send per UTC day (each sends an e-mail).
    invitations_per_day: int = 100
    #: Days an invitation stays open.
    invitation_days: int = 14

    @classmethod
    def read(cls, env: _Reader) -> LimitSettings:
        values = {field: env.number(var, getattr(cls(), field)) for field, var in _LIMIT_VARIABLES}
        return cls(**values)


_LIMIT_VARIABLES = (
    ("projects_per_user", Env.LIMIT_PROJECTS_PER_USER),
    ("tasks_per_project", Env.LIMIT_TASKS_PER_PROJECT),
    ("members_per_project", Env.LIMIT_MEMBERS_PER_PROJECT),
    ("comments_per_task", Env.LIMIT_COMMENTS_PER_TASK),
    ("attachments_per_day", Env.LIMIT_ATTACHMENTS_PER_DAY),
    ("pending_invitations", Env.LIMIT_PENDING_INVITATIONS),
    ("invitations_per_day", Env.LIMIT_INVITATIONS_PER_DAY),
    ("invitation_days", Env.INVITATION_DAYS),
)


class RealtimeSettings(NamedTuple):
    """Live updates (docs/realtime.md)."""

    #: What browsers connect to, returned by ``GET /config`` as ``realtime_url``: the
    #: WebSocket API's stage URL (``wss://…``), ``ws://HOST:PORT/realtime`` locally; empty
    #: when live updates are off (the web app then refetches on focus).
    url: str = ""
    #: The Management API's endpoint (``https://…/<stage>``; ``http://HOST:PORT/realtime``
    #: locally), where the fan-out posts to connections.
    endpoint: str = ""

    @classmethod
    def read(cls, env: _Reader) -> RealtimeSettings:
        return cls(url=env.text(Env.REALTIME_URL), endpoint=env.text(Env.REALTIME_ENDPOINT))


class Settings(NamedTuple):
    aws: AwsSettings = AwsSettings()
    table_name: str = DEFAULT_TABLE_NAME
    user_pool_id: str = ""
    user_pool_client_id: str = ""
    #: Where clients reach Cognito: empty in AWS (the SDK default), moto's URL locally.
    cognito_endpoint: str = ""
    #: Public base URL of the API, returned by ``GET /config``.
    api_url: str = ""
    #: Origins allowed by CORS (comma separated in the environment).
    cors_origins: tuple[str, ...] = ()
    #: The key that signs list cursors: given (locally), or the ARN of the Secrets Manager
    #: secret that holds it (AWS), read by the api's container on first use. Only the api
    #: function signs cursors, so only it is given either.
    cursor_secret: str = ""
    cursor_secret_arn: str = ""
    #: Seconds an ``Idempotency-Key`` is remembered.
    idempotency_ttl_seconds: int = 24 * 3600
    #: Days a deleted task waits in its project's trash before it is purged (1-365).
    trash_retention_days: int = 30
    max_body_bytes: int = MAX_BODY_BYTES
    #: Set only by the local runtime; enables local-only routes such as the dev mailbox.
    local_mode: bool = False
    observability: ObservabilitySettings = ObservabilitySettings()
    db: DatabaseSettings = DatabaseSettings()
    attachments: AttachmentSettings = AttachmentSettings()
    notifications: NotificationSettings = NotificationSettings()
    exchange: ExchangeSettings = ExchangeSettings()
    limits: LimitSettings = LimitSettings()
    realtime: RealtimeSettings = RealtimeSettings()

    def __repr__(self) -> str:
        return _masked(self, "cursor_secret")

    @property
    def region(self) -> str:
        return self.aws.region

    @classmethod
    def from_environment(cls, environ: Mapping[str, str] | None = None) -> Settings:
        """The settings ``environ`` (default: this process's environment) describes."""
        env = _Reader(os.environ if environ is None else environ)
        local_mode = env.text(Env.LOCAL_MODE) == "1"
        return cls(
            aws=AwsSettings.read(env),
            table_name=env.text(Env.TABLE_NAME, DEFAULT_TABLE_NAME),
            user_pool_id=env.text(Env.USER_POOL_ID),
            user_pool_client_id=env.text(Env.USER_POOL_CLIENT_ID),
            cognito_endpoint=env.text(Env.COGNITO_ENDPOINT),
            api_url=env.text(Env.API_URL),
            cors_origins=env.items(Env.CORS_ORIGINS),
            cursor_secret=env.text(Env.CURSOR_SECRET),
            cursor_secret_arn=env.text(Env.CURSOR_SECRET_ARN),
            idempotency_ttl_seconds=env.number(Env.IDEMPOTENCY_TTL_SECONDS, 24 * 3600),
            trash_retention_days=env.number(Env.TRASH_RETENTION_DAYS, 30),
            max_body_bytes=env.number(Env.MAX_BODY_BYTES, MAX_BODY_BYTES),
            local_mode=local_mode,
            observability=ObservabilitySettings.read(env),
            db=DatabaseSettings.read(env),
            attachments=AttachmentSettings.read(env),
            notifications=NotificationSettings.read(env),
            exchange=ExchangeSettings.read(env, local_mode=local_mode),
            limits=LimitSettings.read(env),
            realtime=RealtimeSettings.read(env),
        )


def _masked(settings: NamedTuple, secret: str) -> str:
    """A repr that never shows the secret (logs, tracebacks)."""
    values = settings._asdict()
    if values[secret]:
        values[secret] = "***"
    fields = ", ".join(f"{name}={value!r}" for name, value in values.items())
    return f"{type(settings).__name__}({fields})"


def observability_from_environment() -> ObservabilitySettings:
    """For ``tasklane.observability``, whose Logger, Tracer and Metrics exist before any
    container does (Powertools decorates the handlers at import)."""
    return ObservabilitySettings.read(_Reader(os.environ))
