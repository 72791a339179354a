"""The web tier and WAF in the dev stack: ALB, Auto Scaling group, launch template, the
web build asset (or its placeholder), the web ACL and the web alarms."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from infra.waf import COMMON_RULE_SET, KNOWN_BAD_INPUTS
from infra.web import (
    HEALTH_ATTEMPTS,
    HEALTH_CHECK_PATH,
    IMAGE_LOOKUP_MARK,
    NODE_MAJOR,
    PLACEHOLDER,
    WEB_PORT,
    forget_pinned_images,
    local_health_check,
    web_build_dir,
)

from tests.infra.conftest import (
    group_id,
    ingress_rules,
    only,
    resources,
    role_statements,
    stage_config,
    subnets_of_type,
)


def _launch_data(template: Any) -> dict[str, Any]:
    _, launch_template = only(template, "AWS::EC2::LaunchTemplate")
    data: dict[str, Any] = launch_template["Properties"]["LaunchTemplateData"]
    return data


def _instance_group(template: Any) -> str:
    (interface,) = _launch_data(template)["NetworkInterfaces"]
    (group,) = interface["Groups"]
    return group_id(group)


def _alb(template: Any) -> tuple[str, dict[str, Any]]:
    logical_id, alb = only(template, "AWS::ElasticLoadBalancingV2::LoadBalancer")
    return logical_id, alb["Properties"]


# --- instances ------------------------------------------------------------------------------


def test_instances_require_imdsv2_have_no_key_and_encrypted_disks(dev_template: Any) -> None:
    data = _launch_data(dev_template)
    assert data["MetadataOptions"]["HttpTokens"] == "required"
    assert data["MetadataOptions"]["HttpPutResponseHopLimit"] == 1
    assert "KeyName" not in data
    for mapping in data["BlockDeviceMappings"]:
        assert mapping["Ebs"]["Encrypted"] is True
    # Amazon Linux 2023. Offline (no account: this template) from AWS's public parameter;
    # a deploy pins it (test_the_image_is_pinned_per_deploy).
    parameters = dev_template.to_json()["Parameters"]
    image = parameters[data["ImageId"]["Ref"]]
    assert image["Default"].startswith(IMAGE_LOOKUP_MARK)
    assert image["Default"].endswith("x86_64")  # t3: the image follows the instance type
    assert data["InstanceType"] == stage_config("dev").web_instance_type


def test_instances_accept_the_web_port_from_the_alb_only(dev_template: Any) -> None:
    instance_group = _instance_group(dev_template)
    (alb_group,) = [group_id(g) for g in _alb(dev_template)[1]["SecurityGroups"]]
    rules = ingress_rules(dev_template, instance_group)
    assert len(rules) == 1
    (rule,) = rules
    assert group_id(rule["SourceSecurityGroupId"]) == alb_group
    assert rule["FromPort"] == rule["ToPort"] == WEB_PORT
    group = resources(dev_template, "AWS::EC2::SecurityGroup")[instance_group]["Properties"]
    assert "SecurityGroupIngress" not in group  # no inline CIDR rule (no SSH)
    assert [(e["CidrIp"], e["FromPort"], e["ToPort"]) for e in group["SecurityGroupEgress"]] == [
        ("0.0.0.0/0", 443, 443)
    ]


def test_instance_role_is_ssm_core_and_the_build_object(dev_template: Any) -> None:
    profile_arn = _launch_data(dev_template)["IamInstanceProfile"]["Arn"]["Fn::GetAtt"][0]
    profile = resources(dev_template, "AWS::IAM::InstanceProfile")[profile_arn]
    (role_ref,) = profile["Properties"]["Roles"]
    role = resources(dev_template, "AWS::IAM::Role")[role_ref["Ref"]]["Properties"]
    (managed,) = role["ManagedPolicyArns"]
    assert json.dumps(managed).endswith(':iam::aws:policy/AmazonSSMManagedInstanceCore"]]}')
    statement, signal = role_statements(dev_template, role_ref["Ref"])
    # cfn-signal at boot (the rolling update waits for it), on this stack only.
    assert signal["Action"] == "cloudformation:SignalResource"
    assert signal["Resource"] == {"Ref": "AWS::StackId"}
    assert statement["Action"] == "s3:GetObject"
    text = json.dumps(statement["Resource"])
    assert text.endswith('.zip"]]}')  # the one asset object, no wildcard
    assert "*" not in text


def _user_data(template: Any) -> str:
    """The user data script, tokens rendered as JSON."""
    user_data = _launch_data(template)["UserData"]["Fn::Base64"]
    parts = user_data["Fn::Join"][1] if isinstance(user_data, dict) else [user_data]
    return "".join(p if isinstance(p, str) else json.dumps(p) for p in parts)


def test_user_data_installs_node_and_runs_the_server_on_the_web_port(dev_template: Any) -> None:
    user_data = _user_data(dev_template)
    for needle in (
        f"dnf install -y nodejs{NODE_MAJOR} ",
        # The same major runs the server: AL2023's namespaced executable, not "node".
        f"ExecStart=/usr/bin/node-{NODE_MAJOR} server.js",
        "aws s3 cp",
        f"Environment=PORT={WEB_PORT}",
        "Environment=HOSTNAME=0.0.0.0",
        "Environment=TASKLANE_API_URL=https://",
        "Environment=TASKLANE_WEB_AWS_ORIGINS=https://cognito-idp.",  # the page's CSP
        "systemctl enable --now tasklane-web",
    ):
        assert needle in user_data, needle
    assert NODE_MAJOR in (22, 24)  # Node 20 is end-of-life; AL2023 packages 22 and 24


def test_a_new_server_counts_only_once_its_local_health_check_passes(dev_template: Any) -> None:
    """Deploys replace one server at a time and wait for each new one to signal; a failed
    or missing signal rolls the update back while the old servers keep serving."""
    asg_id, group = only(dev_template, "AWS::AutoScaling::AutoScalingGroup")
    rolling = group["UpdatePolicy"]["AutoScalingRollingUpdate"]
    assert rolling["WaitOnResourceSignals"] is True
    assert rolling["PauseTime"] == "PT15M"
    assert rolling["MaxBatchSize"] == 1
    assert int(rolling["MinInstancesInService"]) >= 1  # dev: one new beside the one old
    creation = group["CreationPolicy"]["ResourceSignal"]
    assert creation["Count"] == stage_config("dev").web_min_capacity
    user_data = _user_data(dev_template)
    # The signal, with the script's exit code, whatever the script did before.
    trap = user_data.index("trap exitTrap EXIT")
    assert f"--resource {asg_id} " in user_data
    assert "-e $exitCode" in user_data
    assert "aws-cfn-bootstrap" in user_data  # cfn-signal
    # The health check runs after the service starts, before the script ends (and signals).
    started = user_data.index("systemctl enable --now tasklane-web")
    checked = user_data.index(f"curl -fsS -o /dev/null --max-time 5 http://127.0.0.1:{WEB_PORT}/")
    assert trap < started < checked
    assert "exit 1" in user_data[checked:]


def test_the_local_health_check_fails_the_script_when_the_server_never_answers(
    tmp_path: Path,
) -> None:
    """The check's own lines, run by bash against a port nothing listens on."""
    import subprocess

    lines = [
        line.replace(f"seq 1 {HEALTH_ATTEMPTS}", "seq 1 2").replace(
            f"-eq {HEALTH_ATTEMPTS}", "-eq 2"
        )
        for line in local_health_check()
    ]
    script = tmp_path / "check.sh"
    script.write_text("set -euo pipefail\n" + "\n".join(lines).replace("sleep 2", "sleep 0") + "\n")
    shims = tmp_path / "bin"
    shims.mkdir()
    for name, code in (("curl", 7), ("systemctl", 3)):
        (shims / name).write_text(f"#!/bin/sh\nexit {code}\n")
        (shims / name).chmod(0o755)
    failed = subprocess.run(
        ["bash", str(script)], env={"PATH": f"{shims}:/usr/bin:/bin"}, capture_output=True
    )
    assert failed.returncode == 1
    assert b"did not answer" in failed.stderr
    (shims / "curl").write_text("#!/bin/sh\nexit 0\n")
    passed = subprocess.run(["bash", str(script)], env={"PATH": f"{shims}:/usr/bin:/bin"})
    assert passed.returncode == 0


