"""The dev stack's security and shape properties, read from the synthesized template."""

from __future__ import annotations

import json
from typing import Any

from aws_cdk.assertions import Match
from infra.api import PUBLIC_PATHS
from infra.config import LAMBDA_PYTHON
from infra.functions import TABLE_READ_WRITE
from smoke.webapp import auth_calls, explicit_flow, login_flow

from tasklane.resources import ATTACHMENTS_BUCKET, TABLE, USER_POOL
from tests.infra.conftest import as_list, function_by_handler, resources, role_statements


def _one(template: Any, kind: str) -> dict[str, Any]:
    found = resources(template, kind)
    assert len(found) == 1, f"{kind}: {list(found)}"
    properties: dict[str, Any] = next(iter(found.values()))["Properties"]
    return properties


# --- data: parity with resources.py ---------------------------------------------------------


def test_table_matches_resources_shape(dev_template: Any) -> None:
    table = _one(dev_template, "AWS::DynamoDB::Table")
    expected = TABLE.create_table_kwargs("unused")
    assert table["KeySchema"] == expected["KeySchema"]
    assert sorted(table["AttributeDefinitions"], key=lambda a: a["AttributeName"]) == sorted(
        expected["AttributeDefinitions"], key=lambda a: a["AttributeName"]
    )
    for kind in ("GlobalSecondaryIndexes", "LocalSecondaryIndexes"):
        got = {i["IndexName"]: (i["KeySchema"], i["Projection"]) for i in table[kind]}
        want = {i["IndexName"]: (i["KeySchema"], i["Projection"]) for i in expected[kind]}
        assert got == want, kind
    assert table["BillingMode"] == "PAY_PER_REQUEST"
    assert table["StreamSpecification"] == {"StreamViewType": TABLE.stream_view}
    assert table["TimeToLiveSpecification"] == {
        "AttributeName": TABLE.ttl_attribute,
        "Enabled": True,
    }
    # CloudFormation spells the API's SSESpecification.Enabled "SSEEnabled".
    assert table["SSESpecification"] == {"SSEEnabled": expected["SSESpecification"]["Enabled"]}
    assert table["PointInTimeRecoverySpecification"]["PointInTimeRecoveryEnabled"] is True
    assert table["DeletionProtectionEnabled"] is False  # dev; prod: test_prod.py


def test_attachments_bucket_matches_resources_shape(dev_template: Any) -> None:
    buckets = resources(dev_template, "AWS::S3::Bucket")
    (bucket,) = [
        b["Properties"]
        for b in buckets.values()
        if "CorsConfiguration" in b.get("Properties", {})
        and "VersioningConfiguration" in b["Properties"]
    ]
    shape = ATTACHMENTS_BUCKET
    assert bucket["PublicAccessBlockConfiguration"] == shape.public_access_block()
    (rule,) = bucket["BucketEncryption"]["ServerSideEncryptionConfiguration"]
    (want_rule,) = shape.encryption()["Rules"]
    # CloudFormation's "ServerSideEncryptionByDefault" is the API's "Apply..." one.
    assert rule["ServerSideEncryptionByDefault"] == want_rule["ApplyServerSideEncryptionByDefault"]
    assert rule["BucketKeyEnabled"] == want_rule["BucketKeyEnabled"]
    assert bucket["VersioningConfiguration"] == {"Status": "Enabled"}
    assert bucket["OwnershipControls"]["Rules"] == [{"ObjectOwnership": "BucketOwnerEnforced"}]
    assert "LoggingConfiguration" in bucket
    (cors,) = bucket["CorsConfiguration"]["CorsRules"]
    (want,) = shape.cors_rules(["http://localhost:3000"])
    # The deployed web app first (dev: the ALB's DNS name), then cdk.json's web_origins.
    web_origin, *configured = cors["AllowedOrigins"]
    assert "DNSName" in json.dumps(web_origin)
    assert configured == want["AllowedOrigins"]
    assert cors["AllowedMethods"] == want["AllowedMethods"]
    assert cors["ExposedHeaders"] == want["ExposeHeaders"]
    assert cors["MaxAge"] == want["MaxAgeSeconds"]
    rules = {r["Id"]: r for r in bucket["LifecycleConfiguration"]["Rules"]}
    for want_rule in shape.lifecycle_rules():
        got = rules[want_rule["ID"]]
        assert got["Status"] == want_rule["Status"]
        if tag := want_rule["Filter"].get("Tag"):
            assert got["TagFilters"] == [tag]
        if days := want_rule.get("Expiration", {}).get("Days"):
            assert got["ExpirationInDays"] == days
        if "NoncurrentVersionExpiration" in want_rule:
            assert (
                got["NoncurrentVersionExpiration"]["NoncurrentDays"]
                == (want_rule["NoncurrentVersionExpiration"]["NoncurrentDays"])
            )
        if want_rule.get("Expiration", {}).get("ExpiredObjectDeleteMarker"):
            assert got["ExpiredObjectDeleteMarker"] is True


