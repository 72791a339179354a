"""Attachments over the api handler, moto's S3 and plain HTTP uploads to presigned forms.

moto enforces nothing a POST policy says (size range, type, expiry, signature): these tests
upload exactly what S3 would refuse, and check that ``complete`` refuses it.
"""

from __future__ import annotations

import base64
import json
from collections import Counter
from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy.engine import Engine

from tasklane.dal.dynamodb.attachments import DynamoAttachments
from tasklane.dal.storage import S3Storage
from tasklane.domain.models import utc_now
from tasklane.local.bootstrap import LocalConfig
from tasklane.wiring.api import ApiContainer
from tests.integration.conftest import Api, Reply
from tests.integration.support import clients, sync

pytestmark = pytest.mark.integration

PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + bytes(range(64))


# Helpers ---------------------------------------------------------------------------------


def new_task(api: Api, user: str = "user-a") -> str:
    reply = api.post("/projects/inbox/tasks", {"title": "with files"}, user=user)
    assert reply.status == 201, reply.body
    task_id: str = reply.body["id"]
    return task_id


def start(
    api: Api,
    task_id: str,
    content: bytes,
    content_type: str = "application/pdf",
    name: str = "report.pdf",
    user: str = "user-a",
    size: int | None = None,
) -> Reply:
    body = {"file_name": name, "size": len(content) if size is None else size}
    body["content_type"] = content_type  # type: ignore[assignment]
    return api.post(f"/tasks/{task_id}/attachments", body, user=user)


def upload(form: dict[str, Any], content: bytes, content_type: str | None = None) -> None:
    """What a browser does with the form: its fields, then the file, as multipart."""
    fields = dict(form["fields"])
    if content_type is not None:
        fields["Content-Type"] = content_type  # a client ignoring the form
    response = httpx.post(
        form["url"],
        data=fields,
        files={"file": ("upload", content, fields["Content-Type"])},
        timeout=10,
    )
    assert response.status_code in (200, 201, 204), response.text


def attach(api: Api, task_id: str, content: bytes = PDF, **kwargs: Any) -> dict[str, Any]:
    created = start(api, task_id, content, **kwargs)
    assert created.status == 201, created.body
    upload(created.body["upload"], content)
    done = api.post(
        f"/tasks/{task_id}/attachments/{created.body['attachment']['id']}/complete",
        user=kwargs.get("user", "user-a"),
    )
    assert done.status == 200, done.body
    attachment: dict[str, Any] = done.body
    return attachment


def versions(aws: LocalConfig, prefix: str) -> list[str]:
    listing = clients().s3.list_object_versions(Bucket=aws.bucket_name, Prefix=prefix)
    return [v["Key"] for v in listing.get("Versions", [])]


def key_of(task_id: str, attachment_id: str) -> str:
    project_id, task_ulid = task_id.split("-")
    return f"attachments/{project_id}/{task_ulid}/{attachment_id}"


def adapters(container: ApiContainer) -> tuple[DynamoAttachments, S3Storage]:
    """The attachment adapters on the container's table and bucket (a test's own use)."""
    bucket = container.settings.attachments.bucket
    return DynamoAttachments(container.table), S3Storage(bucket, lambda: container.aws.s3)


@pytest.fixture
def stream(api_container: ApiContainer) -> Any:
    """Delivers the table's stream to the attachment clean-up consumer, on demand."""
    from tasklane.local.stream_poller import StreamPoller
    from tasklane.logic.attachment_cleanup import AttachmentCleanup
    from tasklane.logic.stream import change_from_record

    aws = api_container.settings.aws
    cleanup = AttachmentCleanup(*adapters(api_container))

    def handler(event: dict[str, Any], _context: Any) -> dict[str, Any]:
        for record in event["Records"]:
            cleanup.handle(change_from_record(record))
        return {"batchItemFailures": []}

    table = api_container.settings.table_name
    poller = StreamPoller(table, handler, region=aws.region, endpoint_url=aws.endpoint_url)

    class Drain:
        @staticmethod
        def drain() -> None:
            for _ in range(20):
                if poller.poll() == 0:
                    return

    return Drain()


