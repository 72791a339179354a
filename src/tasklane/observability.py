"""Logger, Tracer and Metrics, one of each per container (Powertools).

Service name, namespace, log level and sampling come from the standard POWERTOOLS_*
environment variables, so the CDK app and the local runtime configure them the same way.
"""

from __future__ import annotations

from aws_lambda_powertools import Logger, Metrics, Tracer

logger = Logger()
# Patching every library X-Ray supports imports botocore, httpx and more (~120 ms of cold
# start); ``tasklane.dal.aws`` patches botocore when it creates the first client instead.
tracer = Tracer(auto_patch=False)
metrics = Metrics()
