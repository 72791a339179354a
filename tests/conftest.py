"""Settings every suite shares, set before any test module is imported.

The handler reads its settings, and Powertools its service and namespace, once per process
(as in a Lambda container): they must be in place before the first import of
``tasklane.handlers`` or ``tasklane.observability``, whichever suite imports it first.
"""

from __future__ import annotations

import os

#: Fixtures of the shared servers (moto, embedded PostgreSQL), for every suite that asks.
pytest_plugins = ["tests.servers"]

TEST_ENVIRONMENT = {
    "TASKLANE_TABLE_NAME": "tasklane-test",
    "TASKLANE_CURSOR_SECRET": "test-cursor-secret",
    "TASKLANE_CORS_ORIGINS": "http://127.0.0.1:3000",
    "POWERTOOLS_SERVICE_NAME": "tasklane-test",
    "POWERTOOLS_METRICS_NAMESPACE": "TasklaneTest",
    "POWERTOOLS_TRACE_DISABLED": "true",
    "POWERTOOLS_LOG_LEVEL": "WARNING",
}
os.environ.update(TEST_ENVIRONMENT)
