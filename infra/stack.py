"""The Tasklane stack: one construct per concern, composed here."""

from __future__ import annotations

import dataclasses

import aws_cdk as cdk
from constructs import Construct

from infra.api import Api
from infra.auth import Auth
from infra.config import StageConfig
from infra.data import Data
from infra.database import Database, acknowledge_findings
from infra.exchange import Exchange
from infra.functions import Functions
from infra.monitoring import Monitoring
from infra.network import Network
from infra.notifications import Notifications
from infra.realtime import Realtime
from infra.waf import WebAcl
from infra.web import Web
from infra.webhooks import OLDEST_MESSAGE_SECONDS, Webhooks
from tasklane.settings import Env


def with_web_origin(config: StageConfig, web_url: str) -> StageConfig:
    """``config`` whose first (primary) web origin is the deployed web app's URL, so the
    API's and the bucket's CORS admit it whether it is a domain or the ALB's DNS name."""
    origins = tuple(dict.fromkeys((web_url, *config.web_origins)))
    return dataclasses.replace(config, web_origins=origins)


class TasklaneStack(cdk.Stack):
    def __init__(
        self, scope: Construct, construct_id: str, *, config: StageConfig, **kwargs: object
    ) -> None:
        super().__init__(scope, construct_id, **kwargs)  # type: ignore[arg-type]
        # The functions that use PostgreSQL (api, events, migrations, reminders) sit in its
        # isolated subnets, with the database and its proxy.
        self.network = Network(self, "Network", config=config)
        # The load balancer first: its URL is an origin the API and the bucket must admit.
        self.web = Web(self, "Web", config=config, network=self.network)
        config = with_web_origin(config, self.web.url)
        self.config = config
        self.auth = Auth(self, "Auth", config=config)
        self.data = Data(self, "Data", config=config)
        self.web.log_access(self.data.access_logs)
        self.database = Database(self, "Database", config=config, network=self.network)
        acknowledge_findings(self.database, config)
        self.api = Api(self, "Api", config=config, user_pool=self.auth.user_pool)
        self.functions = Functions(
            self,
            "Functions",
            config=config,
            data=self.data,
            user_pool_id=self.auth.user_pool.user_pool_id,
            user_pool_client_id=self.auth.client.user_pool_client_id,
            api_url=self.api.url,
            network=self.network,
            database=self.database,
        )
        self.api.route(self.functions.api_alias)
        self.notifications = Notifications(
            self,
            "Notifications",
            config=config,
            bundles=self.functions.bundles,
            data=self.data,
            network=self.network,
            database=self.database,
            database_env=self.functions.database_env,
            events_function=self.functions.events,
            migrations=self.functions.migrate_trigger,
            web_url=self.web.url,
        )
        self.exchange = Exchange(
            self,
            "Exchange",
            config=config,
            bundles=self.functions.bundles,
            data=self.data,
            api_function=self.functions.api,
            events_function=self.functions.events,
        )
        self.webhooks = Webhooks(
            self,
            "Webhooks",
            config=config,
            bundles=self.functions.bundles,
            data=self.data,
            events_function=self.functions.events,
            api_function=self.functions.api,
        )
        self.realtime = Realtime(
            self,
            "Realtime",
            config=config,
            bundles=self.functions.bundles,
            data=self.data,
            user_pool_id=self.auth.user_pool.user_pool_id,
            user_pool_client_id=self.auth.client.user_pool_client_id,
        )
        # GET /config tells the web app where live updates come from.
        self.functions.api.function.add_environment(Env.REALTIME_URL, self.realtime.url)
        self.web.add_servers(api_url=self.api.url)

        self.waf = WebAcl(self, "Waf", config=config)
        api_association = self.waf.protect("ApiStage", self.api.rest_api.deployment_stage.stage_arn)
        # The stage's ARN is built from its name: the association must wait for the stage.
        api_association.node.add_dependency(self.api.rest_api.deployment_stage)
        self.waf.protect("WebAlb", self.web.load_balancer.load_balancer_arn)

        self.monitoring = Monitoring(self, "Monitoring", config=config)
        self.monitoring.watch_api(self.api.rest_api)
        self.monitoring.watch_function("Api", self.functions.api)
        self.monitoring.watch_function("Events", self.functions.events)
        self.monitoring.watch_stream_consumer(
            "Events", self.functions.events, self.functions.events_dlq
        )
        self.monitoring.watch_function("Sweeper", self.functions.sweeper)
        self.monitoring.watch_realtime(self.realtime)
        for name, fn in (
            ("Notifier", self.notifications.notifier),
            ("Reminders", self.notifications.reminders),
            ("Exporter", self.exchange.exporter),
            ("Importer", self.exchange.importer),
            ("Webhooks", self.webhooks.worker),
        ):
            self.monitoring.watch_function(name, fn, duration_alarm=True)
        self.monitoring.watch_queue("Notifications", self.notifications.jobs)
        self.monitoring.watch_queue("Exports", self.exchange.exports)
        self.monitoring.watch_queue("Imports", self.exchange.imports)
        self.monitoring.watch_queue(
            "Webhooks", self.webhooks.deliveries, age_limit_seconds=OLDEST_MESSAGE_SECONDS
        )
        self.monitoring.watch_table(self.data.table)
        self.monitoring.watch_database(self.database)
        self.monitoring.watch_web(self.web)

        outputs = {
            "ApiUrl": self.api.url,
            "WebUrl": self.web.url,
            "UserPoolId": self.auth.user_pool.user_pool_id,
            "UserPoolClientId": self.auth.client.user_pool_client_id,
            "TableName": self.data.table.table_name,
            "AttachmentsBucket": self.data.attachments.bucket_name,
            "ExchangeBucket": self.exchange.bucket.bucket_name,
            "NotificationsQueueUrl": self.notifications.jobs.queue.queue_url,
            "NotificationsDlqUrl": self.notifications.jobs.dlq.queue_url,
            "MailSender": config.sender_email,
            "AlarmTopicArn": self.monitoring.topic.topic_arn,
            "RealtimeUrl": self.realtime.url,
            "DatabaseProxyEndpoint": self.database.proxy.endpoint,
            "DatabaseSecretArn": self.database.secret.secret_arn,
        }
        for name, value in outputs.items():
            cdk.CfnOutput(self, name, value=value)
