"""Steps in order, clean-ups in reverse, one line per step: the smoke test's skeleton.

A step may register a clean-up for what it made; when a step fails, the scenario stops and
every clean-up registered so far still runs (newest first), so a failed smoke test leaves
no more behind than a passed one. The outcome is an exit code: 0 when every step and every
clean-up passed.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TextIO


class SmokeFailure(Exception):
    """A check that did not hold: the message says what was expected and what came."""


@dataclass
class Outcome:
    name: str
    ok: bool
    seconds: float
    detail: str = ""


@dataclass
class Runner:
    out: TextIO
    outcomes: list[Outcome] = field(default_factory=list)
    _cleanups: list[tuple[str, Callable[[], None]]] = field(default_factory=list)

    def cleanup(self, name: str, action: Callable[[], None]) -> None:
        """Undo something a step made, after the scenario (whatever its outcome)."""
        self._cleanups.append((name, action))

    def run(self, steps: Iterable[tuple[str, Callable[[], None]]]) -> int:
        """Run ``steps`` until one fails, then every clean-up; returns the exit code."""
        try:
            for name, step in steps:
                if not self._attempt(name, step):
                    break
        finally:
            while self._cleanups:
                name, action = self._cleanups.pop()
                self._attempt(f"clean-up: {name}", action)
        failed = [o for o in self.outcomes if not o.ok]
        total = sum(o.seconds for o in self.outcomes)
        verdict = "FAILED" if failed else "passed"
        self.out.write(f"smoke test {verdict}: {len(self.outcomes)} steps in {total:.1f} s\n")
        return 1 if failed else 0

    def _attempt(self, name: str, action: Callable[[], None]) -> bool:
        started = time.monotonic()
        try:
            action()
        except Exception as error:  # every failure is reported, and stops the scenario
            outcome = Outcome(name, False, time.monotonic() - started, _describe(error))
        else:
            outcome = Outcome(name, True, time.monotonic() - started)
        self.outcomes.append(outcome)
        mark = "ok  " if outcome.ok else "FAIL"
        line = f"{mark} {outcome.name} ({outcome.seconds:.1f} s)"
        self.out.write(line + (f"\n     {outcome.detail}" if outcome.detail else "") + "\n")
        self.out.flush()
        return outcome.ok


def _describe(error: Exception) -> str:
    if isinstance(error, SmokeFailure):
        return str(error)
    return f"{type(error).__name__}: {error}"
