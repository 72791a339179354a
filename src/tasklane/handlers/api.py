"""The api function: API Gateway REST proxy events in, proxy results out.

The resolver (CORS, errors, OpenAPI) is built at import, as Lambda's init, with no routes:
each route area joins it on the first request that needs it (:class:`tasklane.api.app.Areas`).
The use cases come from the function's container (:mod:`tasklane.wiring.api`), built on
first use and put in the resolver's context for each request; the resolver follows the
container's settings (:class:`CurrentResolver`).
"""

from __future__ import annotations

import json
import threading
import warnings
from typing import Any

from aws_lambda_powertools.event_handler import CORSConfig
from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.utilities.typing import LambdaContext

from tasklane.api.app import Areas, cors_config, create_app
from tasklane.api.errors import error_body
from tasklane.api.guards import check_request
from tasklane.domain.errors import TasklaneError
from tasklane.observability import logger, metrics, tracer
from tasklane.settings import Settings
from tasklane.wiring.api import root

# Most requests publish no application metric; Powertools warns about each of them.
warnings.filterwarnings("ignore", "No application metrics to publish", UserWarning)


class Resolver:
    """The REST resolver made for one set of settings, and the route areas it holds."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.cors = cors_config(settings)
        self.app = create_app(settings, routers=())
        self.areas = Areas(self.app)


class CurrentResolver:
    """The resolver for the container's settings.

    In Lambda that is the one made at init: a function's environment never changes. The
    local runtime runs stack after stack in one process (tests, benchmarks), each with its
    own settings and so a new container (:class:`tasklane.local.launcher.Environment`); a
    resolver kept from an earlier stack would answer with that stack's CORS origins and
    document server. One resolver at a time: the routers are module-level objects and
    belong to the last resolver that included them.
    """

    def __init__(self, settings: Settings) -> None:
        self.resolver = Resolver(settings)
        # The local gateway may call the handler from several threads at once.
        self._lock = threading.Lock()

    def follow(self, settings: Settings) -> Resolver:
        resolver = self.resolver
        if resolver.settings == settings:
            return resolver
        with self._lock:
            if self.resolver.settings != settings:
                self.resolver = Resolver(settings)
            return self.resolver


current = CurrentResolver(Settings.from_environment())


def _reject(event: dict[str, Any], error: TasklaneError, cors: CORSConfig | None) -> dict[str, Any]:
    """A refusal before routing, with the CORS headers the resolver would have added."""
    headers = {"Content-Type": "application/json"}
    if cors is not None:
        origin = next(
            (v for k, v in (event.get("headers") or {}).items() if k.lower() == "origin"), None
        )
        headers |= cors.to_dict(origin)
    return {
        "statusCode": error.status,
        "headers": headers,
        "multiValueHeaders": {},
        "body": json.dumps(error_body(error.code, error.message, error.details)),
        "isBase64Encoded": False,
    }


@logger.inject_lambda_context(correlation_id_path=correlation_paths.API_GATEWAY_REST)
@tracer.capture_lambda_handler
@metrics.log_metrics(capture_cold_start_metric=True)
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    container = root.get()
    resolver = current.follow(container.settings)
    rejected = check_request(event, container.settings.max_body_bytes)
    if rejected is not None:
        logger.info("request refused before routing", extra={"status": rejected.status})
        return _protected(_vary_on_origin(_reject(event, rejected, resolver.cors)))
    resolver.areas.prepare(event)
    resolver.app.append_context(container=container)  # type: ignore[no-untyped-call]
    return _protected(_vary_on_origin(resolver.app.resolve(event, context)))


#: On every answer (issue 14, finding 4): no content sniffing, and nothing kept by a browser
#: or shared cache (answers are a user's data; the public ones are small and cheap).
PROTECTIVE_HEADERS = {"X-Content-Type-Options": "nosniff", "Cache-Control": "no-store"}


def _protected(result: dict[str, Any]) -> dict[str, Any]:
    headers = result.get("headers") or {}
    multi = result.get("multiValueHeaders") or {}
    present = {name.lower() for name in (*headers, *multi)}
    missing = {k: v for k, v in PROTECTIVE_HEADERS.items() if k.lower() not in present}
    if missing:
        result["headers"] = {**headers, **missing}
    return result


def _vary_on_origin(result: dict[str, Any]) -> dict[str, Any]:
    """The answer names the caller's origin, so caches must key on it (Powertools does not)."""
    headers = result.get("headers") or {}
    multi = result.get("multiValueHeaders") or {}
    names = {name.lower() for name in (*headers, *multi)}
    if "access-control-allow-origin" in names and "vary" not in names:
        result["headers"] = {**headers, "Vary": "Origin"}
    return result
