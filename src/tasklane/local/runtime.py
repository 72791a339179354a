"""The whole local stack in one object: moto, the bootstrapped resources, PostgreSQL, the
pollers and the scheduler that call the real handlers, the gateway, the web app.

``tasklane dev`` runs one; end-to-end tests run one per session::

    with LocalStack(port=0, aws_port=0, state_dir=tmp_path) as stack:
        httpx.get(f"{stack.api_url}/health")
        tokens = stack.create_user("ada@example.com", "Correct-Horse-9")

Everything runs in this process, in background threads. The stack keeps its services in one
list, in the order they start; :meth:`LocalStack.stop` stops them in reverse. The functions'
environment is one of them (:class:`tasklane.local.launcher.Environment`): set after moto
and PostgreSQL are up, and restored — with every function's container forgotten — before
they stop.
"""

from __future__ import annotations

import functools
import os
import secrets
import socket
import threading
import time
from collections.abc import Collection
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Protocol, TypeVar, runtime_checkable

import uvicorn
from starlette.types import ASGIApp

if TYPE_CHECKING:
    from tasklane.local.web import WebServer

from tasklane.cli.users import CognitoTarget, Tokens, confirm, log_in, sign_up
from tasklane.local.auth import TokenVerifier
from tasklane.local.bootstrap import LocalConfig, bootstrap
from tasklane.local.emulators import MotoServer
from tasklane.local.gateway import DEV_MAIL_PATH, Handler, create_app
from tasklane.local.launcher import Environment, aws_environment
from tasklane.local.mailbox import read_mailbox
from tasklane.local.net import base_url, listen
from tasklane.local.postgres import LocalDatabase, LocalPostgres
from tasklane.local.postgres import data_dir as postgres_data_dir
from tasklane.local.scheduler import Job, Scheduler
from tasklane.local.sqs_poller import DEFAULT_VISIBILITY_TIMEOUT, SqsPoller
from tasklane.local.stream_poller import StreamPoller
from tasklane.local.websocket import REALTIME_PATH, WebSocketGateway, mount
from tasklane.resources import REMINDER_INTERVAL_MINUTES
from tasklane.settings import DEFAULT_REGION, METRICS_NAMESPACE, SERVICE_NAME, Env

#: The WebSocket API's one route function (tasklane.handlers.realtime), as in AWS.
REALTIME_HANDLER = "tasklane.handlers.realtime:lambda_handler"
DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000
DEFAULT_AWS_PORT = 5000
#: The Next.js dev and production servers.
DEFAULT_CORS_ORIGINS = ("http://localhost:3000", "http://127.0.0.1:3000")
CURSOR_SECRET_FILE = "cursor-secret"  # noqa: S105 - a file name
#: Where e-mails link to: the web app (the Next.js server).
DEFAULT_WEB_URL = "http://127.0.0.1:3000"
#: How often the local sweeper runs (hourly in AWS; moto runs no lifecycle rules, so locally
#: the sweeper is the only thing that removes abandoned uploads).
SWEEPER_INTERVAL_SECONDS = 60.0

T = TypeVar("T")


class Service(Protocol):
    """A part of the stack that runs until stopped (stopping twice is harmless)."""

    def stop(self) -> None: ...


@runtime_checkable
class Stoppable(Protocol):
    """A service whose background thread can be asked to end before it is joined."""

    def request_stop(self) -> None: ...


