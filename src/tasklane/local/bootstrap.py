"""Create the local AWS resources from the shapes in :mod:`tasklane.resources`.

Idempotent: resources are looked up by name first, so running it twice against the same moto
(a restarted gateway, a second test) changes nothing. The shapes live in ``resources.py`` only;
the CDK constructs read the same ones.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import boto3

from tasklane.local.launcher import DUMMY_CREDENTIALS
from tasklane.resources import (
    ATTACHMENTS_BUCKET,
    EXCHANGE_BUCKET,
    EXPORTS_QUEUE,
    IMPORTS_QUEUE,
    NOTIFICATIONS_QUEUE,
    TABLE,
    USER_POOL,
    WEBHOOKS_QUEUE,
    BucketShape,
    QueueShape,
)
from tasklane.settings import (
    DEFAULT_BUCKET,
    DEFAULT_EXCHANGE_BUCKET,
    DEFAULT_MAIL_SENDER,
    DEFAULT_REGION,
    DEFAULT_TABLE_NAME,
    LOCAL_CLIENT_NAME,
    LOCAL_EXPORTS_QUEUE_NAME,
    LOCAL_IMPORTS_QUEUE_NAME,
    LOCAL_QUEUE_NAME,
    LOCAL_USER_POOL_NAME,
    LOCAL_WEBHOOKS_QUEUE_NAME,
)

if TYPE_CHECKING:
    from mypy_boto3_cognito_idp import CognitoIdentityProviderClient
    from mypy_boto3_dynamodb import DynamoDBClient
    from mypy_boto3_s3 import S3Client

#: Where the web app runs locally: browsers POST uploads to the bucket from there.
DEFAULT_WEB_ORIGINS = ("http://localhost:3000", "http://127.0.0.1:3000")


@dataclass(frozen=True, slots=True)
class LocalConfig:
    """Where the local AWS resources are, and what the gateway checks tokens against."""

    region: str
    endpoint_url: str
    user_pool_id: str
    client_id: str
    table_name: str
    #: moto serves the pool's keys under its own URL...
    jwks_url: str
    #: ...but signs tokens with the real AWS issuer, so the two cannot be derived from each other.
    issuer: str
    #: The attachments bucket (presigned URLs point at ``endpoint_url``).
    bucket_name: str = DEFAULT_BUCKET
    #: The notification jobs queue and its dead-letter queue.
    queue_url: str = ""
    dlq_url: str = ""
    #: The verified SES identity notifications are sent from (locally any address verifies
    #: at once).
    mail_sender: str = DEFAULT_MAIL_SENDER
    #: Export ZIPs and import uploads; the export, import and webhook delivery jobs' queues.
    exchange_bucket: str = DEFAULT_EXCHANGE_BUCKET
    exports_queue_url: str = ""
    imports_queue_url: str = ""
    webhooks_queue_url: str = ""


def bootstrap(
    endpoint_url: str,
    *,
    region: str = DEFAULT_REGION,
    table_name: str = DEFAULT_TABLE_NAME,
    user_pool_name: str = LOCAL_USER_POOL_NAME,
    client_name: str = LOCAL_CLIENT_NAME,
    bucket_name: str = DEFAULT_BUCKET,
    web_origins: Sequence[str] = DEFAULT_WEB_ORIGINS,
    queue_name: str = LOCAL_QUEUE_NAME,
    mail_sender: str = DEFAULT_MAIL_SENDER,
    exchange_bucket: str = DEFAULT_EXCHANGE_BUCKET,
) -> LocalConfig:
    """Ensure the user pool, its web client and the table exist in the moto at ``endpoint_url``."""
    session = boto3.Session(
        aws_access_key_id=DUMMY_CREDENTIALS["AWS_ACCESS_KEY_ID"],
        aws_secret_access_key=DUMMY_CREDENTIALS["AWS_SECRET_ACCESS_KEY"],
        region_name=region,
    )
    cognito = session.client("cognito-idp", endpoint_url=endpoint_url)
    dynamodb = session.client("dynamodb", endpoint_url=endpoint_url)
    s3 = session.client("s3", endpoint_url=endpoint_url)
    sqs = session.client("sqs", endpoint_url=endpoint_url)
    ses = session.client("ses", endpoint_url=endpoint_url)
    try:
        user_pool_id = _ensure_user_pool(cognito, user_pool_name)
        client_id = _ensure_client(cognito, user_pool_id, client_name)
        _ensure_table(dynamodb, table_name)
        tls = endpoint_url.startswith("https:")
        _ensure_bucket(s3, bucket_name, region, web_origins, tls=tls, shape=ATTACHMENTS_BUCKET)
        _ensure_bucket(s3, exchange_bucket, region, web_origins, tls=tls, shape=EXCHANGE_BUCKET)
        queue_url, dlq_url = _ensure_queues(sqs, queue_name, NOTIFICATIONS_QUEUE)
        exports_url, _ = _ensure_queues(sqs, LOCAL_EXPORTS_QUEUE_NAME, EXPORTS_QUEUE)
        imports_url, _ = _ensure_queues(sqs, LOCAL_IMPORTS_QUEUE_NAME, IMPORTS_QUEUE)
        webhooks_url, _ = _ensure_queues(sqs, LOCAL_WEBHOOKS_QUEUE_NAME, WEBHOOKS_QUEUE)
        _ensure_sender(ses, mail_sender)
    finally:
        # Close the pooled connections so a stopped moto has no request threads left waiting.
        cognito.close()
        dynamodb.close()
        s3.close()
        sqs.close()
        ses.close()
    return LocalConfig(
        region=region,
        endpoint_url=endpoint_url,
        user_pool_id=user_pool_id,
        client_id=client_id,
        table_name=table_name,
        jwks_url=f"{endpoint_url}/{user_pool_id}/.well-known/jwks.json",
        issuer=f"https://cognito-idp.{region}.amazonaws.com/{user_pool_id}",
        bucket_name=bucket_name,
        queue_url=queue_url,
        dlq_url=dlq_url,
        mail_sender=mail_sender,
        exchange_bucket=exchange_bucket,
        exports_queue_url=exports_url,
        imports_queue_url=imports_url,
        webhooks_queue_url=webhooks_url,
    )


def _ensure_user_pool(cognito: CognitoIdentityProviderClient, name: str) -> str:
    paginator = cognito.get_paginator("list_user_pools")
    for page in paginator.paginate(PaginationConfig={"PageSize": 60}):
        for pool in page["UserPools"]:
            if pool.get("Name") == name:
                return pool["Id"]
    return cognito.create_user_pool(**USER_POOL.create_user_pool_kwargs(name))["UserPool"]["Id"]


def _ensure_client(cognito: CognitoIdentityProviderClient, user_pool_id: str, name: str) -> str:
    paginator = cognito.get_paginator("list_user_pool_clients")
    for page in paginator.paginate(UserPoolId=user_pool_id):
        for client in page["UserPoolClients"]:
            if client.get("ClientName") == name:
                return client["ClientId"]
    kwargs = USER_POOL.create_client_kwargs(user_pool_id, name)
    return cognito.create_user_pool_client(**kwargs)["UserPoolClient"]["ClientId"]


def _ensure_table(dynamodb: DynamoDBClient, name: str) -> None:
    with contextlib.suppress(dynamodb.exceptions.ResourceInUseException):  # already there
        dynamodb.create_table(**TABLE.create_table_kwargs(name))
    ttl = dynamodb.describe_time_to_live(TableName=name)["TimeToLiveDescription"]
    if ttl.get("TimeToLiveStatus") not in ("ENABLED", "ENABLING"):
        dynamodb.update_time_to_live(
            TableName=name,
            TimeToLiveSpecification={"Enabled": True, "AttributeName": TABLE.ttl_attribute},
        )


def _ensure_bucket(
    s3: S3Client,
    name: str,
    region: str,
    web_origins: Sequence[str],
    *,
    tls: bool,
    shape: BucketShape,
) -> None:
    """The bucket with every setting of the shape; each call below is a full replace, so
    running it again converges instead of piling up. (moto stores these settings but does
    not act on them: no lifecycle runs, no policy is evaluated.)"""
    with contextlib.suppress(s3.exceptions.BucketAlreadyOwnedByYou):
        if region == "us-east-1":
            s3.create_bucket(Bucket=name)
        else:
            s3.create_bucket(
                Bucket=name,
                CreateBucketConfiguration={"LocationConstraint": region},  # type: ignore[typeddict-item]
            )
    s3.put_public_access_block(
        Bucket=name,
        PublicAccessBlockConfiguration=shape.public_access_block(),  # type: ignore[arg-type]
    )
    s3.put_bucket_encryption(
        Bucket=name,
        ServerSideEncryptionConfiguration=shape.encryption(),  # type: ignore[arg-type]
    )
    if tls:
        # moto evaluates bucket policies: over plain HTTP (the local endpoint) the TLS-only
        # policy would refuse every request, so it applies only where TLS is spoken.
        s3.put_bucket_policy(Bucket=name, Policy=json.dumps(shape.tls_only_policy(name)))
    if shape.versioned:
        s3.put_bucket_versioning(Bucket=name, VersioningConfiguration={"Status": "Enabled"})
    if web_origins:
        s3.put_bucket_cors(
            Bucket=name,
            CORSConfiguration={"CORSRules": shape.cors_rules(web_origins)},  # type: ignore[typeddict-item]
        )
    s3.put_bucket_lifecycle_configuration(
        Bucket=name,
        LifecycleConfiguration={"Rules": shape.lifecycle_rules()},  # type: ignore[typeddict-item]
    )


def _ensure_queues(sqs: Any, name: str, shape: QueueShape) -> tuple[str, str]:
    """A jobs queue and its DLQ (redrive after ``max_receive_count`` receives); returns
    their URLs. Attributes are set on every run, so a changed shape converges."""
    dlq_url = sqs.create_queue(QueueName=f"{name}-dlq")["QueueUrl"]
    sqs.set_queue_attributes(QueueUrl=dlq_url, Attributes=shape.dlq_attributes())
    dlq_arn = sqs.get_queue_attributes(QueueUrl=dlq_url, AttributeNames=["QueueArn"])["Attributes"][
        "QueueArn"
    ]
    queue_url = sqs.create_queue(QueueName=name)["QueueUrl"]
    sqs.set_queue_attributes(QueueUrl=queue_url, Attributes=shape.queue_attributes(dlq_arn))
    return str(queue_url), str(dlq_url)


def _ensure_sender(ses: Any, sender: str) -> None:
    """SES sends only from verified identities (moto checks it too); moto verifies at once."""
    ses.verify_email_identity(EmailAddress=sender)
    status = ses.get_identity_verification_attributes(Identities=[sender])
    state = status["VerificationAttributes"].get(sender, {}).get("VerificationStatus")
    if state != "Success":
        raise RuntimeError(f"SES did not verify the sender {sender}: {state}")
