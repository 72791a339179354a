"""Logger, Tracer and Metrics, one of each per container (Powertools).

Service name, namespace, log level and sampling come from the standard POWERTOOLS_*
environment variables, so the CDK app and the local runtime configure them the same way.
"""

from __future__ import annotations

import os

from aws_lambda_powertools import Logger, Metrics, Tracer

#: Used when POWERTOOLS_SERVICE_NAME / POWERTOOLS_METRICS_NAMESPACE are unset: without a
#: namespace, Powertools refuses to flush metrics and the request fails.
SERVICE = os.environ.get("POWERTOOLS_SERVICE_NAME") or "tasklane"
NAMESPACE = os.environ.get("POWERTOOLS_METRICS_NAMESPACE") or "Tasklane"

logger = Logger(service=SERVICE)
# Patching every library X-Ray supports imports botocore, httpx and more (~120 ms of cold
# start); ``tasklane.dal.aws`` patches botocore when it creates the first client instead.
tracer = Tracer(service=SERVICE, auto_patch=False)
metrics = Metrics(service=SERVICE, namespace=NAMESPACE)
