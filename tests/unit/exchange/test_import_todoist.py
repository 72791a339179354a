"""Importing a Todoist CSV template (tests/fixtures/imports/todoist.csv)."""

from __future__ import annotations

from datetime import UTC, datetime, time

import pytest

from tasklane.domain.exchange.model import ImportFormat, ImportRejected
from tasklane.domain.exchange.options import ImportOptions
from tasklane.domain.models import Priority
from tasklane.logic.exchange.imports import parse_import
from tasklane.logic.exchange.todoist import split_labels
from tasklane.settings import ImportLimits
from tests.unit.exchange.conftest import Parsed, bytes_source, file_source


def _parse(options: ImportOptions | None = None, data: bytes | None = None) -> Parsed:
    options = options or ImportOptions(format=ImportFormat.todoist, time_zone="Europe/Paris")
    source = bytes_source(data) if data is not None else file_source("todoist.csv")
    return Parsed(parse_import(source, options, ImportLimits()))


def test_tasks_sections_labels_notes_and_subtasks() -> None:
    parsed = _parse()
    assert [t.title for t in parsed.tasks] == [
        "Milch kaufen",
        "Call the bank",
        "Water the plants",
        "Renew passport 🛂",
    ]
    milk = parsed.task("Milch kaufen")
    assert milk.labels == ["einkauf", "errands", "home"]  # section, then @labels
    assert milk.priority is Priority.urgent  # p1
    assert [(c.text, c.done) for c in milk.checklist] == [("Kühlschrank prüfen", False)]
    assert [(c.body, c.author) for c in milk.comments] == [("Bio wenn möglich", "Bob")]
    bank = parsed.task("Call the bank")
    assert bank.description == "Ask about:\n- the fee\n- the card"
    assert bank.priority is Priority.high
    assert parsed.task("Water the plants").labels == ["later"]


def test_a_date_without_time_is_due_at_the_end_of_that_day_in_the_rows_zone() -> None:
    milk = _parse().task("Milch kaufen")
    # 2026-12-01 23:59 in Europe/Berlin (the row's TIMEZONE) is 22:59 UTC.
    assert milk.due_at == datetime(2026, 12, 1, 22, 59, tzinfo=UTC)
    assert milk.due_all_day is True


def test_a_local_date_time_uses_the_rows_zone() -> None:
    bank = _parse().task("Call the bank")
    assert bank.due_at == datetime(2026, 12, 2, 14, 30, tzinfo=UTC)  # 09:30 New York
    assert bank.due_all_day is False


def test_without_a_row_zone_the_imports_zone_and_all_day_time_apply() -> None:
    options = ImportOptions(
        format=ImportFormat.todoist, time_zone="Asia/Tokyo", all_day_time=time(9, 0)
    )
    passport = _parse(options).task("Renew passport")
    assert passport.due_at == datetime(2027, 3, 31, 0, 0, tzinfo=UTC)  # DEADLINE, 09:00 Tokyo
    assert passport.priority is Priority.medium  # empty: p4, Todoist's "no priority"


def test_a_recurring_date_in_words_is_a_warning_and_no_due_date() -> None:
    parsed = _parse()
    assert parsed.task("Water the plants").due_at is None
    (warning,) = [w for w in parsed.warnings() if w.field == "DATE"]
    assert warning.row == 9  # a multi-line cell is one row
    assert warning.source_id == parsed.task("Water the plants").key
    assert "every day" in warning.message
    assert parsed.errors() == []


def test_the_project_takes_the_requested_name() -> None:
    named = _parse(ImportOptions(format=ImportFormat.todoist, project_name="Haushalt"))
    assert [p.name for p in named.projects] == ["Haushalt"]
    assert [p.name for p in _parse().projects] == ["Todoist import"]


def test_the_same_file_gives_the_same_keys_and_duplicate_rows_differ() -> None:
    assert [t.key for t in _parse().tasks] == [t.key for t in _parse().tasks]
    data = b"TYPE,CONTENT\ntask,Same\ntask,Same\n"
    keys = [t.key for t in _parse(data=data).tasks]
    assert len(set(keys)) == 2


def test_missing_columns_are_refused_with_the_header_named() -> None:
    with pytest.raises(ImportRejected) as caught:
        _parse(data=b"KIND,TEXT\ntask,x\n")
    assert caught.value.reason == "wrong_columns"
    assert "'TYPE'" in caught.value.message
    assert "'KIND'" in caught.value.message


def test_notes_without_a_task_and_unknown_types_are_warnings() -> None:
    parsed = _parse(data=b"TYPE,CONTENT\nnote,orphan\nlist,what\ntask,Real\n")
    assert [t.title for t in parsed.tasks] == ["Real"]
    assert [(w.row, w.field) for w in parsed.warnings()] == [(2, "TYPE"), (3, "TYPE")]


@pytest.mark.parametrize(
    ("content", "title", "labels"),
    [
        ("Buy milk @errands", "Buy milk", ["errands"]),
        ("@home tidy up @weekend", "tidy up", ["home", "weekend"]),
        ("mail me@example.com", "mail me@example.com", []),
    ],
)
def test_split_labels(content: str, title: str, labels: list[str]) -> None:
    assert split_labels(content) == (title, labels)
