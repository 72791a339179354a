"""``ExportStore`` and ``ImportStore`` in memory, on the shared
:class:`tests.fakes.table.InMemoryTable`, in the DynamoDB adapter's item layout
(``tasklane.dal.dynamodb.jobs``): a user's jobs in ``EXCHANGE#<user>``, each change of state
allowed only from the states the adapter's conditional UpdateItem names."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from botocore.exceptions import ClientError

from tasklane.dal.dynamodb import items as it
from tasklane.dal.dynamodb.jobs import (
    export_from_item,
    export_to_item,
    import_from_item,
    import_to_item,
)
from tasklane.domain.exchange.jobs import (
    Export,
    ExportProgress,
    ExportStatus,
    ExportSummary,
    ImportProgress,
    ImportRecord,
    ImportStatus,
)
from tasklane.domain.exchange.report import ImportReport
from tasklane.domain.models import format_time
from tests.fakes.table import InMemoryTable, version


class _Jobs:
    def __init__(self, table: InMemoryTable) -> None:
        self._table = table

    def _create(self, item: it.Item) -> None:
        # The adapter's PutItem is conditional on attribute_not_exists(pk).
        if self._table.get(item) is not None:
            raise ClientError(
                {"Error": {"Code": "ConditionalCheckFailedException", "Message": "job exists"}},
                "PutItem",
            )
        self._table.put(item)

    def _newest(self, user_id: str, prefix: str, limit: int) -> list[it.Item]:
        pk = it.exchange_pk(user_id)
        found = [
            item
            for (p, s), item in sorted(self._table.items.items(), reverse=True)
            if p == pk and s.startswith(prefix)
        ]
        return found[:limit]

    def _set(
        self,
        key: it.Key,
        values: dict[str, Any],
        *,
        states: Sequence[str] = (),
        first_start: bool = False,
    ) -> it.Item | None:
        """The adapter's conditional ``SET``: the item exists and is in one of ``states``
        (any, when none); None otherwise."""
        item = self._table.get(key)
        if item is None or (states and item["status"]["S"] not in states):
            return None
        data = it.deserialize(item) | values
        data["version"] = version(item) + 1
        if first_start:
            data.setdefault("started_at", values["updated_at"])
        updated = it.serialize(data)
        self._table.put(updated)
        return updated


class InMemoryExports(_Jobs):
    def create_export(self, user_id: str, export: Export) -> None:
        self._create(export_to_item(user_id, export))

    def get_export(self, user_id: str, export_id: str) -> Export | None:
        item = self._table.get(it.export_key(user_id, export_id))
        return export_from_item(item) if item is not None else None

    def list_exports(self, user_id: str, limit: int) -> list[Export]:
        return [export_from_item(i) for i in self._newest(user_id, "EXPORT#", limit)]

    def start_export(self, user_id: str, export_id: str, now: datetime) -> Export | None:
        item = self._set(
            it.export_key(user_id, export_id),
            {"status": ExportStatus.running.value, "updated_at": format_time(now)},
            states=(ExportStatus.queued.value, ExportStatus.running.value),
            first_start=True,
        )
        return export_from_item(item) if item is not None else None

    def export_progress(
        self, user_id: str, export_id: str, progress: ExportProgress, now: datetime
    ) -> None:
        self._set(
            it.export_key(user_id, export_id),
            {"progress": progress.model_dump(mode="json"), "updated_at": format_time(now)},
            states=(ExportStatus.running.value,),
        )

    def finish_export(
        self,
        user_id: str,
        export_id: str,
        summary: ExportSummary | None,
        error: str | None,
        now: datetime,
    ) -> None:
        stamp = format_time(now)
        changes: dict[str, Any] = {"status": ExportStatus.failed.value}
        if summary is not None:
            done = ExportProgress(tasks=summary.tasks, files=summary.files + summary.missing_files)
            changes = {"status": ExportStatus.ready.value, "progress": done.model_dump(mode="json")}
        self._set(
            it.export_key(user_id, export_id),
            {
                **changes,
                "summary": summary.model_dump(mode="json") if summary else None,
                "error": error,
                "finished_at": stamp,
                "updated_at": stamp,
            },
        )


class InMemoryImports(_Jobs):
    def create_import(self, record: ImportRecord) -> None:
        self._create(import_to_item(record))

    def get_import(self, user_id: str, import_id: str) -> ImportRecord | None:
        item = self._table.get(it.import_key(user_id, import_id))
        return import_from_item(item) if item is not None else None

    def list_imports(self, user_id: str, limit: int) -> list[ImportRecord]:
        return [import_from_item(i) for i in self._newest(user_id, "IMPORT#", limit)]

    def queue_import(self, user_id: str, import_id: str, now: datetime) -> bool:
        found = self._set(
            it.import_key(user_id, import_id),
            {"status": ImportStatus.queued.value, "updated_at": format_time(now)},
            states=(ImportStatus.awaiting_upload.value,),
        )
        return found is not None

    def start_import(self, user_id: str, import_id: str, now: datetime) -> ImportRecord | None:
        item = self._set(
            it.import_key(user_id, import_id),
            {"status": ImportStatus.running.value, "updated_at": format_time(now)},
            states=(ImportStatus.queued.value, ImportStatus.running.value),
            first_start=True,
        )
        return import_from_item(item) if item is not None else None

    def import_progress(
        self, user_id: str, import_id: str, progress: ImportProgress, now: datetime
    ) -> None:
        self._set(
            it.import_key(user_id, import_id),
            {"progress": progress.model_dump(mode="json"), "updated_at": format_time(now)},
            states=(ImportStatus.running.value,),
        )

    def finish_import(
        self,
        user_id: str,
        import_id: str,
        report: ImportReport | None,
        error: str | None,
        now: datetime,
    ) -> None:
        stamp = format_time(now)
        status = ImportStatus.done if report is not None else ImportStatus.failed
        self._set(
            it.import_key(user_id, import_id),
            {
                "status": status.value,
                "report": report.model_dump(mode="json") if report else None,
                "error": error,
                "finished_at": stamp,
                "updated_at": stamp,
            },
        )
