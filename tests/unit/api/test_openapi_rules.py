"""The rules of recurring tasks, checklists, webhooks and imports, as the OpenAPI document
states them, against the validators that enforce them.

As in test_openapi.py: the document's schema judged by jsonschema-rs (what the contract
fuzzer uses), the model or validator by itself, on values drawn from the pattern and from
an alphabet of the characters the rule is about. Where the document states less than the
API reads (a canonical RRULE, a webhook URL whose host DNS must vouch for), the test says
which way they may differ.
"""

from __future__ import annotations

import re
from typing import Any

import jsonschema_rs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import BaseModel, ValidationError

from tasklane.api.app import create_app
from tasklane.api.openapi import document
from tasklane.domain import patterns
from tasklane.domain.attachments import AttachmentCreate
from tasklane.domain.checklists import ChecklistItemCreate, ChecklistItemPatch
from tasklane.domain.exchange.jobs import ImportCreate
from tasklane.domain.exchange.options import ColumnMapping
from tasklane.domain.exchange.registrations import WebhookCreate, WebhookPatch
from tasklane.domain.exchange.targets import TargetPolicy, UnsafeTarget, parse_target
from tasklane.domain.models import TaskCreate
from tasklane.domain.positions import DIGITS, is_position
from tasklane.domain.recurrence import InvalidRecurrence, parse_rule
from tasklane.logic.recurrence import new_series
from tasklane.settings import Settings

EXAMPLES = settings(max_examples=400, deadline=None, suppress_health_check=list(HealthCheck))
SETTINGS = Settings()
ULID = "01j0000000000000000000000a"
#: Names no item: a neighbour that is not an item id is refused (422) once the list is read.
NOT_AN_ID = "item-1"


@pytest.fixture(scope="module")
def spec() -> dict[str, Any]:
    return document(create_app(SETTINGS), SETTINGS)


def _body(spec: dict[str, Any], name: str) -> jsonschema_rs.Validator:
    schema = {"$ref": f"#/components/schemas/{name}", "components": spec["components"]}
    return jsonschema_rs.validator_for(schema, validate_formats=True)


def _accepts(model: type[BaseModel], body: dict[str, Any]) -> bool:
    try:
        parsed = model.model_validate(body)
        changes = getattr(parsed, "changes", None)
        if changes is not None:
            changes()
    except (ValidationError, ValueError):
        return False
    return True


# Recurrence rules -----------------------------------------------------------------------------
RULE = patterns.rrule()
#: Rules in other spellings than the canonical one: the API reads them, the document (which
#: states the form the API answers) does not list them.
LENIENT = ["freq=daily", "RRULE:FREQ=DAILY", "INTERVAL=2;FREQ=WEEKLY", "FREQ=DAILY;;"]
#: Rules the API refuses, whatever the due date.
REFUSED = [
    "",
    "FREQ=HOURLY",
    "FREQ=DAILY;COUNT=1",
    "FREQ=DAILY;INTERVAL=2;BYDAY=MO",
    "FREQ=WEEKLY;BYDAY=1MO",
    "FREQ=YEARLY;BYDAY=MO",
    "FREQ=WEEKLY;BYMONTHDAY=1",
    "FREQ=MONTHLY;BYDAY=6MO",
    "FREQ=DAILY;COUNT=3;UNTIL=20270101",
    "FREQ=DAILY;UNTIL=20270229",
    "FREQ=DAILY;UNTIL=99990101",
    "FREQ=DAILY;BYHOUR=9",
]


def _parses(text: str) -> bool:
    try:
        parse_rule(text)
    except InvalidRecurrence:
        return False
    return True


@EXAMPLES
@given(st.from_regex(RULE, fullmatch=True))
def test_every_documented_rule_is_accepted(text: str) -> None:
    assert _parses(text), text


@EXAMPLES
@given(
    st.lists(
        st.sampled_from(
            [
                *("FREQ=DAILY", "FREQ=WEEKLY", "FREQ=MONTHLY", "FREQ=YEARLY", "INTERVAL=3"),
                *("BYDAY=MO,-1FR", "BYDAY=TU", "BYMONTHDAY=-1,15", "COUNT=5", "COUNT=1"),
                *("UNTIL=20280229", "UNTIL=20261201T120000Z", "INTERVAL=1"),
            ]
        ),
        min_size=1,
        max_size=5,
        unique=True,
    )
)
def test_the_canonical_form_of_every_accepted_rule_is_documented(parts: list[str]) -> None:
    text = ";".join(parts)
    try:
        rule = parse_rule(text)
    except InvalidRecurrence:
        return
    if rule.count == 1:
        return  # accepted alone, refused with any due date (never_repeats)
    assert re.fullmatch(RULE, str(rule)), str(rule)


