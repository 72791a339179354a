"""CDK tests: one synthesized template per stack, shared by the module(s) that read it.

jsii starts one Node process per Python process (300-550 MB): these tests run in the main
pytest process, never in parallel workers. The built-in CloudFormation validator is off here
(``CDK_VALIDATION=false``) except in ``test_synth.py``, which keeps it and cdk-nag on.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

# No skip when the CDK packages are missing: `make test` installs every group, so a missing
# aws_cdk is a broken install that must fail the run, not quietly pass it.
import aws_cdk  # noqa: F401
import pytest

QUIET = {
    "CDK_DISABLE_VERSION_CHECK": "1",
    "CDK_DISABLE_CLI_TELEMETRY": "true",
    "JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION": "20",
    "JSII_SILENCE_WARNING_DEPRECATED_NODE_VERSION": "1",
}
for _name, _value in QUIET.items():
    os.environ.setdefault(_name, _value)


@pytest.fixture
def no_validation(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CDK_VALIDATION", "false")


def resources(template: Any, kind: str) -> dict[str, dict[str, Any]]:
    found: dict[str, dict[str, Any]] = template.find_resources(kind)
    return found


@pytest.fixture(scope="session")
def dev_template() -> Iterator[Any]:
    """The dev stack (cdk-nag off: test_synth.py covers it), synthesized once."""
    from aws_cdk.assertions import Template
    from infra.app import build_app

    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("CDK_VALIDATION", "false")
        _, stack = build_app({"stage": "dev"}, nag=False)
        yield Template.from_stack(stack)
