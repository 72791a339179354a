"""The ``ExchangeFiles`` contract (tasklane.domain.ports.files), on every implementation.

The backends' helpers for it live here: ``conftest.py`` is at the layout's 500-line limit."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import httpx
import pytest

from tasklane.domain.attachments import content_disposition
from tasklane.domain.ports.files import ExchangeFiles
from tests.fakes.files import InMemoryExchangeFiles

from .conftest import Backend, FakeBackend

KEY = "exports/user-alice/01jexport00000000000000000.zip"


@dataclass
class Exchange:
    """The port, and what a browser does with its forms and links."""

    files: ExchangeFiles
    backend: Backend

    def upload(self, form: tuple[str, dict[str, str]], body: bytes) -> None:
        url, fields = form
        if isinstance(self.files, InMemoryExchangeFiles):
            self.files.upload(fields["key"], body)
            return
        response = httpx.post(url, data=fields, files={"file": ("f", body)}, timeout=10)
        assert response.status_code in (200, 201, 204), response.text

    def download(self, url: str) -> tuple[bytes, str]:
        """The body and its Content-Disposition."""
        if isinstance(self.files, InMemoryExchangeFiles):
            body, name = self.files.download(url)
            return body, content_disposition(name)
        response = httpx.get(url, timeout=10)
        assert response.status_code == 200, response.text
        return response.content, response.headers["content-disposition"]


@pytest.fixture
def exchange(backend: Backend) -> Exchange:
    if isinstance(backend, FakeBackend):
        return Exchange(InMemoryExchangeFiles(), backend)
    from tasklane.dal.files import S3ExchangeFiles

    config: Any = backend.config
    return Exchange(S3ExchangeFiles(config.exchange_bucket, lambda: backend.clients.s3), backend)


def test_a_written_file_is_read_back_whole_and_in_order(exchange: Exchange) -> None:
    files = exchange.files
    with files.write(KEY) as upload:
        upload.write(b"PK\x03\x04")
        upload.flush()
        upload.write(b"x" * 1000)
        assert upload.size == 1004
    assert files.size(KEY) == 1004
    with files.open(KEY) as stream:
        assert stream.read(4) == b"PK\x03\x04"
        assert stream.read() == b"x" * 1000
    with files.open(KEY) as again:  # a new stream starts at the beginning
        assert again.read(2) == b"PK"


def test_a_failed_write_leaves_no_object(exchange: Exchange) -> None:
    files = exchange.files

    def export() -> None:
        with files.write(KEY) as upload:
            upload.write(b"half a zip")
            raise RuntimeError("export failed")

    with pytest.raises(RuntimeError, match="export failed"):
        export()
    assert files.size(KEY) is None
    with pytest.raises(FileNotFoundError):
        files.open(KEY)


def test_a_deleted_file_is_gone_and_deleting_again_is_harmless(exchange: Exchange) -> None:
    files = exchange.files
    with files.write(KEY) as upload:
        upload.write(b"zip")
    files.delete(KEY)
    assert files.size(KEY) is None
    files.delete(KEY)
    files.delete("imports/user-alice/never-written")


def test_an_upload_form_writes_its_key(exchange: Exchange) -> None:
    """S3 also holds the upload to the form's size (``content-length-range``); moto does
    not enforce it, so the contract cannot: the import compares ``size`` itself."""
    files = exchange.files
    key = "imports/user-alice/01jimport00000000000000000"
    form = files.upload_form(key, 12, 900)
    assert form[1]["key"] == key
    assert files.size(key) is None
    exchange.upload(form, b"title,due\nA\n")
    assert files.size(key) == 12
    with files.open(key) as stream:
        assert stream.read() == b"title,due\nA\n"


def test_a_download_link_names_the_file(exchange: Exchange) -> None:
    files = exchange.files
    with files.write(KEY) as upload:
        upload.write(b"the zip")
    url = files.download_url(KEY, "tasklane-export-2025-03-01.zip", 300)
    body, disposition = exchange.download(url)
    assert body == b"the zip"
    assert disposition == content_disposition("tasklane-export-2025-03-01.zip")
