"""Importing any CSV with a column mapping (tests/fixtures/imports/generic.csv)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from pydantic import ValidationError

from tasklane.domain.exchange.model import ImportFormat, ImportRejected, ImportTooLarge
from tasklane.domain.exchange.options import ColumnMapping, ImportOptions
from tasklane.domain.models import Priority, Status
from tasklane.logic.exchange.imports import parse_import
from tasklane.settings import ImportLimits
from tests.unit.exchange.conftest import Parsed, bytes_source, file_source

MAPPING: dict[str, Any] = {
    "id": "ref",
    "title": "Task",
    "description": "NOTES",
    "status": "State",
    "priority": "Prio",
    "due": " Due date ",
    "labels": "Tags",
    "project": "List",
    "archived": "Archived",
    "checklist": "Steps",
}


def _options(**changes: Any) -> ImportOptions:
    return ImportOptions(
        format=ImportFormat.csv,
        time_zone="Europe/Berlin",
        mapping=ColumnMapping(**{**MAPPING, **changes}),
    )


def _parse(
    options: ImportOptions | None = None,
    data: bytes | None = None,
    limits: ImportLimits | None = None,
) -> Parsed:
    source = bytes_source(data) if data is not None else file_source("generic.csv")
    return Parsed(parse_import(source, options or _options(), limits or ImportLimits()))


def test_mapped_columns_become_task_fields() -> None:
    offsite = _parse().task("Prepare the offsite")
    assert offsite.description == "Agenda:\nday 1 talks\nday 2 hikes"
    assert (offsite.status, offsite.priority) == (Status.in_progress, Priority.high)
    assert offsite.due_at == datetime(2026, 12, 1, 22, 59, tzinfo=UTC)  # 23:59 Berlin
    assert offsite.due_all_day is True
    assert offsite.labels == ["travel", "team"]
    assert [i.text for i in offsite.checklist] == ["Book the venue", "Order food"]
    assert offsite.archived is False
    assert offsite.source_id == "T-1"


def test_empty_fields_dates_with_times_and_offsets() -> None:
    parsed = _parse()
    invoice = parsed.task("Überprüfen")
    assert (invoice.description, invoice.labels, invoice.priority) == ("", [], Priority.medium)
    assert invoice.due_at == datetime(2026, 12, 2, 16, 30, tzinfo=UTC)  # 17:30 Berlin
    formula = parsed.task("=SUM")
    assert formula.title == "=SUM(A1:A3)"  # tasks.csv's neutralising quote is removed
    assert formula.due_at == datetime(2026, 12, 3, 0, 0, tzinfo=UTC)  # +09:00 given
    assert (formula.status, formula.archived) == (Status.done, True)


def test_rows_grouped_into_projects_by_the_project_column() -> None:
    parsed = _parse()
    assert [p.name for p in parsed.projects] == ["Team", "Finance", "Imported tasks"]
    by_key = {p.key: p.name for p in parsed.projects}
    assert by_key[parsed.task("Café").project_key] == "Imported tasks"  # no List value
    assert by_key[parsed.task("Überprüfen").project_key] == "Finance"


def test_unmapped_values_and_bad_dates_are_row_errors() -> None:
    parsed = _parse()
    assert [(e.row, e.field, e.source_id) for e in parsed.errors()] == [
        (5, "status", "T-4"),
        (6, "due", "T-5"),
        (8, "title", "T-6"),
    ]
    assert len(parsed.tasks) == 4


def test_an_id_twice_in_one_file_is_an_error_on_the_second_row() -> None:
    data = b"Ref,Task\nA,first\nB,second\nA,again\n"
    options = ImportOptions(format=ImportFormat.csv, mapping=ColumnMapping(id="Ref", title="Task"))
    parsed = _parse(options, data)
    assert [t.title for t in parsed.tasks] == ["first", "second"]
    ((row, message),) = [(e.row, e.message) for e in parsed.errors()]
    assert row == 4
    assert "already on row 2" in message


def test_a_status_mapping_and_a_date_format_fix_them() -> None:
    parsed = _parse(_options(status_values={"Blocked": "in_progress"}, due=None))
    assert parsed.task("Blocked thing").status is Status.in_progress
    parsed = _parse(_options(date_format="%d/%m/%Y"))
    assert parsed.task("Bad date").due_at == datetime(2026, 12, 31, 22, 59, tzinfo=UTC)


def test_a_mapped_column_missing_from_the_header_is_refused() -> None:
    with pytest.raises(ImportRejected) as caught:
        _parse(_options(labels="Labels"))
    assert caught.value.reason == "wrong_columns"
    assert caught.value.details == {"reason": "wrong_columns", "row": 1}


def test_rows_without_an_id_column_are_keyed_by_content() -> None:
    options = _options(id=None)
    first = [t.key for t in _parse(options).tasks]
    assert first == [t.key for t in _parse(options).tasks]
    assert all(t.source_id == t.key for t in _parse(options).tasks)


def test_semicolons_and_a_bom() -> None:
    data = "\ufeffName;Due\nÉté;2026-07-01\n".encode()
    options = ImportOptions(
        format=ImportFormat.csv, mapping=ColumnMapping(title="name", due="due", delimiter=";")
    )
    (task,) = _parse(options, data).tasks
    assert (task.title, task.due_at) == ("Été", datetime(2026, 7, 1, 23, 59, tzinfo=UTC))


def test_a_huge_row_is_a_413_with_its_row_number() -> None:
    data = b'Task\nfine\n"' + b"x" * 5000 + b'"\nafter\n'
    options = ImportOptions(format=ImportFormat.csv, mapping=ColumnMapping(title="Task"))
    items: list[object] = []
    with pytest.raises(ImportTooLarge) as caught:
        items.extend(parse_import(bytes_source(data), options, ImportLimits(max_row_bytes=1000)))
    assert caught.value.details == {"reason": "row_too_large", "row": 3, "limit": 1000}
    assert len(items) == 2  # the project and "fine"


def test_an_unterminated_quote_is_bounded_too() -> None:
    data = b'Task\n"never closed\n' + b"more text\n" * 200
    options = ImportOptions(format=ImportFormat.csv, mapping=ColumnMapping(title="Task"))
    with pytest.raises(ImportTooLarge):
        list(parse_import(bytes_source(data), options, ImportLimits(max_row_bytes=500)))


def test_bytes_that_are_not_utf8_are_refused() -> None:
    data = "Task\ncafé\n".encode("latin-1")
    options = ImportOptions(format=ImportFormat.csv, mapping=ColumnMapping(title="Task"))
    with pytest.raises(ImportRejected) as caught:
        list(parse_import(bytes_source(data), options, ImportLimits()))
    assert caught.value.reason == "not_utf8"


def test_an_empty_file_is_refused() -> None:
    options = ImportOptions(format=ImportFormat.csv, mapping=ColumnMapping(title="Task"))
    with pytest.raises(ImportRejected) as caught:
        list(parse_import(bytes_source(b"\n\n"), options, ImportLimits()))
    assert caught.value.reason == "empty_file"


@pytest.mark.parametrize(
    "mapping",
    [
        {"title": "T", "date_format": "%Q"},
        {"title": "T", "date_format": "%H:%M"},
        {"title": "T", "delimiter": '"'},
        {"title": "T", "unknown": "x"},
        {"title": ""},
    ],
)
def test_bad_mappings_are_refused_by_the_model(mapping: dict[str, Any]) -> None:
    with pytest.raises(ValidationError):
        ImportOptions.model_validate({"format": "csv", "mapping": mapping})


def test_the_mapping_is_required_for_csv_only() -> None:
    with pytest.raises(ValidationError):
        ImportOptions.model_validate({"format": "csv"})
    with pytest.raises(ValidationError):
        ImportOptions.model_validate({"format": "trello", "mapping": {"title": "T"}})


@pytest.mark.parametrize("field", ["status_values", "priority_values"])
def test_a_value_mapping_needs_a_cell_value_to_map(field: str) -> None:
    # An empty cell takes the default; an empty key would also be an empty map key, which
    # DynamoDB does not keep (the fuzzer's GET of such an import answered 500 under moto).
    with pytest.raises(ValidationError, match=field):
        ColumnMapping.model_validate(
            {"title": "Title", field: {"": "done" if "status" in field else "low"}}
        )


def test_a_problem_names_its_field_once() -> None:
    # The report shows the field beside the message: the message does not repeat it.
    data = b"Ref,Task,State,Prio,Archived\nA,first,Blocked,huge,maybe\nA,again,todo,low,no\n"
    options = ImportOptions(
        format=ImportFormat.csv,
        mapping=ColumnMapping(
            id="Ref", title="Task", status="State", priority="Prio", archived="Archived"
        ),
    )
    problems = [(e.field, e.message) for e in _parse(options, data).errors()]
    assert problems == [
        ("status", "'Blocked' is not known: map it with status_values"),
        ("priority", "'huge' is not known: map it with priority_values"),
        ("archived", "'maybe' is not yes or no"),
        ("id", "'A' is already on row 2"),
    ]