def test_rules_the_document_leaves_out() -> None:
    for text in LENIENT:
        assert _parses(text), text
        assert not re.fullmatch(RULE, text), text
    for text in REFUSED:
        assert not re.fullmatch(RULE, text), text
        # COUNT=1 parses, and then never repeats after any due date (422 never_repeats).
        assert not _parses(text) or text.endswith("COUNT=1"), text


def _starts_series(body: dict[str, Any]) -> bool:
    """What creating the task decides (the model, then the use case's series)."""
    if not _accepts(TaskCreate, body):
        return False
    task = TaskCreate.model_validate(body)
    try:
        new_series(task.recurrence, task.due_at, lambda: "UTC")
    except InvalidRecurrence:
        return False
    return True


def test_a_repeating_task_needs_a_due_date(spec: dict[str, Any]) -> None:
    schema = _body(spec, "TaskCreate")
    for body in (
        {"title": "t", "recurrence": "FREQ=DAILY"},
        {"title": "t", "recurrence": "FREQ=DAILY", "due_at": None},
        {"title": "t", "recurrence": "FREQ=DAILY", "due_at": "2026-12-01T09:00:00Z"},
        {"title": "t", "recurrence": None},
        {"title": "t", "due_at": None},
        {"title": "t"},
    ):
        assert schema.is_valid(body) == _starts_series(body), body
    example = spec["components"]["schemas"]["TaskCreate"]["examples"][0]
    assert schema.is_valid(example)
    assert _starts_series(example)


def test_a_new_rule_keeps_a_due_date(spec: dict[str, Any]) -> None:
    """A patch that sets a rule and clears the due date is refused whatever the task."""
    schema = _body(spec, "TaskPatch")
    for body, valid in (
        ({"recurrence": "FREQ=DAILY", "due_at": None}, False),
        ({"recurrence": "FREQ=DAILY", "due_at": "2026-12-01T09:00:00Z"}, True),
        ({"recurrence": "FREQ=DAILY"}, True),  # with the task's own due date
        ({"recurrence": None, "due_at": None}, True),
    ):
        assert schema.is_valid(body) is valid, body
    example = spec["components"]["schemas"]["TaskPatch"]["examples"][0]
    assert schema.is_valid(example)


def test_the_preview_documents_the_same_rule(spec: dict[str, Any]) -> None:
    parameters = spec["paths"]["/recurrence/preview"]["get"]["parameters"]
    (rule,) = [p for p in parameters if p["name"] == "rule"]
    assert rule["schema"]["pattern"] == RULE
    assert all(re.fullmatch(RULE, example) for example in rule["schema"]["examples"])


# Checklists -----------------------------------------------------------------------------------
@EXAMPLES
@given(
    st.one_of(
        st.from_regex(patterns.position(), fullmatch=True),
        st.text(st.sampled_from(DIGITS + "-_ "), max_size=30),
        st.just("A" + "0" * 26),
    )
)
def test_positions_are_documented_exactly(value: str) -> None:
    assert bool(re.fullmatch(patterns.position(), value)) == is_position(value), value


@EXAMPLES
@given(
    text=st.one_of(st.none(), st.sampled_from(["x", " ", "", "a\nb", "ok "])),
    done=st.one_of(st.none(), st.booleans()),
    position=st.one_of(st.none(), st.sampled_from(["a0", "a", "Zz", "a0V"])),
    before=st.one_of(st.none(), st.sampled_from([ULID, NOT_AN_ID])),
    sent=st.sets(st.sampled_from(["text", "done", "position", "before", "after"])),
)
def test_checklist_writes_are_documented_exactly(
    spec: dict[str, Any],
    text: str | None,
    done: bool | None,
    position: str | None,
    before: str | None,
    sent: set[str],
) -> None:
    values = {"text": text, "done": done, "position": position, "before": before}
    body = {name: values.get(name, before) for name in sent}
    patch = _body(spec, "ChecklistItemPatch")
    # A patch must change something: text, done or a placement (the use case refuses {}),
    # and ``before``/``after`` that are not item ids name no item (422 too).
    changes = (
        _accepts(ChecklistItemPatch, body)
        and NOT_AN_ID not in body.values()
        and any(value is not None for value in body.values())
    )
    assert patch.is_valid(body) == changes, body
    create = {**body, "text": text}
    accepted = _accepts(ChecklistItemCreate, create) and NOT_AN_ID not in create.values()
    assert _body(spec, "ChecklistItemCreate").is_valid(create) == accepted, create


# Webhooks -------------------------------------------------------------------------------------
@EXAMPLES
@given(st.from_regex(patterns.webhook_url(), fullmatch=True))
def test_every_documented_url_can_be_a_receiver(url: str) -> None:
    """Everything the pattern allows gets as far as the address check (DNS, public
    addresses: not a pattern's business)."""
    reason = None
    try:
        parse_target(url, TargetPolicy(allow_http_loopback=True))
    except UnsafeTarget as refused:
        reason = refused.reason
    assert reason in (None, "host_not_public"), (url, reason)


