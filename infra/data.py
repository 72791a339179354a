"""The DynamoDB table and the attachments bucket, from ``tasklane.resources``.

Both shapes are read, never restated: the parity tests compare the template with them.
"""

from __future__ import annotations

from typing import Any

import aws_cdk as cdk
from aws_cdk import aws_dynamodb as dynamodb
from aws_cdk import aws_s3 as s3
from constructs import Construct

from infra.config import StageConfig
from infra.nag import acknowledge
from tasklane.resources import ATTACHMENTS_BUCKET, TABLE, BucketShape, TableShape

_PROJECTIONS = {"ALL": dynamodb.ProjectionType.ALL, "KEYS_ONLY": dynamodb.ProjectionType.KEYS_ONLY}
_STREAM_VIEWS = {
    "NEW_AND_OLD_IMAGES": dynamodb.StreamViewType.NEW_AND_OLD_IMAGES,
    "NEW_IMAGE": dynamodb.StreamViewType.NEW_IMAGE,
    "OLD_IMAGE": dynamodb.StreamViewType.OLD_IMAGE,
    "KEYS_ONLY": dynamodb.StreamViewType.KEYS_ONLY,
}


def _key(name: str) -> dynamodb.Attribute:
    return dynamodb.Attribute(name=name, type=dynamodb.AttributeType.STRING)


class Data(Construct):
    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        config: StageConfig,
        table_shape: TableShape = TABLE,
        bucket_shape: BucketShape = ATTACHMENTS_BUCKET,
    ) -> None:
        super().__init__(scope, construct_id)
        self.table_shape = table_shape
        self.table = dynamodb.Table(
            self,
            "Table",
            partition_key=_key(table_shape.partition_key),
            sort_key=_key(table_shape.sort_key),
            billing_mode=dynamodb.BillingMode.PAY_PER_REQUEST,
            # The shape's SSESpecification {Enabled: true}: the AWS managed KMS key.
            encryption=dynamodb.TableEncryption.AWS_MANAGED,
            point_in_time_recovery_specification=dynamodb.PointInTimeRecoverySpecification(
                point_in_time_recovery_enabled=True
            ),
            stream=_STREAM_VIEWS[table_shape.stream_view],
            time_to_live_attribute=table_shape.ttl_attribute,
            deletion_protection=config.production,
            removal_policy=config.removal_policy,
        )
        for index in table_shape.global_indexes:
            self.table.add_global_secondary_index(
                index_name=index.name,
                partition_key=_key(index.partition_key),
                sort_key=_key(index.sort_key),
                projection_type=_PROJECTIONS[index.projection],
            )
        for index in table_shape.local_indexes:
            if index.partition_key != table_shape.partition_key:
                raise ValueError(f"local index {index.name} must use the table's partition key")
            self.table.add_local_secondary_index(
                index_name=index.name,
                sort_key=_key(index.sort_key),
                projection_type=_PROJECTIONS[index.projection],
            )

        self.access_logs = s3.Bucket(
            self,
            "AccessLogs",
            encryption=s3.BucketEncryption.S3_MANAGED,
            block_public_access=s3.BlockPublicAccess.BLOCK_ALL,
            object_ownership=s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
            enforce_ssl=True,
            lifecycle_rules=[s3.LifecycleRule(expiration=cdk.Duration.days(365))],
            removal_policy=config.removal_policy,
            auto_delete_objects=False,
        )
        acknowledge(
            self.access_logs,
            "AwsSolutions-S1",
            "This is the server access log bucket itself; logging it into another bucket "
            "would only move the question one bucket further.",
        )
        self.attachments = shaped_bucket(
            self, "Attachments", bucket_shape, config, self.access_logs, "attachments/"
        )


def shaped_bucket(
    scope: Construct,
    construct_id: str,
    shape: BucketShape,
    config: StageConfig,
    access_logs: s3.IBucket,
    log_prefix: str,
) -> s3.Bucket:
    """A bucket with every setting of ``shape`` (``tasklane.resources``), logging its access
    to ``access_logs`` under ``log_prefix``."""
    if shape.sse_algorithm != "AES256":
        raise ValueError("the bucket construct supports SSE-S3 (AES256) only")
    block = shape.public_access_block()
    return s3.Bucket(
        scope,
        construct_id,
        encryption=s3.BucketEncryption.S3_MANAGED,
        bucket_key_enabled=True,
        block_public_access=s3.BlockPublicAccess(
            block_public_acls=block["BlockPublicAcls"],
            ignore_public_acls=block["IgnorePublicAcls"],
            block_public_policy=block["BlockPublicPolicy"],
            restrict_public_buckets=block["RestrictPublicBuckets"],
        ),
        object_ownership=s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
        enforce_ssl=True,
        versioned=shape.versioned,
        cors=[cors_rule(rule) for rule in shape.cors_rules(config.web_origins)],
        lifecycle_rules=[lifecycle_rule(rule) for rule in shape.lifecycle_rules()],
        server_access_logs_bucket=access_logs,
        server_access_logs_prefix=log_prefix,
        removal_policy=config.removal_policy,
    )


def cors_rule(rule: dict[str, Any]) -> s3.CorsRule:
    """An S3 API ``CORSRule`` (as ``BucketShape.cors_rules`` gives it) as a CDK rule."""
    return s3.CorsRule(
        allowed_origins=list(rule["AllowedOrigins"]),
        allowed_methods=[s3.HttpMethods(m) for m in rule["AllowedMethods"]],
        allowed_headers=list(rule.get("AllowedHeaders", [])),
        exposed_headers=list(rule.get("ExposeHeaders", [])),
        max_age=rule.get("MaxAgeSeconds"),
    )


def lifecycle_rule(rule: dict[str, Any]) -> s3.LifecycleRule:
    """An S3 API lifecycle ``Rule`` (as ``BucketShape.lifecycle_rules`` gives it)."""
    supported = {
        "ID",
        "Status",
        "Filter",
        "Expiration",
        "NoncurrentVersionExpiration",
        "AbortIncompleteMultipartUpload",
    }
    if unknown := set(rule) - supported:
        raise ValueError(f"lifecycle rule {rule.get('ID')}: unsupported keys {sorted(unknown)}")
    filter_ = rule.get("Filter", {})
    tag = filter_.get("Tag")
    expiration = rule.get("Expiration", {})
    noncurrent = rule.get("NoncurrentVersionExpiration", {})
    abort = rule.get("AbortIncompleteMultipartUpload", {})

    def days(value: int | None) -> cdk.Duration | None:
        return cdk.Duration.days(value) if value is not None else None

    return s3.LifecycleRule(
        id=rule["ID"],
        enabled=rule["Status"] == "Enabled",
        prefix=filter_.get("Prefix") or None,
        tag_filters={tag["Key"]: tag["Value"]} if tag else None,
        expiration=days(expiration.get("Days")),
        expired_object_delete_marker=expiration.get("ExpiredObjectDeleteMarker"),
        noncurrent_version_expiration=days(noncurrent.get("NoncurrentDays")),
        abort_incomplete_multipart_upload_after=days(abort.get("DaysAfterInitiation")),
    )
