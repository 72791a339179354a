"""What an import request says besides the file: the format, the time zone for dates without
an offset, and — for a generic CSV — which column holds what.

Both are API input models (unknown fields refused, 422 with field paths)."""

from __future__ import annotations

from datetime import time
from typing import Annotated, Any

from pydantic import AfterValidator, BeforeValidator, ConfigDict, Field, model_validator

from tasklane.domain.base import Model
from tasklane.domain.exchange.model import ImportFormat
from tasklane.domain.models import Priority, ProjectName, Status
from tasklane.domain.zones import TimeZone

MAX_COLUMN_NAME = 200
#: strptime directives a date format may use: dates and times, nothing locale-dependent
#: beyond month and day names.
_DATE_DIRECTIVES = frozenset("dmyYHIMSpfzbBaAjT%")

#: Values understood in a status column, compared case-insensitively after trimming. A
#: mapping's ``status_values`` add to (and win over) these.
STATUS_WORDS: dict[str, Status] = {
    **dict.fromkeys(
        ["", "todo", "to do", "to-do", "open", "new", "backlog", "not started", "pending"],
        Status.todo,
    ),
    **dict.fromkeys(
        [
            "in progress",
            "in_progress",
            "in-progress",
            "doing",
            "started",
            "active",
            "wip",
            "ongoing",
        ],
        Status.in_progress,
    ),
    **dict.fromkeys(
        ["done", "complete", "completed", "closed", "finished", "resolved"], Status.done
    ),
}
PRIORITY_WORDS: dict[str, Priority] = {
    **dict.fromkeys(["low", "minor", "p4", "4"], Priority.low),
    **dict.fromkeys(["", "medium", "normal", "p3", "3"], Priority.medium),
    **dict.fromkeys(["high", "major", "important", "p2", "2"], Priority.high),
    **dict.fromkeys(["urgent", "critical", "highest", "blocker", "p1", "1"], Priority.urgent),
}
TRUE_WORDS = frozenset(["true", "yes", "y", "1", "x", "archived"])
FALSE_WORDS = frozenset(["", "false", "no", "n", "0"])


#: The same rule for the OpenAPI document: literal characters and allowed directives, with
#: a day and a year among them (in either order).
_TOKEN = f"(?:[^%]|%[{''.join(sorted(_DATE_DIRECTIVES))}])"
DATE_FORMAT_PATTERN = f"^{_TOKEN}*(?:%[dj]{_TOKEN}*%[yY]|%[yY]{_TOKEN}*%[dj]){_TOKEN}*$"


def _directives(value: str) -> list[str] | None:
    """The directives of a strptime format, read left to right as strptime does (``%%`` is a
    literal percent sign); None if a ``%`` ends it."""
    found: list[str] = []
    at = 0
    while at < len(value):
        if value[at] == "%":
            if at + 1 == len(value):
                return None
            found.append(value[at + 1])
            at += 2
        else:
            at += 1
    return found


def _date_format(value: str | None) -> str | None:
    if value is None:
        return None
    read = _directives(value)
    directives = set(read or ()) - {"%"}
    if read is None or not directives or not directives <= _DATE_DIRECTIVES:
        raise ValueError("must be a strptime date format such as %d/%m/%Y or %m/%d/%Y %H:%M")
    if not {"d", "j"} & directives or not {"y", "Y"} & directives:
        raise ValueError("must give at least the day (%d) and the year (%Y or %y)")
    return value


Column = Annotated[str, Field(min_length=1, max_length=MAX_COLUMN_NAME)]
Separator = Annotated[str, Field(min_length=1, max_length=5)]


class ColumnMapping(Model):
    """Which header names the generic CSV's columns have (compared case-insensitively, spaces
    trimmed). Only ``title`` is required; a column not named is not read."""

    model_config = ConfigDict(extra="forbid", defer_build=True)

    title: Column
    description: Column | None = None
    status: Column | None = None
    priority: Column | None = None
    due: Column | None = Field(
        default=None,
        description="ISO 8601 (2026-12-01, 2026-12-01T17:00, …+01:00) unless date_format is set.",
    )
    labels: Column | None = None
    project: Column | None = Field(
        default=None, description="Rows with the same value go to the same new project."
    )
    archived: Column | None = None
    checklist: Column | None = None
    id: Column | None = Field(
        default=None,
        description="A column with a stable id per row: re-importing an edited file then "
        "recognises its rows. Without it a row is recognised by its content.",
    )
    delimiter: Annotated[
        str,
        Field(min_length=1, max_length=1, json_schema_extra={"pattern": '^[^"\\u000a\\u000d]$'}),
    ] = ","
    label_separator: Separator = ","
    checklist_separator: Separator = Field(default="\n", description="One item per line.")
    date_format: Annotated[str | None, AfterValidator(_date_format)] = Field(
        default=None, max_length=50, json_schema_extra={"pattern": DATE_FORMAT_PATTERN}
    )
    # Keys are cell values: at least one character (an empty cell takes the default, and
    # DynamoDB keeps no empty map key).
    status_values: dict[Annotated[str, Field(min_length=1, max_length=100)], Status] = Field(
        default_factory=dict, max_length=50
    )
    priority_values: dict[Annotated[str, Field(min_length=1, max_length=100)], Priority] = Field(
        default_factory=dict, max_length=50
    )

    @model_validator(mode="after")
    def _distinct_separators(self) -> ColumnMapping:
        if self.delimiter in ('"', "\n", "\r"):
            raise ValueError("delimiter must not be a quote or a line break")
        return self


def _time_text(value: object) -> object:
    # JSON sends a time as text (the document's ``format: time``); pydantic alone would also
    # read a number as seconds since midnight.
    if isinstance(value, str | time):
        return value
    raise ValueError("must be a time of day such as 23:59")


TimeOfDay = Annotated[time, BeforeValidator(_time_text)]

#: ``mapping`` goes with the csv format, and only with it (422 otherwise).
MAPPING_FOR_CSV: dict[str, Any] = {
    "if": {"required": ["format"], "properties": {"format": {"const": "csv"}}},
    "then": {"required": ["mapping"], "properties": {"mapping": {"type": "object"}}},
    "else": {"properties": {"mapping": {"type": "null"}}},
}


class ImportOptions(Model):
    model_config = ConfigDict(extra="forbid", defer_build=True, json_schema_extra=MAPPING_FOR_CSV)

    format: ImportFormat
    time_zone: TimeZone = Field(
        default="UTC",
        description="For dates without an offset (the API defaults it to the user's zone).",
    )
    all_day_time: TimeOfDay = Field(
        default=time(23, 59),
        description="The time a date without a time is due at, in time_zone.",
    )
    project_name: ProjectName | None = Field(
        default=None,
        description="The new project's name when the file does not name one (Todoist, a "
        "CSV without a project column).",
    )
    mapping: ColumnMapping | None = Field(default=None, description="Required for csv.")

    @model_validator(mode="after")
    def _mapping_for_csv(self) -> ImportOptions:
        if self.format is ImportFormat.csv and self.mapping is None:
            raise ValueError("mapping is required for the csv format")
        if self.format is not ImportFormat.csv and self.mapping is not None:
            raise ValueError("mapping is only for the csv format")
        return self