@pytest.fixture
def small_limits(api: Api, api_container: ApiContainer) -> None:
    """The attachment use cases with a 1 KiB size limit and 2 attachments per task."""
    from tasklane.logic.attachments import AttachmentService

    limits = api_container.settings.attachments._replace(max_bytes=1024, max_per_task=2)
    api_container.override(attachments=AttachmentService(*adapters(api_container), limits))


@pytest.fixture
def calls(api: Api, api_container: ApiContainer) -> Iterator[Counter[str]]:
    """AWS requests the handler makes, by ``service.operation``."""
    counted: Counter[str] = Counter()
    hooks = []
    aws = api_container.aws
    for client, name in ((aws.dynamodb, "dynamodb"), (aws.s3, "s3")):

        def before(model: Any, _name: str = name, **_: Any) -> None:
            counted[f"{_name}.{model.name}"] += 1

        client.meta.events.register(f"before-call.{name}", before)
        hooks.append((client, name, before))
    yield counted
    for client, name, before in hooks:
        client.meta.events.unregister(f"before-call.{name}", before)


# The whole way ---------------------------------------------------------------------------


def test_upload_complete_list_download_and_compare_bytes(api: Api, aws: LocalConfig) -> None:
    task_id = new_task(api)
    created = start(api, task_id, PDF, name="Q3 report.pdf")
    assert created.status == 201, created.body
    attachment, form = created.body["attachment"], created.body["upload"]
    assert attachment["status"] == "pending"
    assert attachment["file_name"] == "Q3 report.pdf"
    assert created.headers["location"] == f"/tasks/{task_id}/attachments/{attachment['id']}"
    # The key is made of ids only; the form pins type, tag, key and the exact size.
    assert form["fields"]["key"] == key_of(task_id, attachment["id"])
    assert form["fields"]["Content-Type"] == "application/pdf"
    assert form["url"].startswith(aws.endpoint_url)

    upload(form, PDF)
    done = api.post(f"/tasks/{task_id}/attachments/{attachment['id']}/complete")
    assert done.status == 200, done.body
    assert done.body["status"] == "ready"
    assert done.body["completed_at"]

    listed = api.get(f"/tasks/{task_id}/attachments")
    assert listed.status == 200
    assert [(a["id"], a["status"]) for a in listed.body["items"]] == [(attachment["id"], "ready")]

    detail = api.get(f"/tasks/{task_id}/attachments/{attachment['id']}")
    assert detail.status == 200, detail.body
    assert detail.headers["cache-control"] == "no-store"
    assert detail.body["download"]["disposition"] == "attachment"
    file = httpx.get(detail.body["download"]["url"], timeout=10)
    assert file.status_code == 200
    assert file.content == PDF
    assert file.headers["content-type"] == "application/pdf"
    assert file.headers["content-disposition"] == (
        "attachment; filename=\"Q3 report.pdf\"; filename*=UTF-8''Q3%20report.pdf"
    )


def test_the_upload_form_lives_two_minutes(api: Api) -> None:
    """Issue 14, finding 8: a shorter form lifetime (it was 5 minutes). S3 enforces the
    policy's expiration (moto does not); the answer's ``expires_at`` says the same."""
    before = utc_now().replace(microsecond=0)
    created = start(api, new_task(api), PDF)
    assert created.status == 201, created.body
    form = created.body["upload"]
    policy = json.loads(base64.b64decode(form["fields"]["policy"]))
    expiration = datetime.fromisoformat(policy["expiration"].replace("Z", "+00:00"))
    answered = datetime.fromisoformat(form["expires_at"].replace("Z", "+00:00"))
    assert abs(expiration - answered) < timedelta(seconds=1)  # the policy has whole seconds
    lifetime = expiration - before
    assert timedelta(seconds=119) <= lifetime <= timedelta(seconds=125), lifetime


