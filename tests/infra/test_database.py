"""PostgreSQL in the dev stack: RDS, RDS Proxy, the functions that reach them, migrations on
deploy and the stale-upload sweeper, read from the synthesized template."""

from __future__ import annotations

import json
from typing import Any

from infra.database import APP_USER, ENGINE_VERSION, RDS_PROXY_POSTGRES_MAJORS

from tests.infra.conftest import group_id, only, resources, role_statements, subnets_of_type

API = "tasklane.handlers.api.lambda_handler"
EVENTS = "tasklane.handlers.events.lambda_handler"
MIGRATE = "tasklane.handlers.migrate.lambda_handler"
SWEEPER = "tasklane.handlers.sweeper.lambda_handler"
REMINDERS = "tasklane.handlers.reminders.lambda_handler"
#: The functions that use PostgreSQL through the proxy.
PROXY_CLIENTS = (API, EVENTS, REMINDERS)


def _function(template: Any, handler: str) -> tuple[str, dict[str, Any]]:
    for logical_id, resource in resources(template, "AWS::Lambda::Function").items():
        if resource["Properties"].get("Handler") == handler:
            return logical_id, resource
    raise AssertionError(f"no function with handler {handler}")


def _isolated(template: Any) -> set[str]:
    found = subnets_of_type(template, "Isolated")
    assert len(found) == 2
    return found


def _refs(values: list[Any]) -> set[str]:
    return {v["Ref"] for v in values}


def _actions(statement: dict[str, Any]) -> list[str]:
    action = statement["Action"]
    return action if isinstance(action, list) else [action]


# --- RDS ------------------------------------------------------------------------------------


def test_instance_is_encrypted_private_iam_and_backed_up(dev_template: Any) -> None:
    _, instance = only(dev_template, "AWS::RDS::DBInstance")
    props = instance["Properties"]
    assert props["StorageEncrypted"] is True
    assert props["PubliclyAccessible"] is False
    assert props["EnableIAMDatabaseAuthentication"] is True
    assert props["Engine"] == "postgres"
    assert props["EngineVersion"] == ENGINE_VERSION.postgres_full_version
    assert props["BackupRetentionPeriod"] >= 1
    assert props["MultiAZ"] is False  # dev; prod: test_prod.py
    assert set(props["EnableCloudwatchLogsExports"]) == {"postgresql", "upgrade"}
    # The master password comes from Secrets Manager, never from the template.
    assert "resolve:secretsmanager" in json.dumps(props["MasterUserPassword"])
    _, subnet_group = only(dev_template, "AWS::RDS::DBSubnetGroup")
    assert _refs(subnet_group["Properties"]["SubnetIds"]) == _isolated(dev_template)


def test_parameter_group_forces_tls(dev_template: Any) -> None:
    _, group = only(dev_template, "AWS::RDS::DBParameterGroup")
    assert group["Properties"]["Parameters"]["rds.force_ssl"] == "1"
    assert group["Properties"]["Family"] == f"postgres{ENGINE_VERSION.postgres_major_version}"


def test_the_engine_is_one_rds_proxy_supports(dev_template: Any) -> None:
    """A major the proxy does not support rolls the stack back after ~15 minutes."""
    _, instance = only(dev_template, "AWS::RDS::DBInstance")
    major = instance["Properties"]["EngineVersion"].split(".")[0]
    assert major == ENGINE_VERSION.postgres_major_version
    assert major in RDS_PROXY_POSTGRES_MAJORS
    assert major == max(RDS_PROXY_POSTGRES_MAJORS, key=int)  # the newest it documents


def test_master_secret_is_rotated_in_the_vpc_through_an_endpoint(dev_template: Any) -> None:
    _, schedule = only(dev_template, "AWS::SecretsManager::RotationSchedule")
    assert schedule["Properties"]["RotationRules"]["ScheduleExpression"] == "rate(30 days)"
    _, application = only(dev_template, "AWS::Serverless::Application")
    params = application["Properties"]["Parameters"]
    assert "secretsmanager" in json.dumps(params["endpoint"])
    interface = [
        e["Properties"]
        for e in resources(dev_template, "AWS::EC2::VPCEndpoint").values()
        if e["Properties"]["VpcEndpointType"] == "Interface"
        and "secretsmanager" in json.dumps(e["Properties"]["ServiceName"])
    ]
    assert len(interface) == 1
    assert _refs(interface[0]["SubnetIds"]) == _isolated(dev_template)


# --- RDS Proxy ------------------------------------------------------------------------------


