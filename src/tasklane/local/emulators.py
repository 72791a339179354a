"""moto in server mode, in this process: the local stand-in for Cognito and DynamoDB.

We do not use moto's ``ThreadedMotoServer``: it binds its port inside its own thread, where
werkzeug answers a busy port with ``sys.exit(1)``; the thread dies before it signals ready and
``start()`` waits forever. Here the socket is bound first (:func:`tasklane.local.net.listen`)
and handed to the same moto WSGI app and werkzeug server that ``ThreadedMotoServer`` builds.
"""

from __future__ import annotations

import copy
import logging
import threading
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, cast

import httpx

from tasklane.local.cognito_rules import CognitoClientRules
from tasklane.local.launcher import update_environ
from tasklane.local.net import base_url, listen

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment
    from werkzeug.serving import BaseWSGIServer

#: Read by moto when it creates a user pool or client (in this process, as moto runs here):
#: ids derived from the names instead of random ones, so a restarted stack keeps its pool id
#: and client id, and a browser's stored configuration stays valid.
MOTO_ENVIRONMENT: dict[str, str] = {
    "MOTO_COGNITO_IDP_USER_POOL_ID_STRATEGY": "HASH",
    "MOTO_COGNITO_IDP_USER_POOL_CLIENT_ID_STRATEGY": "HASH",
}


def reset_moto(endpoint_url: str) -> None:
    """Forget every resource in the moto server (~50 ms): cheaper than a new server per test."""
    httpx.post(f"{endpoint_url}/moto-api/reset", timeout=10).raise_for_status()


class AtomicDynamoDB:
    """WSGI middleware: moto's DynamoDB handles one request at a time.

    DynamoDB applies a conditional write or a transaction atomically. moto checks the
    condition and writes in separate steps without a lock, and a failing transaction restores
    a snapshot of the whole table: with concurrent requests, two writers can both pass an
    ``If-Match`` check, or one transaction can undo another's committed write. Serialising the
    DynamoDB requests gives the application the atomicity it relies on in AWS; the other
    services (long polls included) stay concurrent.
    """

    def __init__(self, app: WSGIApplication) -> None:
        self._app = app
        self._lock = threading.Lock()

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        if not environ.get("HTTP_X_AMZ_TARGET", "").startswith("DynamoDB"):
            return self._app(environ, start_response)
        with self._lock:
            # moto builds the whole response inside the call; materialise it under the lock.
            return list(self._app(environ, start_response))


def refuse_whole_transactions() -> None:
    """Make moto apply a transaction all or nothing, without copying the table.

    DynamoDB applies all of a transaction's writes or none. moto applies them one by one,
    checking each item's condition on the way, and when one fails it puts back a copy of
    the whole table taken before: the writes it made meanwhile reached the table's stream,
    where a reader (the stream poller) can see an item that never existed, and the stream's
    sequence numbers are handed out again. And it takes that copy (every item, every stream
    record so far) once per action of every transaction: on a table of thousands of items a
    transaction took seconds, past the SDK's read timeout, whose retry then found the
    transaction's own write and answered 409 "already exists".

    Here every condition is checked first, against the items as they are, and a failing
    one refuses the transaction with moto's own cancellation reasons, leaving no trace, as in
    AWS. (One transaction touches an item at most once, so the conditions do not depend on
    each other's writes.) Then the writes are applied with only the items they touch kept
    aside: a write moto still refuses midway (a malformed update) puts those back and drops
    the stream records the transaction added.
    """
    from moto.dynamodb.exceptions import TransactionCanceledException
    from moto.dynamodb.models import DynamoDBBackend

    original = DynamoDBBackend.transact_write_items
    if getattr(original, "refuses_whole", False):
        return

    def transact_write_items(self: Any, transact_items: list[dict[str, Any]]) -> None:
        actions = [next(iter(item.items())) for item in transact_items]
        if len(transact_items) > 100 or any(
            len(item) != 1 or op.get("TableName") not in self.tables
            for item, (_, op) in zip(transact_items, actions, strict=True)
        ):
            original(self, transact_items)  # moto's own answer to a malformed request
            return
        reasons = [_condition_reason(self, op) for _, op in actions]
        if any(code is not None for code, _, _ in reasons):
            raise TransactionCanceledException(reasons)
        _apply_all_or_nothing(self, actions)

    transact_write_items.refuses_whole = True  # type: ignore[attr-defined]
    DynamoDBBackend.transact_write_items = transact_write_items  # type: ignore[method-assign]


