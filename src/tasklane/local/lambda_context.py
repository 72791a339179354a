"""The Lambda context object the handler receives, with the attributes Powertools reads."""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class LambdaContext:
    function_name: str
    memory_limit_in_mb: int
    invoked_function_arn: str
    aws_request_id: str
    log_group_name: str
    log_stream_name: str
    #: Wall-clock deadline in epoch milliseconds, as the Lambda runtime keeps it.
    deadline_ms: int
    function_version: str = "$LATEST"
    identity: None = None
    client_context: None = None

    def get_remaining_time_in_millis(self) -> int:
        return max(0, self.deadline_ms - int(time.time() * 1000))


def new_context(
    *, function_name: str, region: str, account_id: str, memory_mb: int, timeout_seconds: float
) -> LambdaContext:
    """A context for one invocation that starts now."""
    return LambdaContext(
        function_name=function_name,
        memory_limit_in_mb=memory_mb,
        invoked_function_arn=f"arn:aws:lambda:{region}:{account_id}:function:{function_name}",
        aws_request_id=str(uuid.uuid4()),
        log_group_name=f"/aws/lambda/{function_name}",
        log_stream_name=f"{time.strftime('%Y/%m/%d')}/[$LATEST]local",
        deadline_ms=int((time.time() + timeout_seconds) * 1000),
    )