def test_proxy_requires_tls_and_iam_in_the_isolated_subnets(dev_template: Any) -> None:
    _, proxy = only(dev_template, "AWS::RDS::DBProxy")
    props = proxy["Properties"]
    assert props["RequireTLS"] is True
    assert props["DefaultAuthScheme"] == "IAM_AUTH"
    assert props["EngineFamily"] == "POSTGRESQL"
    assert _refs(props["VpcSubnetIds"]) == _isolated(dev_template)
    # End-to-end IAM: no password of any user is handed to the proxy.
    assert "Auth" not in props or all(a.get("IAMAuth") == "REQUIRED" for a in props["Auth"])


def test_only_the_postgres_functions_reach_the_proxy(dev_template: Any) -> None:
    _, proxy = only(dev_template, "AWS::RDS::DBProxy")
    (proxy_group,) = [group_id(g) for g in proxy["Properties"]["VpcSecurityGroupIds"]]
    expected = set()
    for handler in PROXY_CLIENTS:
        _, fn = _function(dev_template, handler)
        (group,) = fn["Properties"]["VpcConfig"]["SecurityGroupIds"]
        expected.add(group_id(group))
    ingress = [
        r["Properties"]
        for r in resources(dev_template, "AWS::EC2::SecurityGroupIngress").values()
        if group_id(r["Properties"]["GroupId"]) == proxy_group
    ]
    assert {group_id(r["SourceSecurityGroupId"]) for r in ingress} == expected
    assert all(r["FromPort"] == r["ToPort"] == 5432 for r in ingress)
    _, group = next(
        (k, v)
        for k, v in resources(dev_template, "AWS::EC2::SecurityGroup").items()
        if k == proxy_group
    )
    assert "SecurityGroupIngress" not in group["Properties"]  # no inline (e.g. CIDR) rules


def test_database_accepts_only_the_proxy_migrations_and_rotation(dev_template: Any) -> None:
    _, instance = only(dev_template, "AWS::RDS::DBInstance")
    (db_group,) = [group_id(g) for g in instance["Properties"]["VPCSecurityGroups"]]
    sources = {
        group_id(r["Properties"]["SourceSecurityGroupId"])
        for r in resources(dev_template, "AWS::EC2::SecurityGroupIngress").values()
        if group_id(r["Properties"]["GroupId"]) == db_group
    }
    _, migrate = _function(dev_template, MIGRATE)
    (migrate_group,) = migrate["Properties"]["VpcConfig"]["SecurityGroupIds"]
    assert group_id(migrate_group) in sources
    assert len(sources) == 3, sources  # proxy, migrations runner, rotation function
    for handler in PROXY_CLIENTS:
        _, fn = _function(dev_template, handler)
        (group,) = fn["Properties"]["VpcConfig"]["SecurityGroupIds"]
        assert group_id(group) not in sources, handler


# --- the functions that use PostgreSQL --------------------------------------------------------


def test_api_and_events_run_in_the_isolated_subnets_with_the_proxy_settings(
    dev_template: Any,
) -> None:
    proxy_id, _ = only(dev_template, "AWS::RDS::DBProxy")
    for handler in PROXY_CLIENTS:
        _, fn = _function(dev_template, handler)
        props = fn["Properties"]
        assert _refs(props["VpcConfig"]["SubnetIds"]) == _isolated(dev_template)
        env = props["Environment"]["Variables"]
        assert env["TASKLANE_DB_HOST"] == {"Fn::GetAtt": [proxy_id, "Endpoint"]}
        assert env["TASKLANE_DB_AUTH"] == "iam"
        assert env["TASKLANE_DB_USER"] == APP_USER
        assert env["TASKLANE_DB_NAME"] == "tasklane"
        # Issue 14, finding 8: the proxy's certificate is verified (certifi's Amazon roots).
        assert env["TASKLANE_DB_SSLMODE"] == "verify-full"
        assert "TASKLANE_DB_CA_BUNDLE" not in env
        assert "TASKLANE_DB_PASSWORD" not in env
        assert "TASKLANE_DB_SECRET_ARN" not in env
    _, sweeper = _function(dev_template, SWEEPER)
    assert "VpcConfig" not in sweeper["Properties"]  # no PostgreSQL: outside the VPC


