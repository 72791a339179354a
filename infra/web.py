"""The web tier: the Next.js standalone server on an EC2 Auto Scaling group behind an ALB.

Where the instances run: the **public subnets**, each with a public IPv4 address, and a
security group that admits the web port from the ALB's security group only (no other
ingress, no SSH, no key pair; egress HTTPS only). The VPC has no NAT gateway, and an
instance needs outbound HTTPS at boot (the Amazon Linux repositories, the web build in the
CDK asset bucket) and at run time (SSM Session Manager). The alternative, isolated subnets,
would need interface endpoints for SSM, SSM messages and EC2 messages (6 endpoint-AZ hours
per hour, about $45 a month before traffic) to replace what a public address gives for
about $3.60 a month per instance, with the same exposure: nothing can open a connection to
an instance except the ALB.

Instances: Amazon Linux 2023, IMDSv2 only, encrypted gp3 root volume, the SSM
managed-instance policy (shell access through Session Manager, audited, no SSH). x86_64 by
default: the standalone build carries native modules for the machine that ran ``next build``
(sharp), and build machines are x86_64; the image follows ``web_instance_type``, so a
Graviton type gets the ARM64 image (and a warning when the build's modules do not match).
User data installs Node.js 24 (the current LTS that AL2023 packages; Node 20 reached its
end of life on 2026-04-30) from the AL2023 repository, downloads the web build (an S3 asset),
runs ``node-24 server.js`` as a systemd service on port 3000, waits until it answers locally
and signals CloudFormation (``cfn-signal``) with the outcome.

Deploys: a rolling update replaces one instance at a time and waits for each new instance's
signal (a passing local health check) before going on; no signal, or a failing one, within
:data:`SIGNAL_TIMEOUT` rolls the update back with the old servers still serving. The image is
pinned: the CDK CLI looks up the current AL2023 image once and keeps it in
``cdk.context.json``, so a new AL2023 release does not replace the servers on the next
deploy; ``make web-image-refresh`` (or a ``web_image_id`` in the stage) moves it.

The web build is ``web/.next/standalone`` when it exists (``npm --prefix web run build``);
otherwise a placeholder (``infra/web_placeholder``) so synth works without a web build.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import aws_cdk as cdk
from aws_cdk import aws_autoscaling as autoscaling
from aws_cdk import aws_certificatemanager as acm
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_elasticloadbalancingv2 as elbv2
from aws_cdk import aws_iam as iam
from aws_cdk import aws_s3 as s3
from aws_cdk import aws_s3_assets as s3_assets
from constructs import Construct

from infra.config import StageConfig
from infra.nag import acknowledge
from infra.network import Network
from tasklane.settings import Env

ROOT = Path(__file__).resolve().parent.parent
#: What ``next build`` makes with ``output: 'standalone'`` (static files copied beside it).
WEB_BUILD = ROOT / "web" / ".next" / "standalone"
PLACEHOLDER = Path(__file__).resolve().parent / "web_placeholder"
WEB_PORT = 3000
INSTALL_DIR = "/opt/tasklane-web"
SERVICE = "tasklane-web"
HEALTH_CHECK_PATH = "/"
#: The Node.js major the servers install and run (AL2023 packages 20, 22 and 24, namespaced:
#: ``nodejs24`` installs ``/usr/bin/node-24``). The build machine may run another major.
NODE_MAJOR = 24
NODE = f"/usr/bin/node-{NODE_MAJOR}"
#: How long a new instance has to install, start and pass its local health check.
SIGNAL_TIMEOUT = cdk.Duration.minutes(15)
#: Local health check at boot: attempts, two seconds apart.
HEALTH_ATTEMPTS = 90
#: cdk.context.json keys of the pinned AL2023 image lookups (CDK's SSM context provider).
IMAGE_LOOKUP_MARK = "/aws/service/ami-amazon-linux-latest/al2023-ami-"


def web_build_dir(build: Path | None = None) -> Path:
    """The directory shipped to the instances: the standalone build, or the placeholder.

    ``TASKLANE_WEB_BUILD`` names another directory (the infra tests point it at the
    placeholder: synth stays fast and does not race a web build in progress).
    """
    if build is None:
        override = os.environ.get("TASKLANE_WEB_BUILD")
        build = Path(override) if override else WEB_BUILD
    if (build / "server.js").is_file():
        return build
    print(
        f"note: no web build ({build.relative_to(ROOT) if build.is_relative_to(ROOT) else build}"
        "/server.js); the web servers get the placeholder page (infra/web_placeholder)",
        file=sys.stderr,
    )
    return PLACEHOLDER


def warn_on_foreign_native_modules(build: Path, arch: str) -> None:
    """The standalone build carries native modules for the machine that built it (sharp,
    for image optimisation, as ``@img/sharp-linux-<arch>``): say so when they cannot load on
    the web servers' architecture (``x64`` or ``arm64``)."""
    found = sorted(p.name for p in (build / "node_modules" / "@img").glob("sharp-linux-*"))
    if found and not any(name.endswith(f"-{arch}") for name in found):
        print(
            f"warning: the web build has {', '.join(found)} but the web servers are linux-{arch}:"
            " build the web app on that architecture or pick a web_instance_type that matches",
            file=sys.stderr,
        )


