"""CDK tests: one synthesized template per stack, shared by the module(s) that read it.

jsii starts one Node process per Python process (300-550 MB): these tests run in the main
pytest process, never in parallel workers. The built-in CloudFormation validator is off here
(``CDK_VALIDATION=false``) except in ``test_synth.py``, which keeps it and cdk-nag on.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

# No skip when the CDK packages are missing: `make test` installs every group, so a missing
# aws_cdk is a broken install that must fail the run, not quietly pass it.
import aws_cdk  # noqa: F401
import pytest
from infra.web import PLACEHOLDER

QUIET = {
    "CDK_DISABLE_VERSION_CHECK": "1",
    "CDK_DISABLE_CLI_TELEMETRY": "true",
    "JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION": "20",
    "JSII_SILENCE_WARNING_DEPRECATED_NODE_VERSION": "1",
}
for _name, _value in QUIET.items():
    os.environ.setdefault(_name, _value)
# The web servers' asset is the placeholder here, whether or not web/ is built: staging a
# Next.js build (thousands of files) would slow every synth and race a build in progress.
# infra/web.py's choice between the two is tested on its own (test_web.py).
os.environ.setdefault("TASKLANE_WEB_BUILD", str(PLACEHOLDER))
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def no_validation(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CDK_VALIDATION", "false")


def resources(template: Any, kind: str) -> dict[str, dict[str, Any]]:
    found: dict[str, dict[str, Any]] = template.find_resources(kind)
    return found


#: cdk.json's prod stage names no alarm_email (prod refuses to synthesize without one): the
#: tests give it this one.
PROD_ALARM_EMAIL = "alarms@example.com"


def stage_context(stage: str, **settings: Any) -> dict[str, Any]:
    """CDK context for ``stage``: cdk.json's stages, with ``settings`` over the stage's."""
    from infra.app import file_context

    stages = dict(file_context()["tasklane:stages"])
    stages[stage] = {**stages[stage], **settings}
    return {"stage": stage, "tasklane:stages": stages}


def _template(context: dict[str, Any]) -> Iterator[Any]:
    from aws_cdk.assertions import Template
    from infra.app import build_app

    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("CDK_VALIDATION", "false")
        _, stack = build_app(context, nag=False)
        yield Template.from_stack(stack)


@pytest.fixture(scope="session")
def dev_template() -> Iterator[Any]:
    """The dev stack (cdk-nag off: test_synth.py covers it), synthesized once."""
    yield from _template({"stage": "dev"})


@pytest.fixture(scope="session")
def prod_template() -> Iterator[Any]:
    """The prod stack, with an alarm e-mail, synthesized once."""
    yield from _template(stage_context("prod", alarm_email=PROD_ALARM_EMAIL))


# --- reading the template: shared by the test modules ---------------------------------------


def function_by_handler(template: Any, handler: str) -> tuple[str, dict[str, Any]]:
    """(logical id, properties) of the one function with ``handler``."""
    for logical_id, resource in resources(template, "AWS::Lambda::Function").items():
        if resource["Properties"].get("Handler") == handler:
            return logical_id, resource["Properties"]
    raise AssertionError(f"no function with handler {handler}")


def as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def role_statements(template: Any, role_id: str) -> list[dict[str, Any]]:
    """Every statement of the inline policies attached to the role ``role_id``."""
    statements: list[dict[str, Any]] = []
    for policy in resources(template, "AWS::IAM::Policy").values():
        if {"Ref": role_id} in policy["Properties"].get("Roles", []):
            statements += policy["Properties"]["PolicyDocument"]["Statement"]
    return statements


def function_statements(template: Any, handler: str) -> list[dict[str, Any]]:
    _, fn = function_by_handler(template, handler)
    return role_statements(template, fn["Role"]["Fn::GetAtt"][0])


def only(template: Any, kind: str) -> tuple[str, dict[str, Any]]:
    """(logical id, resource) of the one resource of ``kind``."""
    found = resources(template, kind)
    assert len(found) == 1, f"{kind}: {list(found)}"
    return next(iter(found.items()))


def group_id(value: dict[str, Any]) -> str:
    """The logical id of a security group from its ``Fn::GetAtt [id, GroupId]``."""
    logical_id, attribute = value["Fn::GetAtt"]
    assert attribute == "GroupId"
    return str(logical_id)


def ingress_rules(template: Any, group: str) -> list[dict[str, Any]]:
    """The standalone ingress rules of the security group ``group`` (logical id)."""
    return [
        r["Properties"]
        for r in resources(template, "AWS::EC2::SecurityGroupIngress").values()
        if group_id(r["Properties"]["GroupId"]) == group
    ]


def subnets_of_type(template: Any, subnet_type: str) -> set[str]:
    """Logical ids of the subnets CDK tagged ``subnet_type`` (Public, Isolated)."""
    found = set()
    for logical_id, subnet in resources(template, "AWS::EC2::Subnet").items():
        tags = {t["Key"]: t["Value"] for t in subnet["Properties"]["Tags"]}
        if tags["aws-cdk:subnet-type"] == subnet_type:
            found.add(logical_id)
    return found


def stage_config(stage: str) -> Any:
    """The stage's settings as the templates were built from them (cdk.json's, and the
    tests' alarm e-mail for prod)."""
    from infra.config import StageConfig

    settings = {"alarm_email": PROD_ALARM_EMAIL} if stage == "prod" else {}
    return StageConfig.from_dict(stage, stage_context(stage, **settings)["tasklane:stages"][stage])


def cfn_lint(template_path: Path) -> list[str]:
    """cfn-lint's findings on one template (errors and warnings), in this process: its rule
    and schema loading is paid once per test session, not once per template.

    The checks turned off come from .cfnlintrc.yaml, the one place that lists them (each with
    its reason), which `make synth`'s cfn-lint command line reads too.
    """
    import yaml  # type: ignore[import-untyped]
    from cfnlint.api import ManualArgs, lint_file  # type: ignore[import-untyped]

    settings = yaml.safe_load((ROOT / ".cfnlintrc.yaml").read_text())
    unknown = set(settings) - {"ignore_checks"}
    assert not unknown, f".cfnlintrc.yaml: settings this helper does not pass on: {unknown}"
    matches = lint_file(template_path, config=ManualArgs(ignore_checks=settings["ignore_checks"]))
    return [str(m) for m in matches]