def test_rds_db_connect_is_scoped_to_the_proxy_and_the_app_user(dev_template: Any) -> None:
    proxy_id, _ = only(dev_template, "AWS::RDS::DBProxy")
    client_roles = {
        _function(dev_template, handler)[1]["Properties"]["Role"]["Fn::GetAtt"][0]
        for handler in PROXY_CLIENTS
    }
    holders = set()
    for role_id in resources(dev_template, "AWS::IAM::Role"):
        for statement in role_statements(dev_template, role_id):
            if not any(a.startswith("rds-db:") for a in _actions(statement)):
                continue
            assert _actions(statement) == ["rds-db:connect"]
            text = json.dumps(statement["Resource"])
            assert text.endswith(f'/{APP_USER}"]]}}'), text
            assert "*" not in text
            holders.add(role_id)
            if role_id in client_roles:
                assert proxy_id in text  # the proxy, not the instance
    proxy_role = resources(dev_template, "AWS::RDS::DBProxy")[proxy_id]["Properties"]["RoleArn"]
    assert holders == {*client_roles, proxy_role["Fn::GetAtt"][0]}


# --- migrations on deploy -------------------------------------------------------------------


def test_migrations_trigger_runs_after_the_database_and_before_the_functions(
    dev_template: Any,
) -> None:
    trigger_id, trigger = only(dev_template, "Custom::Trigger")
    migrate_id, migrate = _function(dev_template, MIGRATE)
    instance_id, _ = only(dev_template, "AWS::RDS::DBInstance")
    assert instance_id in trigger["DependsOn"]
    handler = trigger["Properties"]["HandlerArn"]["Ref"]
    version = resources(dev_template, "AWS::Lambda::Version")[handler]
    assert version["Properties"]["FunctionName"] == {"Ref": migrate_id}
    assert trigger["Properties"]["ExecuteOnHandlerChange"] is True
    assert trigger["Properties"]["InvocationType"] == "RequestResponse"
    for handler_name in PROXY_CLIENTS:
        _, fn = _function(dev_template, handler_name)
        assert trigger_id in fn.get("DependsOn", []), handler_name
    env = migrate["Properties"]["Environment"]["Variables"]
    assert env["TASKLANE_MIGRATIONS_DIR"] == "/var/task/migrations"
    assert env["TASKLANE_DB_AUTH"] == "secret"
    assert env["TASKLANE_DB_APP_USER"] == APP_USER
    # The instance's certificate is verified against the RDS CA bundle, package data that
    # the migrations bundle carries at this path (tests/infra/test_bundles.py).
    assert env["TASKLANE_DB_SSLMODE"] == "verify-full"
    assert env["TASKLANE_DB_CA_BUNDLE"] == "/var/task/tasklane/dal/postgres/rds-ca-bundle.pem"
    assert env["TASKLANE_DB_HOST"] == {"Fn::GetAtt": [instance_id, "Endpoint.Address"]}


# --- the stale-upload sweeper ---------------------------------------------------------------


def test_sweeper_runs_hourly_with_only_its_grants(dev_template: Any) -> None:
    sweeper_id, sweeper = _function(dev_template, SWEEPER)
    (rule,) = [
        r
        for r in resources(dev_template, "AWS::Events::Rule").values()
        if r["Properties"]["Targets"][0]["Arn"] == {"Fn::GetAtt": [sweeper_id, "Arn"]}
    ]
    assert rule["Properties"]["ScheduleExpression"] == "rate(1 hour)"
    (target,) = rule["Properties"]["Targets"]
    assert target["Arn"] == {"Fn::GetAtt": [sweeper_id, "Arn"]}
    actions = {
        a
        for s in role_statements(dev_template, sweeper["Properties"]["Role"]["Fn::GetAtt"][0])
        for a in _actions(s)
    }
    assert actions - {"xray:PutTraceSegments", "xray:PutTelemetryRecords"} == {
        "logs:CreateLogStream",
        "logs:PutLogEvents",
        "dynamodb:Query",
        "dynamodb:DeleteItem",
        "dynamodb:UpdateItem",
        "s3:ListBucket",
        "s3:ListBucketVersions",
        "s3:DeleteObject",
        "s3:DeleteObjectVersion",
    }


# --- monitoring -----------------------------------------------------------------------------


def test_database_and_proxy_alarms(dev_template: Any) -> None:
    alarms = [a["Properties"] for a in resources(dev_template, "AWS::CloudWatch::Alarm").values()]
    by_metric = {a.get("MetricName"): a for a in alarms}
    for name in ("CPUUtilization", "FreeStorageSpace", "DatabaseConnections"):
        assert by_metric[name]["Namespace"] == "AWS/RDS", name
        assert by_metric[name]["Dimensions"][0]["Name"] == "DBInstanceIdentifier"
    assert by_metric["FreeStorageSpace"]["ComparisonOperator"] == "LessThanThreshold"
    proxy_alarms = [
        a for a in alarms if any(d["Name"] == "ProxyName" for d in a.get("Dimensions", []))
    ]
    assert len(proxy_alarms) >= 1
    for alarm in (by_metric["CPUUtilization"], *proxy_alarms):
        assert len(alarm["AlarmActions"]) == 1