def systemd_unit(environment: dict[str, str]) -> str:
    """The service: an unprivileged user, restarted on failure, read-only system."""
    env_lines = "\n".join(f"Environment={name}={value}" for name, value in environment.items())
    return f"""[Unit]
Description=Tasklane web (Next.js standalone server)
After=network-online.target
Wants=network-online.target

[Service]
User={SERVICE}
WorkingDirectory={INSTALL_DIR}
{env_lines}
# The namespaced executable of the installed major: never another Node on the machine.
ExecStart={NODE} server.js
Restart=always
RestartSec=2
NoNewPrivileges=true
ProtectSystem=strict
# Next.js caches (images, ISR) under .next/cache: the one writable place.
ReadWritePaths={INSTALL_DIR}/.next/cache
ProtectHome=true
PrivateTmp=true

[Install]
WantedBy=multi-user.target
"""


def local_health_check() -> list[str]:
    """User data lines: wait until the server answers on the instance itself; exit non-zero
    (which the exit trap signals to CloudFormation) if it never does."""
    url = f"http://127.0.0.1:{WEB_PORT}{HEALTH_CHECK_PATH}"
    return [
        f"for attempt in $(seq 1 {HEALTH_ATTEMPTS}); do",
        f"  if curl -fsS -o /dev/null --max-time 5 {url}; then break; fi",
        f'  if [ "$attempt" -eq {HEALTH_ATTEMPTS} ]; then',
        f'    echo "{SERVICE} did not answer {url}" >&2',
        f"    systemctl status {SERVICE} >&2 || true",
        "    exit 1",
        "  fi",
        "  sleep 2",
        "done",
    ]


def forget_pinned_images(context_file: Path = ROOT / "cdk.context.json") -> list[str]:
    """Drop the pinned AL2023 image lookups from ``context_file``: the next deploy looks up
    the current image and rolls the servers onto it. Returns the keys removed."""
    if not context_file.is_file():
        return []
    context: dict[str, object] = json.loads(context_file.read_text())
    removed = sorted(key for key in context if IMAGE_LOOKUP_MARK in key)
    for key in removed:
        del context[key]
    context_file.write_text(json.dumps(context, indent=2) + "\n")
    return removed


