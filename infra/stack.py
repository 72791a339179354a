"""The Tasklane stack: one construct per concern, composed here."""

from __future__ import annotations

import aws_cdk as cdk
from constructs import Construct

from infra.api import Api
from infra.auth import Auth
from infra.config import StageConfig
from infra.data import Data
from infra.database import Database, acknowledge_findings
from infra.functions import Functions
from infra.monitoring import Monitoring
from infra.network import Network


class TasklaneStack(cdk.Stack):
    def __init__(
        self, scope: Construct, construct_id: str, *, config: StageConfig, **kwargs: object
    ) -> None:
        super().__init__(scope, construct_id, **kwargs)  # type: ignore[arg-type]
        self.config = config
        # The functions that use PostgreSQL (api, events, migrations) sit in its isolated
        # subnets, with the database and its proxy.
        self.network = Network(self, "Network", config=config)
        self.auth = Auth(self, "Auth", config=config)
        self.data = Data(self, "Data", config=config)
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

        self.monitoring = Monitoring(self, "Monitoring", config=config)
        self.monitoring.watch_api(self.api.rest_api)
        self.monitoring.watch_function("Api", self.functions.api)
        self.monitoring.watch_function("Events", self.functions.events)
        self.monitoring.watch_stream_consumer(
            "Events", self.functions.events, self.functions.events_dlq
        )
        self.monitoring.watch_function("Sweeper", self.functions.sweeper)
        self.monitoring.watch_table(self.data.table)
        self.monitoring.watch_database(self.database)

        outputs = {
            "ApiUrl": self.api.url,
            "UserPoolId": self.auth.user_pool.user_pool_id,
            "UserPoolClientId": self.auth.client.user_pool_client_id,
            "TableName": self.data.table.table_name,
            "AttachmentsBucket": self.data.attachments.bucket_name,
            "AlarmTopicArn": self.monitoring.topic.topic_arn,
            "DatabaseProxyEndpoint": self.database.proxy.endpoint,
            "DatabaseSecretArn": self.database.secret.secret_arn,
        }
        for name, value in outputs.items():
            cdk.CfnOutput(self, name, value=value)
