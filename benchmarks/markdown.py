"""Markdown the report's sections share: tables and a section's checks."""

from __future__ import annotations

from typing import Any

from benchmarks.results import Check


def verdict(passed: bool | None) -> str:
    return {True: "pass", False: "**FAIL**", None: "—"}[passed]


def table(header: list[str], rows: list[list[Any]]) -> list[str]:
    def cell(value: Any) -> str:
        return str(value).replace("|", "\\|").replace("\n", " ")

    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(cell(v) for v in row) + " |" for row in rows]
    return [*lines, ""]


def checks(found: list[Check]) -> list[str]:
    return table(
        ["measure", "value", "target", "result", "note"],
        [[c.name, c.measured, c.target or "—", verdict(c.passed), c.note] for c in found],
    )
