"""Fuzzing the import parsers: whatever the bytes, a parser yields items or raises
ImportRejected / ImportTooLarge (the API's 422 / 413) — never anything else.

Three kinds of input per format: random bytes, the fixture cut and spliced at random places,
and documents of the right overall shape with random values (JSON: any JSON value where the
format expects one; CSV: random cells with quotes, separators and line breaks).
"""

from __future__ import annotations

import io
import json
import os
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tasklane.domain.exchange.model import (
    ImportedProject,
    ImportedTask,
    ImportFormat,
    ImportRejected,
    ImportTooLarge,
    RowProblem,
)
from tasklane.domain.exchange.options import ColumnMapping, ImportOptions
from tasklane.logic.exchange.archive import write_export
from tasklane.logic.exchange.imports import parse_import
from tasklane.settings import ImportLimits
from tests.unit.exchange import factory
from tests.unit.exchange.conftest import FIXTURES, bytes_source

FUZZ = settings(
    max_examples=int(os.environ.get("TASKLANE_IMPORT_FUZZ_EXAMPLES", "150")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
#: Small limits, so the fuzzer reaches them too.
LIMITS = ImportLimits(
    max_bytes=20_000,
    max_rows=40,
    max_row_bytes=2_000,
    max_side_items=60,
    max_comments_per_task=3,
    max_checklist_items_per_task=3,
    max_projects=5,
)
OPTIONS = {
    ImportFormat.tasklane: ImportOptions(format=ImportFormat.tasklane),
    ImportFormat.trello: ImportOptions(format=ImportFormat.trello, time_zone="Europe/Berlin"),
    ImportFormat.todoist: ImportOptions(format=ImportFormat.todoist, time_zone="Asia/Kolkata"),
    ImportFormat.csv: ImportOptions(
        format=ImportFormat.csv,
        time_zone="America/New_York",
        mapping=ColumnMapping(
            title="Task",
            description="Notes",
            status="State",
            priority="Prio",
            due="Due date",
            labels="Tags",
            project="List",
            archived="Archived",
            checklist="Steps",
            id="Ref",
        ),
    ),
}
FIXTURE_FILES = {
    ImportFormat.tasklane: "tasks.json",
    ImportFormat.trello: "trello-board.json",
    ImportFormat.todoist: "todoist.csv",
    ImportFormat.csv: "generic.csv",
}


def _check(fmt: ImportFormat, data: bytes) -> None:
    items = []
    rejected: ImportRejected | ImportTooLarge | None = None
    try:
        items.extend(parse_import(bytes_source(data), OPTIONS[fmt], LIMITS))
    except (ImportRejected, ImportTooLarge) as error:
        rejected = error
    for item in items:
        assert isinstance(item, ImportedProject | ImportedTask | RowProblem)
        if isinstance(item, ImportedTask):
            # What comes out obeys Tasklane's rules (the model validated it).
            assert 1 <= len(item.title) <= 200
            assert len(item.checklist) <= LIMITS.max_checklist_items_per_task
            assert len(item.comments) <= LIMITS.max_comments_per_task
    if rejected is not None:
        assert rejected.status in (413, 422)
        assert rejected.message


@pytest.mark.parametrize("fmt", list(ImportFormat))
@FUZZ
@given(data=st.binary(max_size=3_000))
def test_random_bytes(fmt: ImportFormat, data: bytes) -> None:
    _check(fmt, data)


@pytest.mark.parametrize("fmt", list(ImportFormat))
@FUZZ
@given(cut=st.integers(0, 5_000), splice=st.integers(0, 5_000), junk=st.binary(max_size=40))
def test_spliced_fixtures(fmt: ImportFormat, cut: int, splice: int, junk: bytes) -> None:
    data = (FIXTURES / FIXTURE_FILES[fmt]).read_bytes()
    cut, splice = sorted((cut % (len(data) + 1), splice % (len(data) + 1)))
    _check(fmt, data[:cut] + junk + data[splice:])


def _export_zip() -> bytes:
    sink = io.BytesIO()
    tasks = factory.tasks()
    write_export(sink, factory.HEADER, factory.projects(), tasks, ())
    return sink.getvalue()


EXPORT_ZIP = _export_zip()


@FUZZ
@given(cut=st.integers(0, 5_000), splice=st.integers(0, 5_000), junk=st.binary(max_size=40))
def test_spliced_export_zips(cut: int, splice: int, junk: bytes) -> None:
    cut, splice = sorted((cut % (len(EXPORT_ZIP) + 1), splice % (len(EXPORT_ZIP) + 1)))
    _check(ImportFormat.tasklane, EXPORT_ZIP[:cut] + junk + EXPORT_ZIP[splice:])


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=30),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=15,
)
TASK_KEYS = [
    "id",
    "project_id",
    "title",
    "description",
    "status",
    "priority",
    "due_at",
    "labels",
    "checklist",
    "comments",
    "archived",
    "text",
    "done",
    "body",
    "created_at",
]
CARD_KEYS = [
    "id",
    "name",
    "desc",
    "closed",
    "idList",
    "idLabels",
    "labels",
    "due",
    "dueComplete",
    "idCard",
    "checkItems",
    "state",
    "pos",
    "type",
    "data",
    "card",
    "text",
    "date",
]