def _web_only_template(context: dict[str, Any], **settings: Any) -> Any:
    """A stack with the network and the web tier alone, for an account (a deploy's view)."""
    import aws_cdk as cdk
    from aws_cdk.assertions import Template
    from infra.config import StageConfig
    from infra.network import Network
    from infra.web import Web

    app = cdk.App(context=context)
    stack = cdk.Stack(
        app, "WebProbe", env=cdk.Environment(account="111111111111", region="eu-west-1")
    )
    config = StageConfig.from_dict("dev", settings)
    network = Network(stack, "Network", config=config)
    web = Web(stack, "Web", config=config, network=network)
    web.add_servers(api_url="https://api.example.com/v1")
    return app, Template.from_stack(stack)


def test_the_image_is_pinned_per_deploy() -> None:
    """With an account (every CDK CLI run), the AL2023 image is a context lookup: looked up
    once, kept in cdk.context.json, the same on every later deploy. A new AL2023 release
    no longer replaces the servers; make web-image-refresh or web_image_id moves it."""
    app, _ = _web_only_template({})
    missing = json.loads((Path(app.synth().directory) / "manifest.json").read_text())["missing"]
    (lookup,) = [m for m in missing if m["provider"] == "ssm"]
    assert IMAGE_LOOKUP_MARK in lookup["key"]
    _, template = _web_only_template({lookup["key"]: "ami-0123456789abcdef0"})
    assert _launch_data(template)["ImageId"] == "ami-0123456789abcdef0"
    assert "Parameters" not in template.to_json() or not any(
        IMAGE_LOOKUP_MARK in json.dumps(p) for p in template.to_json()["Parameters"].values()
    )
    _, chosen = _web_only_template({}, web_image_id="ami-0fedcba9876543210")
    assert _launch_data(chosen)["ImageId"] == "ami-0fedcba9876543210"


