"""What the web app asks of Cognito, read from its source (``web/src``).

The deployed client must allow the flows the web app uses, and the smoke test logs in the
way the web app does; both read them here, so a change to the web app's sign-in changes
what is checked instead of leaving a stale copy behind.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WEB_SOURCES = ROOT / "web" / "src"
#: ``AuthFlow: "USER_PASSWORD_AUTH", AuthParameters: { USERNAME: …, PASSWORD: … }``.
_CALL = re.compile(
    r"""AuthFlow\s*:\s*["'](?P<flow>[A-Z_]+)["']\s*,\s*AuthParameters\s*:\s*\{(?P<params>[^}]*)\}"""
)
_PARAM = re.compile(r"([A-Z_]+)\s*:")


@dataclass(frozen=True, slots=True)
class AuthCall:
    """One InitiateAuth call of the web app: its flow, the parameters it sends, and where
    (relative to ``web/``)."""

    flow: str
    parameters: frozenset[str]
    source: str


def auth_calls(sources: Path = WEB_SOURCES) -> list[AuthCall]:
    """Every ``InitiateAuth`` the web app's TypeScript makes (tests excluded)."""
    calls = []
    for path in sorted(sources.rglob("*.ts*")):
        if ".test." in path.name or ".spec." in path.name:
            continue
        text = path.read_text(encoding="utf-8")
        for match in _CALL.finditer(text):
            calls.append(
                AuthCall(
                    flow=match["flow"],
                    parameters=frozenset(_PARAM.findall(match["params"])),
                    source=str(path.relative_to(sources.parent)),
                )
            )
    return calls


def auth_flows(sources: Path = WEB_SOURCES) -> set[str]:
    """The flow names (``USER_PASSWORD_AUTH``, ``REFRESH_TOKEN_AUTH``)."""
    return {call.flow for call in auth_calls(sources)}


def login_flow(sources: Path = WEB_SOURCES) -> str:
    """The flow the web app logs in with: the one that sends the password."""
    flows = {c.flow for c in auth_calls(sources) if "PASSWORD" in c.parameters}
    if len(flows) != 1:
        raise LookupError(
            f"expected one InitiateAuth with a PASSWORD under {sources}, found {sorted(flows)}"
        )
    return flows.pop()


def explicit_flow(flow: str) -> str:
    """The app client's ExplicitAuthFlows value that allows ``flow``."""
    return {"REFRESH_TOKEN": "ALLOW_REFRESH_TOKEN_AUTH"}.get(flow, f"ALLOW_{flow}")
