"""``ExchangeFiles`` in memory (``tasklane.dal.files`` on S3): whole objects by key, a
write that stores nothing unless its block ends normally, streams that cannot seek.

Not ``tests.fakes.storage``: that one is the attachments bucket's ``ObjectStorage``
(versions, tags, ranged reads), another port."""

from __future__ import annotations

import io
from collections.abc import Iterator
from contextlib import contextmanager
from typing import BinaryIO
from urllib.parse import quote

from tasklane.dal.files import UPLOAD_TYPE

FORM_URL = "memory://exchange/"
LINK_URL = "memory://exchange/download/"


class _Stream(io.BytesIO):
    """S3's body: read as it comes, no seeking back."""

    def seekable(self) -> bool:
        return False

    def seek(self, offset: int, whence: int = 0, /) -> int:
        raise io.UnsupportedOperation("seek")


class _Upload:
    def __init__(self) -> None:
        self.buffer = bytearray()

    def write(self, data: bytes, /) -> int:
        self.buffer += data
        return len(data)

    def flush(self) -> None:
        """Parts go when full, as the multipart upload's do: nothing to do here."""

    @property
    def size(self) -> int:
        return len(self.buffer)


class InMemoryExchangeFiles:
    def __init__(self) -> None:
        self.objects: dict[str, bytes] = {}
        #: The forms handed out: key -> the exact size they admit.
        self.forms: dict[str, int] = {}
        #: The links handed out: URL -> (key, file name).
        self.links: dict[str, tuple[str, str]] = {}

    # Test helpers (no port has these): the browser with a form or a link -------------
    def upload(self, key: str, body: bytes) -> None:
        """Only through a form handed out. S3 also refuses another size than the form's;
        moto does not, so neither does this fake: the import checks ``size`` after upload."""
        if key not in self.forms:
            raise KeyError(f"no form for {key}")
        self.objects[key] = body

    def download(self, url: str) -> tuple[bytes, str]:
        """The object and the name the link gives it."""
        key, file_name = self.links[url]
        return self.objects[key], file_name

    # ExchangeFiles -------------------------------------------------------------------
    def upload_form(self, key: str, size: int, expires_in: int) -> tuple[str, dict[str, str]]:
        self.forms[key] = size
        return FORM_URL, {"key": key, "Content-Type": UPLOAD_TYPE}

    def size(self, key: str) -> int | None:
        body = self.objects.get(key)
        return len(body) if body is not None else None

    def open(self, key: str) -> BinaryIO:
        if key not in self.objects:
            raise FileNotFoundError(key)
        return _Stream(self.objects[key])

    @contextmanager
    def write(self, key: str) -> Iterator[_Upload]:
        upload = _Upload()
        yield upload  # an exception here stores nothing: the multipart upload is aborted
        self.objects[key] = bytes(upload.buffer)

    def download_url(self, key: str, file_name: str, expires_in: int) -> str:
        url = f"{LINK_URL}{quote(key)}?expires_in={expires_in}"
        self.links[url] = (key, file_name)
        return url

    def delete(self, key: str) -> None:
        self.objects.pop(key, None)