def test_web_image_refresh_forgets_only_the_pinned_images(tmp_path: Path) -> None:
    context_file = tmp_path / "cdk.context.json"
    image = f"ssm:account=1:parameterName={IMAGE_LOOKUP_MARK}kernel-6.1-x86_64:region=eu-west-1"
    zones = "availability-zones:account=1:region=eu-west-1"
    context_file.write_text(json.dumps({image: "ami-1", zones: ["eu-west-1a"]}))
    assert forget_pinned_images(context_file) == [image]
    assert json.loads(context_file.read_text()) == {zones: ["eu-west-1a"]}
    assert forget_pinned_images(tmp_path / "absent.json") == []


def test_servers_in_the_public_subnets_behind_the_alb(dev_template: Any) -> None:
    _, group = only(dev_template, "AWS::AutoScaling::AutoScalingGroup")
    props = group["Properties"]
    config = stage_config("dev")
    assert props["MinSize"] == str(config.web_min_capacity) == "1"
    assert props["MaxSize"] == str(config.web_max_capacity)
    assert props["HealthCheckType"] == "ELB"
    assert {s["Ref"] for s in props["VPCZoneIdentifier"]} == subnets_of_type(dev_template, "Public")
    assert _launch_data(dev_template)["NetworkInterfaces"][0]["AssociatePublicIpAddress"]
    (target_group_ref,) = props["TargetGroupARNs"]
    target_group = resources(dev_template, "AWS::ElasticLoadBalancingV2::TargetGroup")[
        target_group_ref["Ref"]
    ]["Properties"]
    assert target_group["Port"] == WEB_PORT
    assert target_group["HealthCheckPath"] == HEALTH_CHECK_PATH == "/"


# --- load balancer --------------------------------------------------------------------------


def test_alb_is_public_logs_access_and_drops_invalid_headers(dev_template: Any) -> None:
    _, alb = _alb(dev_template)
    assert alb["Scheme"] == "internet-facing"
    assert {s["Ref"] for s in alb["Subnets"]} == subnets_of_type(dev_template, "Public")
    attributes = {a["Key"]: a["Value"] for a in alb["LoadBalancerAttributes"]}
    assert attributes["routing.http.drop_invalid_header_fields.enabled"] == "true"
    assert attributes["access_logs.s3.enabled"] == "true"
    assert attributes["deletion_protection.enabled"] == "false"  # dev; prod: test_prod.py
    bucket = attributes["access_logs.s3.bucket"]["Ref"]
    assert resources(dev_template, "AWS::S3::Bucket")[bucket]["Properties"]["BucketEncryption"]
    # Lower case: its DNS name is a CORS origin, compared exactly by browsers.
    assert alb["Name"] == alb["Name"].lower()


def test_dev_listener_is_http_forwarding_to_the_servers(dev_template: Any) -> None:
    (listener,) = [
        listener["Properties"]
        for listener in resources(dev_template, "AWS::ElasticLoadBalancingV2::Listener").values()
    ]
    assert listener["Port"] == 80
    assert listener["Protocol"] == "HTTP"
    assert listener["DefaultActions"][0]["Type"] == "forward"