def test_unicode_and_hostile_file_names_are_made_safe(api: Api) -> None:
    task_id = new_task(api)
    created = start(api, task_id, PDF, name="../../Résumé \u202egpj.exe")
    assert created.status == 201, created.body
    name = created.body["attachment"]["file_name"]
    assert name == "Résumé gpj.exe.pdf"
    upload(created.body["upload"], PDF)
    api.post(f"/tasks/{task_id}/attachments/{created.body['attachment']['id']}/complete")
    detail = api.get(f"/tasks/{task_id}/attachments/{created.body['attachment']['id']}")
    file = httpx.get(detail.body["download"]["url"], timeout=10)
    assert file.headers["content-disposition"] == (
        'attachment; filename="Resume gpj.exe.pdf"; '
        "filename*=UTF-8''R%C3%A9sum%C3%A9%20gpj.exe.pdf"
    )


def test_images_may_be_shown_inline_other_types_never(api: Api) -> None:
    task_id = new_task(api)
    image = attach(api, task_id, PNG, content_type="image/png", name="shot.png")
    pdf = attach(api, task_id, PDF)
    inline = api.get(f"/tasks/{task_id}/attachments/{image['id']}", query={"disposition": "inline"})
    assert inline.body["download"]["disposition"] == "inline"
    file = httpx.get(inline.body["download"]["url"], timeout=10)
    assert file.headers["content-disposition"].startswith("inline; ")
    assert file.content == PNG
    refused = api.get(f"/tasks/{task_id}/attachments/{pdf['id']}", query={"disposition": "inline"})
    assert refused.body["download"]["disposition"] == "attachment"


def test_aws_calls_per_operation(api: Api, calls: Counter[str]) -> None:
    task_id = new_task(api)
    calls.clear()
    created = start(api, task_id, PDF)
    assert sum(calls.values()) == 1, calls
    attachment_id = created.body["attachment"]["id"]
    upload(created.body["upload"], PDF)

    calls.clear()
    assert api.post(f"/tasks/{task_id}/attachments/{attachment_id}/complete").status == 200
    assert sum(calls.values()) <= 3, calls
    assert calls["s3.GetObject"] == 1

    calls.clear()
    assert api.get(f"/tasks/{task_id}/attachments/{attachment_id}").status == 200
    assert sum(calls.values()) == 1, calls

    calls.clear()
    assert api.get(f"/tasks/{task_id}/attachments").status == 200
    assert sum(calls.values()) == 1, calls  # membership and task (with the summaries)
    assert calls["dynamodb.BatchGetItem"] == 1

    calls.clear()
    assert api.delete(f"/tasks/{task_id}/attachments/{attachment_id}").status == 204
    assert sum(calls.values()) == 1, calls


# The list reads the task item's summaries -------------------------------------------------


def _raw_task(aws: LocalConfig, task_id: str) -> dict[str, Any]:
    from tasklane.dal.dynamodb.items import task_key

    item = clients().dynamodb.get_item(
        TableName=aws.table_name, Key=task_key(task_id), ConsistentRead=True
    )["Item"]
    return dict(item)


def _assert_summaries_match_items(api: Api, aws: LocalConfig, task_id: str) -> list[str]:
    """The list (from the task item's ``att_*`` summaries) equals the attachment items, the
    summaries name exactly the items, and ``attachment_count`` counts them. Returns the ids."""
    from tasklane.dal.dynamodb.attachments import SUMMARY_PREFIX, record_from_item

    project_id, task_ulid = task_id.split("-")
    records = [record_from_item(i) for i in _attachment_items(aws, project_id, task_ulid)]
    from_items = [r.attachment.model_dump(mode="json") for r in records]
    listed = api.get(f"/tasks/{task_id}/attachments")
    assert listed.status == 200, listed.body
    assert listed.body["items"] == from_items
    task = _raw_task(aws, task_id)
    summaries = sorted(n.removeprefix(SUMMARY_PREFIX) for n in task if n.startswith("att_"))
    ids = [a["id"] for a in from_items]
    assert summaries == ids
    assert int(task.get("attachment_count", {"N": "0"})["N"]) == len(ids)
    for attachment in from_items:  # and each entry is what reading it one by one says
        detail = api.get(f"/tasks/{task_id}/attachments/{attachment['id']}").body
        assert {k: v for k, v in detail.items() if k != "download"} == attachment
    return ids


