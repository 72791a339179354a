"""``tasklane dlq``: look into a dead-letter queue and send its messages back (AWS, or the
local stack with ``--aws-endpoint``).

    tasklane dlq peek  [--queue NAME|URL]                 (count, and a few bodies)
    tasklane dlq replay [--queue NAME|URL] [--to URL] [--max N] [--server-side]

``replay`` moves messages from the DLQ to the queue that dead-letters into it (found with
``ListDeadLetterSourceQueues``) or to ``--to``: receive a batch, send it (bodies and message
attributes unchanged), then delete from the DLQ exactly the messages that were sent. A
crash between send and delete sends a message twice, never loses one: the notifier is
idempotent per job id, so a duplicate job is a no-op. ``--server-side`` asks SQS to do the
move instead (``StartMessageMoveTask``, AWS only: moto does not implement it).

Only for the notification jobs DLQ. The events DLQ holds Lambda's failure records of
stream batches (shard and sequence numbers, not the records): it is not replayed; after the
cause is fixed, ``tasklane reconcile --fix`` repairs the projection (docs/operations.md).
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass, field
from typing import Any

from tasklane.settings import LOCAL_QUEUE_NAME

#: The local stack's queue (``tasklane dev``); in AWS pass --queue.
DEFAULT_QUEUE_NAME = LOCAL_QUEUE_NAME
#: SQS's largest batch for ReceiveMessage, SendMessageBatch and DeleteMessageBatch.
BATCH = 10


@dataclass
class ReplayResult:
    source_url: str
    destination_url: str
    moved: int = 0
    failed: list[str] = field(default_factory=list)
    task_handle: str | None = None

    def text(self) -> str:
        if self.task_handle:
            return f"move task started: {self.task_handle} ({self.source_url} -> source queue)"
        line = f"moved {self.moved} message(s) {self.source_url} -> {self.destination_url}"
        if self.failed:
            line += f"; {len(self.failed)} not sent (left in the DLQ): {', '.join(self.failed)}"
        return line


def queue_url(sqs: Any, queue: str) -> str:
    """A queue URL from a URL or a name."""
    if queue.startswith(("https://", "http://")):
        return queue
    return str(sqs.get_queue_url(QueueName=queue)["QueueUrl"])


def source_queue(sqs: Any, dlq_url: str) -> str:
    """The one queue whose redrive policy names this DLQ."""
    sources = sqs.list_dead_letter_source_queues(QueueUrl=dlq_url).get("queueUrls", [])
    if len(sources) != 1:
        raise ValueError(
            f"{dlq_url} is the DLQ of {len(sources)} queues ({sources}); pass --to to choose"
        )
    return str(sources[0])


def peek(sqs: Any, dlq_url: str, *, show: int = 3) -> tuple[int, list[str]]:
    """Approximate depth and up to ``show`` bodies. Received with a visibility timeout of 0:
    the messages stay available for a replay right after."""
    attributes = sqs.get_queue_attributes(
        QueueUrl=dlq_url, AttributeNames=["ApproximateNumberOfMessages"]
    )["Attributes"]
    received = sqs.receive_message(
        QueueUrl=dlq_url, MaxNumberOfMessages=min(show, BATCH), VisibilityTimeout=0
    ).get("Messages", [])
    return int(attributes["ApproximateNumberOfMessages"]), [m["Body"] for m in received]


def replay(
    sqs: Any,
    dlq_url: str,
    *,
    destination_url: str | None = None,
    max_messages: int | None = None,
    server_side: bool = False,
    wait_seconds: int = 1,
) -> ReplayResult:
    if server_side:
        arn = sqs.get_queue_attributes(QueueUrl=dlq_url, AttributeNames=["QueueArn"])["Attributes"][
            "QueueArn"
        ]
        kwargs: dict[str, Any] = {"SourceArn": arn}
        if destination_url:
            kwargs["DestinationArn"] = sqs.get_queue_attributes(
                QueueUrl=destination_url, AttributeNames=["QueueArn"]
            )["Attributes"]["QueueArn"]
        handle = sqs.start_message_move_task(**kwargs)["TaskHandle"]
        return ReplayResult(dlq_url, destination_url or "(source queue)", task_handle=handle)

    destination = destination_url or source_queue(sqs, dlq_url)
    result = ReplayResult(dlq_url, destination)
    while max_messages is None or result.moved + len(result.failed) < max_messages:
        wanted = BATCH if max_messages is None else min(BATCH, max_messages - result.moved)
        messages = sqs.receive_message(
            QueueUrl=dlq_url,
            MaxNumberOfMessages=wanted,
            WaitTimeSeconds=wait_seconds,
            MessageAttributeNames=["All"],
        ).get("Messages", [])
        if not messages:
            break
        entries = [
            {
                "Id": str(index),
                "MessageBody": message["Body"],
                **(
                    {"MessageAttributes": message["MessageAttributes"]}
                    if message.get("MessageAttributes")
                    else {}
                ),
            }
            for index, message in enumerate(messages)
        ]
        sent = sqs.send_message_batch(QueueUrl=destination, Entries=entries)
        done = {entry["Id"] for entry in sent.get("Successful", [])}
        result.failed += [messages[int(f["Id"])]["MessageId"] for f in sent.get("Failed", [])]
        if done:
            sqs.delete_message_batch(
                QueueUrl=dlq_url,
                Entries=[
                    {"Id": i, "ReceiptHandle": messages[int(i)]["ReceiptHandle"]} for i in done
                ],
            )
        result.moved += len(done)
        if result.failed:
            break  # the destination refuses: stop rather than spin on the same messages
    return result


def sqs_client(aws_endpoint: str | None, region: str | None) -> Any:
    """SQS of the environment (AWS) or, with ``aws_endpoint``, the local moto."""
    import boto3

    from tasklane.local.launcher import DUMMY_CREDENTIALS
    from tasklane.settings import DEFAULT_REGION

    if aws_endpoint is None:
        return boto3.client("sqs", region_name=region)
    return boto3.client(
        "sqs",
        region_name=region or DEFAULT_REGION,
        endpoint_url=aws_endpoint,
        aws_access_key_id=DUMMY_CREDENTIALS["AWS_ACCESS_KEY_ID"],
        aws_secret_access_key=DUMMY_CREDENTIALS["AWS_SECRET_ACCESS_KEY"],
    )


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """``tasklane dlq peek|replay``."""
    dlq = commands.add_parser(
        "dlq",
        help="look into the notification jobs DLQ and send its messages back",
        description="AWS: the environment's credentials and region. Locally: --aws-endpoint.",
    ).add_subparsers(required=True, metavar="ACTION")
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--queue", default=f"{DEFAULT_QUEUE_NAME}-dlq", help="DLQ name or URL (%(default)s)"
    )
    common.add_argument(
        "--aws-endpoint",
        default=None,
        help="an emulator's endpoint, e.g. moto of `make run`: http://127.0.0.1:5000",
    )
    common.add_argument("--region", default=None, help="default: the environment's")
    peek_ = dlq.add_parser("peek", parents=[common], help="how many messages, and a few")
    peek_.set_defaults(run=_peek)
    replay_ = dlq.add_parser("replay", parents=[common], help="move messages back")
    replay_.add_argument("--to", default=None, help="destination URL (default: the source)")
    replay_.add_argument("--max", type=int, default=None, help="move at most this many")
    replay_.add_argument(
        "--server-side", action="store_true", help="AWS StartMessageMoveTask instead"
    )
    replay_.set_defaults(run=_replay)


def _peek(args: argparse.Namespace) -> int:
    sqs = sqs_client(args.aws_endpoint, args.region)
    depth, bodies = peek(sqs, queue_url(sqs, args.queue))
    print(f"{depth} message(s)")
    for body in bodies:
        print(body)
    return 0


def _replay(args: argparse.Namespace) -> int:
    sqs = sqs_client(args.aws_endpoint, args.region)
    result = replay(
        sqs,
        queue_url(sqs, args.queue),
        destination_url=args.to,
        max_messages=args.max,
        server_side=args.server_side,
    )
    print(result.text(), flush=True)
    return 1 if result.failed else 0
