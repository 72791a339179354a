"""``ExportStore`` and ``ImportStore`` on DynamoDB: a user's jobs in their partition,
``EXCHANGE#<user>``, sort keys ``EXPORT#<ulid>`` and ``IMPORT#<ulid>`` (newest last).

Round trips: every method is one request — a PutItem, a GetItem, a Query of at most
``limit`` items, or one conditional UpdateItem for a change of state (which is how a
redelivered job finds out that its export or import is finished already). Items expire with
the table's TTL (``expires_at``, epoch seconds) when their files do; the view's own
``expires_at`` is kept as ``expires_on``.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal
from typing import Any

from botocore.exceptions import ClientError

from tasklane.dal.dynamodb import items as it
from tasklane.dal.dynamodb.table import Table
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
from tasklane.domain.notifications import parse_instant


def _epoch(value: str) -> int:
    return int(parse_instant(value).timestamp())


def _item(key: it.Key, kind: str, view: dict[str, Any], **extra: Any) -> it.Item:
    values = {**view, "expires_on": view["expires_at"], "expires_at": _epoch(view["expires_at"])}
    return {**key, **it.serialize({"type": kind, **values, **extra})}


def _view(item: it.Item) -> dict[str, Any]:
    data: dict[str, Any] = _numbers(it.deserialize(item))
    data["expires_at"] = data.pop("expires_on")
    return data


def _numbers(value: Any) -> Any:
    """DynamoDB's numbers (Decimal) as int or float, also inside maps and lists: a report's
    free-form ``details`` would otherwise reach the client as strings."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, list):
        return [_numbers(v) for v in value]
    if isinstance(value, dict):
        return {k: _numbers(v) for k, v in value.items()}
    return value


def export_to_item(user_id: str, export: Export) -> it.Item:
    # Nothing null is stored: ``if_not_exists(started_at, …)`` must find no attribute.
    view = export.model_dump(mode="json", exclude={"download"}, exclude_none=True)
    return _item(it.export_key(user_id, export.id), "export", view, user_id=user_id, version=1)


def export_from_item(item: it.Item) -> Export:
    return Export.model_validate(_view(item))


def import_to_item(record: ImportRecord) -> it.Item:
    view = record.view.model_dump(mode="json", exclude_none=True)
    key = it.import_key(record.user_id, record.view.id)
    owner = record.owner.model_dump(mode="json")
    return _item(key, "import", view, user_id=record.user_id, owner=owner, version=record.version)


def import_from_item(item: it.Item) -> ImportRecord:
    data = _view(item)
    return ImportRecord(
        view=data, user_id=data["user_id"], owner=data["owner"], version=int(data["version"])
    )


class _Jobs:
    def __init__(self, table: Table) -> None:
        self._table = table

    def _get(self, key: it.Key) -> it.Item | None:
        response = self._table.client.get_item(
            TableName=self._table.name, Key=key, ConsistentRead=True
        )
        return response.get("Item")

    def _newest(self, user_id: str, prefix: str, limit: int) -> list[it.Item]:
        response = self._table.client.query(
            TableName=self._table.name,
            KeyConditionExpression="pk = :pk AND begins_with(sk, :prefix)",
            ExpressionAttributeValues={
                ":pk": {"S": it.exchange_pk(user_id)},
                ":prefix": {"S": prefix},
            },
            ScanIndexForward=False,
            Limit=limit,
        )
        return list(response.get("Items", []))

    def _set(
        self,
        key: it.Key,
        values: dict[str, Any],
        *,
        states: Sequence[str] = (),
        extra: str = "",
        returns: bool = False,
    ) -> it.Item | None:
        """``SET`` the values (and ``version + 1``) if the item exists and is in one of
        ``states`` (any, when none); None when the condition failed."""
        names = {f"#f{n}": name for n, name in enumerate(values)}
        expression = ", ".join(f"#f{n} = :v{n}" for n in range(len(values)))
        attribute_values = {
            f":v{n}": value for n, value in enumerate(it.serialize(values).values())
        }
        attribute_values[":one"] = {"N": "1"}
        condition = "attribute_exists(pk)"
        if states:
            placeholders = [f":s{n}" for n in range(len(states))]
            condition += f" AND #status IN ({', '.join(placeholders)})"
            names["#status"] = "status"
            attribute_values |= {p: {"S": s} for p, s in zip(placeholders, states, strict=True)}
        names["#version"] = "version"
        try:
            response = self._table.client.update_item(
                TableName=self._table.name,
                Key=key,
                UpdateExpression=f"SET {expression}, #version = #version + :one{extra}",
                ConditionExpression=condition,
                ExpressionAttributeNames=names,
                ExpressionAttributeValues=attribute_values,
                ReturnValues="ALL_NEW" if returns else "NONE",
            )
        except ClientError as exc:
            if exc.response["Error"]["Code"] == "ConditionalCheckFailedException":
                return None
            raise
        return response.get("Attributes", {}) if returns else {}


class DynamoExports(_Jobs):
    def create_export(self, user_id: str, export: Export) -> None:
        self._table.client.put_item(
            TableName=self._table.name,
            Item=export_to_item(user_id, export),
            ConditionExpression="attribute_not_exists(pk)",
        )

    def get_export(self, user_id: str, export_id: str) -> Export | None:
        item = self._get(it.export_key(user_id, export_id))
        return export_from_item(item) if item else None

    def list_exports(self, user_id: str, limit: int) -> list[Export]:
        return [export_from_item(i) for i in self._newest(user_id, "EXPORT#", limit)]

    def start_export(self, user_id: str, export_id: str, now: datetime) -> Export | None:
        stamp = format_time(now)
        item = self._set(
            it.export_key(user_id, export_id),
            {"status": ExportStatus.running.value, "updated_at": stamp},
            states=(ExportStatus.queued.value, ExportStatus.running.value),
            # The first start only (:v1 is updated_at, now): a redelivered job keeps the time
            # the export began.
            extra=", started_at = if_not_exists(started_at, :v1)",
            returns=True,
        )
        return export_from_item(item) if item else None

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
        status = ExportStatus.ready if summary is not None else ExportStatus.failed
        changes: dict[str, Any] = {}
        if summary is not None:
            # The last progress written may be a few hundred tasks behind: a ready export
            # shows everything it holds.
            done = ExportProgress(tasks=summary.tasks, files=summary.files + summary.missing_files)
            changes["progress"] = done.model_dump(mode="json")
        self._set(
            it.export_key(user_id, export_id),
            {
                **changes,
                "status": status.value,
                "summary": summary.model_dump(mode="json") if summary else None,
                "error": error,
                "finished_at": stamp,
                "updated_at": stamp,
            },
        )


class DynamoImports(_Jobs):
    def create_import(self, record: ImportRecord) -> None:
        self._table.client.put_item(
            TableName=self._table.name,
            Item=import_to_item(record),
            ConditionExpression="attribute_not_exists(pk)",
        )

    def get_import(self, user_id: str, import_id: str) -> ImportRecord | None:
        item = self._get(it.import_key(user_id, import_id))
        return import_from_item(item) if item else None

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
            extra=", started_at = if_not_exists(started_at, :v1)",
            returns=True,
        )
        return import_from_item(item) if item else None

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
