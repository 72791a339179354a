"""The stale-upload sweeper (handlers/sweeper.py): settings from its own environment."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest

from tasklane.handlers import sweeper
from tasklane.settings import AttachmentSettings


def test_sweeps_the_configured_table_and_bucket(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[tuple[Any, ...]] = []

    def fake_sweep(store: Any, storage: Any, settings: AttachmentSettings, now: datetime) -> int:
        calls.append((store, storage, settings, now))
        return 3

    monkeypatch.setattr(sweeper, "sweep_stale_uploads", fake_sweep)
    # Only what the function's environment holds: no cursor secret (the api's alone).
    monkeypatch.delenv("TASKLANE_CURSOR_SECRET", raising=False)
    monkeypatch.delenv("TASKLANE_CURSOR_SECRET_ARN", raising=False)
    monkeypatch.setenv("TASKLANE_TABLE_NAME", "tasklane-prod")
    monkeypatch.setenv("TASKLANE_ATTACHMENTS_BUCKET", "tasklane-prod-attachments")
    monkeypatch.setenv("TASKLANE_ATTACHMENT_PENDING_GRACE_SECONDS", "120")

    assert sweeper.lambda_handler({"source": "aws.events"}, _context()) == {"swept": 3}

    ((store, storage, settings, now),) = calls
    assert store._table == "tasklane-prod"
    assert storage._bucket == "tasklane-prod-attachments"
    assert settings.pending_grace_seconds == 120
    assert now.tzinfo is not None


def test_a_failed_sweep_fails_the_invocation(monkeypatch: pytest.MonkeyPatch) -> None:
    def fail(*_: Any) -> int:
        raise RuntimeError("throttled")

    monkeypatch.setattr(sweeper, "sweep_stale_uploads", fail)
    with pytest.raises(RuntimeError, match="throttled"):
        sweeper.lambda_handler({}, _context())


def _context() -> Any:
    class Context:
        function_name = "sweeper"
        memory_limit_in_mb = 256
        invoked_function_arn = "arn:aws:lambda:eu-west-1:123456789012:function:sweeper"
        aws_request_id = "req-1"

    return Context()
