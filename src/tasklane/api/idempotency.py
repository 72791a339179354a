"""``Idempotency-Key`` on POST (Powertools idempotency).

A retried POST with the same key, caller and route returns the first response and creates
nothing twice. The same key with a different body is refused (422); a retry while the
first request is still running gets 409.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, NotRequired, TypedDict, cast

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.api_gateway import Router

from tasklane.api.http import caller_id, container, header, json_response
from tasklane.domain.errors import BadRequest

if TYPE_CHECKING:
    from aws_lambda_powertools.utilities.idempotency.persistence.base import (
        BasePersistenceLayer,
    )

HEADER = "Idempotency-Key"
_KEY_PATTERN = "^[!-~]{1,255}$"
_KEY = re.compile(_KEY_PATTERN)
#: The header as the OpenAPI document states it (routes: ``reads_headers(IDEMPOTENCY_KEY)``).
IDEMPOTENCY_KEY: dict[str, Any] = {
    "name": HEADER,
    "in": "header",
    "required": False,
    "description": "1-255 visible ASCII characters. A retry with the same key (same caller "
    "and route) answers the first response again, with `Idempotent-Replayed: true`; the "
    "same key with another body is 422, while the first is still running 409.",
    "schema": {"type": "string", "pattern": _KEY_PATTERN},
}


class StoredResponse(TypedDict):
    status: int
    body: dict[str, Any]
    headers: dict[str, str]
    replayed: NotRequired[bool]


Work = Callable[[], StoredResponse]


class IdempotentRunner:
    """Runs a POST's work once per (user, key, route), its records in ``persistence``: the
    container's idempotency layer, built on the first keyed POST (nothing else needs it)."""

    def __init__(self, persistence: BasePersistenceLayer, expires_after_seconds: int) -> None:
        from aws_lambda_powertools.utilities.idempotency import (
            IdempotencyConfig,
            idempotent_function,
        )

        self._config = IdempotencyConfig(
            event_key_jmespath="[user, key, route]",
            payload_validation_jmespath="body",
            raise_on_no_idempotency_key=True,
            expires_after_seconds=expires_after_seconds,
            response_hook=lambda response, _record: {**response, "replayed": True},
        )

        @idempotent_function(
            data_keyword_argument="request",
            config=self._config,
            persistence_store=persistence,
        )
        def run(request: dict[str, Any], work: Work) -> StoredResponse:
            return work()

        self._run = run

    def __call__(self, router: Router, request: dict[str, Any], work: Work) -> StoredResponse:
        self._config.register_lambda_context(router.lambda_context)
        return cast(StoredResponse, self._run(request=request, work=work))


def idempotent(router: Router, work: Work) -> Response[Any]:
    key = header(router, HEADER)
    if key is None:
        result = work()
    else:
        if not _KEY.fullmatch(key):
            raise BadRequest(f"{HEADER} must be 1-255 visible ASCII characters")
        event = router.current_event
        request = {
            "user": caller_id(router),
            "key": key,
            "route": f"{event.http_method} {event.path}",
            "body": event.json_body,
        }
        result = container(router).idempotency(router, request, work)
    headers = dict(result["headers"])
    if result.get("replayed"):
        headers["Idempotent-Replayed"] = "true"
    return json_response(result["status"], result["body"], headers)
