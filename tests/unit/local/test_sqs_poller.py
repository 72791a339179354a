"""The SQS poller hands the notifier Lambda's SQS record shape."""

from __future__ import annotations

from tasklane.local.sqs_poller import to_lambda_record


def test_an_sqs_message_in_lambdas_shape() -> None:
    record = to_lambda_record(
        {
            "MessageId": "m-1",
            "ReceiptHandle": "rh",
            "Body": "{}",
            "MD5OfBody": "99914b932bd37a50b983c5e7c90ae93b",
            "Attributes": {"ApproximateReceiveCount": "2", "SentTimestamp": "1"},
            "MessageAttributes": {"kind": {"DataType": "String", "StringValue": "task_due"}},
        },
        "arn:aws:sqs:eu-west-1:123456789012:q",
        "eu-west-1",
    )
    assert record == {
        "messageId": "m-1",
        "receiptHandle": "rh",
        "body": "{}",
        "attributes": {"ApproximateReceiveCount": "2", "SentTimestamp": "1"},
        "messageAttributes": {
            "kind": {
                "stringValue": "task_due",
                "binaryValue": None,
                "stringListValues": [],
                "binaryListValues": [],
                "dataType": "String",
            }
        },
        "md5OfBody": "99914b932bd37a50b983c5e7c90ae93b",
        "eventSource": "aws:sqs",
        "eventSourceARN": "arn:aws:sqs:eu-west-1:123456789012:q",
        "awsRegion": "eu-west-1",
    }
