"""Resource shapes, declared once.

The CDK constructs (``infra/``) and the local bootstrap (``tasklane.local.bootstrap``) both
read these, so the table, the user pool and their settings cannot drift between AWS and a
laptop. Only plain data lives here: no boto3, no CDK.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class Index:
    name: str
    partition_key: str
    sort_key: str
    #: ``ALL`` or ``KEYS_ONLY``; list pages need whole items, so task indexes project ALL.
    projection: str = "ALL"


@dataclass(frozen=True, slots=True)
class TableShape:
    partition_key: str
    sort_key: str
    global_indexes: tuple[Index, ...]
    local_indexes: tuple[Index, ...]
    ttl_attribute: str
    stream_view: str

    def key_attributes(self) -> list[str]:
        names = [self.partition_key, self.sort_key]
        for index in (*self.global_indexes, *self.local_indexes):
            names += [index.partition_key, index.sort_key]
        return list(dict.fromkeys(names))

    def create_table_kwargs(self, table_name: str) -> dict[str, Any]:
        """Arguments for ``dynamodb.create_table`` (the local bootstrap)."""

        def key_schema(pk: str, sk: str) -> list[dict[str, str]]:
            return [
                {"AttributeName": pk, "KeyType": "HASH"},
                {"AttributeName": sk, "KeyType": "RANGE"},
            ]

        return {
            "TableName": table_name,
            "BillingMode": "PAY_PER_REQUEST",
            "AttributeDefinitions": [
                {"AttributeName": name, "AttributeType": "S"} for name in self.key_attributes()
            ],
            "KeySchema": key_schema(self.partition_key, self.sort_key),
            "GlobalSecondaryIndexes": [
                {
                    "IndexName": index.name,
                    "KeySchema": key_schema(index.partition_key, index.sort_key),
                    "Projection": {"ProjectionType": index.projection},
                }
                for index in self.global_indexes
            ],
            "LocalSecondaryIndexes": [
                {
                    "IndexName": index.name,
                    "KeySchema": key_schema(index.partition_key, index.sort_key),
                    "Projection": {"ProjectionType": index.projection},
                }
                for index in self.local_indexes
            ],
            "StreamSpecification": {"StreamEnabled": True, "StreamViewType": self.stream_view},
            "SSESpecification": {"Enabled": True},
        }


#: Projects, memberships, tasks and idempotency records share one table.
#:
#: ========================  =====================  ==================  ===========================
#: item                      pk                     sk                  index keys
#: ========================  =====================  ==================  ===========================
#: project                   PROJECT#<project id>   PROJECT             marked deleted (its purge
#:                                                                      under way): gsi1: PURGE,
#:                                                                      <last purge pass at>
#: membership                PROJECT#<project id>   MEMBER#<user id>    gsi1: USER#<user id>,
#:                                                                      PROJECT#<rank>#<project id>
#: task                      PROJECT#<project id>   TASK#<task ulid>    lsi_due, lsi_priority;
#:                                                                      gsi_board: BOARD#<project
#:                                                                      id>#<status>,
#:                                                                      <position>#<task ulid>
#: idempotency record        <hash of the key>      IDEMPOTENCY
#: attachment                PROJECT#<project id>   ATTACHMENT#<task    gsi1 while pending:
#:                                                  ulid>#<att ulid>    UPLOADS#<day>, <expiry>#…
#: task with an assignee     (as task)              (as task)           gsi1: ASSIGNEE#<user id>,
#:                                                                      DUE#<due or ~>#<task id>
#: comment                   PROJECT#<project id>   COMMENT#<task
#:                                                  ulid>#<comment ulid>
#: task in the trash         (as task)              (as task)           gsi1: TRASH#<project id>,
#:                                                                      <deleted at>#<task id>;
#:                                                                      TTL: expires_at (purge)
#: activity entry            PROJECT#<project id>   ACTIVITY#<entry     gsi1 for a task's: ACTIVITY#
#:                                                  ulid>               <task id>, <entry ulid>;
#:                                                                      TTL: expires_at (1 year)
#: notification (in-app)     INBOX#<user id>        NOTE#<ulid>         TTL: expires_at; while
#:                                                                      unread, gsi1: UNREAD#<user
#:                                                                      id>, NOTE#<ulid>
#: unread counter            INBOX#<user id>        UNREAD
#: expired-unread marker     INBOX#<user id>        EXPIRED#<ulid>      (counts a TTL removal once)
#: ========================  =====================  ==================  ===========================
#:
#: A task's checklist items are attributes of the task item (``chk_<item ulid>``, with
#: ``checklist_count``), so changes of different items never write the same attribute.
#: A project's tasks and memberships share its partition, so a list page is one Query and a
#: membership check plus a task read is one BatchGetItem. ``gsi_board`` is a partition per
#: status column, so a board column page is a key condition (a global index, not a local
#: one, because an existing table can gain it: local indexes exist only from creation).
TABLE = TableShape(
    partition_key="pk",
    sort_key="sk",
    global_indexes=(
        Index("gsi1", "gsi1pk", "gsi1sk"),
        Index("gsi_board", "board_pk", "board_sk"),
    ),
    local_indexes=(
        Index("lsi_due", "pk", "lsi_due_sk"),
        Index("lsi_priority", "pk", "lsi_priority_sk"),
    ),
    ttl_attribute="expires_at",
    stream_view="NEW_AND_OLD_IMAGES",
)


@dataclass(frozen=True, slots=True)
class PasswordPolicy:
    minimum_length: int = 12
    require_lowercase: bool = True
    require_uppercase: bool = True
    require_digits: bool = True
    require_symbols: bool = False
    temporary_password_validity_days: int = 3


@dataclass(frozen=True, slots=True)
class UserPoolShape:
    password_policy: PasswordPolicy
    #: Users sign in with their e-mail address; it is their user name.
    username_attributes: tuple[str, ...] = ("email",)
    auto_verified_attributes: tuple[str, ...] = ("email",)
    #: The web client (public: no secret) allows exactly the flows the web app uses
    #: (``web/src/lib/auth.ts``: USER_PASSWORD_AUTH to log in, REFRESH_TOKEN_AUTH to stay
    #: logged in); Cognito refuses every other, and so does the local runtime
    #: (``tasklane.local.cognito_rules``). docs/deploy.md weighs USER_PASSWORD_AUTH against SRP.
    client_auth_flows: tuple[str, ...] = ("ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH")
    #: What the client may write (sign-up sends the e-mail and an optional name) and read
    #: (the ID token's claims: the API takes the profile's e-mail and name from them).
    client_write_attributes: tuple[str, ...] = ("email", "name")
    client_read_attributes: tuple[str, ...] = ("email", "email_verified", "name")
    #: A change of these takes effect only once verified (Cognito e-mails a code to the new
    #: address; until then the old, verified one stays, in tokens too). The API trusts only a
    #: verified address; without this an address change would leave the account with none.
    #: moto does not model it: ``tasklane.local.cognito_verification`` does.
    attributes_require_verification: tuple[str, ...] = ("email",)
    #: Token lifetimes. moto issues every token for one hour whatever the client says, so
    #: the local stack honours these only while they are 60 minutes (tests/local checks it).
    id_token_validity_minutes: int = 60
    access_token_validity_minutes: int = 60
    refresh_token_validity_days: int = 30

    def create_user_pool_kwargs(self, pool_name: str) -> dict[str, Any]:
        policy = self.password_policy
        return {
            "PoolName": pool_name,
            "UsernameAttributes": list(self.username_attributes),
            "AutoVerifiedAttributes": list(self.auto_verified_attributes),
            "Policies": {
                "PasswordPolicy": {
                    "MinimumLength": policy.minimum_length,
                    "RequireLowercase": policy.require_lowercase,
                    "RequireUppercase": policy.require_uppercase,
                    "RequireNumbers": policy.require_digits,
                    "RequireSymbols": policy.require_symbols,
                    "TemporaryPasswordValidityDays": policy.temporary_password_validity_days,
                }
            },
            "Schema": [{"Name": "email", "AttributeDataType": "String", "Required": True}],
            "AccountRecoverySetting": {
                "RecoveryMechanisms": [{"Priority": 1, "Name": "verified_email"}]
            },
            "UserAttributeUpdateSettings": {
                "AttributesRequireVerificationBeforeUpdate": list(
                    self.attributes_require_verification
                )
            },
        }

    def create_client_kwargs(self, pool_id: str, client_name: str) -> dict[str, Any]:
        return {
            "UserPoolId": pool_id,
            "ClientName": client_name,
            "GenerateSecret": False,
            "ExplicitAuthFlows": list(self.client_auth_flows),
            "ReadAttributes": list(self.client_read_attributes),
            "WriteAttributes": list(self.client_write_attributes),
            "PreventUserExistenceErrors": "ENABLED",
            "EnableTokenRevocation": True,
            "IdTokenValidity": self.id_token_validity_minutes,
            "AccessTokenValidity": self.access_token_validity_minutes,
            "RefreshTokenValidity": self.refresh_token_validity_days,
            "TokenValidityUnits": {
                "IdToken": "minutes",
                "AccessToken": "minutes",
                "RefreshToken": "days",
            },
        }


USER_POOL = UserPoolShape(password_policy=PasswordPolicy())


#: The tag a browser upload carries until it is attached (the presigned POST sets it; once the
#: attachment is ``ready`` the stream consumer removes it): a lifecycle rule expires objects
#: still tagged, so an upload never completed, or finished after its record was gone, cannot
#: linger.
PENDING_UPLOAD_TAG = ("tasklane-upload", "pending")


@dataclass(frozen=True, slots=True)
class BucketShape:
    """The attachments bucket: private, encrypted, TLS-only, versioned.

    Objects are keyed ``attachments/<project id>/<task ulid>/<attachment ulid>`` (never user
    input); browsers upload with a presigned POST and download with a presigned GET.
    """

    #: SSE-S3: no key policy to manage, and presigned GETs need no kms:Decrypt grant.
    sse_algorithm: str = "AES256"
    versioned: bool = True
    #: Days an object version still tagged :data:`PENDING_UPLOAD_TAG` is kept, current or
    #: not. Not 1 (S3's minimum): the tag of a completed upload goes asynchronously, from
    #: the stream, and a day's outage of that consumer must not cost a file.
    pending_expiry_days: int = 2
    abort_multipart_days: int = 1
    cors_methods: tuple[str, ...] = ("POST", "GET", "HEAD")
    cors_max_age_seconds: int = 3600

    def public_access_block(self) -> dict[str, bool]:
        return {
            "BlockPublicAcls": True,
            "IgnorePublicAcls": True,
            "BlockPublicPolicy": True,
            "RestrictPublicBuckets": True,
        }

    def encryption(self) -> dict[str, Any]:
        return {
            "Rules": [
                {
                    "ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": self.sse_algorithm},
                    "BucketKeyEnabled": True,
                }
            ]
        }

    def tls_only_policy(self, bucket_name: str, partition: str = "aws") -> dict[str, Any]:
        arn = f"arn:{partition}:s3:::{bucket_name}"
        return {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Sid": "DenyInsecureTransport",
                    "Effect": "Deny",
                    "Principal": "*",
                    "Action": "s3:*",
                    "Resource": [arn, f"{arn}/*"],
                    "Condition": {"Bool": {"aws:SecureTransport": "false"}},
                }
            ],
        }

    def cors_rules(self, origins: Sequence[str]) -> list[dict[str, Any]]:
        """Browsers POST the upload form and GET downloads from the web app's origins."""
        return [
            {
                "AllowedOrigins": list(origins),
                "AllowedMethods": list(self.cors_methods),
                "AllowedHeaders": ["*"],
                "ExposeHeaders": ["ETag", "Location", "x-amz-version-id"],
                "MaxAgeSeconds": self.cors_max_age_seconds,
            }
        ]

    def lifecycle_rules(self) -> list[dict[str, Any]]:
        """Only versions still tagged pending ever expire. A completed attachment names its
        verified version, which has lost the tag: it must outlive any later version (an
        upload form used again before it expired makes it noncurrent), so there is no rule
        for untagged noncurrent versions. Deleting an attachment deletes every version."""
        key, value = PENDING_UPLOAD_TAG
        return [
            {
                "ID": "expire-uncompleted-uploads",
                "Status": "Enabled",
                "Filter": {"Tag": {"Key": key, "Value": value}},
                "Expiration": {"Days": self.pending_expiry_days},
                "NoncurrentVersionExpiration": {"NoncurrentDays": self.pending_expiry_days},
            },
            {
                "ID": "abort-incomplete-multipart-uploads",
                "Status": "Enabled",
                "Filter": {"Prefix": ""},
                "AbortIncompleteMultipartUpload": {
                    "DaysAfterInitiation": self.abort_multipart_days
                },
            },
            {
                # Once all versions are gone, the delete marker left behind is removed too.
                "ID": "remove-expired-delete-markers",
                "Status": "Enabled",
                "Filter": {"Prefix": ""},
                "Expiration": {"ExpiredObjectDeleteMarker": True},
            },
        ]


