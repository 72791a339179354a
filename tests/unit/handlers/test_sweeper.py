"""The stale-upload sweeper (handlers/sweeper.py): its container reads the table and bucket
from its own environment, and the handler sweeps through it."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from tasklane.dal.dynamodb import items as it
from tasklane.domain.attachments import Attachment, AttachmentRecord, AttachmentStatus
from tasklane.domain.models import Role, format_time, utc_now
from tasklane.handlers import sweeper
from tasklane.settings import Settings
from tasklane.wiring.sweeper import SweeperContainer, root
from tests.builders import project_model
from tests.fakes.attachments import InMemoryAttachments
from tests.fakes.project_purge import InMemoryProjectPurge
from tests.fakes.projects import InMemoryProjects
from tests.fakes.storage import InMemoryStorage
from tests.fakes.table import InMemoryTable

P, T, A = "01jprojectprojectprojectpr", "01jtasktasktasktasktasktas", "01jattachattachattachattac"


def test_the_container_names_the_configured_table_and_bucket() -> None:
    # Only what the function's environment holds: no cursor secret (the api's alone).
    container = SweeperContainer(
        Settings.from_environment(
            {
                "TASKLANE_TABLE_NAME": "tasklane-prod",
                "TASKLANE_ATTACHMENTS_BUCKET": "tasklane-prod-attachments",
                "TASKLANE_ATTACHMENT_PENDING_GRACE_SECONDS": "120",
            }
        )
    )
    assert container.table.name == "tasklane-prod"
    assert container.storage._bucket == "tasklane-prod-attachments"  # type: ignore[attr-defined]
    assert container.settings.attachments.pending_grace_seconds == 120


def test_the_handler_sweeps_an_abandoned_upload() -> None:
    store, storage = InMemoryAttachments(InMemoryTable()), InMemoryStorage()
    expired = format_time(utc_now() - timedelta(hours=2))
    record = AttachmentRecord(
        attachment=Attachment(
            id=A,
            task_id=f"{P}-{T}",
            file_name="a.pdf",
            size=3,
            content_type="application/pdf",
            status=AttachmentStatus.pending,
            created_at=expired,
            created_by="user-ada",
        ),
        project_id=P,
        task_ulid=T,
        upload_expires_at=expired,
    )
    store.records[(P, T, A)] = record
    storage.upload(record.key, b"%PD", "application/pdf")
    container = SweeperContainer(Settings.from_environment({}))
    container.override(
        attachment_store=store, storage=storage, purge_store=InMemoryProjectPurge(InMemoryTable())
    )
    with root.overridden(container):
        assert sweeper.lambda_handler({"source": "aws.events"}, _context()) == {
            "swept": 1,
            "purges_resumed": 0,
        }
    assert store.records == {}
    assert storage.objects == {}


def test_the_handler_resumes_a_stalled_project_purge() -> None:
    """Issue 14, finding 7: a purge whose stream retries ran out gets a new pass."""
    table = InMemoryTable()
    projects = InMemoryProjects(table)
    stalled = project_model("user-ada", format_time(utc_now() - timedelta(hours=1)), "Old")
    projects.create_project(stalled)
    projects.delete_project(
        stalled.id, "user-ada", {Role.owner}, None, utc_now() - timedelta(minutes=20)
    )
    container = SweeperContainer(Settings.from_environment({}))
    container.override(
        attachment_store=InMemoryAttachments(table),
        storage=InMemoryStorage(),
        purge_store=InMemoryProjectPurge(table),
    )
    with root.overridden(container):
        reply = sweeper.lambda_handler({"source": "aws.events"}, _context())
        assert reply == {"swept": 0, "purges_resumed": 1}
        # Touched: its last pass is now, so the next run leaves it to the stream.
        assert sweeper.lambda_handler({"source": "aws.events"}, _context())["purges_resumed"] == 0
    item = table.get(it.project_key(stalled.id))
    assert item is not None
    assert item["purge_passes"] == {"N": "1"}


def test_a_failed_sweep_fails_the_invocation(monkeypatch: pytest.MonkeyPatch) -> None:
    def fail(*_: Any) -> int:
        raise RuntimeError("throttled")

    monkeypatch.setattr(sweeper, "sweep_stale_uploads", fail)
    container = SweeperContainer(Settings.from_environment({}))
    container.override(attachment_store=InMemoryAttachments(InMemoryTable()))
    with root.overridden(container), pytest.raises(RuntimeError, match="throttled"):
        sweeper.lambda_handler({}, _context())


def _context() -> Any:
    class Context:
        function_name = "sweeper"
        memory_limit_in_mb = 256
        invoked_function_arn = "arn:aws:lambda:eu-west-1:123456789012:function:sweeper"
        aws_request_id = "req-1"

    return Context()