class LocalStack:
    """moto + bootstrap + PostgreSQL + pollers + scheduler + gateway, started and stopped
    together.

    Ports may be 0 (free ports); the bound ones are in :attr:`api_url` and
    :attr:`aws_endpoint_url` once started. A busy port raises
    :class:`tasklane.local.net.PortInUseError` before anything starts. moto keeps its state in
    module globals: a second stack in the same process finds the first one's data.
    """

    def __init__(
        self,
        *,
        host: str = DEFAULT_HOST,
        port: int = DEFAULT_PORT,
        aws_port: int = DEFAULT_AWS_PORT,
        region: str = DEFAULT_REGION,
        state_dir: Path | str = ".local",
        cors_origins: Collection[str] = DEFAULT_CORS_ORIGINS,
        handler: Handler | None = None,
        postgres: bool = True,
        reminder_interval: float = REMINDER_INTERVAL_MINUTES * 60.0,
        notifier_visibility_timeout: int = DEFAULT_VISIBILITY_TIMEOUT,
        web_url: str = DEFAULT_WEB_URL,
        web_port: int | None = None,
        web_dir: Path | None = None,
    ) -> None:
        self._host = host
        self._port = port
        self._aws_port = aws_port
        self._region = region
        self._state_dir = Path(state_dir)
        self._cors_origins = tuple(cors_origins)
        self._handler = handler
        # PostgreSQL (data under state_dir/postgres), the stream poller feeding the events
        # handler and the reminders schedule; off for tests of the gateway alone.
        self._use_postgres = postgres
        self._reminder_interval = reminder_interval
        self._notifier_visibility = notifier_visibility_timeout
        self._web_url = web_url
        # The Next.js server (tasklane.local.web) when web_port is set (0 = a free port).
        self._web_port = web_port
        self._web_dir = web_dir
        #: Every running service, in the order it started.
        self._services: list[Service] = []
        self._config: LocalConfig | None = None
        self._api_url: str | None = None
        self._moto: MotoServer | None = None
        self._postgres: LocalPostgres | None = None
        self._database: LocalDatabase | None = None
        self._poller: StreamPoller | None = None
        self._notifier: SqsPoller | None = None
        self._scheduler: Scheduler | None = None
        self._web: WebServer | None = None

    @property
    def api_url(self) -> str:
        return _running(self._api_url)

    @property
    def aws_endpoint_url(self) -> str:
        return self.config.endpoint_url

    @property
    def config(self) -> LocalConfig:
        return _running(self._config)

    def _run(self, service: T) -> T:
        """``service``, started, joins the list (so a failed start stops what came before)."""
        self._services.append(service)  # type: ignore[arg-type]
        return service

    def start(self) -> LocalStack:
        if self._services:
            raise RuntimeError("the stack is already running")
        # Bound first: a busy API port fails before moto starts, and port 0 becomes a real
        # port that TASKLANE_API_URL can name.
        api_socket = listen(self._host, self._port, service="API")
        web_port = self._reserve_web_port(api_socket)
        try:
            self._moto = self._run(MotoServer(self._host, self._aws_port))
            config = bootstrap(
                self._moto.start(), region=self._region, web_origins=self._cors_origins
            )
            self._config = config
            self._api_url = base_url(self._host, api_socket.getsockname()[1])
            environment = self._handler_environment(config)
            if self._use_postgres:
                environment |= self._start_postgres()
            self._run(Environment(environment)).start()
            if self._use_postgres:
                self._poller = self._run(start_stream_poller(config))
            self._run(start_stream_poller(config, live=True))
            self._notifier = self._run(notifier_poller(config, self._notifier_visibility))
            self._notifier.start()
            for poller in [*job_pollers(config), webhook_poller(config)]:
                self._run(poller).start()
            self._scheduler = self._run(self._schedule(config)).start()
            self._run(self._gateway(config, api_socket)).start()
            if web_port is not None:
                self._web = self._run(self._start_web(web_port))
        except BaseException:
            api_socket.close()
            self.stop()
            raise
        return self

    def stop(self) -> None:
        """Stop every service, the last started first; safe to call more than once."""
        services, self._services = self._services, []
        self._config = self._api_url = None
        self._moto = self._postgres = self._database = None
        self._poller = self._notifier = self._scheduler = self._web = None
        # Every thread is asked first, so their last batches, polls and jobs end together:
        # one by one, the waits added up past the 30 s a Ctrl-C is given on a busy machine.
        for service in services:
            if isinstance(service, Stoppable):
                service.request_stop()
        for service in reversed(services):
            service.stop()

    def _schedule(self, config: LocalConfig) -> Scheduler:
        """What the EventBridge schedules invoke in AWS: the reminders (with PostgreSQL) and
        the sweeper."""
        from tasklane.handlers import reminders, sweeper

        jobs = [Job("sweeper", SWEEPER_INTERVAL_SECONDS, sweeper.lambda_handler, 300.0)]
        if self._use_postgres:
            jobs.append(Job("reminders", self._reminder_interval, reminders.lambda_handler))
        return Scheduler(jobs, config.region)

    def _gateway(self, config: LocalConfig, api_socket: socket.socket) -> ThreadedUvicorn:
        verifier = TokenVerifier(
            jwks_url=config.jwks_url, issuer=config.issuer, client_id=config.client_id
        )
        app = create_app(
            verify=verifier.verify,
            handler=self._handler,
            region=config.region,
            cors_origins=self._cors_origins,
            mailbox=functools.partial(read_mailbox, config.endpoint_url, config.region),
        )
        # ws://…/realtime and its @connections endpoint, routed to the same handlers as AWS.
        routes = dict.fromkeys(("$connect", "$disconnect", "$default"), REALTIME_HANDLER)
        mount(app, WebSocketGateway(region=config.region, routes=routes, two_way={"$default"}))
        return ThreadedUvicorn(app, api_socket)

    @property
    def database(self) -> LocalDatabase:
        return _running(self._database)

    @property
    def stream_poller(self) -> StreamPoller:
        return _running(self._poller)

    @property
    def postgres(self) -> LocalPostgres:
        """The embedded server itself: fault tests stop and restart it under a running stack."""
        return _running(self._postgres)

    @property
    def notifier_poller(self) -> SqsPoller:
        return _running(self._notifier)

    @property
    def scheduler(self) -> Scheduler:
        """The scheduled functions (``reminders``, ``sweeper``): ``scheduler.run(name)``
        invokes one now."""
        return _running(self._scheduler)

    @property
    def web_url(self) -> str | None:
        """The web app's URL when this stack runs it, else None."""
        return self._web_url if self._web is not None else None

    def _reserve_web_port(self, api_socket: socket.socket) -> int | None:
        """The web server's port, checked free now (a busy one fails before anything
        starts); its origin joins the CORS origins and e-mail links point to it."""
        if self._web_port is None:
            return None
        try:
            probe = listen(self._host, self._web_port, service="web")
        except BaseException:
            api_socket.close()
            raise
        port: int = probe.getsockname()[1]
        probe.close()  # node binds it again in a moment
        self._web_url = base_url(self._host, port)
        self._cors_origins = tuple(dict.fromkeys([*self._cors_origins, self._web_url]))
        return port

    def _start_web(self, port: int) -> WebServer:
        from tasklane.local.web import DEFAULT_WEB_DIR, WebServer

        web_dir = self._web_dir or DEFAULT_WEB_DIR
        return WebServer(web_dir, self._host, port, self.api_url, self.aws_endpoint_url).start()

    @property
    def mailbox_url(self) -> str:
        return f"{self.api_url}{DEV_MAIL_PATH}"

    def _start_postgres(self) -> dict[str, str | None]:
        """Embedded PostgreSQL with its data in state_dir, migrated to the latest schema."""
        from tasklane.dal.postgres.engine import create_engine
        from tasklane.dal.postgres.migrate import upgrade

        self._postgres = self._run(LocalPostgres(postgres_data_dir(self._state_dir)))
        self._database = self._postgres.start()
        engine = create_engine(self._database.settings())
        try:
            upgrade(engine)
        finally:
            engine.dispose()
        return self._database.environment()

    def create_user(self, email: str, password: str) -> Tokens:
        """Sign up, confirm and log in a user; for tests and demos."""
        config = self.config
        target = CognitoTarget(
            region=config.region,
            user_pool_id=config.user_pool_id,
            client_id=config.client_id,
            endpoint_url=config.endpoint_url,
        )
        sign_up(target, email, password)
        confirm(target, email)
        return log_in(target, email, password)

    def __enter__(self) -> LocalStack:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()

    def _handler_environment(self, config: LocalConfig) -> dict[str, str | None]:
        """What the functions read (:class:`tasklane.settings.Env`), as the CDK app sets it
        on each Lambda function."""
        return {
            **aws_environment(config.endpoint_url, config.region),
            Env.TABLE_NAME: config.table_name,
            Env.ATTACHMENTS_BUCKET: config.bucket_name,
            Env.USER_POOL_ID: config.user_pool_id,
            Env.USER_POOL_CLIENT_ID: config.client_id,
            Env.COGNITO_ENDPOINT: config.endpoint_url,
            Env.API_URL: self.api_url,
            Env.REALTIME_URL: self.api_url.replace("http", "ws", 1) + REALTIME_PATH,
            Env.REALTIME_ENDPOINT: self.api_url + REALTIME_PATH,
            Env.CORS_ORIGINS: ",".join(self._cors_origins),
            Env.CURSOR_SECRET: cursor_secret(self._state_dir),
            Env.LOCAL_MODE: "1",
            Env.NOTIFICATIONS_QUEUE_URL: config.queue_url,
            Env.EXCHANGE_BUCKET: config.exchange_bucket,
            Env.EXPORTS_QUEUE_URL: config.exports_queue_url,
            Env.IMPORTS_QUEUE_URL: config.imports_queue_url,
            Env.WEBHOOKS_QUEUE_URL: config.webhooks_queue_url,
            # A developer's receiver on this machine (http, loopback) works out of the box;
            # the setting is refused outside local mode.
            Env.WEBHOOK_ALLOW_HTTP_LOOPBACK: "1",
            Env.MAIL_SENDER: config.mail_sender,
            Env.WEB_URL: self._web_url,
            # Powertools (tasklane.observability) is configured by the function's environment.
            Env.SERVICE_NAME: SERVICE_NAME,
            Env.METRICS_NAMESPACE: METRICS_NAMESPACE,
            # No X-Ray daemon here: keep Powertools Tracer from trying to reach one.
            Env.TRACE_DISABLED: "true",
        }