def test_every_bucket_is_private_encrypted_and_tls_only(dev_template: Any) -> None:
    buckets = resources(dev_template, "AWS::S3::Bucket")
    policies = resources(dev_template, "AWS::S3::BucketPolicy")
    for logical_id, bucket in buckets.items():
        props = bucket["Properties"]
        assert props["PublicAccessBlockConfiguration"] == ATTACHMENTS_BUCKET.public_access_block()
        assert "BucketEncryption" in props
        policy = next(
            p["Properties"]["PolicyDocument"]
            for p in policies.values()
            if p["Properties"]["Bucket"] == {"Ref": logical_id}
        )
        assert any(
            s["Effect"] == "Deny" and s["Condition"] == {"Bool": {"aws:SecureTransport": "false"}}
            for s in policy["Statement"]
        ), logical_id


def test_queues_and_topic_are_encrypted(dev_template: Any) -> None:
    for queue in resources(dev_template, "AWS::SQS::Queue").values():
        assert queue["Properties"]["SqsManagedSseEnabled"] is True
    topic = _one(dev_template, "AWS::SNS::Topic")
    assert "KmsMasterKeyId" in topic


# --- auth -----------------------------------------------------------------------------------


def test_user_pool_follows_the_shape(dev_template: Any) -> None:
    pool = _one(dev_template, "AWS::Cognito::UserPool")
    expected = USER_POOL.create_user_pool_kwargs("unused")
    assert pool["UsernameAttributes"] == expected["UsernameAttributes"]
    assert pool["AutoVerifiedAttributes"] == expected["AutoVerifiedAttributes"]
    assert pool["Policies"]["PasswordPolicy"] == expected["Policies"]["PasswordPolicy"]
    assert pool["AccountRecoverySetting"] == expected["AccountRecoverySetting"]
    assert pool["MfaConfiguration"] == "OPTIONAL"
    assert pool["EnabledMfas"] == ["SOFTWARE_TOKEN_MFA"]
    # Finding 1: a change of address counts only once verified (the local pool gets the
    # same setting, and tasklane.local.cognito_verification enforces it).
    assert pool["UserAttributeUpdateSettings"] == expected["UserAttributeUpdateSettings"]
    assert pool["UserAttributeUpdateSettings"] == {
        "AttributesRequireVerificationBeforeUpdate": ["email"]
    }


def test_web_client_is_the_shape_s_public_client(dev_template: Any) -> None:
    """Flows, attributes and lifetimes come from resources.USER_POOL, as the local client's
    do (tests/local/test_cognito_rules.py checks that side)."""
    client = _one(dev_template, "AWS::Cognito::UserPoolClient")
    expected = USER_POOL.create_client_kwargs("unused", "unused")
    assert client["GenerateSecret"] is False
    assert sorted(client["ExplicitAuthFlows"]) == sorted(expected["ExplicitAuthFlows"])
    assert sorted(client["ReadAttributes"]) == sorted(expected["ReadAttributes"])
    assert sorted(client["WriteAttributes"]) == sorted(expected["WriteAttributes"])
    assert client["IdTokenValidity"] == USER_POOL.id_token_validity_minutes
    assert client["AccessTokenValidity"] == USER_POOL.access_token_validity_minutes
    assert client["RefreshTokenValidity"] == USER_POOL.refresh_token_validity_days * 24 * 60
    assert client["PreventUserExistenceErrors"] == "ENABLED"
    assert client["EnableTokenRevocation"] is True


