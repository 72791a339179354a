"""The yardstick for cold start: the smallest Powertools REST handler with validation.

One GET route on ``APIGatewayRestResolver(enable_validation=True)`` and a ``lambda_handler``;
no Logger, Tracer, Metrics or boto3. The api handler's import + init is compared with this.
"""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.event_handler import APIGatewayRestResolver
from aws_lambda_powertools.utilities.typing import LambdaContext

app = APIGatewayRestResolver(enable_validation=True)


@app.get("/health")
def health() -> dict[str, str]:
    return {"status": "ok"}


def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return app.resolve(event, context)
