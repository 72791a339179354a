"""Importing a Trello board export (tests/fixtures/imports/trello-board.json)."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from tasklane.domain.exchange.model import ImportFormat, ImportRejected
from tasklane.domain.exchange.options import ImportOptions
from tasklane.domain.models import Status
from tasklane.logic.exchange.imports import parse_import
from tasklane.logic.exchange.trello import status_for_list
from tasklane.settings import ImportLimits
from tests.unit.exchange.conftest import FIXTURES, Parsed, bytes_source, file_source

OPTIONS = ImportOptions(format=ImportFormat.trello)


def _parse(data: bytes | None = None, limits: ImportLimits | None = None) -> Parsed:
    source = bytes_source(data) if data is not None else file_source("trello-board.json")
    return Parsed(parse_import(source, OPTIONS, limits or ImportLimits()))


def test_the_board_is_one_project() -> None:
    parsed = _parse()
    (project,) = parsed.projects
    assert (project.name, project.description, project.archived) == (
        "Product roadmap — Équipe",
        "The team's board",
        False,
    )
    assert {t.project_key for t in parsed.tasks} == {project.key}
    assert isinstance(parsed.items[0], type(project))  # before its tasks


def test_a_card_with_list_labels_checklists_comments_and_due_date() -> None:
    card = _parse().task("Fix the login bug")
    assert card.title == "Fix the login bug 🐛"
    assert card.description == "Steps:\n1. open the app\n2. log in\n\nExpected: it works."
    assert card.status is Status.in_progress  # its list is "Doing"
    assert card.labels == ["doing", "bug", "green"]  # list, named label, colour-only label
    assert card.due_at == datetime(2026, 12, 1, 16, 0, tzinfo=UTC)
    assert [(i.text, i.done) for i in card.checklist] == [
        ("Reproduce", True),
        ("Write a test", False),
        ("Follow-up: Tell support", False),
    ]
    assert [(c.body, c.author) for c in card.comments] == [
        ("First!", "bob"),
        ("Second comment,\nover two lines", "Zoë Müller"),
    ]


def test_status_archived_and_empty_fields() -> None:
    parsed = _parse()
    assert parsed.task("Café menu").labels == ["to do", "grösse l"]  # case-folded
    assert parsed.task("Café menu").description == ""
    assert parsed.task("Ship v1").status is Status.done  # due date ticked complete
    assert parsed.task("Old experiment").archived is True  # closed card
    assert parsed.task("Old experiment").status is Status.done  # in "Done ✅"
    assert parsed.task("In a parked list").archived is True  # its list is archived


def test_a_long_title_is_shortened_and_kept_in_the_description() -> None:
    parsed = _parse()
    card = parsed.task("A very long card title")
    assert len(card.title) == 200
    assert card.title.endswith("…")
    assert card.description.startswith("A very long card title A very")
    assert card.description.endswith("\n\nshort")
    (warning,) = [w for w in parsed.warnings() if w.source_id == "card6"]
    assert (warning.row, warning.field) == (6, "title")


def test_a_card_without_a_name_is_an_error_row() -> None:
    parsed = _parse()
    (error,) = parsed.errors()
    assert (error.row, error.source_id, error.field) == (7, "card7", "title")
    assert len(parsed.tasks) == 6


def test_keys_are_per_board_and_card() -> None:
    data = json.loads((FIXTURES / "trello-board.json").read_text())
    keys = {t.source_id: t.key for t in _parse().tasks}
    data["id"] = "another-board"
    other = {t.source_id: t.key for t in _parse(json.dumps(data).encode()).tasks}
    assert keys.keys() == other.keys()
    assert not set(keys.values()) & set(other.values())


@pytest.mark.parametrize(
    ("name", "status"),
    [
        ("Done", Status.done),
        ("DONE 🎉", Status.done),
        ("Completed (Q3)", Status.done),
        ("Doing", Status.in_progress),
        ("In Progress", Status.in_progress),
        ("in-progress", Status.in_progress),
        ("Backlog", Status.todo),
        ("Donezo", Status.todo),
    ],
)
def test_status_from_the_list_name(name: str, status: Status) -> None:
    assert status_for_list(name) is status


def test_a_file_that_is_not_a_board_is_refused() -> None:
    with pytest.raises(ImportRejected) as caught:
        _parse(b'[{"id": "x"}]')
    assert caught.value.reason == "not_a_trello_board"


def test_side_items_are_bounded() -> None:
    with pytest.raises(ImportRejected) as caught:
        _parse(limits=ImportLimits(max_side_items=10))
    assert caught.value.reason == "too_many_items"


def test_cards_are_bounded() -> None:
    parsed: list[object] = []
    with pytest.raises(ImportRejected) as caught:
        parsed.extend(
            parse_import(file_source("trello-board.json"), OPTIONS, ImportLimits(max_rows=3))
        )
    assert caught.value.reason == "too_many_rows"
    assert len(parsed) == 4  # the project and three cards came before
