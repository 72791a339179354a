"""The one place that knows how to reach PostgreSQL: how an engine is made.

Each container holds one engine (:class:`tasklane.dal.postgres.database.PostgresDatabase`),
created on first use and reused by every warm invocation. In AWS the host is an RDS
Proxy endpoint, so everything sent must keep the proxy free to multiplex client connections
onto few database connections, i.e. never *pin* a session:

- no ``SET`` (not even for a timeout), no temporary tables, no advisory locks, no
  ``LISTEN``: nothing that leaves state behind in the session;
- no server-side prepared statements: psycopg prepares a statement after its fifth execution
  unless ``prepare_threshold`` is None.

Authentication (``DatabaseSettings.auth``, ``TASKLANE_DB_AUTH``):

- ``password``: ``TASKLANE_DB_PASSWORD`` (locally: the embedded server trusts local users);
- ``iam``: a fresh RDS IAM auth token (valid 15 minutes) for each *new* connection, made
  by boto3's ``generate_db_auth_token`` (a local signature, no network call); needs TLS;
- ``secret``: ``username``/``password`` from a Secrets Manager secret, read once per
  container (RDS Proxy itself may use the same secret towards the database).

TLS (``sslmode``, ``TASKLANE_DB_SSLMODE``): AWS connects with ``verify-full``, so a server
must present a certificate that chains to a trusted root *and* names the host: an IAM token
(valid 15 minutes) is never handed to an impostor on the network path. The roots
(``sslrootcert``) are ``TASKLANE_DB_CA_BUNDLE`` when set (the RDS CA bundle, for a DB
instance reached directly), else certifi's public roots: RDS Proxy's certificates come from
ACM and chain to the Amazon Root CAs, which certifi ships. Locally (a Unix socket, no TLS)
``sslmode`` is empty and libpq's default applies.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tasklane.settings import DatabaseSettings

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine

#: IAM tokens live 15 minutes; a new connection made after this age gets a new one.
IAM_TOKEN_REUSE_SECONDS = 10 * 60
#: RDS Proxy closes client connections idle for 30 minutes by default; recycle before that,
#: instead of a pre-ping round trip on every checkout.
POOL_RECYCLE_SECONDS = 20 * 60

PasswordSource = Callable[[], str]
#: libpq modes that check the server's certificate against ``sslrootcert``.
VERIFYING_MODES = frozenset({"verify-ca", "verify-full"})
#: Where the RDS CA bundle (AWS's ``global-bundle.pem``) goes: package data, so it ships in
#: every bundle that imports this package. It is not in the repository until an operator
#: fetches it (docs/deploy.md, "Database TLS"): no registry package ships it, and it is only
#: needed by the migrations function, which reaches the DB instance directly.
RDS_CA_BUNDLE = Path(__file__).with_name("rds-ca-bundle.pem")


class IamTokenSource:
    """RDS IAM auth tokens, cached while fresh. ``client`` is an RDS boto3 client (or a fake
    with ``generate_db_auth_token``); ``clock`` is injectable for tests."""

    def __init__(
        self,
        settings: DatabaseSettings,
        region: str,
        client: Any = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._settings = settings
        self._region = region
        self._client = client
        self._clock = clock
        self._token: str | None = None
        self._made_at = 0.0

    def __call__(self) -> str:
        now = self._clock()
        if self._token is None or now - self._made_at >= IAM_TOKEN_REUSE_SECONDS:
            client = self._client or _rds_client(self._region)
            self._token = str(
                client.generate_db_auth_token(
                    DBHostname=self._settings.host,
                    Port=self._settings.port,
                    DBUsername=self._settings.user,
                    Region=self._region,
                )
            )
            self._made_at = now
        return self._token


class SecretSource:
    """The password from a Secrets Manager secret (RDS's JSON shape), read once."""

    def __init__(self, secret_arn: str, client: Any = None) -> None:
        self._arn = secret_arn
        self._client = client
        self._secret: dict[str, Any] | None = None

    def secret(self) -> dict[str, Any]:
        if self._secret is None:
            client = self._client or _aws_client("secretsmanager")
            value = client.get_secret_value(SecretId=self._arn)["SecretString"]
            self._secret = json.loads(value)
        return self._secret

    def __call__(self) -> str:
        return str(self.secret()["password"])


def _aws_client(service: str) -> Any:
    import boto3

    return boto3.client(service)  # type: ignore[call-overload]


def _rds_client(region: str) -> Any:
    import boto3

    return boto3.client("rds", region_name=region)


def password_source(settings: DatabaseSettings, region: str) -> PasswordSource | None:
    """How each new connection gets its password; None: the static one (or none)."""
    if settings.auth == "iam":
        return IamTokenSource(settings, region)
    if settings.auth == "secret":
        return SecretSource(settings.secret_arn)
    return None


def connect_args(settings: DatabaseSettings) -> dict[str, Any]:
    args: dict[str, Any] = {
        # Never prepare server-side (RDS Proxy would pin the session); see the module doc.
        "prepare_threshold": None,
        "connect_timeout": 5,
        "application_name": "tasklane",
    }
    if settings.sslmode:
        args["sslmode"] = settings.sslmode
    if settings.sslmode in VERIFYING_MODES:
        args["sslrootcert"] = root_certificates(settings)
    return args


def root_certificates(settings: DatabaseSettings) -> str:
    """The PEM file ``verify-full`` trusts: the configured bundle, or certifi's roots."""
    if not settings.ca_bundle:
        import certifi

        return certifi.where()
    if not os.path.isfile(settings.ca_bundle):
        # Fail on the first connection with the cause, not with libpq's "root certificate
        # file does not exist" deep in a stack trace.
        raise RuntimeError(
            f"TASKLANE_DB_CA_BUNDLE names {settings.ca_bundle!r}, which does not exist: the "
            "function's bundle lacks the RDS CA bundle (docs/deploy.md, 'Database TLS')"
        )
    return settings.ca_bundle


def url(settings: DatabaseSettings) -> Any:
    from sqlalchemy.engine import URL

    # ``host`` may be a Unix socket directory: URL.create passes it to libpq unchanged.
    return URL.create(
        "postgresql+psycopg",
        username=settings.user,
        password=settings.password or None,
        host=settings.host or None,
        port=settings.port,
        database=settings.name,
    )


def create_engine(
    settings: DatabaseSettings, region: str = "us-east-1", source: PasswordSource | None = None
) -> Engine:
    """An engine for ``settings``; ``source`` overrides the password for new connections."""
    # The driver the URL names: SQLAlchemy would import it by that name. Imported here so
    # that the statement shows it (the Lambda bundles carry what the code imports).
    import psycopg  # noqa: F401
    from sqlalchemy import create_engine as sa_create_engine
    from sqlalchemy import event

    source = source or password_source(settings, region)
    engine = sa_create_engine(
        url(settings),
        connect_args=connect_args(settings),
        pool_size=settings.pool_size,
        max_overflow=2,
        pool_recycle=POOL_RECYCLE_SECONDS,
        pool_pre_ping=False,
        # Read each row as it is: the session never holds state between statements.
        future=True,
    )
    if source is not None:

        @event.listens_for(engine, "do_connect")
        def _fresh_password(
            dialect: Any, conn_rec: Any, cargs: Any, cparams: dict[str, Any]
        ) -> None:
            cparams["password"] = source()
            if isinstance(source, SecretSource):
                cparams["user"] = str(source.secret().get("username", settings.user))

    return engine
