"""The VPC: two AZs, public and private isolated subnets, no NAT gateway.

Functions that need PostgreSQL (RDS Proxy) sit in the isolated subnets; they reach DynamoDB
and S3 through gateway endpoints (free). Another AWS API (Secrets Manager, SQS, X-Ray, ...)
needs an interface endpoint: :meth:`Network.open_paths` adds the ones a function declares
(``infra/services.py``) and opens them to its security group.
"""

from __future__ import annotations

from collections.abc import Iterable

from aws_cdk import aws_ec2 as ec2
from constructs import Construct

from infra.config import StageConfig
from infra.log_groups import stage_log_group
from infra.services import AwsService


class Network(Construct):
    def __init__(self, scope: Construct, construct_id: str, *, config: StageConfig) -> None:
        super().__init__(scope, construct_id)
        self.vpc = ec2.Vpc(
            self,
            "Vpc",
            max_azs=2,
            nat_gateways=0,
            subnet_configuration=[
                ec2.SubnetConfiguration(
                    name="public", subnet_type=ec2.SubnetType.PUBLIC, cidr_mask=24
                ),
                ec2.SubnetConfiguration(
                    name="isolated", subnet_type=ec2.SubnetType.PRIVATE_ISOLATED, cidr_mask=22
                ),
            ],
            gateway_endpoints={
                "DynamoDb": ec2.GatewayVpcEndpointOptions(
                    service=ec2.GatewayVpcEndpointAwsService.DYNAMODB,
                    subnets=[ec2.SubnetSelection(subnet_type=ec2.SubnetType.PRIVATE_ISOLATED)],
                ),
                "S3": ec2.GatewayVpcEndpointOptions(
                    service=ec2.GatewayVpcEndpointAwsService.S3,
                    subnets=[ec2.SubnetSelection(subnet_type=ec2.SubnetType.PRIVATE_ISOLATED)],
                ),
            },
        )
        flow_logs = stage_log_group(self, "FlowLogs", config)
        self.vpc.add_flow_log(
            "FlowLog",
            destination=ec2.FlowLogDestination.to_cloud_watch_logs(flow_logs),
            traffic_type=ec2.FlowLogTrafficType.REJECT
            if not config.production
            else ec2.FlowLogTrafficType.ALL,
        )
        self._interface_endpoints: dict[str, ec2.InterfaceVpcEndpoint] = {}

    @property
    def isolated_subnets(self) -> ec2.SubnetSelection:
        return ec2.SubnetSelection(subnet_type=ec2.SubnetType.PRIVATE_ISOLATED)

    def add_interface_endpoint(
        self, name: str, service: ec2.InterfaceVpcEndpointAwsService
    ) -> ec2.InterfaceVpcEndpoint:
        """One endpoint per service, in the isolated subnets, private DNS on (idempotent).

        Closed: its security group admits no one until :meth:`allow_endpoint` names a peer.
        """
        if name not in self._interface_endpoints:
            self._interface_endpoints[name] = self.vpc.add_interface_endpoint(
                name,
                service=service,
                subnets=self.isolated_subnets,
                private_dns_enabled=True,
                open=False,
            )
        return self._interface_endpoints[name]

    def allow_endpoint(self, name: str, peer: ec2.ISecurityGroup) -> None:
        """``peer`` may call the interface endpoint ``name`` (HTTPS)."""
        self._interface_endpoints[name].connections.allow_from(
            peer, ec2.Port.tcp(443), f"HTTPS from {peer.node.id}"
        )

    def open_paths(self, peer: ec2.ISecurityGroup, services: Iterable[AwsService]) -> None:
        """``peer``, in the isolated subnets, may call each of ``services``: their interface
        endpoints are added and admit it (gateway endpoints need no rule: the security
        groups of functions allow all outbound traffic). A service without a way in from the
        isolated subnets (SES's API) is refused: such a function runs outside the VPC."""
        for service in sorted(services, key=lambda s: s.name):
            if service.path == "interface":
                assert service.interface is not None
                self.add_interface_endpoint(service.name, service.interface)
                self.allow_endpoint(service.name, peer)
            elif service.path is None:
                raise ValueError(
                    f"{service.name} cannot be reached from the isolated subnets: "
                    f"run {peer.node.path} outside the VPC"
                )
