"""``tasks.json``, written as a stream: the header and the projects, then one task at a time.

Each value is serialised by pydantic on its own (its Rust serializer, compact, UTF-8 as is);
nothing but the current task is held. The document is
:mod:`tasklane.domain.exchange.export`'s, which :mod:`tasklane.logic.exchange.tasklane_json`
reads back.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import TextIO

from tasklane.domain.exchange.export import ExportHeader, ExportProject, ExportTask


class TasksJsonWriter:
    def __init__(self, out: TextIO) -> None:
        self._out = out
        self._tasks = 0

    def begin(self, header: ExportHeader, projects: Iterable[ExportProject]) -> None:
        head = json.dumps(header.model_dump(mode="json"), ensure_ascii=False)
        self._out.write(head[:-1] + ',\n"projects": [')
        for position, project in enumerate(projects):
            self._out.write(("," if position else "") + "\n" + project.model_dump_json())
        self._out.write('\n],\n"tasks": [')

    def task(self, task: ExportTask) -> None:
        self._out.write(("," if self._tasks else "") + "\n" + task.model_dump_json())
        self._tasks += 1

    def end(self) -> None:
        self._out.write("\n]}\n")
