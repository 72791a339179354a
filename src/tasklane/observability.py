"""Logger, Tracer and Metrics, one of each per process (Powertools).

They exist before any container does: Powertools decorates the handlers at import. Their
service name and namespace come from :func:`tasklane.settings.observability_from_environment`
(the standard ``POWERTOOLS_*`` variables, with defaults), so the CDK app and the local
runtime configure them the same way.
"""

from __future__ import annotations

from aws_lambda_powertools import Logger, Metrics, Tracer

from tasklane.settings import observability_from_environment

_settings = observability_from_environment()

logger = Logger(service=_settings.service)
# Patching every library X-Ray supports imports botocore, httpx and more (~120 ms of cold
# start); ``tasklane.dal.aws`` patches botocore when it creates the first client instead.
tracer = Tracer(service=_settings.service, auto_patch=False)
metrics = Metrics(service=_settings.service, namespace=_settings.namespace)
