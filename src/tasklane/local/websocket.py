"""The local API Gateway WebSocket API and its Management API (``@connections``).

Served by the local gateway's server (:func:`mount` adds the routes to its app)::

    ws://HOST:PORT/realtime?token=<ID token>           the socket (API Gateway: wss://…/<stage>)
    http://HOST:PORT/realtime/@connections/<id>        POST send, DELETE close, GET info

so a boto3 ``apigatewaymanagementapi`` client with ``endpoint_url=http://HOST:PORT/realtime``
works unchanged (in AWS: ``https://<api id>.execute-api.<region>.amazonaws.com/<stage>``).

What it plays of API Gateway, because clients and handlers can observe it:

* ``$connect``: the REQUEST authorizer first (identity source: the ``token`` query parameter;
  without it 401 and the authorizer is not called); "Unauthorized" → 401, a policy that does
  not allow the route → 403, any other failure → 500; then the ``$connect`` integration,
  whose non-2xx answer or failure refuses the upgrade too. A refused connection never
  reaches another route handler. The authorizer's context reaches every later event.
* Messages: route selection on ``$request.body.action``, else ``$default``, else
  ``{"message": "Forbidden", …}``; a failing integration → ``{"message": "Internal server
  error", …}``; on routes with a route response (``two_way``) the integration's ``body`` is
  sent back. Messages over 128 KB close the connection (1009).
* ``$disconnect`` after the client closes, after ``DELETE @connections/<id>``, after 10
  idle minutes (no message either way) and after 2 hours, best effort as in AWS.
* ``@connections``: requests must be SigV4-signed for ``execute-api`` (403 otherwise: a web
  page cannot forge one); a connection that is gone (or still in ``$connect``) → 410
  ``GoneException``; data over 128 KB → 413 ``PayloadTooLargeException``.

Each handler runs in a worker thread, one invocation at a time per handler, as one Lambda
container would (handlers keep per-container state in module globals).
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import importlib
import json
import logging
import secrets
import threading
import time
import uuid
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, cast

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route, WebSocketRoute
from starlette.websockets import WebSocket, WebSocketDisconnect, WebSocketState

from tasklane.local.invoke import LOCAL_ACCOUNT_ID
from tasklane.local.lambda_context import new_context
from tasklane.local.websocket_events import (
    CONNECT,
    DISCONNECT,
    Api,
    Authorized,
    Connection,
    Refusal,
    Upgrade,
    authorizer_event,
    connect_event,
    disconnect_event,
    message_event,
    read_authorizer_result,
    select_route,
)

#: A Lambda handler, or its import path ``"module:attribute"`` (imported on first use, a
#: cold start as in Lambda).
Handler = Callable[[dict[str, Any], Any], Any]
HandlerRef = Handler | str

#: The stage path: the socket's URL and the Management API's endpoint.
REALTIME_PATH = "/realtime"
AUTHORIZER_HANDLER = "tasklane.handlers.realtime_authorizer:lambda_handler"
#: The authorizer's identity source: ``route.request.querystring.token``.
TOKEN_PARAMETER = "token"  # noqa: S105 - a parameter name
#: API Gateway's quotas for WebSocket APIs.
MAX_MESSAGE_BYTES = 128 * 1024
IDLE_TIMEOUT_SECONDS = 10 * 60
MAX_CONNECTION_SECONDS = 2 * 3600
#: WebSocket close codes.
GOING_AWAY = 1001
MESSAGE_TOO_BIG = 1009
NORMAL = 1000

LOGGER_NAME = "tasklane-gateway.websocket"
logger = logging.getLogger(LOGGER_NAME)


@dataclass(slots=True)
class _Open:
    """A connection that completed ``$connect``."""

    info: Connection
    socket: WebSocket
    last_active: float
    send_lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    #: Set when the server closes it (DELETE, timeouts): the reason for $disconnect.
    closed_by_server: tuple[int, str] | None = None


class WebSocketGateway:
    """The WebSocket API and its ``@connections`` endpoint, as Starlette routes.

    ``routes`` maps route keys (``$connect``, ``$disconnect``, ``$default`` or a custom
    ``action``) to handlers; ``two_way`` names the routes with a route response. Timeouts
    and the message limit are parameters so tests can shorten them.
    """

    def __init__(
        self,
        *,
        authorizer: HandlerRef | None = AUTHORIZER_HANDLER,
        routes: Mapping[str, HandlerRef] | None = None,
        two_way: Collection[str] = (),
        region: str = "us-east-1",
        stage: str = "local",
        path: str = REALTIME_PATH,
        idle_timeout: float = IDLE_TIMEOUT_SECONDS,
        max_duration: float = MAX_CONNECTION_SECONDS,
        max_message_bytes: int = MAX_MESSAGE_BYTES,
        function_timeout_seconds: float = 29.0,
    ) -> None:
        self._authorizer = authorizer
        self._routes: dict[str, HandlerRef] = dict(routes or {})
        self._two_way = frozenset(two_way)
        self._region = region
        self._stage = stage
        self.path = path
        self._idle_timeout = idle_timeout
        self._max_duration = max_duration
        self._max_message_bytes = max_message_bytes
        self._function_timeout = function_timeout_seconds
        self._open: dict[str, _Open] = {}
        # One invocation at a time per handler, as in one Lambda container.
        self._locks: dict[int, threading.Lock] = {}
        self._locks_guard = threading.Lock()

    # -- wiring --------------------------------------------------------------------------------

    def routes(self) -> list[BaseRoute]:
        return [
            WebSocketRoute(self.path, self._socket),
            Route(
                f"{self.path}/@connections/{{connection_id}}",
                self._management,
                methods=["GET", "POST", "DELETE"],
            ),
        ]

    @property
    def connection_count(self) -> int:
        return len(self._open)

    def _api(self, host: str) -> Api:
        return Api(
            region=self._region,
            account_id=LOCAL_ACCOUNT_ID,
            api_id="local",
            stage=self._stage,
            domain_name=host,
        )

    # -- the socket ----------------------------------------------------------------------------

    async def _socket(self, websocket: WebSocket) -> None:
        client = websocket.client
        upgrade = Upgrade(
            headers=[(k.decode("latin-1"), v.decode("latin-1")) for k, v in websocket.headers.raw],
            query=websocket.query_params.multi_items(),
            source_ip=client.host if client else "127.0.0.1",
        )
        connection = Connection(
            connection_id=_connection_id(),
            connected_at_ms=int(time.time() * 1000),
            upgrade=upgrade,
        )
        api = self._api(websocket.headers.get("host", ""))
        outcome = await self._authorize(api, connection)
        if isinstance(outcome, Refusal):
            await self._refuse(websocket, connection, int(outcome.value), "authorizer")
            return
        connection = Connection(
            connection_id=connection.connection_id,
            connected_at_ms=connection.connected_at_ms,
            upgrade=upgrade,
            authorizer=outcome.context,
        )
        status = await self._connect(api, connection)
        if not 200 <= status < 300:
            await self._refuse(websocket, connection, status, "$connect integration")
            return
        await websocket.accept()
        opened = _Open(info=connection, socket=websocket, last_active=time.monotonic())
        self._open[connection.connection_id] = opened
        _log("connected", connection)
        code, reason = await self._serve(api, opened)
        self._open.pop(connection.connection_id, None)
        if opened.closed_by_server is not None:
            code, reason = opened.closed_by_server
        _log("disconnected", connection, code=code)
        await self._disconnect(api, connection, code, reason)

    async def _authorize(self, api: Api, connection: Connection) -> Authorized | Refusal:
        if self._authorizer is None:
            return Authorized({})
        token = next((v for k, v in connection.upgrade.query if k == TOKEN_PARAMETER), "")
        if not token:
            # The identity source is missing: API Gateway refuses without calling the
            # authorizer.
            return Refusal.unauthorized
        event = authorizer_event(api, connection, request_id=_request_id())
        started = time.perf_counter()
        try:
            result = await self._invoke(self._authorizer, event, "tasklane-realtime-authorizer")
        except Exception as error:
            if str(error) == "Unauthorized":
                return Refusal.unauthorized
            logger.exception("the authorizer failed")
            return Refusal.error
        outcome = read_authorizer_result(result, event["methodArn"])
        if isinstance(outcome, Authorized):
            latency = round((time.perf_counter() - started) * 1000)
            outcome.context["integrationLatency"] = latency
        return outcome

    async def _connect(self, api: Api, connection: Connection) -> int:
        handler = self._routes.get(CONNECT)
        if handler is None:
            return 200
        event = connect_event(api, connection, request_id=_request_id())
        try:
            result = await self._invoke(handler, event, "tasklane-realtime")
        except Exception:
            logger.exception("the $connect handler failed")
            return 500
        status = result.get("statusCode") if isinstance(result, Mapping) else None
        # A proxy result without a status is one API Gateway cannot map: refused.
        return status if isinstance(status, int) else 502

    async def _refuse(
        self, websocket: WebSocket, connection: Connection, status: int, by: str
    ) -> None:
        _log("refused", connection, status=status, by=by)
        message = {401: "Unauthorized", 403: "Forbidden"}.get(status, "Internal server error")
        await websocket.send_denial_response(JSONResponse({"message": message}, status))

    async def _serve(self, api: Api, opened: _Open) -> tuple[int, str]:
        """Relay the client's messages until the connection ends; its close code and reason."""
        deadline = time.monotonic() + self._max_duration
        websocket = opened.socket
        while True:
            now = time.monotonic()
            idle_left = opened.last_active + self._idle_timeout - now
            wait = min(idle_left, deadline - now)
            if wait <= 0:
                reason = "Going away" if deadline <= now else "Idle timeout"
                await self._close(opened, GOING_AWAY, reason)
                return GOING_AWAY, reason
            try:
                message = await asyncio.wait_for(websocket.receive(), timeout=wait)
            except TimeoutError:
                continue
            except (WebSocketDisconnect, RuntimeError):
                return 1006, "Connection lost"
            if message["type"] == "websocket.disconnect":
                code = int(message.get("code", 1005))
                return code, str(message.get("reason") or "")
            text, data = message.get("text"), message.get("bytes")
            size = len(text.encode()) if text is not None else len(data or b"")
            if size > self._max_message_bytes:
                await self._close(opened, MESSAGE_TOO_BIG, "Message too big")
                return MESSAGE_TOO_BIG, "Message too big"
            opened.last_active = time.monotonic()
            await self._message(api, opened, text, data)

    async def _message(self, api: Api, opened: _Open, text: str | None, data: bytes | None) -> None:
        request_id = _request_id()
        route = select_route(text, list(self._routes))
        if route is None or route in (CONNECT, DISCONNECT):
            await self._reply(opened, {"message": "Forbidden"}, request_id)
            return
        body = text if text is not None else base64.b64encode(data or b"").decode()
        event = message_event(
            api,
            opened.info,
            route_key=route,
            body=body,
            is_base64=text is None,
            request_id=request_id,
        )
        try:
            result = await self._invoke(self._routes[route], event, "tasklane-realtime")
        except Exception:
            logger.exception("the %s handler failed", route)
            await self._reply(opened, {"message": "Internal server error"}, request_id)
            return
        if route in self._two_way and isinstance(result, Mapping):
            reply = result.get("body")
            if isinstance(reply, str) and reply:
                await self._send(opened, reply)

    async def _reply(self, opened: _Open, error: dict[str, str], request_id: str) -> None:
        body = {**error, "connectionId": opened.info.connection_id, "requestId": request_id}
        await self._send(opened, json.dumps(body))

    async def _send(self, opened: _Open, data: str | bytes) -> bool:
        """False when the connection is already closing."""
        async with opened.send_lock:
            if opened.socket.application_state is not WebSocketState.CONNECTED:
                return False
            try:
                if isinstance(data, str):
                    await opened.socket.send_text(data)
                else:
                    await opened.socket.send_bytes(data)
            except (WebSocketDisconnect, RuntimeError, OSError):
                return False
        return True

    async def _close(self, opened: _Open, code: int, reason: str) -> None:
        opened.closed_by_server = (code, reason)
        async with opened.send_lock:
            if opened.socket.application_state is WebSocketState.CONNECTED:
                with contextlib.suppress(RuntimeError, OSError):  # the client left first
                    await opened.socket.close(code, reason)

    async def _disconnect(self, api: Api, connection: Connection, code: int, reason: str) -> None:
        handler = self._routes.get(DISCONNECT)
        if handler is None:
            return
        event = disconnect_event(
            api, connection, status_code=code, reason=reason, request_id=_request_id()
        )
        try:
            await self._invoke(handler, event, "tasklane-realtime")
        except Exception:
            # Best effort in AWS too: nothing tells the client.
            logger.exception("the $disconnect handler failed")

    # -- the Management API ----------------------------------------------------------------------

    async def _management(self, request: Request) -> Response:
        if not _signed_for_execute_api(request.headers.get("authorization", "")):
            return _error(403, "ForbiddenException", "Missing Authentication Token")
        connection_id = request.path_params["connection_id"]
        opened = self._open.get(connection_id)
        if request.method == "POST":
            data = await request.body()
            if len(data) > self._max_message_bytes:
                return _error(413, "PayloadTooLargeException", "Message too long")
            if opened is None or not await self._send(opened, _frame(data)):
                return _gone()
            opened.last_active = max(opened.last_active, time.monotonic())
            return Response(status_code=200)
        if opened is None:
            return _gone()
        if request.method == "DELETE":
            self._open.pop(connection_id, None)
            await self._close(opened, NORMAL, "Connection deleted")
            return Response(status_code=204)
        return JSONResponse(
            {
                "connectedAt": _iso(opened.info.connected_at_ms / 1000),
                "identity": {
                    "sourceIp": opened.info.upgrade.source_ip,
                    "userAgent": opened.info.user_agent,
                },
                "lastActiveAt": _iso(time.time() - (time.monotonic() - opened.last_active)),
            }
        )

    # -- invoking handlers -----------------------------------------------------------------------

    async def _invoke(self, ref: HandlerRef, event: dict[str, Any], function_name: str) -> Any:
        handler = _load(ref) if isinstance(ref, str) else ref
        context = new_context(
            function_name=function_name,
            region=self._region,
            account_id=LOCAL_ACCOUNT_ID,
            memory_mb=256,
            timeout_seconds=self._function_timeout,
        )
        lock = self._lock_for(handler)

        def call() -> Any:
            with lock:
                return handler(event, context)

        return await run_in_threadpool(call)

    def _lock_for(self, handler: Handler) -> threading.Lock:
        with self._locks_guard:
            return self._locks.setdefault(id(handler), threading.Lock())


