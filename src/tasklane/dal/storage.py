"""``ObjectStorage`` (tasklane.domain.ports.storage) on S3: presigned forms and links,
ranged reads, tags, deletes.

Presigning is local computation (no request to S3); the other methods are one request each,
except :meth:`S3Storage.delete_prefix` (a listing plus a batch delete per 1000 versions) and
:meth:`S3Storage.delete_other_versions` (a listing, plus a batch delete if needed).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

from botocore.exceptions import ClientError

from tasklane.domain.attachments import ObjectHead
from tasklane.resources import PENDING_UPLOAD_TAG

if TYPE_CHECKING:
    from mypy_boto3_s3 import S3Client

_MISSING = frozenset({"NoSuchKey", "NoSuchVersion", "404", "InvalidRange"})
_CONTENT_RANGE = re.compile(r"bytes \d+-\d+/(\d+)")


def pending_tagging() -> str:
    key, value = PENDING_UPLOAD_TAG
    return f"<Tagging><TagSet><Tag><Key>{key}</Key><Value>{value}</Value></Tag></TagSet></Tagging>"


def upload_policy(key: str, content_type: str, size: int) -> tuple[dict[str, str], list[Any]]:
    """Fields and conditions of the POST policy. S3 refuses any upload that differs: another
    key, another Content-Type, another size, or without the pending tag."""
    tagging = pending_tagging()
    fields = {"Content-Type": content_type, "tagging": tagging}
    conditions: list[Any] = [
        {"Content-Type": content_type},
        {"tagging": tagging},
        ["content-length-range", size, size],
    ]
    return fields, conditions


class S3Storage:
    def __init__(self, bucket: str, client: Callable[[], S3Client]) -> None:
        self._bucket = bucket
        self._client = client

    @property
    def _s3(self) -> S3Client:
        # The container's client, created on the first request that needs it.
        return self._client()

    def upload_form(
        self, key: str, content_type: str, size: int, expires_in: int
    ) -> tuple[str, dict[str, str]]:
        fields, conditions = upload_policy(key, content_type, size)
        post = self._s3.generate_presigned_post(
            Bucket=self._bucket,
            Key=key,
            Fields=fields,
            Conditions=conditions,
            ExpiresIn=expires_in,
        )
        return post["url"], {name: str(value) for name, value in post["fields"].items()}

    def read_head(self, key: str, length: int) -> ObjectHead | None:
        try:
            response = self._s3.get_object(
                Bucket=self._bucket, Key=key, Range=f"bytes=0-{length - 1}"
            )
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") in _MISSING:
                return None
            raise
        head = response["Body"].read()
        # The total size is in Content-Range for a ranged answer; a whole-object answer (a
        # server ignoring the range) carries it as Content-Length.
        match = _CONTENT_RANGE.fullmatch(response.get("ContentRange") or "")
        size = int(match.group(1)) if match else int(response.get("ContentLength", len(head)))
        return ObjectHead(
            size=size,
            content_type=response.get("ContentType") or "",
            version_id=response.get("VersionId"),
            head=head[:length],
        )

    def clear_pending(self, key: str, version_id: str | None) -> None:
        kwargs: dict[str, Any] = {"Bucket": self._bucket, "Key": key}
        if version_id:
            kwargs["VersionId"] = version_id
        try:
            self._s3.delete_object_tagging(**kwargs)
        except ClientError as exc:
            # Deleted meanwhile (a replayed stream record, say): nothing left to spare.
            if exc.response.get("Error", {}).get("Code") not in _MISSING:
                raise

    def delete_object(self, key: str, version_id: str | None) -> None:
        """With a version: that version is gone for good. Missing objects are fine."""
        kwargs: dict[str, Any] = {"Bucket": self._bucket, "Key": key}
        if version_id:
            kwargs["VersionId"] = version_id
        self._s3.delete_object(**kwargs)

    def delete_other_versions(self, key: str, keep: str) -> int:
        """A listing, plus a batch delete when anything else is there."""
        response = self._s3.list_object_versions(Bucket=self._bucket, Prefix=key)
        versions = [*response.get("Versions", []), *response.get("DeleteMarkers", [])]
        others: list[Any] = [
            {"Key": key, "VersionId": v["VersionId"]}
            for v in versions
            if v["Key"] == key and v["VersionId"] != keep
        ]
        # One object's versions: a handful (each upload needs a form valid for minutes),
        # far below a listing page (1000) and a batch delete (1000).
        if others:
            self._delete_versions(others)
        return len(others)

    def stream_object(
        self, key: str, version_id: str | None, chunk_bytes: int
    ) -> Iterator[bytes] | None:
        kwargs: dict[str, Any] = {"Bucket": self._bucket, "Key": key}
        if version_id:
            kwargs["VersionId"] = version_id
        try:
            response = self._s3.get_object(**kwargs)
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") in _MISSING:
                return None
            raise
        return _chunks(response["Body"], chunk_bytes)

    def delete_prefix(self, prefix: str) -> int:
        """Every version and delete marker under ``prefix``: nothing is left to restore."""
        deleted = 0
        paginator = self._s3.get_paginator("list_object_versions")
        for page in paginator.paginate(Bucket=self._bucket, Prefix=prefix):
            versions = [*page.get("Versions", []), *page.get("DeleteMarkers", [])]
            if not versions:
                continue
            objects: list[Any] = [{"Key": v["Key"], "VersionId": v["VersionId"]} for v in versions]
            self._delete_versions(objects)
            deleted += len(objects)
        return deleted

    def _delete_versions(self, objects: list[Any]) -> None:
        response = self._s3.delete_objects(
            Bucket=self._bucket, Delete={"Objects": objects, "Quiet": True}
        )
        errors = response.get("Errors", [])
        if errors:
            raise RuntimeError(f"could not delete {len(errors)} object versions: {errors[:3]}")

    def download_url(
        self,
        key: str,
        version_id: str | None,
        content_type: str,
        disposition: str,
        expires_in: int,
    ) -> str:
        params: dict[str, Any] = {
            "Bucket": self._bucket,
            "Key": key,
            # S3 answers with these headers, whatever the object was uploaded with.
            "ResponseContentType": content_type,
            "ResponseContentDisposition": disposition,
            "ResponseCacheControl": "private, max-age=60",
        }
        if version_id:
            params["VersionId"] = version_id
        return self._s3.generate_presigned_url("get_object", Params=params, ExpiresIn=expires_in)


def _chunks(body: Any, size: int) -> Iterator[bytes]:
    """An object's body in pieces, closed when read to the end (or abandoned)."""
    try:
        yield from body.iter_chunks(size)
    finally:
        body.close()
