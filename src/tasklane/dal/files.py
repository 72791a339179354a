"""``ExchangeFiles`` (tasklane.domain.ports.files) on S3: the exchange bucket.

Presigning is local computation; ``size`` is a HeadObject, ``open`` a GetObject read as it is
consumed, ``delete`` a DeleteObject. ``write`` is a multipart upload: the bytes written are
gathered into parts of :data:`PART_BYTES` (S3's minimum is 5 MiB, except for the last part)
and each full part is uploaded at once, so writing an export of any size holds one part in
memory; leaving the block completes the upload, an exception aborts it (and the bucket's
lifecycle aborts any upload a crash left open after a day).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, BinaryIO, cast

from botocore.exceptions import ClientError

from tasklane.domain.attachments import content_disposition

if TYPE_CHECKING:
    from mypy_boto3_s3 import S3Client

PART_BYTES = 8 * 1024 * 1024
UPLOAD_TYPE = "application/octet-stream"
ZIP_TYPE = "application/zip"
_MISSING = frozenset({"NoSuchKey", "404", "NotFound"})


class MultipartUpload:
    """The ``Upload`` of a multipart upload: buffers one part, uploads each when full."""

    def __init__(self, s3: S3Client, bucket: str, key: str, upload_id: str) -> None:
        self._s3 = s3
        self._bucket = bucket
        self._key = key
        self._upload_id = upload_id
        self._buffer = bytearray()
        self._parts: list[dict[str, Any]] = []
        self._size = 0

    @property
    def size(self) -> int:
        return self._size

    @property
    def parts(self) -> int:
        return len(self._parts)

    def write(self, data: bytes, /) -> int:
        self._buffer += data
        self._size += len(data)
        while len(self._buffer) >= PART_BYTES:
            self._upload(bytes(self._buffer[:PART_BYTES]))
            del self._buffer[:PART_BYTES]
        return len(data)

    def flush(self) -> None:
        """Parts go when full: S3 refuses parts under 5 MiB but the last."""

    def _upload(self, body: bytes) -> None:
        number = len(self._parts) + 1
        response = self._s3.upload_part(
            Bucket=self._bucket,
            Key=self._key,
            UploadId=self._upload_id,
            PartNumber=number,
            Body=body,
        )
        self._parts.append({"PartNumber": number, "ETag": response["ETag"]})

    def complete(self) -> None:
        if self._buffer or not self._parts:
            self._upload(bytes(self._buffer))
            self._buffer.clear()
        self._s3.complete_multipart_upload(
            Bucket=self._bucket,
            Key=self._key,
            UploadId=self._upload_id,
            MultipartUpload={"Parts": self._parts},  # type: ignore[typeddict-item]
        )

    def abort(self) -> None:
        self._buffer.clear()
        self._s3.abort_multipart_upload(
            Bucket=self._bucket, Key=self._key, UploadId=self._upload_id
        )


class S3ExchangeFiles:
    def __init__(self, bucket: str, client: Callable[[], S3Client]) -> None:
        self._bucket = bucket
        self._client = client

    @property
    def _s3(self) -> S3Client:
        return self._client()

    def upload_form(self, key: str, size: int, expires_in: int) -> tuple[str, dict[str, str]]:
        post = self._s3.generate_presigned_post(
            Bucket=self._bucket,
            Key=key,
            Fields={"Content-Type": UPLOAD_TYPE},
            Conditions=[{"Content-Type": UPLOAD_TYPE}, ["content-length-range", size, size]],
            ExpiresIn=expires_in,
        )
        return post["url"], {name: str(value) for name, value in post["fields"].items()}

    def size(self, key: str) -> int | None:
        try:
            response = self._s3.head_object(Bucket=self._bucket, Key=key)
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") in _MISSING:
                return None
            raise
        return int(response["ContentLength"])

    def open(self, key: str) -> BinaryIO:
        try:
            response = self._s3.get_object(Bucket=self._bucket, Key=key)
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") in _MISSING:
                raise FileNotFoundError(key) from exc
            raise
        # botocore's StreamingBody is an io.IOBase: readable, not seekable, a context manager.
        return cast(BinaryIO, response["Body"])

    @contextmanager
    def write(self, key: str) -> Iterator[MultipartUpload]:
        s3 = self._s3
        started = s3.create_multipart_upload(Bucket=self._bucket, Key=key, ContentType=ZIP_TYPE)
        upload = MultipartUpload(s3, self._bucket, key, started["UploadId"])
        try:
            yield upload
        except BaseException:
            upload.abort()
            raise
        upload.complete()

    def download_url(self, key: str, file_name: str, expires_in: int) -> str:
        return self._s3.generate_presigned_url(
            "get_object",
            Params={
                "Bucket": self._bucket,
                "Key": key,
                "ResponseContentType": ZIP_TYPE,
                "ResponseContentDisposition": content_disposition(file_name),
                "ResponseCacheControl": "private, no-store",
            },
            ExpiresIn=expires_in,
        )

    def delete(self, key: str) -> None:
        self._s3.delete_object(Bucket=self._bucket, Key=key)