class Web(Construct):
    """Create it early (its URL is a CORS origin of the API and the bucket), then
    :meth:`log_access` and :meth:`add_servers` once the log bucket and the API exist."""

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        config: StageConfig,
        network: Network,
    ) -> None:
        super().__init__(scope, construct_id)
        self.config = config
        self.network = network
        self.alb_security_group = ec2.SecurityGroup(
            self,
            "AlbSg",
            vpc=network.vpc,
            description="Tasklane web ALB: HTTP(S) from the internet, to the web servers",
            allow_all_outbound=False,
        )
        self.load_balancer = elbv2.ApplicationLoadBalancer(
            self,
            "Alb",
            vpc=network.vpc,
            internet_facing=True,
            # Lower case: the DNS name (built from this name) is a CORS origin, which
            # browsers send in lower case and compare exactly. A generated name has capitals.
            load_balancer_name=f"tasklane-{config.stage}-web",
            vpc_subnets=ec2.SubnetSelection(subnet_type=ec2.SubnetType.PUBLIC),
            security_group=self.alb_security_group,
            drop_invalid_header_fields=True,
            deletion_protection=config.production,
        )
        acknowledge(
            self.alb_security_group,
            "AwsSolutions-EC23",
            "The web ALB is the public entry point of the web app: it must accept HTTP(S) "
            "from any address. WAF (infra/waf.py) filters what reaches it.",
        )
        if config.web_certificate_arn:
            certificate = acm.Certificate.from_certificate_arn(
                self, "Certificate", config.web_certificate_arn
            )
            self.listener = self.load_balancer.add_listener(
                "Https",
                port=443,
                protocol=elbv2.ApplicationProtocol.HTTPS,
                certificates=[elbv2.ListenerCertificate.from_certificate_manager(certificate)],
                ssl_policy=elbv2.SslPolicy.RECOMMENDED_TLS,
                open=True,
            )
            self.load_balancer.add_redirect(source_port=80, target_port=443)
        else:
            # No web_domain / web_certificate_arn in this stage: plain HTTP on the ALB's own
            # DNS name (an ACM certificate needs a domain you control). cdk-nag has no rule
            # for an ALB's listener protocol (ELB1 is about Classic Load Balancers), so this
            # comment and docs/deploy.md carry the warning: set both for any stage that
            # real users reach (prod does).
            self.listener = self.load_balancer.add_listener(
                "Http", port=80, protocol=elbv2.ApplicationProtocol.HTTP, open=True
            )
        self.url = config.web_url or f"http://{self.load_balancer.load_balancer_dns_name}"
        self.asg: autoscaling.AutoScalingGroup | None = None
        self.target_group: elbv2.ApplicationTargetGroup | None = None

    def _image(self, arm: bool) -> ec2.IMachineImage:
        """The servers' image, pinned per deploy.

        ``web_image_id``: the stage names it. Else, with the account known (every CDK CLI
        run), CDK's context lookup: the image current at the first deploy, kept in
        cdk.context.json until ``make web-image-refresh``. An offline synth (no account:
        tests, ``make synth``) resolves AWS's public parameter at deploy time instead; such
        a template is never deployed.
        """
        config = self.config
        stack = cdk.Stack.of(self)
        if config.web_image_id:
            return ec2.MachineImage.generic_linux({stack.region: config.web_image_id})
        cpu = ec2.AmazonLinuxCpuType.ARM_64 if arm else ec2.AmazonLinuxCpuType.X86_64
        pinned = not cdk.Token.is_unresolved(stack.account)
        return ec2.MachineImage.latest_amazon_linux2023(cpu_type=cpu, cached_in_context=pinned)

    def log_access(self, server_access_logs: s3.IBucket) -> None:
        """The ALB's access logs, in a bucket of their own.

        Not the stack's server-access-log bucket: its policy names the attachments bucket,
        whose CORS names the ALB, which would then wait for that policy (a cycle).
        """
        self.access_logs = s3.Bucket(
            self,
            "AccessLogs",
            encryption=s3.BucketEncryption.S3_MANAGED,  # the only kind ALB logs support
            block_public_access=s3.BlockPublicAccess.BLOCK_ALL,
            object_ownership=s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
            enforce_ssl=True,
            lifecycle_rules=[s3.LifecycleRule(expiration=cdk.Duration.days(365))],
            server_access_logs_bucket=server_access_logs,
            server_access_logs_prefix="alb-logs/",
            removal_policy=self.config.removal_policy,
        )
        self.load_balancer.log_access_logs(self.access_logs, prefix="alb")

    def add_servers(self, *, api_url: str) -> autoscaling.AutoScalingGroup:
        config = self.config
        vpc = self.network.vpc
        self.build_dir = web_build_dir()
        self.build = s3_assets.Asset(self, "Build", path=str(self.build_dir))

        self.instance_security_group = ec2.SecurityGroup(
            self,
            "InstanceSg",
            vpc=vpc,
            description=f"Tasklane web servers: {WEB_PORT} from the ALB only, HTTPS out",
            allow_all_outbound=False,
        )
        # Out: the AL2023 repositories and the asset bucket (S3), SSM, and at run time the
        # API's /config and Cognito (the session endpoints log in and refresh): all HTTPS.
        self.instance_security_group.add_egress_rule(
            ec2.Peer.any_ipv4(), ec2.Port.tcp(443), "HTTPS: packages, web build, SSM"
        )
        self.role = iam.Role(
            self,
            "InstanceRole",
            assumed_by=iam.ServicePrincipal("ec2.amazonaws.com"),
            description="Tasklane web servers: SSM Session Manager, read the web build",
            managed_policies=[
                iam.ManagedPolicy.from_aws_managed_policy_name("AmazonSSMManagedInstanceCore")
            ],
        )
        # The one object this launch template installs (not the whole asset bucket).
        self.role.add_to_principal_policy(
            iam.PolicyStatement(
                actions=["s3:GetObject"],
                resources=[self.build.bucket.arn_for_objects(self.build.s3_object_key)],
            )
        )
        acknowledge(
            self.role,
            "AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/"
            "AmazonSSMManagedInstanceCore]",
            "AmazonSSMManagedInstanceCore is the AWS-maintained policy for Session Manager "
            "and the SSM agent (shell access without SSH keys or open ports); its actions "
            "change with the agent, which a hand-written copy would not follow.",
        )

        user_data = ec2.UserData.for_linux()
        user_data.add_commands(
            "set -euo pipefail",
            f"dnf install -y nodejs{NODE_MAJOR} unzip aws-cfn-bootstrap",
            f"id -u {SERVICE} >/dev/null 2>&1 || useradd --system --no-create-home "
            f"--shell /sbin/nologin {SERVICE}",
        )
        archive = user_data.add_s3_download_command(
            bucket=self.build.bucket, bucket_key=self.build.s3_object_key
        )
        environment = {
            "NODE_ENV": "production",
            "PORT": str(WEB_PORT),
            # Next.js binds to HOSTNAME: all interfaces, or the ALB cannot reach it.
            "HOSTNAME": "0.0.0.0",  # noqa: S104 (the security group admits the ALB only)
            "NEXT_TELEMETRY_DISABLED": "1",
            Env.API_URL: api_url,
            # The page's CSP: the browser calls Cognito and S3 (uploads, previews) itself, and
            # opens the live-updates WebSocket (infra/realtime.py).
            Env.WEB_AWS_ORIGINS: " ".join(
                (
                    f"https://cognito-idp.{cdk.Aws.REGION}.amazonaws.com",
                    f"https://*.s3.{cdk.Aws.REGION}.amazonaws.com",
                    "https://*.s3.amazonaws.com",
                    f"wss://*.execute-api.{cdk.Aws.REGION}.amazonaws.com",
                )
            ),
        }
        user_data.add_commands(
            f"rm -rf {INSTALL_DIR} && mkdir -p {INSTALL_DIR}",
            f"unzip -q {archive} -d {INSTALL_DIR}",
            f"chown -R root:root {INSTALL_DIR} && chmod -R a+rX {INSTALL_DIR}",
            f"mkdir -p {INSTALL_DIR}/.next/cache && chown -R {SERVICE} {INSTALL_DIR}/.next/cache",
            f"cat > /etc/systemd/system/{SERVICE}.service <<'UNIT'\n"
            f"{systemd_unit(environment)}UNIT",
            "systemctl daemon-reload",
            f"systemctl enable --now {SERVICE}",
            *local_health_check(),
        )

        instance_type = ec2.InstanceType(config.web_instance_type)
        arm = instance_type.architecture.name == ec2.InstanceArchitecture.ARM_64.name
        warn_on_foreign_native_modules(self.build_dir, "arm64" if arm else "x64")
        self.launch_template = ec2.LaunchTemplate(
            self,
            "LaunchTemplate",
            # The image's architecture follows the instance type's.
            machine_image=self._image(arm),
            instance_type=instance_type,
            security_group=self.instance_security_group,
            role=self.role,
            user_data=user_data,
            require_imdsv2=True,
            http_put_response_hop_limit=1,
            associate_public_ip_address=True,
            detailed_monitoring=True,
            block_devices=[
                ec2.BlockDevice(
                    device_name="/dev/xvda",
                    volume=ec2.BlockDeviceVolume.ebs(
                        16,
                        encrypted=True,
                        volume_type=ec2.EbsDeviceVolumeType.GP3,
                        delete_on_termination=True,
                    ),
                )
            ],
        )
        self.asg = autoscaling.AutoScalingGroup(
            self,
            "Servers",
            vpc=vpc,
            vpc_subnets=ec2.SubnetSelection(subnet_type=ec2.SubnetType.PUBLIC),
            launch_template=self.launch_template,
            min_capacity=config.web_min_capacity,
            max_capacity=config.web_max_capacity,
            health_checks=autoscaling.HealthChecks.with_additional_checks(
                additional_types=[autoscaling.AdditionalHealthCheckType.ELB],
                grace_period=cdk.Duration.minutes(5),
            ),
            # A new web build (asset hash) or image makes a new launch template version:
            # replace the instances one at a time, keeping the minimum in service, each new
            # one counted only once it signals a passing local health check (user data);
            # a failure or no signal within SIGNAL_TIMEOUT rolls the update back.
            # (CloudFormation wants fewer in service than the maximum: a one-instance stage
            # runs its new server beside the old one until the new one signals.)
            signals=autoscaling.Signals.wait_for_min_capacity(timeout=SIGNAL_TIMEOUT),
            update_policy=autoscaling.UpdatePolicy.rolling_update(
                max_batch_size=1,
                min_instances_in_service=min(config.web_min_capacity, config.web_max_capacity - 1),
                wait_on_resource_signals=True,
                pause_time=SIGNAL_TIMEOUT,
            ),
        )
        # The user data's last word, whatever happened before: cfn-signal with its exit code.
        user_data.add_signal_on_exit_command(self.asg)
        self.asg.scale_on_cpu_utilization("CpuTarget", target_utilization_percent=60)
        acknowledge(
            self.asg,
            "AwsSolutions-AS3",
            "Scaling events need no e-mail: unhealthy hosts and 5xx from the web tier are "
            "alarmed (infra/monitoring.py) and the activity history is in the console.",
        )
        self.target_group = self.listener.add_targets(
            "Servers",
            port=WEB_PORT,
            protocol=elbv2.ApplicationProtocol.HTTP,
            targets=[self.asg],
            health_check=elbv2.HealthCheck(
                path=HEALTH_CHECK_PATH,
                healthy_http_codes="200-399",
                interval=cdk.Duration.seconds(30),
            ),
            deregistration_delay=cdk.Duration.seconds(30),
        )
        # add_targets opens WEB_PORT from the ALB's security group: the only ingress rule.
        return self.asg