def _shaped(keys: list[str]) -> st.SearchStrategy[dict[str, Any]]:
    return st.dictionaries(st.sampled_from(keys), json_values | st.text(max_size=300), max_size=8)


@FUZZ
@given(
    projects=st.lists(_shaped([*TASK_KEYS, "name"]), max_size=6),
    tasks=st.lists(_shaped(TASK_KEYS) | json_values, max_size=6),
    header=st.fixed_dictionaries(
        {"format": st.just("tasklane-export") | json_values, "version": st.just(1) | json_values}
    ),
)
def test_tasklane_documents(projects: list[Any], tasks: list[Any], header: dict[str, Any]) -> None:
    doc = {**header, "projects": projects, "tasks": tasks}
    _check(ImportFormat.tasklane, json.dumps(doc).encode())


@FUZZ
@given(
    board=st.fixed_dictionaries(
        {"id": st.text(max_size=10) | json_values, "name": json_values},
        optional={
            key: st.lists(_shaped(CARD_KEYS) | json_values, max_size=5)
            for key in ("cards", "lists", "labels", "checklists", "actions")
        },
    )
)
def test_trello_documents(board: dict[str, Any]) -> None:
    _check(ImportFormat.trello, json.dumps(board).encode())


cells = st.text(alphabet=st.characters(codec="utf-8"), max_size=20) | st.sampled_from(
    [
        "task",
        "note",
        "section",
        "meta",
        "1",
        "4",
        "2026-12-01",
        "2026-12-01 10:00",
        "every day",
        "Europe/Berlin",
        "Not/AZone",
        '"',
        '""',
        ",",
        "\r\n",
        "\n",
        "=1+1",
        "done",
        "yes",
    ]
)


@pytest.mark.parametrize(
    ("fmt", "header"),
    [
        (
            ImportFormat.todoist,
            [
                "TYPE",
                "CONTENT",
                "DESCRIPTION",
                "PRIORITY",
                "INDENT",
                "DATE",
                "TIMEZONE",
                "DEADLINE",
                "AUTHOR",
            ],
        ),
        (
            ImportFormat.csv,
            [
                "Ref",
                "Task",
                "Notes",
                "State",
                "Prio",
                "Due date",
                "Tags",
                "List",
                "Archived",
                "Steps",
            ],
        ),
    ],
)
@FUZZ
@given(rows=st.lists(st.lists(cells, max_size=11), max_size=12), raw=st.booleans())
def test_csv_documents(
    fmt: ImportFormat, header: list[str], rows: list[list[str]], raw: bool
) -> None:
    def quote(value: str) -> str:
        return value if raw else '"' + value.replace('"', '""') + '"'

    lines = [",".join(header)] + [",".join(quote(c) for c in row) for row in rows]
    _check(fmt, "\r\n".join(lines).encode())