def start_stream_poller(config: LocalConfig, *, live: bool = False) -> StreamPoller:
    """The table's stream → the events handler (or the live function's: ``live``), as
    Lambda's event source mappings do; each reads the stream on its own."""
    from tasklane.handlers import events
    from tasklane.handlers import live as live_function

    return StreamPoller(
        config.table_name,
        live_function.lambda_handler if live else events.lambda_handler,
        region=config.region,
        endpoint_url=config.endpoint_url,
    ).start()


def notifier_poller(config: LocalConfig, visibility_timeout: int) -> SqsPoller:
    """The notifications queue → the notifier handler, as Lambda's event source mapping
    (not started: :meth:`SqsPoller.start`, or step by step with :meth:`SqsPoller.poll`)."""
    from tasklane.handlers.notifier import lambda_handler

    return SqsPoller(
        config.queue_url,
        lambda_handler,
        region=config.region,
        endpoint_url=config.endpoint_url,
        visibility_timeout=visibility_timeout,
    )


#: Export and import jobs run for seconds to minutes: locally a received job stays invisible
#: this long, so a running job is not handed to a second run meanwhile.
JOB_VISIBILITY_SECONDS = 120
#: A received delivery stays invisible this long while its attempts run.
WEBHOOK_VISIBILITY_SECONDS = 30


