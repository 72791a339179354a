"""Input models: what they accept, how they normalise it, and what they refuse."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest
from pydantic import ValidationError

from tasklane.domain.models import (
    MAX_DESCRIPTION,
    MAX_LABEL,
    MAX_LABELS,
    MAX_PROJECT_NAME,
    MAX_TITLE,
    Priority,
    ProjectCreate,
    ProjectPatch,
    Status,
    TaskCreate,
    TaskPatch,
    TaskQuery,
    format_time,
)


def _error_locs(exc: pytest.ExceptionInfo[ValidationError]) -> list[tuple[Any, ...]]:
    return [tuple(error["loc"]) for error in exc.value.errors()]


# Titles -----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("raw", "stored"),
    [
        ("Buy milk", "Buy milk"),
        ("  padded  ", "padded"),
        ("\n\ttrimmed line breaks\r\n", "trimmed line breaks"),
        ("x", "x"),
        ("é" * MAX_TITLE, "é" * MAX_TITLE),
        (" " + "a" * MAX_TITLE + " ", "a" * MAX_TITLE),
    ],
)
def test_title_is_trimmed_and_kept(raw: str, stored: str) -> None:
    assert TaskCreate(title=raw).title == stored


@pytest.mark.parametrize(
    "raw",
    [
        "",
        "   ",
        "\t\n",
        "a" * (MAX_TITLE + 1),
        "two\nlines",
        "carriage\rreturn",
        "tab\tinside",
        "nul\x00byte",
        "bell\x07",
        "escape\x1b[31m",
        "delete\x7fchar",
    ],
)
def test_title_refuses_empty_long_and_control_characters(raw: str) -> None:
    with pytest.raises(ValidationError) as exc:
        TaskCreate(title=raw)
    assert _error_locs(exc) == [("title",)]


@pytest.mark.parametrize("raw", ["next\x85line", "c1\x9bcontrol", "line\u2028separator"])
def test_title_refuses_unicode_control_and_line_separators(raw: str) -> None:
    with pytest.raises(ValidationError):
        TaskCreate(title=raw)


def test_title_is_required_and_unknown_fields_are_refused() -> None:
    with pytest.raises(ValidationError) as exc:
        TaskCreate.model_validate({"description": "no title", "colour": "red"})
    assert sorted(_error_locs(exc)) == [("colour",), ("title",)]


# Descriptions -----------------------------------------------------------------------------
def test_description_keeps_line_breaks_and_is_not_trimmed() -> None:
    text = "  first line\n\tsecond line\r\n"
    assert TaskCreate(title="t", description=text).description == text


@pytest.mark.parametrize("raw", ["nul\x00", "bell\x07", "form\x0cfeed", "\x7f"])
def test_description_refuses_control_characters(raw: str) -> None:
    with pytest.raises(ValidationError) as exc:
        TaskCreate(title="t", description=raw)
    assert _error_locs(exc) == [("description",)]


def test_description_length_limit() -> None:
    assert len(TaskCreate(title="t", description="d" * MAX_DESCRIPTION).description) == (
        MAX_DESCRIPTION
    )
    with pytest.raises(ValidationError):
        TaskCreate(title="t", description="d" * (MAX_DESCRIPTION + 1))


# Labels -----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("raw", "stored"),
    [
        (["  Bug  Fix "], ["bug fix"]),
        (["Bug\tFix"], ["bug fix"]),
        (["\uff22\uff35\uff27"], ["bug"]),  # full-width "BUG": NFKC
        (["ﬁx"], ["fix"]),  # ligature: NFKC
        (["Straße"], ["strasse"]),  # casefold, not lower
        (["B", "a", "b", " A ", "c"], ["b", "a", "c"]),  # unique, first occurrence wins
        ([], []),
    ],
)
def test_labels_are_normalised_and_unique(raw: list[str], stored: list[str]) -> None:
    assert TaskCreate(title="t", labels=raw).labels == stored


def test_labels_limits_are_inclusive() -> None:
    labels = [f"label-{n}" for n in range(MAX_LABELS)]
    assert TaskCreate(title="t", labels=labels).labels == labels
    assert TaskCreate(title="t", labels=["x" * MAX_LABEL]).labels == ["x" * MAX_LABEL]
    # The length counts after normalisation: surrounding spaces are free.
    assert TaskCreate(title="t", labels=["  " + "x" * MAX_LABEL + "  "]).labels == ["x" * MAX_LABEL]


@pytest.mark.parametrize(
    "raw",
    [
        [f"label-{n}" for n in range(MAX_LABELS + 1)],
        ["x" * (MAX_LABEL + 1)],
        [""],
        ["   "],
        ["ok", "bad\x00label"],
        ["bad\x7f"],
    ],
)
def test_labels_refused(raw: list[str]) -> None:
    with pytest.raises(ValidationError) as exc:
        TaskCreate(title="t", labels=raw)
    assert all(loc[0] == "labels" for loc in _error_locs(exc))


# Due dates --------------------------------------------------------------------------------
def test_due_at_needs_an_offset() -> None:
    with pytest.raises(ValidationError) as exc:
        TaskCreate(title="t", due_at="2025-06-01T12:00:00")
    assert _error_locs(exc) == [("due_at",)]


@pytest.mark.parametrize(
    "raw",
    ["2025-06-01T14:30:00+02:00", "2025-06-01T12:30:00Z", "2025-06-01T07:30:00-05:00"],
)
def test_due_at_is_stored_in_utc(raw: str) -> None:
    due = TaskCreate(title="t", due_at=raw).due_at
    assert due is not None
    assert due.utcoffset() == timedelta(0)
    assert due == datetime(2025, 6, 1, 12, 30, tzinfo=UTC)
    assert format_time(due) == "2025-06-01T12:30:00.000Z"


@pytest.mark.parametrize("raw", ["0001-01-01T00:00:00+01:00", "9999-12-31T23:30:00-01:00"])
def test_due_at_out_of_range_is_a_validation_error(raw: str) -> None:
    with pytest.raises(ValidationError):
        TaskCreate(title="t", due_at=raw)


# Patches ----------------------------------------------------------------------------------
def test_task_patch_changes_only_what_was_sent() -> None:
    patch = TaskPatch.model_validate({"title": "  New  ", "status": "done"})
    assert patch.changes() == {"title": "New", "status": Status.done}


def test_task_patch_null_due_at_clears_it() -> None:
    assert TaskPatch.model_validate({"due_at": None}).changes() == {"due_at": None}


def test_task_patch_sent_due_at_is_utc() -> None:
    changes = TaskPatch.model_validate({"due_at": "2025-06-01T14:30:00+02:00"}).changes()
    assert changes == {"due_at": datetime(2025, 6, 1, 12, 30, tzinfo=UTC)}


def test_task_patch_empty_has_no_changes() -> None:
    assert TaskPatch.model_validate({}).changes() == {}


@pytest.mark.parametrize("field", ["title", "description", "status", "priority", "labels"])
def test_task_patch_null_is_refused_for_everything_but_due_at(field: str) -> None:
    patch = TaskPatch.model_validate({field: None, "due_at": None})
    with pytest.raises(ValueError, match=f"{field} cannot be null"):
        patch.changes()


def test_task_patch_validates_like_create() -> None:
    with pytest.raises(ValidationError) as exc:
        TaskPatch.model_validate({"title": " ", "labels": ["ok", ""], "extra": 1})
    assert {loc[0] for loc in _error_locs(exc)} == {"title", "labels", "extra"}
    assert TaskPatch.model_validate({"labels": ["A", "a"]}).changes() == {"labels": ["a"]}


def test_project_models() -> None:
    assert ProjectCreate(name="  Home  ").name == "Home"
    assert ProjectCreate(name="n" * MAX_PROJECT_NAME).name == "n" * MAX_PROJECT_NAME
    for bad in ["", "n" * (MAX_PROJECT_NAME + 1), "two\nlines"]:
        with pytest.raises(ValidationError):
            ProjectCreate(name=bad)
    assert ProjectPatch.model_validate({"description": "d"}).changes() == {"description": "d"}
    with pytest.raises(ValueError, match="name cannot be null"):
        ProjectPatch.model_validate({"name": None}).changes()


# Enumerations and queries -----------------------------------------------------------------
def test_priority_rank_orders_low_to_urgent() -> None:
    ranks = [p.rank for p in (Priority.low, Priority.medium, Priority.high, Priority.urgent)]
    assert ranks == sorted(set(ranks))


def test_task_query_limit_bounds_and_fingerprint() -> None:
    for bad in (0, 101):
        with pytest.raises(ValidationError):
            TaskQuery(limit=bad)
    first, second = TaskQuery(limit=1), TaskQuery(limit=100)
    assert first.fingerprint() == second.fingerprint()
    assert "limit" not in first.fingerprint()
    assert first.fingerprint() != TaskQuery(status=Status.done).fingerprint()


# format_time ------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("value", "text"),
    [
        (datetime(2025, 1, 2, 3, 4, 5, tzinfo=UTC), "2025-01-02T03:04:05.000Z"),
        (datetime(2025, 1, 2, 3, 4, 5, 999_999, tzinfo=UTC), "2025-01-02T03:04:05.999Z"),
        (datetime(2025, 1, 2, 3, 4, 5, 1_000, tzinfo=UTC), "2025-01-02T03:04:05.001Z"),
        (
            datetime(2025, 1, 1, 1, 0, tzinfo=timezone(timedelta(hours=2))),
            "2024-12-31T23:00:00.000Z",
        ),
        (datetime(1970, 1, 1, tzinfo=UTC), "1970-01-01T00:00:00.000Z"),
    ],
)
def test_format_time_is_utc_with_milliseconds(value: datetime, text: str) -> None:
    assert format_time(value) == text


def test_format_time_is_fixed_width_and_sorts_as_time() -> None:
    start = datetime(2025, 1, 1, tzinfo=UTC)
    values = [start + timedelta(days=d, microseconds=d * 7919) for d in range(0, 2000, 37)]
    texts = [format_time(v) for v in values]
    assert {len(t) for t in texts} == {24}
    assert texts == sorted(texts)


def test_format_time_is_fixed_width_for_early_years() -> None:
    assert format_time(datetime(999, 12, 31, tzinfo=UTC)) == "0999-12-31T00:00:00.000Z"
