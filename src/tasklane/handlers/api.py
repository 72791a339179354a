"""The api function: API Gateway REST proxy events in, proxy results out.

The resolver (routes, CORS, OpenAPI) is built at import, as Lambda's init; the use cases
come from the function's container (:mod:`tasklane.wiring.api`), built on first use and put
in the resolver's context for each request.
"""

from __future__ import annotations

import json
import warnings
from typing import Any

from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.utilities.typing import LambdaContext

from tasklane.api.app import cors_config, create_app
from tasklane.api.errors import error_body
from tasklane.api.guards import check_request
from tasklane.domain.errors import TasklaneError
from tasklane.observability import logger, metrics, tracer
from tasklane.settings import Settings
from tasklane.wiring.api import root

# Most requests publish no application metric; Powertools warns about each of them.
warnings.filterwarnings("ignore", "No application metrics to publish", UserWarning)

settings = Settings.from_environment()
cors = cors_config(settings)
app = create_app(settings)


def _reject(event: dict[str, Any], error: TasklaneError) -> dict[str, Any]:
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
    rejected = check_request(event, container.settings.max_body_bytes)
    if rejected is not None:
        logger.info("request refused before routing", extra={"status": rejected.status})
        return _vary_on_origin(_reject(event, rejected))
    app.append_context(container=container)  # type: ignore[no-untyped-call]
    return _vary_on_origin(app.resolve(event, context))


def _vary_on_origin(result: dict[str, Any]) -> dict[str, Any]:
    """The answer names the caller's origin, so caches must key on it (Powertools does not)."""
    headers = result.get("headers") or {}
    multi = result.get("multiValueHeaders") or {}
    names = {name.lower() for name in (*headers, *multi)}
    if "access-control-allow-origin" in names and "vary" not in names:
        result["headers"] = {**headers, "Vary": "Origin"}
    return result
