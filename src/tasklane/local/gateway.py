"""The local API Gateway: HTTP in, API Gateway REST proxy events to the API handler, HTTP out.

It plays the parts of API Gateway that the handler and its clients can observe: the Cognito
authorizer (401 before the handler runs), the 10 MB payload limit (413), public methods
without an authorizer, proxy events and results (:mod:`tasklane.local.apigateway`), 502 when
the handler fails, and one JSON access-log line per request. The handler runs in-process, in a
thread pool (it is synchronous), with a Lambda-like context.
"""

from __future__ import annotations

import importlib
import json
import logging
import threading
import time
import uuid
from collections.abc import Awaitable, Callable, Collection, Mapping
from dataclasses import dataclass
from typing import Any, cast

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route, request_response

from tasklane.local.apigateway import HttpRequest, HttpResponse, build_event, parse_result
from tasklane.local.auth import Unauthorized
from tasklane.local.invoke import LOCAL_ACCOUNT_ID
from tasklane.local.lambda_context import new_context

#: A Lambda handler: ``(event, context) -> result``.
Handler = Callable[[dict[str, Any], Any], Any]
#: Token → claims, raising :class:`tasklane.local.auth.Unauthorized`.
Verifier = Callable[[str], Mapping[str, Any]]
#: The local mailbox: the e-mails sent, newest first (see tasklane.local.mailbox).
Mailbox = Callable[[], list[dict[str, Any]]]
#: Not an API route: the gateway answers it itself, and only in local mode.
DEV_MAIL_PATH = "/_dev/mail"

#: The real handler, imported on the first request (a cold start, as in Lambda).
API_HANDLER = "tasklane.handlers.api:lambda_handler"
#: API Gateway's hard limit on a request payload.
MAX_REQUEST_BYTES = 10 * 1024 * 1024
#: Methods without the Cognito authorizer. Every OPTIONS is public too (CORS preflight).
PUBLIC_ROUTES: frozenset[tuple[str, str]] = frozenset(
    {("GET", "/health"), ("GET", "/config"), ("GET", "/openapi.json"), ("GET", "/docs")}
)
#: Paths public under a prefix: the calendar feeds, whose secret is the last segment (calendar
#: programs send no token). As API Gateway's access log records ``$context.resourcePath``,
#: ours records the route, never the secret.
PUBLIC_PREFIXES: tuple[tuple[str, str, str], ...] = (("GET", "/calendar/", "/calendar/{token}"),)
_METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]

#: Not under "tasklane": Powertools' Logger takes the logger named after the service
#: ("tasklane"), stops propagation there and would print gateway lines as the handler's own.
LOGGER_NAME = "tasklane-gateway"
logger = logging.getLogger(LOGGER_NAME)
access_log = logging.getLogger(f"{LOGGER_NAME}.access")


def create_app(
    *,
    verify: Verifier,
    handler: Handler | None = None,
    region: str = "us-east-1",
    stage: str = "local",
    public_routes: Collection[tuple[str, str]] = PUBLIC_ROUTES,
    cors_origins: Collection[str] = (),
    max_request_bytes: int = MAX_REQUEST_BYTES,
    function_name: str = "tasklane-api",
    memory_mb: int = 1024,
    timeout_seconds: float = 29.0,
    mailbox: Mailbox | None = None,
) -> Starlette:
    """The gateway as an ASGI app; ``handler`` defaults to :data:`API_HANDLER`.

    ``mailbox`` (local mode only) serves ``GET /_dev/mail``: the e-mails SES "sent"."""
    gateway = _Gateway(
        verify=verify,
        handler=handler,
        region=region,
        stage=stage,
        public_routes=frozenset(public_routes),
        cors_origins=frozenset(cors_origins),
        max_request_bytes=max_request_bytes,
        function_name=function_name,
        memory_mb=memory_mb,
        timeout_seconds=timeout_seconds,
    )
    routes = [Route("/{proxy:path}", gateway.endpoint, methods=_METHODS)]
    if mailbox is not None:
        routes.insert(0, Route(DEV_MAIL_PATH, _mail_endpoint(mailbox, cors_origins)))
    app = Starlette(routes=routes)
    # Starlette's path pattern stops at a newline (%0A in the path); API Gateway's {proxy+}
    # does not: such a request reaches the handler too (a JSON 404), not Starlette's
    # text/plain one. Found by the contract fuzz test (tests/fuzz).
    app.router.default = request_response(gateway.endpoint)
    return app


def logged_path(path: str) -> str:
    """The path as the access log keeps it: a secret in a public route's path is left out."""
    for _, prefix, route in PUBLIC_PREFIXES:
        if path.startswith(prefix):
            return route
    return path


def _mail_endpoint(
    mailbox: Mailbox, cors_origins: Collection[str]
) -> Callable[[Request], Awaitable[Response]]:
    async def mail(request: Request) -> Response:
        items = await run_in_threadpool(mailbox)
        response = JSONResponse({"items": items})
        # The web app's dev-mode mailbox page reads it from its own origin.
        origin = request.headers.get("origin")
        if origin and (origin in cors_origins or "*" in cors_origins):
            response.headers["access-control-allow-origin"] = origin
            response.headers["vary"] = "Origin"
        return response

    return mail


@dataclass(frozen=True, slots=True)
class _Outcome:
    response: Response
    claims: Mapping[str, Any] | None = None
    error: str | None = None