def test_the_list_follows_create_complete_refuse_delete_and_sweep(
    api: Api, aws: LocalConfig, api_container: ApiContainer
) -> None:
    from tasklane.logic.attachments import sweep_stale_uploads

    task_id = new_task(api)
    assert _assert_summaries_match_items(api, aws, task_id) == []

    first = start(api, task_id, PDF, name="a.pdf").body["attachment"]
    second = start(api, task_id, PNG, content_type="image/png", name="b.png")
    lying = start(api, task_id, PDF, content_type="image/png", name="c.png").body["attachment"]
    stale = start(api, task_id, PDF, name="d.pdf").body["attachment"]
    ids = _assert_summaries_match_items(api, aws, task_id)
    assert ids == [first["id"], second.body["attachment"]["id"], lying["id"], stale["id"]]
    assert [a["status"] for a in api.get(f"/tasks/{task_id}/attachments").body["items"]] == [
        "pending"
    ] * 4

    upload(second.body["upload"], PNG)
    done = _complete(api, task_id, second.body["attachment"]["id"])
    assert done.status == 200
    assert _complete(api, task_id, second.body["attachment"]["id"]).status == 200  # again
    _assert_summaries_match_items(api, aws, task_id)
    listed = {a["id"]: a for a in api.get(f"/tasks/{task_id}/attachments").body["items"]}
    assert listed[done.body["id"]] == done.body  # ready, with its completion time

    assert _complete(api, task_id, lying["id"]).status == 409  # not uploaded: stays pending
    _assert_summaries_match_items(api, aws, task_id)

    assert api.delete(f"/tasks/{task_id}/attachments/{first['id']}").status == 204
    assert _assert_summaries_match_items(api, aws, task_id) == [
        done.body["id"],
        lying["id"],
        stale["id"],
    ]

    settings = api_container.settings
    store, storage = adapters(api_container)
    later = utc_now() + timedelta(seconds=settings.attachments.pending_grace_seconds + 600)
    assert sweep_stale_uploads(store, storage, settings.attachments, later) == 2
    assert _assert_summaries_match_items(api, aws, task_id) == [done.body["id"]]

    # Changing the task keeps the summaries (an update sets named attributes only).
    assert api.patch(f"/tasks/{task_id}", {"title": "renamed"}).status == 204
    assert _assert_summaries_match_items(api, aws, task_id) == [done.body["id"]]
    assert api.delete(f"/tasks/{task_id}/attachments/{done.body['id']}").status == 204
    assert _assert_summaries_match_items(api, aws, task_id) == []
    assert not any(name.startswith("att_") for name in _raw_task(aws, task_id))


def test_task_responses_do_not_show_the_summaries(api: Api) -> None:
    plain = api.get(f"/tasks/{new_task(api)}").body
    task_id = new_task(api)
    before = api.get(f"/tasks/{task_id}").body
    attach(api, task_id)
    start(api, task_id, PNG, content_type="image/png")
    one = api.get(f"/tasks/{task_id}")
    assert one.status == 200
    assert one.body.keys() == plain.keys()
    assert one.body == before  # attachments change neither the task nor its version
    listed = api.get("/projects/inbox/tasks").body["items"]
    assert [t for t in listed if t["id"] == task_id] == [before]
    assert all(t.keys() == plain.keys() for t in listed)


def test_completing_after_the_task_is_gone_writes_no_summary(
    api: Api, aws: LocalConfig, api_container: ApiContainer
) -> None:
    """A task deleted between complete's read and its transaction: a 404, and the summary's
    Update does not bring back a task item holding only a summary."""
    from tasklane.dal.dynamodb.items import task_key
    from tasklane.domain.attachments import ObjectHead
    from tasklane.domain.errors import NotFound
    from tasklane.logic.access import TASK_WRITERS

    task_id = new_task(api)
    created = start(api, task_id, PDF).body["attachment"]
    store, _ = adapters(api_container)
    found = store.get_attachment(task_id, created["id"], "user-a")
    assert found is not None
    record = found[0]
    clients().dynamodb.delete_item(TableName=aws.table_name, Key=task_key(task_id))
    head = ObjectHead(size=len(PDF), content_type="application/pdf", version_id=None, head=PDF)
    with pytest.raises(NotFound):
        store.complete_attachment(record, "user-a", TASK_WRITERS, head, "2030-01-01T00:00:00Z")
    gone = clients().dynamodb.get_item(TableName=aws.table_name, Key=task_key(task_id))
    assert "Item" not in gone


