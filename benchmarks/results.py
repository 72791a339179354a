"""What a benchmark hands back: measured values with their targets."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass(slots=True)
class Check:
    """One measured value. ``passed`` is None for values reported without a target."""

    name: str
    measured: Any
    target: str = ""
    passed: bool | None = None
    note: str = ""

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(slots=True)
class Section:
    key: str
    title: str
    checks: list[Check] = field(default_factory=list)
    #: Extra tables and facts for the report and results.json.
    data: dict[str, Any] = field(default_factory=dict)
    seconds: float = 0.0
    error: str | None = None

    @property
    def failed(self) -> list[Check]:
        return [c for c in self.checks if c.passed is False]

    @property
    def ok(self) -> bool:
        return self.error is None and not self.failed

    def to_json(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "ok": self.ok,
            "error": self.error,
            "seconds": round(self.seconds, 2),
            "checks": [c.to_json() for c in self.checks],
            **self.data,
        }
