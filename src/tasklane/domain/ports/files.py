"""``ExchangeFiles``: the exchange bucket — export ZIPs written by the export worker and
downloaded through short-lived links, import files uploaded by browsers with a presigned
POST and read back as streams."""

from __future__ import annotations

from contextlib import AbstractContextManager
from typing import BinaryIO, Protocol


class Upload(Protocol):
    """A file being written in parts (an S3 multipart upload): ``write`` and ``flush``, no
    seeking. Leaving its block normally completes it; an exception aborts it, so a failed
    export leaves no object behind."""

    def write(self, data: bytes, /) -> int: ...

    def flush(self) -> None: ...

    @property
    def size(self) -> int:
        """Bytes written so far."""


class ExchangeFiles(Protocol):
    def upload_form(self, key: str, size: int, expires_in: int) -> tuple[str, dict[str, str]]:
        """The URL and fields of a presigned POST for exactly this key and size."""

    def size(self, key: str) -> int | None:
        """None when there is no such object."""

    def open(self, key: str) -> BinaryIO:
        """A new stream of the object from its start (FileNotFoundError when absent)."""

    def write(self, key: str) -> AbstractContextManager[Upload]: ...

    def download_url(self, key: str, file_name: str, expires_in: int) -> str: ...

    def delete(self, key: str) -> None: ...