# What complete refuses ------------------------------------------------------------------


def _complete(api: Api, task_id: str, attachment_id: str) -> Reply:
    return api.post(f"/tasks/{task_id}/attachments/{attachment_id}/complete")


def test_completing_before_the_upload_is_refused_then_works(api: Api) -> None:
    task_id = new_task(api)
    created = start(api, task_id, PDF)
    attachment_id = created.body["attachment"]["id"]
    early = _complete(api, task_id, attachment_id)
    assert early.status == 409
    assert early.error_code == "upload_rejected"
    assert early.body["error"]["details"]["reason"] == "not_uploaded"
    upload(created.body["upload"], PDF)
    assert _complete(api, task_id, attachment_id).status == 200
    # Completing again changes nothing.
    again = _complete(api, task_id, attachment_id)
    assert again.status == 200
    assert again.body["status"] == "ready"


@pytest.mark.parametrize(
    ("declared_type", "sent", "sent_type", "reason"),
    [
        ("image/png", PDF, None, "content_mismatch"),  # a PDF calling itself a PNG
        ("text/plain", PNG, None, "content_mismatch"),  # binary calling itself text
        ("application/pdf", PDF, "text/html", "type_mismatch"),  # form's type ignored
        ("application/pdf", PDF + b"more", None, "size_mismatch"),  # more than declared
    ],
)
def test_uploads_that_differ_from_the_declaration_are_deleted(
    api: Api,
    aws: LocalConfig,
    declared_type: str,
    sent: bytes,
    sent_type: str | None,
    reason: str,
) -> None:
    task_id = new_task(api)
    declared_size = len(PDF) if reason == "size_mismatch" else len(sent)
    created = start(api, task_id, sent, content_type=declared_type, size=declared_size)
    assert created.status == 201, created.body
    attachment_id = created.body["attachment"]["id"]
    upload(created.body["upload"], sent, sent_type)
    refused = _complete(api, task_id, attachment_id)
    assert refused.status == 409, refused.body
    assert refused.body["error"]["details"]["reason"] == reason
    assert versions(aws, key_of(task_id, attachment_id)) == []
    still = api.get(f"/tasks/{task_id}/attachments/{attachment_id}")
    assert still.body["status"] == "pending"
    assert still.body["download"] is None


def test_oversize_is_refused_when_declared_and_when_uploaded(
    api: Api, aws: LocalConfig, small_limits: None
) -> None:
    task_id = new_task(api)
    declared = start(api, task_id, PDF, size=1025)
    assert declared.status == 413
    assert declared.body["error"]["details"]["limit_bytes"] == 1024
    big = PDF + b"x" * 2000
    created = start(api, task_id, big, size=len(PDF))
    upload(created.body["upload"], big)
    attachment_id = created.body["attachment"]["id"]
    refused = _complete(api, task_id, attachment_id)
    assert refused.status == 409
    assert refused.body["error"]["details"]["reason"] == "too_large"
    assert versions(aws, key_of(task_id, attachment_id)) == []


@pytest.mark.parametrize(
    "content_type", ["image/svg+xml", "text/html", "application/x-msdownload", "nonsense"]
)
def test_types_outside_the_list_are_refused(api: Api, content_type: str) -> None:
    task_id = new_task(api)
    refused = start(api, task_id, b"<svg/>", content_type=content_type, name="x.svg")
    assert refused.status == 422
    assert "application/pdf" in refused.body["error"]["details"][0]["allowed"]


def test_bad_create_bodies_are_422(api: Api) -> None:
    task_id = new_task(api)
    path = f"/tasks/{task_id}/attachments"
    for body in (
        {"file_name": "a.pdf", "size": 0, "content_type": "application/pdf"},
        {"file_name": "a.pdf", "size": "12", "content_type": "application/pdf"},
        {"file_name": "", "size": 12, "content_type": "application/pdf"},
        {"file_name": "a.pdf", "size": 12},
        {"file_name": "a.pdf", "size": 12, "content_type": "application/pdf", "x": 1},
    ):
        assert api.post(path, body).status == 422, body