def _item_key(table: Any, op: dict[str, Any]) -> dict[str, Any]:
    """The key an action names (a Put names its item by the item's own key attributes)."""
    if "Key" in op:
        return cast("dict[str, Any]", op["Key"])
    names = [table.hash_key_attr, table.range_key_attr]
    return {name: op["Item"][name] for name in names if name is not None}


def _condition_reason(backend: Any, op: dict[str, Any]) -> tuple[str | None, str | None, Any]:
    from moto.dynamodb.comparisons import get_filter_expression

    condition = op.get("ConditionExpression")
    if condition is None:
        return (None, None, None)
    current = backend.get_item(op["TableName"], _item_key(backend.get_table(op["TableName"]), op))
    check = get_filter_expression(
        condition, op.get("ExpressionAttributeNames"), op.get("ExpressionAttributeValues")
    )
    if check.expr(current):
        return (None, None, None)
    wants_old = op.get("ReturnValuesOnConditionCheckFailure") == "ALL_OLD"
    old = current.to_json()["Attributes"] if wants_old and current else None
    return ("ConditionalCheckFailed", "The conditional request failed", old)


def _apply_all_or_nothing(backend: Any, actions: list[tuple[str, dict[str, Any]]]) -> None:
    """Apply checked actions; if moto refuses one midway, put back what the others wrote."""
    from moto.dynamodb.exceptions import (
        MockValidationException,
        MultipleTransactionsException,
        TransactionCanceledException,
    )

    saved: list[tuple[Any, Any, Any, Any]] = []  # (table, hash key, range key, item before)
    touched: set[tuple[str, str]] = set()
    for kind, op in actions:
        table = backend.get_table(op["TableName"])
        key = _item_key(table, op)
        name = (table.name, str(sorted(key.items())))
        if name in touched:
            raise MultipleTransactionsException()
        touched.add(name)
        if kind != "ConditionCheck":
            hash_key, range_key = backend.get_keys_value(table, key)
            before = table.get_item(hash_key, range_key)
            saved.append((table, hash_key, range_key, copy.deepcopy(before)))
    streams = {
        id(t): (t.stream_shard, len(t.stream_shard.items))
        for t, _, _, _ in saved
        if t.stream_shard is not None
    }
    for position, (kind, op) in enumerate(actions):
        try:
            _apply(backend, kind, op)
        except Exception as exc:
            for table, hash_key, range_key, before in reversed(saved):
                _put_back(table, hash_key, range_key, before)
            for shard, length in streams.values():
                del shard.items[length:]
            if isinstance(exc, MockValidationException):
                raise
            reasons: list[tuple[str | None, str | None, Any]] = [(None, None, None)] * len(actions)
            reasons[position] = (type(exc).__name__, str(exc), None)
            raise TransactionCanceledException(reasons) from exc


def _apply(backend: Any, kind: str, op: dict[str, Any]) -> None:
    names, values = op.get("ExpressionAttributeNames"), op.get("ExpressionAttributeValues")
    if kind == "Put":
        backend.put_item(op["TableName"], op["Item"])
    elif kind == "Delete":
        backend.delete_item(op["TableName"], op["Key"])
    elif kind == "Update":
        backend.update_item(
            op["TableName"],
            op["Key"],
            update_expression=op["UpdateExpression"],
            expression_attribute_names=names,
            expression_attribute_values=values,
        )


