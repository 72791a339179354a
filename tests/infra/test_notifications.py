"""The notification pipeline in the dev stack: queue + DLQ (parity with resources.py),
the notifier and reminders functions, their grants, the SQS endpoint, SES and the alarms."""

from __future__ import annotations

import json
from typing import Any

from infra.functions import VPC_ACCESS_ACTIONS
from infra.notifications import NOTIFIER_BATCH_SIZE

from tasklane.resources import NOTIFICATIONS_QUEUE, REMINDER_INTERVAL_MINUTES
from tests.infra.conftest import (
    as_list,
    function_by_handler,
    function_statements,
    group_id,
    ingress_rules,
    only,
    resources,
    stage_config,
    subnets_of_type,
)

NOTIFIER = "tasklane.handlers.notifier.lambda_handler"
REMINDERS = "tasklane.handlers.reminders.lambda_handler"
EVENTS = "tasklane.handlers.events.lambda_handler"
API = "tasklane.handlers.api.lambda_handler"
#: Every function's role writes its own log group and X-Ray traces.
BASELINE = {"logs:CreateLogStream", "logs:PutLogEvents"}
XRAY = {"xray:PutTraceSegments", "xray:PutTelemetryRecords"}
VPC_ACTIONS = set(VPC_ACCESS_ACTIONS)
PIPELINE_ENV = ("TASKLANE_NOTIFICATIONS_QUEUE_URL", "TASKLANE_MAIL_SENDER", "TASKLANE_WEB_URL")


def _queues(template: Any) -> tuple[str, dict[str, Any], str, dict[str, Any]]:
    """(queue id, queue properties, DLQ id, DLQ properties) of the notifications queue."""
    queues = resources(template, "AWS::SQS::Queue")
    (queue_id,) = [k for k in queues if k.startswith("NotificationsJobsQueue")]
    queue = queues[queue_id]["Properties"]
    dlq_id = queue["RedrivePolicy"]["deadLetterTargetArn"]["Fn::GetAtt"][0]
    return queue_id, queue, dlq_id, queues[dlq_id]["Properties"]


def _actions(statements: list[dict[str, Any]]) -> set[str]:
    return {a for s in statements for a in as_list(s["Action"])}


def _statement_with(statements: list[dict[str, Any]], action: str) -> dict[str, Any]:
    (found,) = [s for s in statements if action in as_list(s["Action"])]
    return found


# --- the queue: parity with resources.NOTIFICATIONS_QUEUE -----------------------------------


def test_queue_matches_resources_shape(dev_template: Any) -> None:
    _, queue, dlq_id, dlq = _queues(dev_template)
    shape = NOTIFICATIONS_QUEUE
    want = shape.queue_attributes("unused")
    assert queue["VisibilityTimeout"] == int(want["VisibilityTimeout"])
    assert queue["MessageRetentionPeriod"] == int(want["MessageRetentionPeriod"])
    assert queue["ReceiveMessageWaitTimeSeconds"] == int(want["ReceiveMessageWaitTimeSeconds"])
    assert queue["SqsManagedSseEnabled"] is shape.sqs_managed_sse is True
    redrive = queue["RedrivePolicy"]
    assert redrive["maxReceiveCount"] == json.loads(want["RedrivePolicy"])["maxReceiveCount"]
    assert redrive["deadLetterTargetArn"] == {"Fn::GetAtt": [dlq_id, "Arn"]}
    want_dlq = shape.dlq_attributes()
    assert dlq["MessageRetentionPeriod"] == int(want_dlq["MessageRetentionPeriod"])
    assert dlq["SqsManagedSseEnabled"] is True
    assert "RedrivePolicy" not in dlq


def test_queue_and_dlq_refuse_requests_without_tls(dev_template: Any) -> None:
    queue_id, _, dlq_id, _ = _queues(dev_template)
    policies = resources(dev_template, "AWS::SQS::QueuePolicy").values()
    for logical_id in (queue_id, dlq_id):
        (policy,) = [p for p in policies if p["Properties"]["Queues"] == [{"Ref": logical_id}]]
        (statement,) = policy["Properties"]["PolicyDocument"]["Statement"]
        assert statement["Effect"] == "Deny"
        assert statement["Action"] == "sqs:*"
        assert statement["Principal"] == {"AWS": "*"}
        assert statement["Condition"] == {"Bool": {"aws:SecureTransport": "false"}}


# --- notifier -------------------------------------------------------------------------------


