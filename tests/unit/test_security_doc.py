"""docs/security.md names, for each control, the tests that try it: each must exist, so the
threat model cannot claim a control whose test is gone."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "security.md"
#: `path` or `path::name` in backticks, where path is a test file of the repository.
REFERENCE = re.compile(r"`((?:tests|web/tests|web/e2e)/[^`:]+?)(?:::([A-Za-z_0-9]+))?`")


def references() -> list[tuple[str, str | None]]:
    return [(m.group(1), m.group(2)) for m in REFERENCE.finditer(DOC.read_text())]


def test_every_named_test_exists() -> None:
    named = references()
    assert len(named) >= 20, named  # the table names tests for every control
    missing = []
    for path, name in named:
        file = ROOT / path
        if not file.is_file():
            missing.append(path)
        elif name is not None and not re.search(rf"def {name}\(", file.read_text()):
            missing.append(f"{path}::{name}")
    assert missing == []


def test_every_threat_names_a_test() -> None:
    section = DOC.read_text().split("## Threats", 1)[1].split("\n## ", 1)[0]
    threats = [
        line
        for line in section.splitlines()
        if line.startswith("| ") and not line.startswith(("| threat", "|---"))
    ]
    assert len(threats) >= 10, threats
    for row in threats:
        tests_cell = row.rstrip(" |").rsplit("|", 1)[1]
        assert REFERENCE.search(tests_cell), f"a threat without a test: {row[:80]}"