def test_web_url_is_a_cors_origin_and_the_links_base(dev_template: Any) -> None:
    alb_id, _ = _alb(dev_template)
    dns = {"Fn::GetAtt": [alb_id, "DNSName"]}
    outputs = dev_template.to_json()["Outputs"]
    assert outputs["WebUrl"]["Value"] == {"Fn::Join": ["", ["http://", dns]]}
    (stage,) = [
        f["Properties"]["Environment"]["Variables"]
        for f in resources(dev_template, "AWS::Lambda::Function").values()
        if f["Properties"].get("Handler") == "tasklane.handlers.api.lambda_handler"
    ]
    assert json.dumps(dns) in json.dumps(stage["TASKLANE_CORS_ORIGINS"])
    buckets = [
        b["Properties"]
        for b in resources(dev_template, "AWS::S3::Bucket").values()
        if "CorsConfiguration" in b["Properties"]
    ]
    assert len(buckets) == 2  # attachments, exchange (import uploads, export downloads)
    for bucket in buckets:
        assert json.dumps(dns) in json.dumps(bucket["CorsConfiguration"])


def test_web_alarms_and_dashboard(dev_template: Any) -> None:
    alarms = [a["Properties"] for a in resources(dev_template, "AWS::CloudWatch::Alarm").values()]
    names = {a.get("MetricName") for a in alarms}
    assert "UnHealthyHostCount" in names
    five_xx = [
        a
        for a in alarms
        if "HTTPCode_ELB_5XX_Count" in json.dumps(a.get("Metrics", []))
        and "HTTPCode_Target_5XX_Count" in json.dumps(a.get("Metrics", []))
    ]
    assert len(five_xx) == 1
    _, dashboard = only(dev_template, "AWS::CloudWatch::Dashboard")
    body = json.dumps(dashboard["Properties"]["DashboardBody"])
    assert "CPUUtilization" in body
    assert "AutoScalingGroupName" in body


# --- WAF ------------------------------------------------------------------------------------


def test_web_acl_rules_and_associations(dev_template: Any) -> None:
    acl_id, acl = only(dev_template, "AWS::WAFv2::WebACL")
    props = acl["Properties"]
    assert props["Scope"] == "REGIONAL"
    assert props["DefaultAction"] == {"Allow": {}}
    rules = {r["Name"]: r for r in props["Rules"]}
    for name in (COMMON_RULE_SET, KNOWN_BAD_INPUTS):
        statement = rules[name]["Statement"]["ManagedRuleGroupStatement"]
        assert (statement["VendorName"], statement["Name"]) == ("AWS", name)
        assert rules[name]["OverrideAction"] == {"None": {}}
    rates = {r["Name"]: r for r in props["Rules"] if "RateBasedStatement" in r["Statement"]}
    assert set(rates) == {"RateLimitPerIp", "RateLimitPerToken"}
    assert all(r["Action"] == {"Block": {}} for r in rates.values())
    assert rates["RateLimitPerIp"]["Statement"]["RateBasedStatement"]["AggregateKeyType"] == "IP"
    # Issue 14, finding 6: also per token, so one session cannot flood from many addresses.
    per_token = rates["RateLimitPerToken"]["Statement"]["RateBasedStatement"]
    assert per_token["AggregateKeyType"] == "CUSTOM_KEYS"
    assert per_token["CustomKeys"] == [
        {
            "Header": {
                "Name": "authorization",
                "TextTransformations": [{"Priority": 0, "Type": "NONE"}],
            }
        }
    ]
    assert all(r["VisibilityConfig"]["CloudWatchMetricsEnabled"] for r in props["Rules"])
    associations = [
        a["Properties"] for a in resources(dev_template, "AWS::WAFv2::WebACLAssociation").values()
    ]
    assert all(a["WebACLArn"] == {"Fn::GetAtt": [acl_id, "Arn"]} for a in associations)
    targets = json.dumps([a["ResourceArn"] for a in associations])
    alb_id, _ = _alb(dev_template)
    stage_id, _ = only(dev_template, "AWS::ApiGateway::Stage")
    assert {"Ref": alb_id} in [a["ResourceArn"] for a in associations]
    assert "/stages/" in targets
    assert stage_id in targets
    assert len(associations) == 2


# --- the web build asset --------------------------------------------------------------------


def test_placeholder_stands_in_for_a_missing_web_build(tmp_path: Path) -> None:
    assert web_build_dir(tmp_path / "standalone") == PLACEHOLDER
    (tmp_path / "half-built").mkdir()  # a build directory without its server is no build
    assert web_build_dir(tmp_path / "half-built") == PLACEHOLDER
    built = tmp_path / "built"
    built.mkdir()
    (built / "server.js").write_text("// next build output")
    assert web_build_dir(built) == built
    # The placeholder starts the way the real build does, and says why it is there.
    assert (PLACEHOLDER / "server.js").is_file()
    assert "process.env.PORT" in (PLACEHOLDER / "server.js").read_text()
    assert "web/.next/standalone" in (PLACEHOLDER / "README.md").read_text()
