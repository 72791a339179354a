"""Every function can reach every AWS service its code uses: by IAM (its role grants it) and
by network (a VPC endpoint, or a security group, from where it runs) — checked against the
declaration in infra/services.py, in both directions, on the synthesized dev template.

The first deploy's rotation function had neither the endpoint's security group nor any test
saying it needed it; it would have timed out at deploy and every 30 days, silently.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from infra.services import FUNCTION_SERVICES, AwsService, services_of

from tests.infra.conftest import as_list, group_id, resources, role_statements

#: Action prefixes every role holds for what Lambda itself does with it: its own log group
#: (Lambda writes the logs), and, in the VPC, the network interfaces Lambda attaches.
LAMBDA_OWN = {"logs"}
VPC_ATTACHMENT = {"ec2"}
HTTPS = 443
POSTGRES = 5432


def _functions(template: Any) -> dict[str, dict[str, Any]]:
    """Our functions (handler ``tasklane.handlers.*``) by handler."""
    return {
        f["Properties"]["Handler"]: f["Properties"]
        for f in resources(template, "AWS::Lambda::Function").values()
        if str(f["Properties"].get("Handler", "")).startswith("tasklane.handlers.")
    }


def _prefixes(statements: list[dict[str, Any]]) -> set[str]:
    return {a.split(":", 1)[0] for s in statements for a in as_list(s["Action"])}


def _endpoint(template: Any, suffix: str) -> dict[str, Any]:
    """The VPC endpoint whose service name ends in ``.<suffix>``."""
    found = [
        e["Properties"]
        for e in resources(template, "AWS::EC2::VPCEndpoint").values()
        if json.dumps(e["Properties"]["ServiceName"]).rstrip('"]}').endswith(f".{suffix}")
    ]
    assert len(found) == 1, f"{suffix}: {len(found)} endpoints"
    return found[0]


def _route_tables(template: Any, subnets: set[str]) -> set[str]:
    return {
        a["Properties"]["RouteTableId"]["Ref"]
        for a in resources(template, "AWS::EC2::SubnetRouteTableAssociation").values()
        if a["Properties"]["SubnetId"]["Ref"] in subnets
    }


def _admits(template: Any, group: str, source: str, port: int) -> bool:
    """Does security group ``group`` admit ``source`` (a group) on TCP ``port``?"""
    for rule in resources(template, "AWS::EC2::SecurityGroupIngress").values():
        props = rule["Properties"]
        if (
            group_id(props["GroupId"]) == group
            and "SourceSecurityGroupId" in props
            and group_id(props["SourceSecurityGroupId"]) == source
            and props["IpProtocol"] == "tcp"
            and props["FromPort"] <= port <= props["ToPort"]
        ):
            return True
    return False


def _sends_https(template: Any, group: str) -> bool:
    """May ``group`` open HTTPS connections (all outbound, or a rule for 443)?"""
    props = resources(template, "AWS::EC2::SecurityGroup")[group]["Properties"]
    for rule in props.get("SecurityGroupEgress", []):
        if rule.get("IpProtocol") == "-1" and rule.get("CidrIp") == "0.0.0.0/0":
            return True
        if rule.get("IpProtocol") == "tcp" and rule["FromPort"] <= HTTPS <= rule["ToPort"]:
            return True
    return False


def _assert_reachable(
    template: Any, who: str, service: AwsService, group: str, subnets: set[str]
) -> None:
    suffix = service.iam_prefix
    if service.path == "gateway":
        endpoint = _endpoint(template, suffix)
        assert endpoint["VpcEndpointType"] == "Gateway"
        tables = {t["Ref"] for t in endpoint["RouteTableIds"]}
        assert _route_tables(template, subnets) <= tables, f"{who}: no route to {suffix}"
        assert _sends_https(template, group), who
    elif service.path == "interface":
        assert service.interface is not None
        endpoint = _endpoint(template, service.interface.short_name)
        assert endpoint["VpcEndpointType"] == "Interface"
        assert endpoint["PrivateDnsEnabled"] is True  # the SDK's default host name resolves
        assert {s["Ref"] for s in endpoint["SubnetIds"]} >= subnets, who
        (endpoint_group,) = [group_id(g) for g in endpoint["SecurityGroupIds"]]
        assert _admits(template, endpoint_group, group, HTTPS), f"{who} -/-> {service.name}"
        assert _sends_https(template, group), who
    elif service.path == "security-group":
        (proxy,) = resources(template, "AWS::RDS::DBProxy").values()
        (proxy_group,) = [group_id(g) for g in proxy["Properties"]["VpcSecurityGroupIds"]]
        assert _admits(template, proxy_group, group, POSTGRES), f"{who} -/-> the proxy"
    else:
        raise AssertionError(f"{who} runs in the VPC but calls {service.name}: no way there")


@pytest.mark.parametrize("name", sorted(set(FUNCTION_SERVICES) - {"rotation"}))
def test_role_grants_exactly_the_declared_services(dev_template: Any, name: str) -> None:
    handler = f"tasklane.handlers.{name}.lambda_handler"
    fn = _functions(dev_template)[handler]
    declared = {s.iam_prefix for s in services_of(handler)}
    granted = _prefixes(role_statements(dev_template, fn["Role"]["Fn::GetAtt"][0]))
    own = LAMBDA_OWN | (VPC_ATTACHMENT if "VpcConfig" in fn else set())
    assert granted - own == declared, f"granted {sorted(granted)}, declared {sorted(declared)}"


@pytest.mark.parametrize("name", sorted(set(FUNCTION_SERVICES) - {"rotation"}))
def test_functions_in_the_vpc_reach_every_declared_service(dev_template: Any, name: str) -> None:
    handler = f"tasklane.handlers.{name}.lambda_handler"
    fn = _functions(dev_template)[handler]
    if "VpcConfig" not in fn:
        # Outside the VPC: AWS's public endpoints. Nothing in the VPC may then be needed.
        assert all(s.path != "security-group" for s in services_of(handler)), name
        return
    (group,) = [group_id(g) for g in fn["VpcConfig"]["SecurityGroupIds"]]
    subnets = {s["Ref"] for s in fn["VpcConfig"]["SubnetIds"]}
    for service in services_of(handler):
        _assert_reachable(dev_template, name, service, group, subnets)


def test_every_function_is_declared(dev_template: Any) -> None:
    names = {h.split(".")[2] for h in _functions(dev_template)}
    assert names == set(FUNCTION_SERVICES) - {"rotation"}


def test_the_rotation_function_reaches_secrets_manager(dev_template: Any) -> None:
    (application,) = resources(dev_template, "AWS::Serverless::Application").values()
    params = application["Properties"]["Parameters"]
    group = group_id(params["vpcSecurityGroupIds"])
    subnets = {
        part["Ref"] for part in params["vpcSubnetIds"]["Fn::Join"][1] if isinstance(part, dict)
    }
    for service in FUNCTION_SERVICES["rotation"]:
        _assert_reachable(dev_template, "rotation", service, group, subnets)
    # It calls the endpoint it was given, and that is the one it may reach.
    endpoints = resources(dev_template, "AWS::EC2::VPCEndpoint")
    (secrets_id,) = [
        k for k, e in endpoints.items() if "secretsmanager" in json.dumps(e["Properties"])
    ]
    assert secrets_id in json.dumps(params["endpoint"])


def test_rotation_does_not_race_the_migrations(dev_template: Any) -> None:
    """A rotation on creation changes the master password while the migrations runner logs
    in with it: the first rotation is started by hand (docs/deploy.md)."""
    (schedule,) = resources(dev_template, "AWS::SecretsManager::RotationSchedule").values()
    assert schedule["Properties"]["RotateImmediatelyOnUpdate"] is False


def test_a_vpc_function_cannot_declare_a_service_without_a_way_in() -> None:
    from aws_cdk import App, Stack
    from aws_cdk import aws_ec2 as ec2
    from infra.config import StageConfig
    from infra.network import Network
    from infra.services import SES

    stack = Stack(App(), "Probe")
    network = Network(stack, "Network", config=StageConfig())
    group = ec2.SecurityGroup(stack, "Sg", vpc=network.vpc)
    with pytest.raises(ValueError, match="outside the VPC"):
        network.open_paths(group, [SES])
