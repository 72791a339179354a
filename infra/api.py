"""API Gateway (REST): the Cognito authorizer on every method except CORS preflight and the
public routes, stage throttling, JSON access logs, X-Ray, CORS for the web origins.

Routing: explicit resources for the public routes, ``{proxy+}`` (``ANY``, authorised) for
everything else, both to the api function's ``live`` alias. The api function routes again
(Powertools), so a new route needs no change here unless it is public.
"""

from __future__ import annotations

import json
from types import SimpleNamespace
from typing import cast

import aws_cdk as cdk
from aws_cdk import aws_apigateway as apigateway
from aws_cdk import aws_cognito as cognito
from aws_cdk import aws_lambda as lambda_
from aws_lambda_powertools.event_handler import CORSConfig
from constructs import Construct

from infra.config import StageConfig
from infra.log_groups import stage_log_group
from infra.nag import acknowledge
from tasklane.api.app import cors_config
from tasklane.settings import Settings

#: Routes that answer without a token (the handler marks them ``security=[]`` too), and why.
PUBLIC_REASONS = {
    "/health": "no user data",
    "/config": "no user data",
    "/openapi.json": "no user data",
    "/docs": "no user data",
    # Calendar programs cannot send a Cognito token: the secret in the URL is the credential
    # (tasklane.domain.exchange.feed_tokens); the access log records the route, not the path.
    "/calendar/{token}": "a calendar feed; its URL's secret is the credential",
}
PUBLIC_PATHS = tuple(PUBLIC_REASONS)
STAGE_NAME = "v1"

#: One JSON object per request; ``requestId`` joins it to the function's logs and traces.
ACCESS_LOG_FORMAT = {
    "requestId": "$context.requestId",
    "extendedRequestId": "$context.extendedRequestId",
    "ip": "$context.identity.sourceIp",
    "userAgent": "$context.identity.userAgent",
    "user": "$context.authorizer.claims.sub",
    "requestTime": "$context.requestTime",
    "httpMethod": "$context.httpMethod",
    # The route, not the path: a calendar feed's path holds its secret.
    "resourcePath": "$context.resourcePath",
    "status": "$context.status",
    "protocol": "$context.protocol",
    "responseLength": "$context.responseLength",
    "responseLatency": "$context.responseLatency",
    "integrationLatency": "$context.integrationLatency",
    "integrationStatus": "$context.integrationStatus",
    "errorMessage": "$context.error.message",
    "errorType": "$context.error.responseType",
    "xrayTraceId": "$context.xrayTraceId",
}


def _app_cors(origins: tuple[str, ...]) -> CORSConfig:
    """The api function's own CORS settings for these origins."""
    app_cors = cors_config(cast(Settings, SimpleNamespace(cors_origins=origins)))
    assert app_cors is not None
    return app_cors


def _allowed_headers(origins: tuple[str, ...]) -> list[str]:
    # Powertools keeps the headers in a set: sorted, or every synth orders them differently,
    # changes the deployment's hash and makes every deploy a new API deployment.
    return sorted(_app_cors(origins).allow_headers)


def web_cors(origins: tuple[str, ...]) -> apigateway.CorsOptions:
    """Preflight answered by API Gateway, with the api function's own CORS settings."""
    app_cors = _app_cors(origins)
    return apigateway.CorsOptions(
        allow_origins=list(origins),
        allow_methods=apigateway.Cors.ALL_METHODS,
        allow_headers=_allowed_headers(origins),
        allow_credentials=app_cors.allow_credentials,
        max_age=cdk.Duration.seconds(app_cors.max_age or 600),
    )


