"""Which AWS APIs each function calls, declared once, here.

The declaration does two things. It wires the network: a function in the VPC (isolated
subnets, no NAT) reaches an AWS API only through a VPC endpoint, so :class:`Network` opens
the interface endpoints it declares to its security group (DynamoDB and S3 have gateway
endpoints on the isolated subnets' route tables). And the infra tests check the template
against it (``tests/infra/test_reachability.py``): every declared service has a grant in the
function's role and a network path from where the function runs, and the role grants
nothing of a service the function does not declare. A new function, or a new client in an
old one, starts here; forgetting it fails a test instead of a deploy (or worse, a rotation
30 days later).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from aws_cdk import aws_ec2 as ec2


@dataclass(frozen=True, slots=True)
class AwsService:
    #: How people name it (and the interface endpoint's id in :class:`infra.network.Network`).
    name: str
    #: The IAM action prefix of its API (``sqs`` in ``sqs:SendMessage``).
    iam_prefix: str
    #: "gateway": the VPC's gateway endpoint; "interface": an interface endpoint
    #: (:attr:`interface`); "security-group": a peer in the VPC reached by its security
    #: group (RDS Proxy); None: no way from the isolated subnets (a function calling it must
    #: run outside the VPC).
    path: str | None
    interface: ec2.InterfaceVpcEndpointAwsService | None = None


DYNAMODB = AwsService("DynamoDb", "dynamodb", "gateway")
S3 = AwsService("S3", "s3", "gateway")
SQS = AwsService("Sqs", "sqs", "interface", ec2.InterfaceVpcEndpointAwsService.SQS)
SECRETS_MANAGER = AwsService(
    "SecretsManager",
    "secretsmanager",
    "interface",
    ec2.InterfaceVpcEndpointAwsService.SECRETS_MANAGER,
)
#: Active tracing: the X-Ray SDK in the function sends its segments to the X-Ray API.
XRAY = AwsService("XRay", "xray", "interface", ec2.InterfaceVpcEndpointAwsService.XRAY)
#: SES has no interface endpoint for its API (only SMTP): the notifier runs outside the VPC.
SES = AwsService("Ses", "ses", None)
#: The WebSocket API's Management API (``PostToConnection``): a public ``execute-api``
#: endpoint per API, no VPC endpoint for it here: the live function runs outside the VPC.
EXECUTE_API = AwsService("ExecuteApi", "execute-api", None)
#: ``rds-db:connect``: an IAM token signed in the function (no API call), presented to the
#: proxy, whose security group must admit the function's.
RDS_PROXY = AwsService("RdsProxy", "rds-db", "security-group")

#: Handler module (``tasklane.handlers.<name>``) or, for the rotation function of the
#: Secrets Manager application, "rotation" → the AWS services its code calls. The event
#: source mappings' reads (the table's stream, the notifier's queue) are made by Lambda with
#: the function's role, so they are declared too; they need no network path from the code.
FUNCTION_SERVICES: Mapping[str, frozenset[AwsService]] = {
    # Table, attachment and exchange objects (presigned POST/GET, head, tags), the cursor
    # secret, export and import jobs (queues).
    "api": frozenset({DYNAMODB, S3, SQS, SECRETS_MANAGER, RDS_PROXY, XRAY}),
    # Projection (PostgreSQL), clean-ups (table, objects), notification jobs (queue).
    "events": frozenset({DYNAMODB, S3, SQS, RDS_PROXY, XRAY}),
    # The master secret (Secrets Manager), then the instance itself (security group).
    "migrate": frozenset({SECRETS_MANAGER, XRAY}),
    "reminders": frozenset({SQS, RDS_PROXY, XRAY}),
    "sweeper": frozenset({DYNAMODB, S3, XRAY}),
    "notifier": frozenset({DYNAMODB, SES, SQS, XRAY}),
    # Outside the VPC: their job items and the projects (table), the files (S3), their
    # queue (read by the event source mapping with the function's role).
    "exporter": frozenset({DYNAMODB, S3, SQS, XRAY}),
    "importer": frozenset({DYNAMODB, S3, SQS, XRAY}),
    # Outside the VPC: the webhooks and their logs (table), its queue (visibility); the
    # receivers are on the internet, not AWS APIs.
    "webhooks": frozenset({DYNAMODB, SQS, XRAY}),
    # Live updates (infra/realtime.py), outside the VPC: the authorizer calls no AWS API
    # (Cognito's keys are a public URL); the routes keep connections in the table; the live
    # function reads the stream and posts to connections (its mapping's DLQ: SQS).
    "realtime_authorizer": frozenset({XRAY}),
    "realtime": frozenset({DYNAMODB, XRAY}),
    "live": frozenset({DYNAMODB, EXECUTE_API, SQS, XRAY}),
    # The rotation application's function: the secret, then the instance.
    "rotation": frozenset({SECRETS_MANAGER}),
}


def services_of(handler: str) -> frozenset[AwsService]:
    """The services declared for ``tasklane.handlers.<name>.lambda_handler``."""
    name = handler.split(".")[2] if handler.startswith("tasklane.handlers.") else handler
    if name not in FUNCTION_SERVICES:
        raise KeyError(f"declare the AWS services {handler} calls in infra/services.py")
    return FUNCTION_SERVICES[name]