def test_urls_the_api_refuses_are_not_documented() -> None:
    for url in [
        "http://example.com/hook",
        "https://user:pw@example.com/",  # pragma: allowlist secret
        "https://example/",
        "https://0177.0.0.1/",
        "https://127.1/",
        "https://example.com/a b",
        "https://example.com/a\\b",
        "https://example.com:65536/",
        "https://1.2.3/",
    ]:
        assert not re.fullmatch(patterns.webhook_url(), url), url
        with pytest.raises(UnsafeTarget):
            parse_target(url, TargetPolicy())


def test_webhook_writes_are_documented(spec: dict[str, Any]) -> None:
    create, patch = _body(spec, "WebhookCreate"), _body(spec, "WebhookPatch")
    url = "https://hooks.example.com/tasklane"
    for body in (
        {"url": url},
        {"url": url, "events": None},
        {"url": url, "events": []},
        {"url": url, "events": ["task.created"]},
        {"url": url, "events": ["webhook.ping"]},
        {"url": url, "description": "  Our CI  "},
        {"url": url, "description": "two\nlines"},
        {"url": url, "description": "x" * 201},
    ):
        assert create.is_valid(body) == _accepts(WebhookCreate, body), body
    changes: list[dict[str, Any]] = [
        {},
        {"events": None},
        {"url": None},
        {"enabled": None},
        {"enabled": False},
    ]
    for change in changes:
        assert patch.is_valid(change) == _accepts(WebhookPatch, change), change


# Imports --------------------------------------------------------------------------------------
@EXAMPLES
@given(
    st.one_of(
        st.from_regex(ColumnMapping.model_json_schema()["properties"]["date_format"]["pattern"]),
        st.text(st.sampled_from("%dmyYjHQ/ -%"), max_size=12),
    )
)
def test_date_formats_are_documented_exactly(value: str) -> None:
    pattern = ColumnMapping.model_json_schema()["properties"]["date_format"]["pattern"]
    documented = bool(re.fullmatch(pattern, value)) and len(value) <= 50
    assert documented == _accepts(ColumnMapping, {"title": "T", "date_format": value}), value


def test_a_mapping_goes_with_the_csv_format_only(spec: dict[str, Any]) -> None:
    schema = _body(spec, "ImportCreate")
    file = {"file_name": "tasks.csv", "size": 10}
    for body in (
        {**file, "format": "csv"},
        {**file, "format": "csv", "mapping": None},
        {**file, "format": "csv", "mapping": {"title": "Title"}},
        {**file, "format": "csv", "mapping": {"title": "Title", "delimiter": '"'}},
        {**file, "format": "csv", "mapping": {"title": "Title", "delimiter": ";"}},
        {**file, "format": "todoist"},
        {**file, "format": "todoist", "mapping": None},
        {**file, "format": "todoist", "mapping": {"title": "Title"}},
    ):
        assert schema.is_valid(body) == _accepts(ImportCreate, body), body


@pytest.mark.parametrize("value", ["23:59", "09:30:00", "09:30:00Z", 0, 3600, None])
def test_an_all_day_time_is_text(spec: dict[str, Any], value: object) -> None:
    body = {"file_name": "a.csv", "size": 1, "format": "todoist", "all_day_time": value}
    if isinstance(value, str):
        assert _accepts(ImportCreate, body), body  # the formats' own rules aside
    else:
        assert not _body(spec, "ImportCreate").is_valid(body), body
        assert not _accepts(ImportCreate, body), body


@pytest.mark.parametrize("size", [12, 12.0, 12.5, "12", True, 0])
def test_a_file_size_is_a_json_integer(spec: dict[str, Any], size: object) -> None:
    body = {"file_name": "a.txt", "size": size, "content_type": "text/plain"}
    assert _body(spec, "AttachmentCreate").is_valid(body) == _accepts(AttachmentCreate, body)
    imported = {"file_name": "a.csv", "size": size, "format": "todoist"}
    assert _body(spec, "ImportCreate").is_valid(imported) == _accepts(ImportCreate, imported)


# Links ----------------------------------------------------------------------------------------
def test_a_task_made_from_an_item_links_to_its_own_operations(spec: dict[str, Any]) -> None:
    links = spec["paths"]["/tasks/{task_id}/checklist/{item_id}/task"]["post"]["responses"]
    for link in links["201"]["links"].values():
        # The new task's id only: the item's id belongs to the task it came from.
        assert link["parameters"] == {"task_id": "$response.body#/id"}, link


def test_a_deleted_task_links_to_its_restore(spec: dict[str, Any]) -> None:
    links = spec["paths"]["/tasks/{task_id}"]["delete"]["responses"]["204"]["links"]
    restore = spec["paths"]["/tasks/{task_id}/restore"]["post"]["operationId"]
    assert [link["operationId"] for link in links.values()] == [restore]
    assert [link["parameters"] for link in links.values()] == [{"task_id": "$request.path.task_id"}]
