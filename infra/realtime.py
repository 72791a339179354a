"""Live updates: the WebSocket API, its functions and the fan-out (docs/realtime.md).

    browser ──wss──► WebSocket API ($connect: the authorizer, then the route function;
                     $disconnect, $default: the route function)
    table stream ──► live function ──PostToConnection──► the API's @connections

Every function runs outside the VPC: the authorizer fetches Cognito's keys from the pool's
public URL, and the live function posts to the Management API, a public ``execute-api``
endpoint the isolated subnets cannot reach; neither needs PostgreSQL. The live function
reads the stream beside the events function (DynamoDB Streams allows two readers a shard).
"""

from __future__ import annotations

import json

import aws_cdk as cdk
from aws_cdk import aws_apigatewayv2 as apigwv2
from aws_cdk import aws_apigatewayv2_authorizers as authorizers
from aws_cdk import aws_apigatewayv2_integrations as integrations
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_lambda_event_sources as sources
from constructs import Construct

from infra.bundling import LambdaBundles
from infra.config import StageConfig
from infra.data import Data
from infra.functions import ServiceFunction, logical_id, stream_dlq
from infra.log_groups import stage_log_group
from infra.nag import acknowledge
from tasklane.settings import Env

STAGE_NAME = "live"
#: The authorizer reads the ID token from here (browsers cannot set WebSocket headers).
TOKEN_SOURCE = "route.request.querystring.token"  # noqa: S105 - where it is, not a token
#: One JSON object per connect, message and disconnect.
ACCESS_LOG_FORMAT = {
    "requestId": "$context.requestId",
    "ip": "$context.identity.sourceIp",
    "user": "$context.authorizer.user_id",
    "connectionId": "$context.connectionId",
    "eventType": "$context.eventType",
    "routeKey": "$context.routeKey",
    "status": "$context.status",
    "requestTime": "$context.requestTime",
    "integrationLatency": "$context.integrationLatency",
    "errorMessage": "$context.error.message",
    "authorizeError": "$context.authorize.error",
}
#: The route function: connections (put, get, delete) and subscriptions (a transaction of a
#: membership check, a put and an update, authorised per item; batch deletes).
ROUTE_TABLE_ACTIONS = (
    "dynamodb:GetItem",
    "dynamodb:PutItem",
    "dynamodb:UpdateItem",
    "dynamodb:DeleteItem",
    "dynamodb:BatchWriteItem",
    "dynamodb:ConditionCheckItem",
)
#: The live function: subscribers (Query of the table), a user's connections (gsi1), and
#: forgetting gone connections and removed members' subscriptions.
LIVE_TABLE_ACTIONS = (
    "dynamodb:Query",
    "dynamodb:GetItem",
    "dynamodb:UpdateItem",
    "dynamodb:BatchWriteItem",
)


