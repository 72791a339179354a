"""Attachments against the running stack: browser-style uploads to the presigned form,
downloads, refusals, and the stream-driven clean-up when a task goes."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

import boto3
import httpx
import pytest

from .support import StackProcess, User, error_code

if TYPE_CHECKING:
    from mypy_boto3_s3 import S3Client

pytestmark = pytest.mark.e2e

BUCKET = "tasklane-attachments"
ORIGIN = "http://127.0.0.1:3000"
PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n%%EOF\n"


@pytest.fixture(scope="module")
def s3(stack: StackProcess) -> S3Client:
    return boto3.client(
        "s3",
        endpoint_url=stack.aws_url,
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )


def _task(user: User) -> str:
    response = user.http.post("/projects/inbox/tasks", json={"title": "with files"})
    assert response.status_code == 201, response.text
    task_id: str = response.json()["id"]
    return task_id


def _start(user: User, task_id: str, content: bytes, content_type: str) -> dict[str, Any]:
    response = user.http.post(
        f"/tasks/{task_id}/attachments",
        json={"file_name": "notes.pdf", "size": len(content), "content_type": content_type},
    )
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


def _upload(form: dict[str, Any], content: bytes) -> httpx.Response:
    """As a browser on the web app's origin sends the form."""
    return httpx.post(
        form["url"],
        data=form["fields"],
        files={"file": ("notes.pdf", content, form["fields"]["Content-Type"])},
        headers={"Origin": ORIGIN},
        timeout=10,
    )


def _prefix(task_id: str) -> str:
    project_id, task_ulid = task_id.split("-")
    return f"attachments/{project_id}/{task_ulid}/"


def _keys(s3: S3Client, prefix: str) -> list[str]:
    listing = s3.list_object_versions(Bucket=BUCKET, Prefix=prefix)
    return [v["Key"] for v in listing.get("Versions", [])]


def test_upload_complete_download(alice: User) -> None:
    task_id = _task(alice)
    started = _start(alice, task_id, PDF, "application/pdf")
    attachment_id = started["attachment"]["id"]
    uploaded = _upload(started["upload"], PDF)
    assert uploaded.status_code in (200, 201, 204), uploaded.text
    # The bucket's CORS rules let the web app read the answer.
    assert uploaded.headers.get("access-control-allow-origin") == ORIGIN

    done = alice.http.post(f"/tasks/{task_id}/attachments/{attachment_id}/complete")
    assert done.status_code == 200, done.text
    assert done.json()["status"] == "ready"

    detail = alice.http.get(f"/tasks/{task_id}/attachments/{attachment_id}")
    assert detail.status_code == 200
    file = httpx.get(detail.json()["download"]["url"], timeout=10)
    assert file.status_code == 200
    assert file.content == PDF
    assert file.headers["content-disposition"].startswith('attachment; filename="notes.pdf"')


def test_content_lying_about_its_type_is_refused_and_deleted(alice: User, s3: S3Client) -> None:
    task_id = _task(alice)
    started = _start(alice, task_id, PDF, "image/png")
    _upload(started["upload"], PDF)
    attachment_id = started["attachment"]["id"]
    refused = alice.http.post(f"/tasks/{task_id}/attachments/{attachment_id}/complete")
    assert refused.status_code == 409
    assert error_code(refused) == "upload_rejected"
    assert refused.json()["error"]["details"]["reason"] == "content_mismatch"
    assert _keys(s3, _prefix(task_id)) == []


def test_another_users_attachments_are_404(alice: User, bob: User) -> None:
    task_id = _task(alice)
    started = _start(alice, task_id, PDF, "application/pdf")
    attachment_id = started["attachment"]["id"]
    for response in (
        bob.http.get(f"/tasks/{task_id}/attachments"),
        bob.http.get(f"/tasks/{task_id}/attachments/{attachment_id}"),
        bob.http.post(f"/tasks/{task_id}/attachments/{attachment_id}/complete"),
        bob.http.delete(f"/tasks/{task_id}/attachments/{attachment_id}"),
    ):
        assert response.status_code == 404, response.text


def test_deleting_a_task_removes_its_objects(alice: User, s3: S3Client) -> None:
    task_id = _task(alice)
    for _ in range(2):
        started = _start(alice, task_id, PDF, "application/pdf")
        _upload(started["upload"], PDF)
        done = alice.http.post(
            f"/tasks/{task_id}/attachments/{started['attachment']['id']}/complete"
        )
        assert done.status_code == 200
    assert len(_keys(s3, _prefix(task_id))) == 2

    # For good: a task in the trash keeps its files until it is purged.
    deleted = alice.http.delete(f"/tasks/{task_id}", params={"permanent": "true"})
    assert deleted.status_code == 204
    deadline = time.monotonic() + 15
    while _keys(s3, _prefix(task_id)) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert _keys(s3, _prefix(task_id)) == [], "the stream consumer did not remove the objects"