def mount(app: Starlette, gateway: WebSocketGateway) -> WebSocketGateway:
    """Serve ``gateway`` from ``app`` (the local REST gateway): its routes go first, before
    the REST API's catch-all."""
    app.router.routes[0:0] = gateway.routes()
    return gateway


def _load(path: str) -> Handler:
    module, _, attribute = path.partition(":")
    return cast(Handler, getattr(importlib.import_module(module), attribute))


def _connection_id() -> str:
    """Shaped like API Gateway's: 16 characters of URL-safe base64 (e.g. ``L0SM9cOFvHcCIhw=``)."""
    return base64.urlsafe_b64encode(secrets.token_bytes(11)).decode()


def _request_id() -> str:
    return str(uuid.uuid4())


def _frame(data: bytes) -> str | bytes:
    """Posted data reaches the browser as a text frame when it is UTF-8, else binary."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data


def _signed_for_execute_api(authorization: str) -> bool:
    """A SigV4 ``Authorization`` header scoped to ``execute-api``. Its signature is not
    checked (the local credentials are public); the point is that a browser cannot send
    one cross-origin, so a web page cannot post to a connection."""
    scheme, _, rest = authorization.partition(" ")
    if scheme != "AWS4-HMAC-SHA256":
        return False
    credential = next(
        (part.strip()[len("Credential=") :] for part in rest.split(",") if "Credential=" in part),
        "",
    )
    scope = credential.split("/")
    return len(scope) == 5 and scope[3] == "execute-api" and scope[4] == "aws4_request"


def _error(status: int, error_type: str, message: str | None) -> Response:
    response = JSONResponse({"message": message}, status_code=status)
    response.headers["x-amzn-errortype"] = error_type
    return response


def _gone() -> Response:
    return _error(410, "GoneException", None)


def _iso(epoch_seconds: float) -> str:
    return (
        datetime.fromtimestamp(epoch_seconds, UTC)
        .isoformat(timespec="milliseconds")
        .replace("+00:00", "Z")
    )


def _log(event: str, connection: Connection, **extra: Any) -> None:
    logger.info(
        json.dumps(
            {
                "event": event,
                "connectionId": connection.connection_id,
                "user_id": connection.authorizer.get("user_id"),
                **extra,
            }
        )
    )