def test_notifier_consumes_the_queue_in_batches_with_partial_failures(dev_template: Any) -> None:
    queue_id, queue, _, _ = _queues(dev_template)
    notifier_id, notifier = function_by_handler(dev_template, NOTIFIER)
    (mapping,) = [
        m["Properties"]
        for m in resources(dev_template, "AWS::Lambda::EventSourceMapping").values()
        if m["Properties"]["FunctionName"] == {"Ref": notifier_id}
    ]
    assert mapping["EventSourceArn"] == {"Fn::GetAtt": [queue_id, "Arn"]}
    assert mapping["BatchSize"] == NOTIFIER_BATCH_SIZE == 10
    assert mapping["FunctionResponseTypes"] == ["ReportBatchItemFailures"]
    assert 2 <= mapping["ScalingConfig"]["MaximumConcurrency"] <= 20
    # AWS: the queue's visibility timeout at least six times the function's timeout.
    assert queue["VisibilityTimeout"] >= 6 * notifier["Timeout"]


def test_notifier_runs_outside_the_vpc_with_the_pipeline_settings(dev_template: Any) -> None:
    queue_id, _, _, _ = _queues(dev_template)
    _, notifier = function_by_handler(dev_template, NOTIFIER)
    assert "VpcConfig" not in notifier  # DynamoDB, SES and SQS only: no NAT, no endpoints
    env = notifier["Environment"]["Variables"]
    assert env["TASKLANE_NOTIFICATIONS_QUEUE_URL"] == {"Ref": queue_id}
    assert env["TASKLANE_MAIL_SENDER"] == stage_config("dev").sender_email
    assert "DNSName" in json.dumps(env["TASKLANE_WEB_URL"])  # dev: the ALB's name
    assert "TASKLANE_TABLE_NAME" in env
    assert not any(name.startswith("TASKLANE_DB_") for name in env)


def test_notifier_role_holds_only_what_it_calls(dev_template: Any) -> None:
    queue_id, _, _, _ = _queues(dev_template)
    statements = function_statements(dev_template, NOTIFIER)
    assert _actions(statements) - BASELINE - XRAY == {
        "dynamodb:GetItem",
        "dynamodb:PutItem",
        "dynamodb:UpdateItem",
        "dynamodb:DeleteItem",
        "ses:SendEmail",
        "ses:SendRawEmail",
        "sqs:ReceiveMessage",
        "sqs:DeleteMessage",
        "sqs:ChangeMessageVisibility",
        "sqs:GetQueueAttributes",
        "sqs:GetQueueUrl",
    }
    table = _statement_with(statements, "dynamodb:PutItem")
    assert table["Resource"]["Fn::GetAtt"][1] == "Arn"  # the table itself, no index
    sqs = _statement_with(statements, "sqs:ReceiveMessage")
    assert sqs["Resource"] == {"Fn::GetAtt": [queue_id, "Arn"]}


def test_ses_permissions_cover_sandbox_sends(dev_template: Any) -> None:
    """In the sandbox SES authorises a send against the recipient's identity too: a grant on
    the sender's identity alone fails every send there. The notifier may use the account's
    identities in this region, as the stage's sender only."""
    ses = _statement_with(function_statements(dev_template, NOTIFIER), "ses:SendEmail")
    (resource,) = as_list(ses["Resource"])
    parts = resource["Fn::Join"][1]
    assert parts[0] == "arn:"
    assert {"Ref": "AWS::Region"} in parts
    assert {"Ref": "AWS::AccountId"} in parts
    assert parts[-1] == ":identity/*"  # a verified recipient is an identity of the account
    assert json.dumps(parts).count(":ses:") == 1
    assert ses["Condition"] == {
        "StringEquals": {"ses:FromAddress": stage_config("dev").sender_email}
    }


def test_sender_identity_is_the_stage_sender_and_only_the_notifier_sends(
    dev_template: Any,
) -> None:
    _, identity = only(dev_template, "AWS::SES::EmailIdentity")
    assert identity["Properties"]["EmailIdentity"] == stage_config("dev").sender_email
    notifier_role = function_by_handler(dev_template, NOTIFIER)[1]["Role"]["Fn::GetAtt"][0]
    senders = {
        role["Ref"]
        for policy in resources(dev_template, "AWS::IAM::Policy").values()
        for role in policy["Properties"]["Roles"]
        if any(
            a.startswith("ses:")
            for s in policy["Properties"]["PolicyDocument"]["Statement"]
            for a in as_list(s["Action"])
        )
    }
    assert senders == {notifier_role}


# --- reminders ------------------------------------------------------------------------------


def test_reminders_run_every_interval_in_the_isolated_subnets(dev_template: Any) -> None:
    reminders_id, reminders = function_by_handler(dev_template, REMINDERS)
    (rule,) = [
        r["Properties"]
        for r in resources(dev_template, "AWS::Events::Rule").values()
        if r["Properties"]["Targets"][0]["Arn"] == {"Fn::GetAtt": [reminders_id, "Arn"]}
    ]
    assert rule["ScheduleExpression"] == f"rate({REMINDER_INTERVAL_MINUTES} minutes)"
    assert rule["State"] == "ENABLED"
    subnets = {s["Ref"] for s in reminders["VpcConfig"]["SubnetIds"]}
    assert subnets == subnets_of_type(dev_template, "Isolated")
    env = reminders["Environment"]["Variables"]
    assert set(PIPELINE_ENV) <= set(env)
    assert env["TASKLANE_DB_AUTH"] == "iam"


