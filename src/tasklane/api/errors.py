"""One error shape for every failure: ``{"error": {"code", "message", "details"}}``."""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.event_handler import APIGatewayRestResolver, Response
from aws_lambda_powertools.event_handler.exceptions import NotFoundError
from aws_lambda_powertools.event_handler.openapi.exceptions import (
    RequestUnsupportedContentType,
    RequestValidationError,
)

from tasklane.api.http import json_response
from tasklane.domain.errors import MalformedJson, TasklaneError, TooManyRequests
from tasklane.observability import logger


def error_body(code: str, message: str, details: Any = None) -> dict[str, Any]:
    return {"error": {"code": code, "message": message, "details": details}}


def error_response(error: TasklaneError) -> Response[Any]:
    headers = (
        {"Retry-After": str(error.retry_after)} if isinstance(error, TooManyRequests) else None
    )
    return json_response(
        error.status, error_body(error.code, error.message, error.details), headers
    )


def _field_errors(exc: RequestValidationError) -> list[dict[str, Any]]:
    """Pydantic's errors, without echoing the input back."""
    return [
        {
            "loc": [str(part) for part in error.get("loc", ())],
            "message": str(error.get("msg", "invalid value")).removeprefix("Value error, "),
            "type": error.get("type", "value_error"),
        }
        for error in exc.errors()
    ]


def register(app: APIGatewayRestResolver) -> None:
    @app.exception_handler(TasklaneError)
    def domain_error(exc: TasklaneError) -> Response[Any]:
        logger.info("request refused", extra={"status": exc.status, "code": exc.code})
        return error_response(exc)

    @app.exception_handler(RequestUnsupportedContentType)
    def unsupported_type(_exc: RequestUnsupportedContentType) -> Response[Any]:
        # Normally refused earlier by the request guard; this keeps it a 415 if not.
        return json_response(
            415, error_body("unsupported_media_type", "send the request body as JSON")
        )

    @app.exception_handler(RequestValidationError)
    def invalid_request(exc: RequestValidationError) -> Response[Any]:
        details = _field_errors(exc)
        logger.info("request invalid", extra={"errors": details})
        if any(d["type"] == "json_invalid" for d in details):
            return error_response(MalformedJson())
        return json_response(
            422, error_body("validation_failed", "the request is not valid", details)
        )

    @app.not_found
    def no_route(_exc: NotFoundError) -> Response[Any]:
        return json_response(404, error_body("not_found", "no such resource"))

    @app.exception_handler(Exception)
    def unexpected(exc: Exception) -> Response[Any]:
        from aws_lambda_powertools.utilities.idempotency.exceptions import (
            IdempotencyAlreadyInProgressError,
            IdempotencyValidationError,
        )

        if isinstance(exc, IdempotencyValidationError):
            return json_response(
                422,
                error_body(
                    "idempotency_key_reused",
                    "this Idempotency-Key was used with a different request body",
                ),
            )
        if isinstance(exc, IdempotencyAlreadyInProgressError):
            return json_response(
                409,
                error_body(
                    "request_in_progress",
                    "a request with this Idempotency-Key is still being processed; retry",
                ),
            )
        logger.exception("unhandled error")
        return json_response(500, error_body("internal_error", "something went wrong on our side"))
