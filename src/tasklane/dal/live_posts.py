"""``ConnectionPoster`` on the API Gateway Management API (``PostToConnection``,
``DeleteConnection``)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from botocore.exceptions import ClientError


class ManagementApiPoster:
    def __init__(self, client: Callable[[], Any]) -> None:
        self._client = client
        #: PostToConnection calls made (the benchmark and tests count them).
        self.calls = 0
        #: DeleteConnection calls made.
        self.closes = 0

    def post(self, connection_id: str, data: bytes) -> bool:
        self.calls += 1
        try:
            self._client().post_to_connection(ConnectionId=connection_id, Data=data)
        except ClientError as error:
            if _gone(error):
                return False
            raise
        return True

    def close(self, connection_id: str) -> None:
        self.closes += 1
        try:
            self._client().delete_connection(ConnectionId=connection_id)
        except ClientError as error:
            # Closed already (by the client, or API Gateway's limits): what was wanted.
            if not _gone(error):
                raise


def _gone(error: ClientError) -> bool:
    return error.response.get("Error", {}).get("Code") == "GoneException"