def _put_back(table: Any, hash_key: Any, range_key: Any, before: Any) -> None:
    """The item as it was, without a stream record (the transaction never happened)."""
    if range_key is None:
        if before is None:
            table.items.pop(hash_key, None)
        else:
            table.items[hash_key] = before
    elif before is None:
        table.items[hash_key].pop(range_key, None)
    else:
        table.items[hash_key][range_key] = before


class MissingTaggedObject:
    """WSGI middleware: S3's answer when the object whose tags are deleted is gone.

    S3 answers ``DeleteObjectTagging`` on a missing key or version with 404 ``NoSuchKey`` /
    ``NoSuchVersion``, and the attachment clean-up treats that as done. When the object goes
    while moto handles the request (the clean-up deleting a task's objects while the stream
    consumer clears a pending tag, seen in the e2e suite), moto finds no key half-way and
    raises an AttributeError instead: a 500 and a traceback. This answers what S3 would.
    """

    _BODY = (
        b'<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>NoSuchKey</Code>'
        b"<Message>The specified key does not exist.</Message></Error>"
    )

    def __init__(self, app: WSGIApplication) -> None:
        self._app = app

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        query = environ.get("QUERY_STRING", "")
        if not (environ.get("REQUEST_METHOD") == "DELETE" and _has_flag(query, "tagging")):
            return self._app(environ, start_response)
        try:
            return list(self._app(environ, start_response))
        except AttributeError:
            start_response("404 Not Found", [("Content-Type", "application/xml")])
            return [self._BODY]


def _has_flag(query: str, name: str) -> bool:
    return any(part.split("=", 1)[0] == name for part in query.split("&"))


class MotoServer:
    """A moto server on ``host:port`` (0 = a free port), served from a background thread.

    moto keeps its state in module globals, so every server in one process shares it.
    """

    def __init__(self, host: str = "127.0.0.1", port: int = 0) -> None:
        self._host = host
        self._port = port
        self._server: BaseWSGIServer | None = None
        self._thread: threading.Thread | None = None
        self._saved_environ: dict[str, str | None] = {}

    @property
    def endpoint_url(self) -> str:
        if self._server is None:
            raise RuntimeError("the moto server is not running")
        return base_url(self._host, self._server.port)

    def start(self) -> str:
        """Start serving and return the endpoint URL."""
        if self._server is not None:
            raise RuntimeError("the moto server is already running")
        sock = listen(self._host, self._port, service="AWS emulator")
        self._saved_environ = update_environ(MOTO_ENVIRONMENT)
        # moto's werkzeug server logs every request at INFO; the gateway's access log is the
        # one worth reading. Leave an explicit configuration alone.
        werkzeug_logger = logging.getLogger("werkzeug")
        if werkzeug_logger.level == logging.NOTSET:
            werkzeug_logger.setLevel(logging.WARNING)

        # Imported here: moto takes ~1 s to import, and only `tasklane dev` needs it.
        from moto.moto_server.werkzeug_app import (
            DomainDispatcherApplication,
            MotoRequestHandler,
            create_backend_app,
        )
        from werkzeug.serving import make_server

        refuse_whole_transactions()
        with sock:  # werkzeug duplicates the descriptor; ours is closed either way
            self._server = make_server(
                self._host,
                self._port,
                CognitoClientRules(
                    MissingTaggedObject(
                        AtomicDynamoDB(DomainDispatcherApplication(create_backend_app))
                    )
                ),
                threaded=True,
                request_handler=MotoRequestHandler,
                fd=sock.fileno(),
            )
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            # The stop flag is checked between polls: 0.1 s instead of 0.5 s makes stop() quick.
            kwargs={"poll_interval": 0.1},
            name="tasklane-moto",
            daemon=True,
        )
        self._thread.start()
        return self.endpoint_url

    def stop(self) -> None:
        """Stop serving and close the listening socket; safe to call more than once."""
        server, thread = self._server, self._thread
        self._server, self._thread = None, None
        if server is not None:
            server.shutdown()
            server.server_close()
        if thread is not None:
            thread.join()
        update_environ(self._saved_environ)
        self._saved_environ = {}

    def reset(self) -> None:
        reset_moto(self.endpoint_url)