class _Gateway:
    def __init__(
        self,
        *,
        verify: Verifier,
        handler: Handler | None,
        region: str,
        stage: str,
        public_routes: frozenset[tuple[str, str]],
        cors_origins: frozenset[str],
        max_request_bytes: int,
        function_name: str,
        memory_mb: int,
        timeout_seconds: float,
    ) -> None:
        self._verify = verify
        self._handler = handler
        self._region = region
        self._stage = stage
        self._public_routes = public_routes
        self._cors_origins = cors_origins
        self._max_request_bytes = max_request_bytes
        self._function_name = function_name
        self._memory_mb = memory_mb
        self._timeout_seconds = timeout_seconds
        # One invocation at a time, as in one Lambda container: Powertools' resolver keeps
        # the current event and route on the (module-global) app, so two requests handled
        # at once in threads saw each other's (a GET /projects answered with POST's 201;
        # the caller's identity could cross over too). Found by the contract fuzz test.
        self._invocation = threading.Lock()

    async def endpoint(self, request: Request) -> Response:
        started = time.perf_counter()
        request_id = str(uuid.uuid4())
        outcome = await self._respond(request, request_id)
        outcome.response.headers["x-amzn-requestid"] = request_id
        access_log.info(
            json.dumps(
                {
                    "requestId": request_id,
                    "method": request.method,
                    "path": logged_path(request.url.path),
                    "status": outcome.response.status_code,
                    "latencyMs": round((time.perf_counter() - started) * 1000, 1),
                    "sub": outcome.claims.get("sub") if outcome.claims else None,
                    # Why the gateway answered by itself, like $context.authorizer.error.
                    "error": outcome.error,
                }
            )
        )
        return outcome.response

    async def _respond(self, request: Request, request_id: str) -> _Outcome:
        body = await _read_body(request, self._max_request_bytes)
        if body is None:
            return _Outcome(self._error(request, 413, "Request Too Long"), error="body too large")

        claims: Mapping[str, Any] | None = None
        if not self._is_public(request):
            try:
                claims = await run_in_threadpool(self._verify, _token(request))
            except Unauthorized as error:
                return _Outcome(self._error(request, 401, "Unauthorized"), error=str(error))

        client = request.client
        headers = request.headers.raw
        event = build_event(
            HttpRequest(
                method=request.method,
                path=request.url.path,
                query=request.query_params.multi_items(),
                headers=[(k.decode("latin-1"), v.decode("latin-1")) for k, v in headers],
                body=body,
                source_ip=client.host if client else "127.0.0.1",
            ),
            request_id=request_id,
            stage=self._stage,
            account_id=LOCAL_ACCOUNT_ID,
            claims=claims,
        )
        context = new_context(
            function_name=self._function_name,
            region=self._region,
            account_id=LOCAL_ACCOUNT_ID,
            memory_mb=self._memory_mb,
            timeout_seconds=self._timeout_seconds,
        )
        try:
            result = await run_in_threadpool(self._invoke, event, context)
            return _Outcome(_to_response(parse_result(result)), claims)
        except Exception as error:
            # API Gateway hides the cause from the client; the log shows it.
            logger.exception("request %s: the API handler failed", request_id)
            response = self._error(request, 502, "Internal server error")
            return _Outcome(response, claims, error=f"handler failed: {error!r}")

    def _is_public(self, request: Request) -> bool:
        method, path = request.method, request.url.path
        if method == "OPTIONS" or (method, path) in self._public_routes:
            return True
        return any(
            method == m and path.startswith(prefix) and "/" not in path[len(prefix) :]
            for m, prefix, _ in PUBLIC_PREFIXES
        )

    def _invoke(self, event: dict[str, Any], context: Any) -> Any:
        handler = self._handler or _import_api_handler()
        with self._invocation:
            return handler(event, context)

    def _error(self, request: Request, status: int, message: str) -> Response:
        """A response made by the gateway itself (API Gateway's "gateway responses")."""
        response = JSONResponse({"message": message}, status_code=status)
        if status == 401:
            response.headers["x-amzn-errortype"] = "UnauthorizedException"
        # Without CORS headers a browser hides these from the web app, which must see the 401
        # to refresh its token. The CDK API adds the same to its DEFAULT_4XX/5XX responses.
        origin = request.headers.get("origin")
        if origin and (origin in self._cors_origins or "*" in self._cors_origins):
            response.headers["access-control-allow-origin"] = origin
            response.headers["vary"] = "Origin"
        return response


def _token(request: Request) -> str:
    """The ID token: the raw `Authorization` value, as API Gateway's Cognito authorizer reads
    it, or a `Bearer` one, as most HTTP clients send it."""
    value = request.headers.get("authorization", "").strip()
    scheme, _, rest = value.partition(" ")
    token = rest.strip() if scheme.lower() == "bearer" else value
    if not token:
        raise Unauthorized("no token in the Authorization header")
    return token


async def _read_body(request: Request, limit: int) -> bytes | None:
    """The whole body, or None as soon as it is known to exceed ``limit`` bytes."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        return None
    body = bytearray()
    async for chunk in request.stream():  # chunked uploads declare no length
        body += chunk
        if len(body) > limit:
            return None
    return bytes(body)


def _to_response(http: HttpResponse) -> Response:
    response = Response(content=http.body, status_code=http.status)
    response.raw_headers += [
        (name.lower().encode("latin-1"), value.encode("latin-1")) for name, value in http.headers
    ]
    return response


def _import_api_handler() -> Handler:
    """The api handler, imported on the first request (``sys.modules`` keeps it after)."""
    module, _, attribute = API_HANDLER.partition(":")
    return cast(Handler, getattr(importlib.import_module(module), attribute))