def test_web_client_allows_every_flow_the_web_app_uses(dev_template: Any) -> None:
    """The first deploy's client allowed SRP only while the web app logs in with
    USER_PASSWORD_AUTH: nobody could log in. The flows are read from the web app's source."""
    client = _one(dev_template, "AWS::Cognito::UserPoolClient")
    calls = auth_calls()
    assert {c.flow for c in calls} >= {"USER_PASSWORD_AUTH", "REFRESH_TOKEN_AUTH"}, calls
    for call in calls:
        assert explicit_flow(call.flow) in client["ExplicitAuthFlows"], call
    assert explicit_flow(login_flow()) in client["ExplicitAuthFlows"]


# --- network --------------------------------------------------------------------------------


def test_vpc_has_no_nat_and_gateway_endpoints(dev_template: Any) -> None:
    dev_template.resource_count_is("AWS::EC2::NatGateway", 0)
    dev_template.resource_count_is("AWS::EC2::Subnet", 4)
    endpoints = resources(dev_template, "AWS::EC2::VPCEndpoint")
    # Gateway endpoints for DynamoDB and S3; interface endpoints for Secrets Manager, SQS
    # and X-Ray (which functions need which: test_reachability.py).
    assert sorted(e["Properties"]["VpcEndpointType"] for e in endpoints.values()) == [
        "Gateway",
        "Gateway",
        "Interface",
        "Interface",
        "Interface",
    ]
    dev_template.resource_count_is("AWS::EC2::FlowLog", 1)
    for subnet in resources(dev_template, "AWS::EC2::Subnet").values():
        tags = {t["Key"]: t["Value"] for t in subnet["Properties"]["Tags"]}
        if tags["aws-cdk:subnet-type"] == "Isolated":
            assert subnet["Properties"]["MapPublicIpOnLaunch"] is False


# --- functions ------------------------------------------------------------------------------


def test_functions_run_the_compiled_runtime_on_arm(dev_template: Any) -> None:
    for handler in (
        "tasklane.handlers.api.lambda_handler",
        "tasklane.handlers.events.lambda_handler",
    ):
        _, fn = function_by_handler(dev_template, handler)
        assert fn["Runtime"] == f"python{LAMBDA_PYTHON}"
        assert fn["Architectures"] == ["arm64"]
        assert fn["TracingConfig"] == {"Mode": "Active"}
        env = fn["Environment"]["Variables"]
        assert {"POWERTOOLS_SERVICE_NAME", "POWERTOOLS_METRICS_NAMESPACE", "LOG_LEVEL"} <= set(env)
        assert "TASKLANE_TABLE_NAME" in env


def test_api_function_reads_its_secret_by_arn_never_from_the_environment(
    dev_template: Any,
) -> None:
    _, fn = function_by_handler(dev_template, "tasklane.handlers.api.lambda_handler")
    env = fn["Environment"]["Variables"]
    assert "TASKLANE_CURSOR_SECRET" not in env
    assert "Ref" in env["TASKLANE_CURSOR_SECRET_ARN"]
    for name in ("TASKLANE_USER_POOL_ID", "TASKLANE_USER_POOL_CLIENT_ID", "TASKLANE_API_URL"):
        assert env[name], name


def test_every_log_group_has_a_retention(dev_template: Any) -> None:
    groups = resources(dev_template, "AWS::Logs::LogGroup")
    assert len(groups) >= 4  # two functions, API access logs, flow logs
    for logical_id, group in groups.items():
        assert group["Properties"].get("RetentionInDays"), logical_id
    for handler in (
        "tasklane.handlers.api.lambda_handler",
        "tasklane.handlers.events.lambda_handler",
    ):
        _, fn = function_by_handler(dev_template, handler)
        assert "LogGroup" in fn["LoggingConfig"]