class Api(Construct):
    """Create it before the functions (they need :attr:`url`), then :meth:`route` to them."""

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        config: StageConfig,
        user_pool: cognito.IUserPool,
    ) -> None:
        super().__init__(scope, construct_id)
        self.config = config
        self.access_logs = stage_log_group(self, "AccessLogs", config)
        self.rest_api = apigateway.RestApi(
            self,
            "RestApi",
            description="Tasklane REST API",
            endpoint_types=[apigateway.EndpointType.REGIONAL],
            cloud_watch_role=True,
            cloud_watch_role_removal_policy=cdk.RemovalPolicy.RETAIN,
            default_cors_preflight_options=web_cors(config.web_origins),
            deploy_options=apigateway.StageOptions(
                stage_name=STAGE_NAME,
                throttling_rate_limit=config.api_throttle_rate,
                throttling_burst_limit=config.api_throttle_burst,
                tracing_enabled=True,
                metrics_enabled=True,
                logging_level=apigateway.MethodLoggingLevel.ERROR,
                data_trace_enabled=False,
                access_log_destination=apigateway.LogGroupLogDestination(self.access_logs),
                access_log_format=apigateway.AccessLogFormat.custom(
                    json.dumps(ACCESS_LOG_FORMAT, separators=(",", ":"))
                ),
            ),
        )
        self.authorizer = apigateway.CognitoUserPoolsAuthorizer(
            self,
            "Authorizer",
            cognito_user_pools=[user_pool],
            identity_source=apigateway.IdentitySource.header("Authorization"),
            results_cache_ttl=cdk.Duration.minutes(5),
        )
        # Errors API Gateway answers itself (401 from the authorizer, throttling, 5xx) carry
        # CORS headers too, or the browser hides them from the web app. A gateway response
        # has one static header value: a fixed origin would serve the first web origin and
        # no other (a local web app against the deployed API saw network errors). So the
        # request's Origin is echoed: these bodies are API Gateway's own few words
        # ("Unauthorized", "Too Many Requests") and carry no user data, and no
        # Access-Control-Allow-Credentials is sent (the API authenticates with a header).
        # The function's own responses name the configured origins only.
        headers = {
            "Access-Control-Allow-Origin": "method.request.header.Origin",
            "Access-Control-Allow-Headers": "'" + ",".join(web_cors_headers(config)) + "'",
            "Vary": "'Origin'",
        }
        for name, kind in (
            ("Default4xx", apigateway.ResponseType.DEFAULT_4_XX),
            ("Default5xx", apigateway.ResponseType.DEFAULT_5_XX),
        ):
            self.rest_api.add_gateway_response(name, type=kind, response_headers=headers)
        acknowledge(
            self.rest_api,
            "AwsSolutions-APIG2",
            "Requests are validated by the api function (Powertools + pydantic models, "
            "limits checked before routing), which answers 4xx with the API's error shape; a "
            "second, coarser validator in API Gateway would answer with a different shape.",
        )
        acknowledge(
            self.rest_api,
            "AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/"
            "AmazonAPIGatewayPushToCloudWatchLogs]",
            "The API Gateway account role uses AmazonAPIGatewayPushToCloudWatchLogs, the "
            "AWS-managed policy made for exactly this service role (execution logs).",
        )

    @property
    def url(self) -> str:
        """The stage URL, built from the API id: using the stage itself would make the
        function depend on the deployment, which depends on the function."""
        stack = cdk.Stack.of(self)
        return (
            f"https://{self.rest_api.rest_api_id}.execute-api.{stack.region}."
            f"{stack.url_suffix}/{STAGE_NAME}"
        )

    def route(self, target: lambda_.IFunction) -> None:
        integration = apigateway.LambdaIntegration(target, proxy=True)
        for path in PUBLIC_PATHS:
            resource = self.rest_api.root.resource_for_path(path)
            method = resource.add_method(
                "GET", integration, authorization_type=apigateway.AuthorizationType.NONE
            )
            reason = f"GET {path} is public by design ({PUBLIC_REASONS[path]}): "
            acknowledge(method, "AwsSolutions-APIG4", reason + "it answers without a token.")
            acknowledge(method, "AwsSolutions-COG4", reason + "no Cognito authorizer.")
        proxy = self.rest_api.root.add_resource("{proxy+}")
        proxy.add_method(
            "ANY",
            integration,
            authorizer=self.authorizer,
            authorization_type=apigateway.AuthorizationType.COGNITO,
        )
        # CORS preflight (OPTIONS, a mock integration) cannot carry a token.
        resources: list[apigateway.IResource] = [self.rest_api.root, proxy]
        for owner in (*resources, *_public(self.rest_api)):
            options = owner.node.try_find_child("OPTIONS")
            if options is not None:
                why = "CORS preflight (OPTIONS): browsers send it without credentials."
                acknowledge(options, "AwsSolutions-APIG4", why)
                acknowledge(options, "AwsSolutions-COG4", why)


def web_cors_headers(config: StageConfig) -> list[str]:
    return _allowed_headers(config.web_origins)


def _public(api: apigateway.RestApi) -> list[apigateway.IResource]:
    """The public routes' resources and those above them (``/calendar``): each has a CORS
    preflight method."""
    found: list[apigateway.IResource] = []
    for path in PUBLIC_PATHS:
        resource: apigateway.IResource | None = api.root
        for part in path.strip("/").split("/"):
            resource = resource.get_resource(part) if resource is not None else None
            if resource is not None and resource not in found:
                found.append(resource)
    return found