def test_reminders_role_sends_and_connects_only(dev_template: Any) -> None:
    queue_id, _, _, _ = _queues(dev_template)
    statements = function_statements(dev_template, REMINDERS)
    assert _actions(statements) - BASELINE - XRAY - VPC_ACTIONS == {
        "rds-db:connect",
        "sqs:SendMessage",
    }
    send = _statement_with(statements, "sqs:SendMessage")
    assert as_list(send["Action"]) == ["sqs:SendMessage"]
    assert send["Resource"] == {"Fn::GetAtt": [queue_id, "Arn"]}


def test_events_function_sends_jobs(dev_template: Any) -> None:
    queue_id, _, _, _ = _queues(dev_template)
    _, events = function_by_handler(dev_template, EVENTS)
    assert set(PIPELINE_ENV) <= set(events["Environment"]["Variables"])
    statements = function_statements(dev_template, EVENTS)
    sends = [s for s in statements if "sqs:SendMessage" in as_list(s["Action"])]
    # CDK merges the events function's sends (jobs, exports, webhooks) into one statement.
    targets = [resource for s in sends for resource in as_list(s["Resource"])]
    assert {"Fn::GetAtt": [queue_id, "Arn"]} in targets


def test_sqs_endpoint_admits_only_the_producers(dev_template: Any) -> None:
    (endpoint,) = [
        e["Properties"]
        for e in resources(dev_template, "AWS::EC2::VPCEndpoint").values()
        if ".sqs" in json.dumps(e["Properties"]["ServiceName"])
    ]
    assert endpoint["VpcEndpointType"] == "Interface"
    assert endpoint["PrivateDnsEnabled"] is True
    assert {s["Ref"] for s in endpoint["SubnetIds"]} == subnets_of_type(dev_template, "Isolated")
    (group,) = [group_id(g) for g in endpoint["SecurityGroupIds"]]
    producers = {
        group_id(function_by_handler(dev_template, h)[1]["VpcConfig"]["SecurityGroupIds"][0])
        for h in (EVENTS, REMINDERS, API)
    }
    rules = ingress_rules(dev_template, group)
    assert {group_id(r["SourceSecurityGroupId"]) for r in rules} == producers
    assert all(r["FromPort"] == r["ToPort"] == 443 for r in rules)
    inline = resources(dev_template, "AWS::EC2::SecurityGroup")[group]["Properties"]
    assert "SecurityGroupIngress" not in inline


# --- alarms and dashboard -------------------------------------------------------------------


def test_queue_and_function_alarms(dev_template: Any) -> None:
    queue_id, _, dlq_id, _ = _queues(dev_template)
    alarms = [a["Properties"] for a in resources(dev_template, "AWS::CloudWatch::Alarm").values()]

    def on(metric: str, dimension: dict[str, Any]) -> list[dict[str, Any]]:
        return [
            a
            for a in alarms
            if a.get("MetricName") == metric and dimension in [d["Value"] for d in a["Dimensions"]]
        ]

    (dlq_alarm,) = on("ApproximateNumberOfMessagesVisible", {"Fn::GetAtt": [dlq_id, "QueueName"]})
    assert dlq_alarm["Threshold"] == 1
    assert dlq_alarm["ComparisonOperator"] == "GreaterThanOrEqualToThreshold"  # i.e. > 0
    (age,) = on("ApproximateAgeOfOldestMessage", {"Fn::GetAtt": [queue_id, "QueueName"]})
    assert age["Threshold"] >= NOTIFICATIONS_QUEUE.visibility_timeout_seconds
    for handler in (NOTIFIER, REMINDERS):
        fn_id, fn = function_by_handler(dev_template, handler)
        for metric in ("Errors", "Throttles", "Duration"):
            (alarm,) = on(metric, {"Ref": fn_id})
            assert len(alarm["AlarmActions"]) == 1, (handler, metric)
        (duration,) = on("Duration", {"Ref": fn_id})
        assert duration["ExtendedStatistic"] == "p99"
        assert duration["Threshold"] < fn["Timeout"] * 1000
    _, dashboard = only(dev_template, "AWS::CloudWatch::Dashboard")
    body = json.dumps(dashboard["Properties"]["DashboardBody"])
    for needle in ("Notifications queue", "Notifications DLQ depth", "Notifier function"):
        assert needle in body, needle