# Limits and access -----------------------------------------------------------------------


def test_at_most_twenty_attachments_per_task(api: Api) -> None:
    task_id = new_task(api)
    ids = []
    for _ in range(20):
        created = start(api, task_id, PDF)
        assert created.status == 201, created.body
        ids.append(created.body["attachment"]["id"])
    refused = start(api, task_id, PDF)
    assert refused.status == 409
    assert refused.error_code == "attachment_limit_reached"
    # Deleting one frees its slot.
    assert api.delete(f"/tasks/{task_id}/attachments/{ids[0]}").status == 204
    assert start(api, task_id, PDF).status == 201
    assert start(api, task_id, PDF).status == 409


def test_another_users_task_or_attachment_is_404(api: Api) -> None:
    task_id = new_task(api, user="user-a")
    mine = attach(api, task_id)
    base = f"/tasks/{task_id}/attachments"
    one = f"{base}/{mine['id']}"
    for reply in (
        start(api, task_id, PDF, user="user-b"),
        api.get(base, user="user-b"),
        api.get(one, user="user-b"),
        api.post(f"{one}/complete", user="user-b"),
        api.delete(one, user="user-b"),
    ):
        assert reply.status == 404, reply.body
        assert reply.error_code == "not_found"
    # ...and it is all still there for its owner.
    assert api.get(one).body["status"] == "ready"


@pytest.mark.parametrize(
    "path",
    [
        "/tasks/garbage/attachments",
        "/tasks/{task}/attachments/not-an-id",
        "/tasks/{task}/attachments/01jbogusbogusbogusbogusbog",
        "/tasks/{task}/attachments/{other}",  # an id from another task
        "/tasks/{task}/attachments/01arz3ndektsv4rrffq69g5fav",  # well-formed, unknown
    ],
)
def test_garbage_and_unknown_ids_are_404(api: Api, path: str) -> None:
    task_id = new_task(api)
    other_task = new_task(api)
    other = start(api, other_task, PDF).body["attachment"]["id"]
    path = path.format(task=task_id, other=other)
    for reply in (
        api.get(path),
        api.post(f"{path}/complete"),
        api.delete(path),
    ):
        assert reply.status == 404, (path, reply.body)
    if path.endswith("/attachments"):
        assert (
            api.post(path, {"file_name": "a", "size": 1, "content_type": "text/plain"}).status
            == 404
        )


# Clean-up ------------------------------------------------------------------------------


def test_the_upload_form_cannot_replace_a_completed_attachment(
    api: Api, aws: LocalConfig, stream: Any
) -> None:
    """Issue 14, finding 8: the form stays valid after ``complete`` (until it expires), and
    S3 would accept another file of the same size and type through it. Downloads name the
    verified version, and the clean-up after completion deletes every other one."""
    task_id = new_task(api)
    other = PDF.replace(b"1 0 obj", b"9 9 obj")  # the same size and type: S3 accepts it
    assert len(other) == len(PDF)
    created = start(api, task_id, PDF)
    form, attachment_id = created.body["upload"], created.body["attachment"]["id"]
    key = key_of(task_id, attachment_id)
    upload(form, other)  # an earlier upload with the same form
    upload(form, PDF)
    done = api.post(f"/tasks/{task_id}/attachments/{attachment_id}/complete")
    assert done.status == 200, done.body
    upload(form, other)  # after the check, before the clean-up
    assert len(versions(aws, key)) == 3

    def downloaded() -> bytes:
        detail = api.get(f"/tasks/{task_id}/attachments/{attachment_id}")
        assert detail.status == 200, detail.body
        return httpx.get(detail.body["download"]["url"], timeout=10).content

    assert downloaded() == PDF
    stream.drain()
    # Only the verified version is left, and it is the current one again.
    assert versions(aws, key) == [key]
    s3 = clients().s3
    assert s3.get_object(Bucket=aws.bucket_name, Key=key)["Body"].read() == PDF
    # A later upload with the form (it lives 2 minutes) is never served; it keeps its
    # pending tag, so the bucket's lifecycle expires it (tests/unit/test_resources.py).
    upload(form, other)
    assert downloaded() == PDF
    assert s3.get_object(Bucket=aws.bucket_name, Key=key)["Body"].read() == other


