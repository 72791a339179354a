"""`tasklane dev` serves the WebSocket API beside the REST API, with the real authorizer
configured from the environment the runtime gives every handler."""

from __future__ import annotations

import json
from pathlib import Path

import boto3
import jwt
import pytest
from websockets.exceptions import InvalidStatus
from websockets.sync.client import connect

from tasklane.dal.aws import AwsClients
from tasklane.dal.dynamodb.connections import DynamoConnections
from tasklane.dal.dynamodb.table import Table
from tasklane.local.runtime import LocalStack
from tasklane.settings import AwsSettings

from .support import PASSWORD, echo_handler


def test_the_local_stack_serves_the_socket_and_its_management_api(tmp_path: Path) -> None:
    with LocalStack(
        port=0, aws_port=0, state_dir=tmp_path, handler=echo_handler, postgres=False
    ) as stack:
        tokens = stack.create_user("hedy@example.com", PASSWORD)
        socket_url = stack.api_url.replace("http://", "ws://") + "/realtime"

        with pytest.raises(InvalidStatus) as refused:
            connect(f"{socket_url}?token={tokens.access_token}", open_timeout=10).close()
        assert refused.value.response.status_code == 401

        with connect(f"{socket_url}?token={tokens.id_token}", open_timeout=10) as socket:
            # The route handler ($default) answers; $connect recorded the connection.
            socket.send(json.dumps({"action": "ping"}))
            assert json.loads(socket.recv(timeout=10)) == {"type": "pong"}
            config = stack.config
            clients = AwsClients(AwsSettings(config.region, config.endpoint_url))
            store = DynamoConnections(Table(config.table_name, lambda: clients.dynamodb))
            claims = jwt.decode(tokens.id_token, options={"verify_signature": False})
            [connection] = store.user_connections(claims["sub"])
            connection_id = connection.connection_id
            # The authorizer's context reached $connect: the token's own expiry is stored.
            assert connection.token_expires_at == claims["exp"]
            management = boto3.client(
                "apigatewaymanagementapi", endpoint_url=f"{stack.api_url}/realtime"
            )
            management.post_to_connection(ConnectionId=connection_id, Data=b'{"n": 1}')
            assert json.loads(socket.recv(timeout=10)) == {"n": 1}
