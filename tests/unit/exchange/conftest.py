"""Helpers for the exchange tests: fixture files and in-memory sources."""

from __future__ import annotations

import io
from collections.abc import Iterable
from pathlib import Path

from tasklane.domain.exchange.model import (
    ImportedProject,
    ImportedTask,
    ImportItem,
    RowProblem,
    Severity,
)
from tasklane.logic.exchange.sources import Opener

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "imports"


def file_source(name: str) -> Opener:
    path = FIXTURES / name
    return lambda: path.open("rb")


def bytes_source(data: bytes) -> Opener:
    return lambda: io.BytesIO(data)


class Parsed:
    """A parser's output, sorted by kind."""

    def __init__(self, items: Iterable[ImportItem]) -> None:
        self.items = list(items)
        self.projects = [i for i in self.items if isinstance(i, ImportedProject)]
        self.tasks = [i for i in self.items if isinstance(i, ImportedTask)]
        self.problems = [i for i in self.items if isinstance(i, RowProblem)]

    def task(self, title_start: str) -> ImportedTask:
        (found,) = [t for t in self.tasks if t.title.startswith(title_start)]
        return found

    def errors(self) -> list[RowProblem]:
        return [p for p in self.problems if p.severity is Severity.error]

    def warnings(self) -> list[RowProblem]:
        return [p for p in self.problems if p.severity is Severity.warning]