def job_pollers(config: LocalConfig) -> list[SqsPoller]:
    """The export and import queues → their workers, one job per invocation (as their event
    source mappings in AWS); not started."""
    from tasklane.handlers import exporter, importer

    return [
        SqsPoller(
            url,
            handler,
            region=config.region,
            endpoint_url=config.endpoint_url,
            batch_size=1,
            visibility_timeout=JOB_VISIBILITY_SECONDS,
            function_name=name,
        )
        for url, handler, name in (
            (config.exports_queue_url, exporter.lambda_handler, "tasklane-exporter"),
            (config.imports_queue_url, importer.lambda_handler, "tasklane-importer"),
        )
    ]


def webhook_poller(config: LocalConfig) -> SqsPoller:
    """The webhooks queue → the delivery worker (not started)."""
    from tasklane.handlers import webhooks

    return SqsPoller(
        config.webhooks_queue_url,
        webhooks.lambda_handler,
        region=config.region,
        endpoint_url=config.endpoint_url,
        # One delivery per receive (AWS takes 5): attempts run one after another, each up to
        # its 5 s timeout, so with a batch a Ctrl-C waited out several unreachable receivers
        # and passed the 30 s a stop is given. One at a time, a stop waits for one attempt.
        batch_size=1,
        # An attempt takes at most its 5 s timeout; a failed one sets its own delay.
        visibility_timeout=WEBHOOK_VISIBILITY_SECONDS,
        function_name="tasklane-webhooks",
    )


def cursor_secret(state_dir: Path) -> str:
    """The cursor HMAC key, made once and kept in ``state_dir``: list cursors handed out
    before a restart stay valid after it."""
    path = state_dir / CURSOR_SECRET_FILE
    state_dir.mkdir(parents=True, exist_ok=True)
    # The directory holds local secrets and data: keep it out of git whatever the repo says.
    ignore = state_dir / ".gitignore"
    if not ignore.exists():
        ignore.write_text("*\n")
    try:
        # O_EXCL: two stacks starting at once agree on one secret; 0o600: it is a key.
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text().strip()
    secret = secrets.token_urlsafe(32)
    with os.fdopen(fd, "w") as file:
        file.write(secret + "\n")
    return secret


class ThreadedUvicorn:
    """uvicorn serving ``app`` on an already listening socket, from a background thread."""

    def __init__(self, app: ASGIApp, sock: socket.socket) -> None:
        config = uvicorn.Config(
            app,
            lifespan="off",
            access_log=False,  # the gateway writes its own, with the request id and user
            log_config=None,  # leave logging to the application (the CLI configures it)
            server_header=False,
            timeout_graceful_shutdown=5,
        )
        self._server = uvicorn.Server(config)
        self._socket = sock
        self._thread = threading.Thread(
            target=self._server.run,
            kwargs={"sockets": [sock]},
            name="tasklane-gateway",
            daemon=True,
        )

    def start(self, timeout: float = 10.0) -> None:
        self._thread.start()
        deadline = time.monotonic() + timeout
        while not self._server.started:
            if not self._thread.is_alive():
                raise RuntimeError("the API server stopped while starting; see the log above")
            if time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"the API server did not start within {timeout} s")
            time.sleep(0.01)

    def stop(self) -> None:
        self._server.should_exit = True
        if self._thread.is_alive():
            self._thread.join()
        self._socket.close()  # uvicorn closes it too; this covers a failed start


def _running(value: T | None) -> T:
    if value is None:
        raise RuntimeError("the stack is not running")
    return value