def test_deleting_an_attachment_removes_its_object(api: Api, aws: LocalConfig, stream: Any) -> None:
    task_id = new_task(api)
    attachment = attach(api, task_id)
    key = key_of(task_id, attachment["id"])
    assert versions(aws, key) == [key]
    assert api.delete(f"/tasks/{task_id}/attachments/{attachment['id']}").status == 204
    assert api.get(f"/tasks/{task_id}/attachments").body["items"] == []
    assert api.get(f"/tasks/{task_id}/attachments/{attachment['id']}").status == 404
    stream.drain()
    assert versions(aws, key) == []


def test_deleting_a_task_removes_its_objects(api: Api, aws: LocalConfig, stream: Any) -> None:
    task_id = new_task(api)
    keep = new_task(api)
    attach(api, task_id)
    pending = start(api, task_id, PNG, content_type="image/png")
    upload(pending.body["upload"], PNG)  # uploaded, never completed
    kept = attach(api, keep)
    project_id, task_ulid = task_id.split("-")
    prefix = f"attachments/{project_id}/{task_ulid}/"
    assert len(versions(aws, prefix)) == 2

    assert api.delete(f"/tasks/{task_id}", query={"permanent": "true"}).status == 204
    stream.drain()
    assert versions(aws, prefix) == []
    assert _attachment_items(aws, project_id, task_ulid) == []
    # Other tasks keep theirs.
    assert versions(aws, key_of(keep, kept["id"])) == [key_of(keep, kept["id"])]


def test_deleting_a_project_removes_its_objects(api: Api, aws: LocalConfig, pg: Engine) -> None:
    project = api.post("/projects", {"name": "Doomed"})
    assert project.status == 201
    task = api.post(f"/projects/{project.body['id']}/tasks", {"title": "t"})
    attach(api, task.body["id"])
    prefix = f"attachments/{project.body['id']}/"
    assert len(versions(aws, prefix)) == 1
    assert api.delete(f"/projects/{project.body['id']}", query={"force": "true"}).status == 204
    # The events function: the project's purge removes the task, whose removal (and the
    # purge's end) removes the objects.
    sync(aws)
    assert versions(aws, prefix) == []


def test_abandoned_uploads_are_swept(
    api: Api, aws: LocalConfig, api_container: ApiContainer
) -> None:
    from tasklane.logic.attachments import sweep_stale_uploads

    task_id = new_task(api)
    done = attach(api, task_id)
    stale = start(api, task_id, PDF)
    upload(stale.body["upload"], PDF)
    stale_id = stale.body["attachment"]["id"]
    settings = api_container.settings
    store, storage = adapters(api_container)

    # Not yet: the form and the grace period are still running.
    assert sweep_stale_uploads(store, storage, settings.attachments, utc_now()) == 0
    later = utc_now() + timedelta(seconds=settings.attachments.pending_grace_seconds + 600)
    assert sweep_stale_uploads(store, storage, settings.attachments, later) == 1
    assert versions(aws, key_of(task_id, stale_id)) == []
    assert [a["id"] for a in api.get(f"/tasks/{task_id}/attachments").body["items"]] == [done["id"]]
    assert _complete(api, task_id, stale_id).status == 404
    # The ready one is untouched, and sweeping again finds nothing.
    assert versions(aws, key_of(task_id, done["id"])) == [key_of(task_id, done["id"])]
    assert sweep_stale_uploads(store, storage, settings.attachments, later) == 0


def _attachment_items(aws: LocalConfig, project_id: str, task_ulid: str) -> list[Any]:
    response = clients().dynamodb.query(
        TableName=aws.table_name,
        KeyConditionExpression="pk = :pk AND begins_with(sk, :prefix)",
        ExpressionAttributeValues={
            ":pk": {"S": f"PROJECT#{project_id}"},
            ":prefix": {"S": f"ATTACHMENT#{task_ulid}#"},
        },
    )
    return list(response.get("Items", []))
