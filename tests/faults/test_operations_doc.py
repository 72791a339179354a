"""The runbook (docs/operations.md) names every alarm the CDK app creates.

Read from the code that makes them (infra/monitoring.py: the alarm ids; infra/stack.py: the
names passed to each ``watch_*``), without a synth: an alarm added there and not explained
in the runbook fails here.
"""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
MONITORING = (ROOT / "infra" / "monitoring.py").read_text()
STACK = (ROOT / "infra" / "stack.py").read_text()
RUNBOOK = (ROOT / "docs" / "operations.md").read_text()


def _methods() -> dict[str, list[tuple[str, str | None]]]:
    """``watch_*`` method → (alarm id with its ``{name}`` template, the keyword flag that
    guards it or None)."""
    found: dict[str, list[tuple[str, str | None]]] = {}
    pattern = r'(?:_alarm\(\s*|create_alarm\(\s*self,\s*)f?"([^"]+)"'
    for match in re.finditer(r"\n    def (\w+)\(.*?(?=\n    def |\Z)", MONITORING, re.DOTALL):
        body = match.group(0)
        guarded = {
            alarm: flag
            for flag, block in re.findall(r"\n        if (\w+):\n((?:\n|            .*\n)+)", body)
            for alarm in re.findall(pattern, block)
        }
        found[match.group(1)] = [(a, guarded.get(a)) for a in re.findall(pattern, body)]
    return found


def _names(method: str, flag: str | None) -> set[str]:
    """The names infra/stack.py passes to ``method`` (with ``flag=True`` if given), directly
    or through a loop over ("Name", construct) pairs."""
    wanted = rf"[^)]*\b{flag}=True" if flag else ""
    names = set(re.findall(rf'{method}\(\s*"(\w+)"{wanted}', STACK))
    loop = re.search(
        rf"for name, \w+ in \((.*?)\):\s*\n\s*self\.monitoring\.{method}\(name\b([^)]*)\)",
        STACK,
        re.DOTALL,
    )
    if loop is not None and (flag is None or f"{flag}=True" in loop.group(2)):
        names |= set(re.findall(r'\(\s*"(\w+)",', loop.group(1)))
    return names


def expected_alarms() -> set[str]:
    alarms: set[str] = set()
    for method, ids in _methods().items():
        for alarm, flag in ids:
            if "{name}" in alarm:
                names = _names(method, flag)
                assert names or flag, f"no names passed to {method} in infra/stack.py"
                alarms |= {alarm.replace("{name}", name) for name in names}
            else:
                alarms.add(alarm)
    return alarms


def test_the_runbook_explains_every_alarm() -> None:
    alarms = expected_alarms()
    assert len(alarms) >= 20, sorted(alarms)  # the reader found them, not an empty set
    missing = sorted(a for a in alarms if f"`{a}`" not in RUNBOOK)
    assert not missing, f"docs/operations.md does not explain: {missing}"
