"""One dashboard and the alarms, all notifying one SNS topic (e-mail from the stage config)."""

from __future__ import annotations

import sys

import aws_cdk as cdk
from aws_cdk import aws_apigateway as apigateway
from aws_cdk import aws_cloudwatch as cloudwatch
from aws_cdk import aws_cloudwatch_actions as actions
from aws_cdk import aws_dynamodb as dynamodb
from aws_cdk import aws_elasticloadbalancingv2 as elbv2
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_sns as sns
from aws_cdk import aws_sns_subscriptions as subscriptions
from aws_cdk import aws_sqs as sqs
from constructs import Construct

from infra.config import StageConfig
from infra.database import Database
from infra.functions import ServiceFunction
from infra.notifications import NotificationQueue
from infra.realtime import Realtime
from infra.web import Web

FIVE_MINUTES = cdk.Duration.minutes(5)


class Monitoring(Construct):
    def __init__(self, scope: Construct, construct_id: str, *, config: StageConfig) -> None:
        super().__init__(scope, construct_id)
        self.config = config
        # CloudWatch can publish to an encrypted topic only with a customer managed key whose
        # policy lets it use the key (the AWS managed aws/sns key cannot be shared).
        key = kms.Key(
            self,
            "AlarmsKey",
            description="Tasklane alarms topic",
            enable_key_rotation=True,
            removal_policy=config.removal_policy,
        )
        key.add_to_resource_policy(
            iam.PolicyStatement(
                principals=[iam.ServicePrincipal("cloudwatch.amazonaws.com")],
                actions=["kms:Decrypt", "kms:GenerateDataKey*"],
                resources=["*"],  # "*" in a key policy means this key
            )
        )
        self.topic = sns.Topic(
            self, "Alarms", display_name="Tasklane alarms", master_key=key, enforce_ssl=True
        )
        if config.alarm_email:
            self.topic.add_subscription(subscriptions.EmailSubscription(config.alarm_email))
        else:
            # Production refuses this (StageConfig); a dev stage may, but not silently.
            message = (
                f"stage {config.stage!r} has no alarm_email: alarms go to an SNS topic with no "
                "subscriber (set alarm_email in cdk.json, or subscribe to AlarmTopicArn)"
            )
            cdk.Annotations.of(self).add_warning_v2("tasklane:no-alarm-email", message)
            print(f"warning: {message}", file=sys.stderr)
        self.dashboard = cloudwatch.Dashboard(
            self, "Dashboard", default_interval=cdk.Duration.hours(3)
        )
        self.alarms: list[cloudwatch.Alarm] = []

    def _alarm(
        self,
        construct_id: str,
        metric: cloudwatch.Metric | cloudwatch.MathExpression,
        *,
        threshold: float,
        description: str,
        periods: int = 1,
    ) -> cloudwatch.Alarm:
        alarm: cloudwatch.Alarm = metric.create_alarm(
            self,
            construct_id,
            threshold=threshold,
            evaluation_periods=periods,
            datapoints_to_alarm=periods,
            comparison_operator=cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
            treat_missing_data=cloudwatch.TreatMissingData.NOT_BREACHING,
            alarm_description=description,
        )
        alarm.add_alarm_action(actions.SnsAction(self.topic))
        alarm.add_ok_action(actions.SnsAction(self.topic))
        self.alarms.append(alarm)
        return alarm

    def watch_api(self, api: apigateway.RestApi) -> None:
        server_errors = api.metric_server_error(period=FIVE_MINUTES, statistic="Sum")
        latency = api.metric_latency(period=FIVE_MINUTES, statistic="p99")
        self._alarm("Api5xx", server_errors, threshold=5, description="API: 5xx responses")
        self._alarm(
            "ApiLatencyP99",
            latency,
            threshold=self.config.api_latency_p99_ms,
            periods=3,
            description="API: p99 latency (ms) over the limit for 15 minutes",
        )
        self.dashboard.add_widgets(
            cloudwatch.GraphWidget(
                title="API requests and errors",
                left=[
                    api.metric_count(period=FIVE_MINUTES, statistic="Sum"),
                    api.metric_client_error(period=FIVE_MINUTES, statistic="Sum"),
                    server_errors,
                ],
                width=12,
            ),
            cloudwatch.GraphWidget(
                title="API latency",
                left=[api.metric_latency(period=FIVE_MINUTES, statistic="p50"), latency],
                width=12,
            ),
        )

    def watch_function(
        self, name: str, fn: ServiceFunction, *, duration_alarm: bool = False
    ) -> None:
        """Errors and throttles alarmed; with ``duration_alarm``, a p99 duration above 80%
        of the timeout too (a function about to time out, before it does)."""
        function = fn.function
        errors = function.metric_errors(period=FIVE_MINUTES, statistic="Sum")
        throttles = function.metric_throttles(period=FIVE_MINUTES, statistic="Sum")
        duration = function.metric_duration(period=FIVE_MINUTES, statistic="p99")
        self._alarm(f"{name}Errors", errors, threshold=1, description=f"{name}: errors")
        self._alarm(f"{name}Throttles", throttles, threshold=1, description=f"{name}: throttles")
        if duration_alarm:
            assert function.timeout is not None
            limit = function.timeout.to_milliseconds() * 0.8
            self._alarm(
                f"{name}DurationP99",
                duration,
                threshold=limit,
                periods=3,
                description=f"{name}: p99 duration above {limit:.0f} ms (80% of the timeout) "
                "for 15 minutes",
            )
        self.dashboard.add_widgets(
            cloudwatch.GraphWidget(
                title=f"{name} function",
                left=[
                    function.metric_invocations(period=FIVE_MINUTES, statistic="Sum"),
                    errors,
                    throttles,
                ],
                right=[duration],
                width=12,
            )
        )

    def watch_queue(
        self, name: str, jobs: NotificationQueue, *, age_limit_seconds: int | None = None
    ) -> None:
        """A job in the DLQ (it failed every delivery), and jobs waiting too long (the
        consumer is failing or cannot keep up). ``age_limit_seconds``: for a queue whose
        consumer sets its own retry delays (webhook deliveries wait up to a day)."""
        dlq_depth = jobs.dlq.metric_approximate_number_of_messages_visible(
            period=FIVE_MINUTES, statistic="Maximum"
        )
        oldest = jobs.queue.metric_approximate_age_of_oldest_message(
            period=FIVE_MINUTES, statistic="Maximum"
        )
        depth = jobs.queue.metric_approximate_number_of_messages_visible(
            period=FIVE_MINUTES, statistic="Maximum"
        )
        # > 0: the alarm's comparison is >= threshold, and a depth is a whole number.
        self._alarm(
            f"{name}DlqNotEmpty", dlq_depth, threshold=1, description=f"{name}: DLQ not empty"
        )
        # A job is retried max_receive_count times a visibility timeout apart: older than
        # that (plus slack) means the consumer is behind, not just retrying.
        shape = jobs.shape
        age_limit = age_limit_seconds or (
            shape.visibility_timeout_seconds * (shape.max_receive_count + 1)
        )
        self._alarm(
            f"{name}OldestMessage",
            oldest,
            threshold=age_limit,
            periods=2,
            description=f"{name}: a job has waited over {age_limit} s for 10 minutes",
        )
        self.dashboard.add_widgets(
            cloudwatch.GraphWidget(title=f"{name} queue", left=[depth], right=[oldest], width=12),
            cloudwatch.GraphWidget(title=f"{name} DLQ depth", left=[dlq_depth], width=12),
        )

    def watch_web(self, web: Web) -> None:
        """The ALB's 5xx (its own and the servers'), unhealthy servers, and their CPU."""
        alb = web.load_balancer
        assert web.target_group is not None
        assert web.asg is not None
        elb_5xx = alb.metrics.http_code_elb(
            elbv2.HttpCodeElb.ELB_5XX_COUNT, period=FIVE_MINUTES, statistic="Sum"
        )
        target_5xx = alb.metrics.http_code_target(
            elbv2.HttpCodeTarget.TARGET_5XX_COUNT, period=FIVE_MINUTES, statistic="Sum"
        )
        server_errors = cloudwatch.MathExpression(
            expression="FILL(elb, 0) + FILL(target, 0)",
            using_metrics={"elb": elb_5xx, "target": target_5xx},
            label="5xx (ALB + servers)",
            period=FIVE_MINUTES,
        )
        unhealthy = web.target_group.metrics.unhealthy_host_count(
            period=FIVE_MINUTES, statistic="Maximum"
        )
        cpu = cloudwatch.Metric(
            namespace="AWS/EC2",
            metric_name="CPUUtilization",
            dimensions_map={"AutoScalingGroupName": web.asg.auto_scaling_group_name},
            period=FIVE_MINUTES,
            statistic="Average",
        )
        self._alarm("Web5xx", server_errors, threshold=5, description="Web ALB: 5xx responses")
        self._alarm(
            "WebUnhealthyHosts",
            unhealthy,
            threshold=1,
            periods=2,
            description="Web ALB: a web server failing its health check for 10 minutes",
        )
        self.dashboard.add_widgets(
            cloudwatch.GraphWidget(
                title="Web requests and 5xx",
                left=[alb.metrics.request_count(period=FIVE_MINUTES, statistic="Sum")],
                right=[server_errors],
                width=12,
            ),
            cloudwatch.GraphWidget(
                title="Web servers: CPU and unhealthy hosts",
                left=[cpu],
                right=[unhealthy],
                width=12,
            ),
        )

    def watch_stream_consumer(self, name: str, fn: ServiceFunction, dlq: sqs.IQueue) -> None:
        iterator_age = cloudwatch.Metric(
            namespace="AWS/Lambda",
            metric_name="IteratorAge",
            dimensions_map={"FunctionName": fn.function.function_name},
            period=FIVE_MINUTES,
            statistic="Maximum",
        )
        depth = dlq.metric_approximate_number_of_messages_visible(
            period=FIVE_MINUTES, statistic="Maximum"
        )
        self._alarm(
            f"{name}IteratorAge",
            iterator_age,
            threshold=60_000,
            periods=3,
            description=f"{name}: the stream is more than a minute behind for 15 minutes",
        )
        self._alarm(f"{name}DlqNotEmpty", depth, threshold=1, description=f"{name}: DLQ not empty")
        self.dashboard.add_widgets(
            cloudwatch.GraphWidget(
                title=f"{name} iterator age (ms)", left=[iterator_age], width=12
            ),
            cloudwatch.GraphWidget(title=f"{name} DLQ depth", left=[depth], width=12),
        )

    def watch_realtime(self, realtime: Realtime) -> None:
        """The WebSocket API (connects refused by an authorizer that failed, integration
        errors, latency) and its three functions; the live function as a stream consumer."""
        for name, fn in (
            ("RealtimeAuthorizer", realtime.authorizer_function),
            ("RealtimeRoutes", realtime.routes),
            ("Live", realtime.live),
        ):
            self.watch_function(name, fn)
        self.watch_stream_consumer("Live", realtime.live, realtime.dlq)
        # ExecutionError: API Gateway could not run an authorizer or integration (a connect
        # answered 500); IntegrationError: a route function failed. ClientError is not
        # alarmed: expired tokens (401) are routine.
        execution = realtime.metric("ExecutionError")
        integration = realtime.metric("IntegrationError")
        latency = realtime.metric("IntegrationLatency", statistic="p99")
        self._alarm(
            "RealtimeExecutionErrors", execution, threshold=5, description="WebSocket: errors"
        )
        self._alarm(
            "RealtimeIntegrationErrors",
            integration,
            threshold=5,
            description="WebSocket: route function errors",
        )
        self._alarm(
            "RealtimeLatencyP99",
            latency,
            threshold=1000,
            periods=3,
            description="WebSocket: p99 integration latency over 1 s for 15 minutes",
        )
        self.dashboard.add_widgets(
            cloudwatch.GraphWidget(
                title="WebSocket connects, messages and errors",
                left=[
                    realtime.metric("ConnectCount"),
                    realtime.metric("MessageCount"),
                    realtime.metric("ClientError"),
                    execution,
                    integration,
                ],
                width=12,
            ),
            cloudwatch.GraphWidget(title="WebSocket p99 latency (ms)", left=[latency], width=12),
        )

    def watch_table(self, table: dynamodb.ITable) -> None:
        throttles = cloudwatch.MathExpression(
            expression="reads + writes",
            using_metrics={
                "reads": table.metric("ReadThrottleEvents", period=FIVE_MINUTES, statistic="Sum"),
                "writes": table.metric("WriteThrottleEvents", period=FIVE_MINUTES, statistic="Sum"),
            },
            label="throttle events",
            period=FIVE_MINUTES,
        )
        self._alarm("TableThrottles", throttles, threshold=1, description="DynamoDB: throttles")
        self.dashboard.add_widgets(
            cloudwatch.GraphWidget(
                title="DynamoDB capacity",
                left=[
                    table.metric_consumed_read_capacity_units(period=FIVE_MINUTES),
                    table.metric_consumed_write_capacity_units(period=FIVE_MINUTES),
                ],
                width=12,
            ),
            cloudwatch.GraphWidget(title="DynamoDB throttles", left=[throttles], width=12),
        )

    def watch_database(self, database: Database) -> None:
        """RDS: CPU, free storage, connections; the proxy: client connections and errors."""
        instance = database.instance
        cpu = instance.metric_cpu_utilization(period=FIVE_MINUTES, statistic="Average")
        free_storage = instance.metric_free_storage_space(period=FIVE_MINUTES, statistic="Minimum")
        connections = instance.metric_database_connections(period=FIVE_MINUTES, statistic="Maximum")
        self._alarm(
            "DatabaseCpu",
            cpu,
            threshold=80,
            periods=3,
            description="RDS: CPU above 80% for 15 minutes",
        )
        # LESS than: a low-storage alarm, so the comparison is reversed.
        storage_alarm = free_storage.create_alarm(
            self,
            "DatabaseFreeStorage",
            threshold=2 * 1024**3,
            evaluation_periods=1,
            comparison_operator=cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
            treat_missing_data=cloudwatch.TreatMissingData.BREACHING,
            alarm_description="RDS: less than 2 GiB of free storage",
        )
        storage_alarm.add_alarm_action(actions.SnsAction(self.topic))
        storage_alarm.add_ok_action(actions.SnsAction(self.topic))
        self.alarms.append(storage_alarm)
        # With the proxy in front, the database sees few connections: many means the
        # proxy's pool is exhausted or something bypasses it.
        self._alarm(
            "DatabaseConnections",
            connections,
            threshold=self.config.db_connections_alarm,
            periods=2,
            description="RDS: more database connections than the proxy should need",
        )
        proxy_name = database.proxy.db_proxy_name

        def proxy_metric(name: str, statistic: str) -> cloudwatch.Metric:
            # DatabaseProxy has no metric_* helpers; its metrics are AWS/RDS by ProxyName.
            return cloudwatch.Metric(
                namespace="AWS/RDS",
                metric_name=name,
                dimensions_map={"ProxyName": proxy_name},
                period=FIVE_MINUTES,
                statistic=statistic,
            )

        proxy_clients = proxy_metric("ClientConnections", "Maximum")
        proxy_setup_failures = proxy_metric("ClientConnectionsSetupFailedAuth", "Sum")
        proxy_borrow_latency = proxy_metric("DatabaseConnectionsBorrowLatency", "p99")
        self._alarm(
            "ProxyAuthFailures",
            proxy_setup_failures,
            threshold=5,
            description="RDS Proxy: client connections failing IAM authentication",
        )
        self._alarm(
            "ProxyBorrowLatency",
            proxy_borrow_latency,
            threshold=100_000,
            periods=3,
            description="RDS Proxy: p99 wait for a database connection above 100 ms (15 min)",
        )
        self.dashboard.add_widgets(
            cloudwatch.GraphWidget(
                title="PostgreSQL CPU and connections",
                left=[cpu],
                right=[connections, proxy_clients],
                width=12,
            ),
            cloudwatch.GraphWidget(
                title="PostgreSQL free storage (bytes)", left=[free_storage], width=12
            ),
        )