def test_api_role_is_least_privilege(dev_template: Any) -> None:
    _, fn = function_by_handler(dev_template, "tasklane.handlers.api.lambda_handler")
    statements = role_statements(dev_template, fn["Role"]["Fn::GetAtt"][0])
    actions = [a for s in statements for a in as_list(s["Action"])]
    assert "dynamodb:Scan" not in actions
    assert not any(a.endswith("*") for a in actions if not a.startswith("xray:")), actions
    assert set(TABLE_READ_WRITE) <= set(actions)
    for statement in statements:
        if all(a.startswith(("xray:", "ec2:")) for a in as_list(statement["Action"])):
            continue  # no resource-level permissions: tracing, the VPC's network interfaces
        assert statement["Resource"] != "*", statement
        text = json.dumps(statement["Resource"])
        assert "index/*" not in text, statement
    # The table's indexes are named one by one.
    table_statement = next(s for s in statements if "dynamodb:Query" in as_list(s["Action"]))
    text = json.dumps(table_statement["Resource"])
    for index in (*TABLE.global_indexes, *TABLE.local_indexes):
        assert f"/index/{index.name}" in text


def test_events_role_reads_the_stream_and_only_deletes(dev_template: Any) -> None:
    _, fn = function_by_handler(dev_template, "tasklane.handlers.events.lambda_handler")
    statements = role_statements(dev_template, fn["Role"]["Fn::GetAtt"][0])
    actions = {a for s in statements for a in as_list(s["Action"])}
    assert {"dynamodb:GetRecords", "dynamodb:GetShardIterator"} <= actions
    # The attachment clean-up deletes items and objects; the notification consumer puts an
    # expiry marker and updates the unread counter, on the table (no index).
    assert "dynamodb:Scan" not in actions
    item_statements = [
        s for s in statements if any(a.endswith("Item") for a in as_list(s["Action"]))
    ]
    assert {a for s in item_statements for a in as_list(s["Action"])} == {
        "dynamodb:Query",
        "dynamodb:BatchWriteItem",
        "dynamodb:DeleteItem",
        "dynamodb:PutItem",
        "dynamodb:UpdateItem",
        "dynamodb:ConditionCheckItem",
    }
    for statement in item_statements:
        resources = as_list(statement["Resource"])
        assert resources[0]["Fn::GetAtt"][1] == "Arn"  # the table
        # The only index: gsi1, for the membership clean-up's Query and condition checks.
        if len(resources) > 1:
            assert set(as_list(statement["Action"])) == {
                "dynamodb:Query",
                "dynamodb:ConditionCheckItem",
            }
            assert len(resources) == 2
            assert "/index/gsi1" in json.dumps(resources[1])
    assert {a for a in actions if a.startswith("s3:")} <= {
        "s3:ListBucket",
        "s3:ListBucketVersions",
        "s3:DeleteObject",
        "s3:DeleteObjectVersion",
        "s3:DeleteObjectTagging",
        "s3:DeleteObjectVersionTagging",
    }
    assert not any(a.startswith("secretsmanager:") for a in actions)


def test_stream_mapping_reports_partial_failures_to_a_dlq(dev_template: Any) -> None:
    """The events function's (the live function's: tests/infra/test_realtime.py)."""
    events_id, _ = function_by_handler(dev_template, "tasklane.handlers.events.lambda_handler")
    (mapping,) = [
        m["Properties"]
        for m in resources(dev_template, "AWS::Lambda::EventSourceMapping").values()
        if "StreamArn" in json.dumps(m["Properties"]["EventSourceArn"])
        and m["Properties"]["FunctionName"] == {"Ref": events_id}
    ]
    assert mapping["FunctionResponseTypes"] == ["ReportBatchItemFailures"]
    assert mapping["BisectBatchOnFunctionError"] is True
    assert mapping["StartingPosition"] == "TRIM_HORIZON"
    assert mapping["MaximumRetryAttempts"] > 0
    assert "Destination" in json.dumps(mapping["DestinationConfig"])
    assert "Fn::GetAtt" in json.dumps(mapping["EventSourceArn"])


