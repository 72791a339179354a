"""Per-stage settings, from the CDK context (``cdk.json``; tests pass the context explicitly).

``cdk.json`` holds ``tasklane:stages`` (one object per stage: the keys below); the stage is
chosen with ``-c stage=prod`` (or ``TASKLANE_STAGE``) and defaults to ``dev``.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, fields
from typing import Any

import aws_cdk as cdk
from constructs import Node

from tasklane import settings

#: The Lambda runtime's Python: the bundle's bytecode is compiled by this very version.
#: Python 3.14 is the newest runtime CDK offers, but no 3.14 interpreter exists on the build
#: machines, and a bundle without bytecode pays ~4x the import time on every cold start.
LAMBDA_PYTHON = "3.13"
#: Powertools names: declared once, beside the variables that carry them (the local runtime
#: sets the same ones).
SERVICE_NAME = settings.SERVICE_NAME
METRICS_NAMESPACE = settings.METRICS_NAMESPACE


@dataclass(frozen=True, slots=True)
class StageConfig:
    stage: str = "dev"
    #: Production: deletion protection on, stateful resources retained on stack deletion.
    production: bool = False
    #: Origins of the web app (CORS of the API and the bucket); the first is the primary one.
    web_origins: tuple[str, ...] = ("http://localhost:3000",)
    #: Where alarms are e-mailed (SNS asks the address to confirm once). Required in
    #: production: a prod stage whose alarms reach nobody does not synthesize. Empty in a
    #: dev stage: the topic has no subscription, and synth says so.
    alarm_email: str = ""
    log_retention_days: int = 30
    api_throttle_rate: float = 50.0
    api_throttle_burst: int = 100
    api_memory_mb: int = 1024
    #: None: the account's unreserved pool. Provisioned concurrency 0: none (on the alias).
    api_reserved_concurrency: int | None = None
    api_provisioned_concurrency: int = 0
    events_memory_mb: int = 512
    events_batch_size: int = 100
    events_retry_attempts: int = 5
    #: API latency p99 (ms) above which the alarm fires.
    api_latency_p99_ms: int = 2000
    #: RDS PostgreSQL: instance class (``ec2.InstanceType``), Multi-AZ, storage (GiB: the
    #: initial size and the autoscaling ceiling) and days of automated backups.
    db_instance_type: str = "t4g.micro"
    db_multi_az: bool = False
    db_storage_gb: int = 20
    db_max_storage_gb: int = 100
    db_backup_retention_days: int = 7
    #: Days between automatic rotations of the database's master secret.
    db_secret_rotation_days: int = 30
    #: Connections to the instance above which the alarm fires (the proxy multiplexes).
    db_connections_alarm: int = 50
    #: How often the stale-upload sweeper runs (minutes).
    sweeper_interval_minutes: int = 60
    #: None: stateful resources (table, pool, buckets, logs) are kept on stack deletion in
    #: production and deleted with a dev stack; True/False overrides that per stage.
    retain_on_delete: bool | None = None

    # --- notifications (queue, notifier, reminders, SES) ---------------------------------
    #: The From address of notification e-mails: an SES e-mail identity is created for it
    #: (SES sends its verification link there on deploy).
    sender_email: str = "notifications@example.com"
    #: "create": the stack creates the SES identity of sender_email (and deletes it with a
    #: dev stack). "existing": the identity exists in the account and region already —
    #: another stage in the same account created it, or a verified domain covers the
    #: address — and the stack only sends from it (SES identities are unique per account
    #: and region: two stages cannot both create one).
    sender_identity: str = "create"
    notifier_memory_mb: int = 512
    #: Upper bound on concurrent notifier invocations (the SQS event source's maximum
    #: concurrency): keeps SES's send rate and the table's write rate bounded in a burst.
    notifier_max_concurrency: int = 5
    reminders_memory_mb: int = 512

    # --- web tier (ALB + EC2 Auto Scaling group running the Next.js server) ---------------
    #: The web app's host name (DNS you point at the ALB yourself); empty: the ALB's name.
    web_domain: str = ""
    #: An ACM certificate (same region) for ``web_domain``: HTTPS on 443, HTTP redirected.
    #: Empty: plain HTTP on port 80 (a dev stage without a domain).
    web_certificate_arn: str = ""
    #: x86_64 unless the web app is built on ARM64 Linux: the Next.js standalone build
    #: carries native modules (sharp) for the architecture that built it.
    web_instance_type: str = "t3.small"
    #: An AMI id to run the web servers on, pinned by hand. Empty: the AL2023 image current
    #: at the first deploy, kept in cdk.context.json (``make web-image-refresh`` moves it).
    web_image_id: str = ""
    web_min_capacity: int = 1
    web_max_capacity: int = 2
    #: Requests per 5 minutes from one IP above which WAF blocks it (rate-based rule).
    waf_rate_limit: int = 2000
    #: Requests per 5 minutes with one Authorization header (one signed-in session, from
    #: however many addresses) above which WAF blocks it.
    waf_token_rate_limit: int = 1000

    @property
    def removal_policy(self) -> cdk.RemovalPolicy:
        """Stateful resources and their logs: kept in production, deleted with a dev stack."""
        retain = self.production if self.retain_on_delete is None else self.retain_on_delete
        return cdk.RemovalPolicy.RETAIN if retain else cdk.RemovalPolicy.DESTROY

    @property
    def web_url(self) -> str | None:
        """The web app's URL when a domain is configured (else the ALB's, known at deploy)."""
        if not self.web_domain:
            return None
        scheme = "https" if self.web_certificate_arn else "http"
        return f"{scheme}://{self.web_domain}"

    @classmethod
    def from_dict(cls, stage: str, values: dict[str, Any]) -> StageConfig:
        known = {f.name for f in fields(cls)}
        unknown = set(values) - known
        if unknown:
            raise ValueError(f"unknown settings for stage {stage!r}: {sorted(unknown)}")
        converted: dict[str, Any] = {
            k: tuple(v) if isinstance(v, list) else v for k, v in values.items()
        }
        config = cls(**{**converted, "stage": stage})
        if not config.web_origins:
            raise ValueError(f"stage {stage!r}: web_origins must name at least one origin")
        if "@" not in config.sender_email:
            raise ValueError(f"stage {stage!r}: sender_email must be an e-mail address")
        if config.production and "@" not in config.alarm_email:
            raise ValueError(
                f"stage {stage!r}: alarm_email is required in production (cdk.json, "
                "tasklane:stages): without it every alarm goes to an SNS topic nobody reads"
            )
        if config.sender_identity not in ("create", "existing"):
            raise ValueError(f"stage {stage!r}: sender_identity is 'create' or 'existing'")
        if config.web_certificate_arn and not config.web_domain:
            raise ValueError(f"stage {stage!r}: web_certificate_arn needs web_domain")
        if not 1 <= config.web_min_capacity <= config.web_max_capacity:
            raise ValueError(f"stage {stage!r}: need 1 <= web_min_capacity <= web_max_capacity")
        return config

    @classmethod
    def from_context(cls, node: Node) -> StageConfig:
        stage = node.try_get_context("stage") or os.environ.get("TASKLANE_STAGE") or "dev"
        stages = node.try_get_context("tasklane:stages") or {}
        if stage not in stages:
            raise ValueError(f"stage {stage!r} is not in the context's tasklane:stages")
        return cls.from_dict(stage, dict(stages[stage]))
