"""``ExportStore`` and ``ImportStore``: the export and import jobs of a user, in their
partition. Only the requester's id reaches a job: every method takes it."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Protocol

from tasklane.domain.exchange.jobs import (
    Export,
    ExportProgress,
    ExportSummary,
    ImportProgress,
    ImportRecord,
)
from tasklane.domain.exchange.report import ImportReport


class ExportStore(Protocol):
    def create_export(self, user_id: str, export: Export) -> None: ...

    def get_export(self, user_id: str, export_id: str) -> Export | None: ...

    def list_exports(self, user_id: str, limit: int) -> Sequence[Export]:
        """Newest first."""

    def start_export(self, user_id: str, export_id: str, now: datetime) -> Export | None:
        """``queued`` (or ``running``: a redelivered job) → ``running``; None when the
        export is gone or finished (nothing to do)."""

    def export_progress(
        self, user_id: str, export_id: str, progress: ExportProgress, now: datetime
    ) -> None: ...

    def finish_export(
        self,
        user_id: str,
        export_id: str,
        summary: ExportSummary | None,
        error: str | None,
        now: datetime,
    ) -> None:
        """``ready`` with ``summary``, or ``failed`` with ``error``."""


class ImportStore(Protocol):
    def create_import(self, record: ImportRecord) -> None: ...

    def get_import(self, user_id: str, import_id: str) -> ImportRecord | None: ...

    def list_imports(self, user_id: str, limit: int) -> Sequence[ImportRecord]:
        """Newest first."""

    def queue_import(self, user_id: str, import_id: str, now: datetime) -> bool:
        """``awaiting_upload`` → ``queued``; False when the import is in another state."""

    def start_import(self, user_id: str, import_id: str, now: datetime) -> ImportRecord | None:
        """``queued`` (or ``running``: a redelivered job) → ``running``; None when the
        import is gone or finished."""

    def import_progress(
        self, user_id: str, import_id: str, progress: ImportProgress, now: datetime
    ) -> None: ...

    def finish_import(
        self,
        user_id: str,
        import_id: str,
        report: ImportReport | None,
        error: str | None,
        now: datetime,
    ) -> None:
        """``done`` with ``report``, or ``failed`` with ``error``."""