ATTACHMENTS_BUCKET = BucketShape()

#: Key prefixes of the exchange bucket (never user input after them: ids only).
EXPORTS_PREFIX = "exports/"
IMPORTS_PREFIX = "imports/"


@dataclass(frozen=True, slots=True)
class ExchangeBucketShape(BucketShape):
    """The exchange bucket: export ZIPs (``exports/<user>/<export id>.zip``, written by the
    export worker, downloaded through a presigned GET) and import uploads
    (``imports/<user>/<import id>``, sent by the browser with a presigned POST).

    Not versioned: nothing in it is edited, and a lifecycle expiry must delete the bytes
    (in a versioned bucket it would only add a delete marker). Both kinds expire after
    :attr:`expiry_days` (an export's download link is offered that long; an import's file
    is needed until its run ends)."""

    versioned: bool = False
    expiry_days: int = 7

    def lifecycle_rules(self) -> list[dict[str, Any]]:
        return [
            {
                "ID": f"expire-{prefix.strip('/')}",
                "Status": "Enabled",
                "Filter": {"Prefix": prefix},
                "Expiration": {"Days": self.expiry_days},
                "AbortIncompleteMultipartUpload": {
                    "DaysAfterInitiation": self.abort_multipart_days
                },
            }
            for prefix in (EXPORTS_PREFIX, IMPORTS_PREFIX)
        ]


