"""Live updates in the dev stack (infra/realtime.py): the WebSocket API, its stage, the three
functions outside the VPC, their grants, the live function's stream mapping, the alarms."""

from __future__ import annotations

import json
from typing import Any

from infra.realtime import ACCESS_LOG_FORMAT, LIVE_TABLE_ACTIONS, ROUTE_TABLE_ACTIONS, TOKEN_SOURCE

from tests.infra.conftest import (
    as_list,
    function_by_handler,
    function_statements,
    only,
    resources,
)

AUTHORIZER = "tasklane.handlers.realtime_authorizer.lambda_handler"
ROUTES = "tasklane.handlers.realtime.lambda_handler"
LIVE = "tasklane.handlers.live.lambda_handler"
API = "tasklane.handlers.api.lambda_handler"


def _actions(statements: list[dict[str, Any]], service: str) -> set[str]:
    return {a for s in statements for a in as_list(s["Action"]) if a.startswith(f"{service}:")}


def test_a_websocket_api_routes_on_the_action_and_authorises_connect(
    dev_template: Any,
) -> None:
    _, api = only(dev_template, "AWS::ApiGatewayV2::Api")
    assert api["Properties"]["ProtocolType"] == "WEBSOCKET"
    assert api["Properties"]["RouteSelectionExpression"] == "$request.body.action"
    routes = {
        r["Properties"]["RouteKey"]: r["Properties"]
        for r in resources(dev_template, "AWS::ApiGatewayV2::Route").values()
    }
    assert set(routes) == {"$connect", "$disconnect", "$default"}
    assert routes["$connect"]["AuthorizationType"] == "CUSTOM"
    assert routes["$default"].get("RouteResponseSelectionExpression") == "$default"
    _, authorizer = only(dev_template, "AWS::ApiGatewayV2::Authorizer")
    assert authorizer["Properties"]["AuthorizerType"] == "REQUEST"
    assert authorizer["Properties"]["IdentitySource"] == [TOKEN_SOURCE]


def test_the_stage_is_throttled_and_logs_every_event_as_json(dev_template: Any) -> None:
    _, stage = only(dev_template, "AWS::ApiGatewayV2::Stage")
    properties = stage["Properties"]
    throttle = properties["DefaultRouteSettings"]
    assert throttle["ThrottlingRateLimit"] > 0
    assert throttle["ThrottlingBurstLimit"] > 0
    logs = properties["AccessLogSettings"]
    assert json.loads(logs["Format"]) == ACCESS_LOG_FORMAT
    assert "DestinationArn" in logs


def test_the_functions_run_outside_the_vpc_with_only_their_grants(dev_template: Any) -> None:
    for handler in (AUTHORIZER, ROUTES, LIVE):
        _, fn = function_by_handler(dev_template, handler)
        assert "VpcConfig" not in fn, handler
    assert _actions(function_statements(dev_template, AUTHORIZER), "dynamodb") == set()
    assert _actions(function_statements(dev_template, ROUTES), "dynamodb") == set(
        ROUTE_TABLE_ACTIONS
    )
    live = function_statements(dev_template, LIVE)
    assert set(LIVE_TABLE_ACTIONS) <= _actions(live, "dynamodb")
    assert "dynamodb:Scan" not in _actions(live, "dynamodb")
    # execute-api:ManageConnections on this API's @connections only, and nobody else has it.
    (manage,) = [s for s in live if "execute-api:ManageConnections" in as_list(s["Action"])]
    (resource,) = as_list(manage["Resource"])
    text = json.dumps(resource)
    api_id, _ = only(dev_template, "AWS::ApiGatewayV2::Api")
    assert api_id in text
    assert "@connections" in text
    # Any method (the part before @connections): POST posts, DELETE closes a connection
    # whose ID token expired.
    assert "/*/@connections/*" in text
    for handler in (AUTHORIZER, ROUTES, API):
        assert _actions(function_statements(dev_template, handler), "execute-api") == set()


def test_the_live_function_reads_the_stream_and_knows_where_to_post(dev_template: Any) -> None:
    live_id, live = function_by_handler(dev_template, LIVE)
    (mapping,) = [
        m["Properties"]
        for m in resources(dev_template, "AWS::Lambda::EventSourceMapping").values()
        if m["Properties"]["FunctionName"] == {"Ref": live_id}
    ]
    assert mapping["StartingPosition"] == "LATEST"
    assert mapping["BisectBatchOnFunctionError"] is True
    assert "DestinationConfig" in mapping
    environment = live["Environment"]["Variables"]
    assert "TASKLANE_REALTIME_ENDPOINT" in environment
    assert "https://" in json.dumps(environment["TASKLANE_REALTIME_ENDPOINT"])
    _, api = function_by_handler(dev_template, API)
    assert "wss://" in json.dumps(api["Environment"]["Variables"]["TASKLANE_REALTIME_URL"])


def test_websocket_errors_and_latency_are_alarmed(dev_template: Any) -> None:
    alarms = resources(dev_template, "AWS::CloudWatch::Alarm")
    names = {a["Properties"].get("MetricName") for a in alarms.values()}
    assert {"ExecutionError", "IntegrationError", "IntegrationLatency"} <= names
    assert any(k.startswith("MonitoringLiveIteratorAge") for k in alarms)
