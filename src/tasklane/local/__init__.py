"""The local runtime: Tasklane on one machine, no AWS account.

moto stands in for Cognito and DynamoDB, and a small gateway stands in for API Gateway and its
Cognito authorizer; the API handler runs in-process, unchanged. Start it with ``tasklane dev``
(or ``make run``); tests start it with :class:`tasklane.local.runtime.LocalStack`.

Nothing here is imported by the Lambda handlers, and nothing heavy is imported at package
import time: the CLI's ``user`` commands must start fast.
"""