EXCHANGE_BUCKET = ExchangeBucketShape()


@dataclass(frozen=True, slots=True)
class QueueShape:
    """The notification jobs queue and its dead-letter queue (SQS).

    The notifier's event source mapping reports partial batch failures; a job that fails
    ``max_receive_count`` times moves to the DLQ, where an alarm sees it.
    """

    #: Six times the notifier's timeout, as AWS recommends for SQS event sources.
    visibility_timeout_seconds: int = 180
    #: A job not sent within four days is stale news.
    retention_seconds: int = 4 * 24 * 3600
    #: Long enough to notice, investigate and replay (docs/operations.md).
    dlq_retention_seconds: int = 14 * 24 * 3600
    max_receive_count: int = 3
    receive_wait_seconds: int = 20
    #: SSE with SQS-managed keys: encrypted at rest, no key policy to manage.
    sqs_managed_sse: bool = True

    def dlq_attributes(self) -> dict[str, str]:
        """``Attributes`` for ``sqs.create_queue`` of the DLQ (the local bootstrap)."""
        return {
            "MessageRetentionPeriod": str(self.dlq_retention_seconds),
            "SqsManagedSseEnabled": str(self.sqs_managed_sse).lower(),
        }

    def queue_attributes(self, dlq_arn: str) -> dict[str, str]:
        """``Attributes`` for ``sqs.create_queue`` of the queue, redriving to ``dlq_arn``."""
        return {
            "VisibilityTimeout": str(self.visibility_timeout_seconds),
            "MessageRetentionPeriod": str(self.retention_seconds),
            "ReceiveMessageWaitTimeSeconds": str(self.receive_wait_seconds),
            "SqsManagedSseEnabled": str(self.sqs_managed_sse).lower(),
            "RedrivePolicy": json.dumps(
                {"deadLetterTargetArn": dlq_arn, "maxReceiveCount": self.max_receive_count}
            ),
        }


NOTIFICATIONS_QUEUE = QueueShape()
#: Export jobs: the worker may run for its whole 15-minute timeout (a large project with its
#: files), so a message stays invisible six times that; a job failing three times is kept
#: in the DLQ (the export shows ``failed`` once the worker gave up on it).
EXPORTS_QUEUE = QueueShape(visibility_timeout_seconds=6 * 900)
#: Import jobs: as exports (a 10,000-row import writes for a few minutes).
IMPORTS_QUEUE = QueueShape(visibility_timeout_seconds=6 * 900)
#: Webhook deliveries: one message per delivery, received once per attempt. A failed
#: attempt sets the message's visibility to the next retry delay
#: (``tasklane.domain.exchange.webhooks.retry_delay``: ~23 hours over 9 attempts), so
#: ``max_receive_count`` is the number of attempts; the worker's timeout is 60 s.
WEBHOOKS_QUEUE = QueueShape(visibility_timeout_seconds=360, max_receive_count=9)

#: How often the reminders function runs (EventBridge schedule in AWS, a timer locally).
REMINDER_INTERVAL_MINUTES = 5
#: In-app notifications expire (DynamoDB TTL) after this many days.
NOTIFICATION_RETENTION_DAYS = 90