# --- API ------------------------------------------------------------------------------------


def _paths(template: Any) -> dict[str, str]:
    """logical id of each API resource -> its full path."""
    items = resources(template, "AWS::ApiGateway::Resource")
    paths: dict[str, str] = {}

    def path_of(logical_id: str) -> str:
        if logical_id not in paths:
            props = items[logical_id]["Properties"]
            parent = props["ParentId"]
            prefix = path_of(parent["Ref"]) if "Ref" in parent else ""
            paths[logical_id] = f"{prefix}/{props['PathPart']}"
        return paths[logical_id]

    for logical_id in items:
        path_of(logical_id)
    return paths


def test_authorizer_on_every_method_but_preflight_and_public_routes(dev_template: Any) -> None:
    paths = _paths(dev_template)
    seen_public = set()
    methods = resources(dev_template, "AWS::ApiGateway::Method")
    for logical_id, method in methods.items():
        props = method["Properties"]
        resource = props["ResourceId"]
        path = paths.get(resource.get("Ref", ""), "/")
        verb = props["HttpMethod"]
        if verb == "OPTIONS":
            assert props["AuthorizationType"] == "NONE", logical_id
            assert props["Integration"]["Type"] == "MOCK"
        elif path in PUBLIC_PATHS:
            assert props["AuthorizationType"] == "NONE", path
            assert verb == "GET"
            seen_public.add(path)
        else:
            assert props["AuthorizationType"] == "COGNITO_USER_POOLS", (verb, path)
            assert "AuthorizerId" in props
    assert seen_public == set(PUBLIC_PATHS)
    assert "/{proxy+}" in paths.values()


def test_stage_throttles_traces_and_logs_json(dev_template: Any) -> None:
    stage = _one(dev_template, "AWS::ApiGateway::Stage")
    assert stage["TracingEnabled"] is True
    settings = stage["MethodSettings"][0]
    assert settings["ThrottlingRateLimit"] > 0
    assert settings["ThrottlingBurstLimit"] > 0
    assert settings["DataTraceEnabled"] is False
    log_format = json.loads(stage["AccessLogSetting"]["Format"])
    assert log_format["requestId"] == "$context.requestId"


def test_gateway_errors_carry_cors_headers(dev_template: Any) -> None:
    responses = resources(dev_template, "AWS::ApiGateway::GatewayResponse")
    kinds = {r["Properties"]["ResponseType"] for r in responses.values()}
    assert kinds == {"DEFAULT_4XX", "DEFAULT_5XX"}
    for response in responses.values():
        params = response["Properties"]["ResponseParameters"]
        # Every web origin, not the first only: the request's own Origin, echoed (the
        # bodies are API Gateway's "Unauthorized" and the like), without credentials.
        origin = params["gatewayresponse.header.Access-Control-Allow-Origin"]
        assert origin == "method.request.header.Origin"
        assert params["gatewayresponse.header.Vary"] == "'Origin'"
        assert not any("Credentials" in name for name in params)


# --- monitoring -----------------------------------------------------------------------------


def test_alarms_notify_the_topic(dev_template: Any) -> None:
    alarms = resources(dev_template, "AWS::CloudWatch::Alarm")
    names = {
        m.get("MetricName") or "expression" for a in alarms.values() for m in [a["Properties"]]
    }
    assert {"5XXError", "Latency", "Errors", "Throttles", "IteratorAge"} <= names
    assert "ApproximateNumberOfMessagesVisible" in names
    for alarm in alarms.values():
        assert (
            alarm["Properties"]["AlarmActions"] == [Match.any_value()]
            or len(alarm["Properties"]["AlarmActions"]) == 1
        )
    dev_template.resource_count_is("AWS::CloudWatch::Dashboard", 1)