class Realtime(Construct):
    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        config: StageConfig,
        bundles: LambdaBundles,
        data: Data,
        user_pool_id: str,
        user_pool_client_id: str,
    ) -> None:
        super().__init__(scope, construct_id)
        self.authorizer_function = ServiceFunction(
            self,
            "Authorizer",
            config=config,
            bundles=bundles,
            handler="tasklane.handlers.realtime_authorizer.lambda_handler",
            description="Tasklane realtime authorizer: the ID token of a WebSocket connect",
            memory_mb=256,
            timeout=cdk.Duration.seconds(10),
            environment={
                Env.USER_POOL_ID: user_pool_id,
                Env.USER_POOL_CLIENT_ID: user_pool_client_id,
            },
        )
        self.routes = ServiceFunction(
            self,
            "Routes",
            config=config,
            bundles=bundles,
            handler="tasklane.handlers.realtime.lambda_handler",
            description="Tasklane realtime routes: connect, disconnect, subscribe",
            memory_mb=256,
            timeout=cdk.Duration.seconds(10),
            environment={Env.TABLE_NAME: data.table.table_name},
        )
        self.routes.grant_table_items(data.table, [], ROUTE_TABLE_ACTIONS)

        route = integrations.WebSocketLambdaIntegration
        self.api = apigwv2.WebSocketApi(
            self,
            "Api",
            description="Tasklane live updates",
            route_selection_expression="$request.body.action",
            connect_route_options=apigwv2.WebSocketRouteOptions(
                integration=route("ConnectIntegration", self.routes.function),
                authorizer=authorizers.WebSocketLambdaAuthorizer(
                    "Authorizer",
                    self.authorizer_function.function,
                    identity_source=[TOKEN_SOURCE],
                ),
            ),
            disconnect_route_options=apigwv2.WebSocketRouteOptions(
                integration=route("DisconnectIntegration", self.routes.function)
            ),
            # Every message goes to $default, which answers it (a two-way route).
            default_route_options=apigwv2.WebSocketRouteOptions(
                integration=route("MessageIntegration", self.routes.function), return_response=True
            ),
        )
        self.access_logs = stage_log_group(self, "AccessLogs", config)
        self.stage = apigwv2.WebSocketStage(
            self,
            "Stage",
            web_socket_api=self.api,
            stage_name=STAGE_NAME,
            auto_deploy=True,
            throttle=apigwv2.ThrottleSettings(
                rate_limit=config.api_throttle_rate, burst_limit=config.api_throttle_burst
            ),
        )
        stage = self.stage.node.default_child
        assert isinstance(stage, apigwv2.CfnStage)
        stage.access_log_settings = apigwv2.CfnStage.AccessLogSettingsProperty(
            destination_arn=self.access_logs.log_group_arn,
            format=json.dumps(ACCESS_LOG_FORMAT, separators=(",", ":")),
        )
        #: What ``GET /config`` answers as ``realtime_url`` (``wss://…/live``).
        self.url = self.stage.url
        acknowledge(
            self.api,
            "AwsSolutions-APIG4",
            "A WebSocket API authorises a connection once, on $connect (the Lambda authorizer "
            "on the ID token); $disconnect and $default take no authorizer and run with the "
            "connect's user in their context.",
        )

        self.dlq = stream_dlq(self, "LiveDlq")
        self.live = ServiceFunction(
            self,
            "Live",
            config=config,
            bundles=bundles,
            handler="tasklane.handlers.live.lambda_handler",
            description="Tasklane live: the table's stream to WebSocket connections",
            memory_mb=512,
            timeout=cdk.Duration.seconds(30),
            environment={
                Env.TABLE_NAME: data.table.table_name,
                Env.REALTIME_ENDPOINT: self.stage.callback_url,
            },
            unscoped_actions=" and dynamodb:ListStreams (the stream event source)",
        )
        self.live.grant_table_items(data.table, ["gsi1"], LIVE_TABLE_ACTIONS)
        # execute-api:ManageConnections on this API's stage's @connections only.
        self.stage.grant_management_api_access(self.live.role)
        region = cdk.Stack.of(self).region
        acknowledge(
            self.live,
            f"AwsSolutions-IAM5[Resource::arn:aws:execute-api:{region}:<AWS::AccountId>:"
            f"<{logical_id(self.api)}>/{STAGE_NAME}/*/@connections/*]",
            "PostToConnection, GetConnection and DeleteConnection on any connection of this "
            "API's stage: connection ids are made per connect, so no narrower resource exists.",
        )
        self.live.function.add_event_source(
            sources.DynamoEventSource(
                data.table,
                # Live updates are for open pages: what happened before the function existed
                # (or an hour ago) is for a refetch, not a push.
                starting_position=lambda_.StartingPosition.LATEST,
                batch_size=100,
                bisect_batch_on_error=True,
                retry_attempts=2,
                max_record_age=cdk.Duration.minutes(5),
                parallelization_factor=1,
                on_failure=sources.SqsDlq(self.dlq),
            )
        )

    def metric(self, name: str, statistic: str = "Sum") -> cdk.aws_cloudwatch.Metric:
        """One of the stage's metrics (ConnectCount, ExecutionError, IntegrationLatency…)."""
        return self.api.metric(
            name,
            dimensions_map={"ApiId": self.api.api_id, "Stage": STAGE_NAME},
            period=cdk.Duration.minutes(5),
            statistic=statistic,
        )
