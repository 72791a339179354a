"""The ``ObjectStorage`` contract (tasklane.domain.ports.storage), on every implementation:
what an upload through the form leaves, and what the clean-up removes."""

from __future__ import annotations

from urllib.parse import unquote

from .conftest import Backend

KEY = "attachments/01jprojectprojectprojectpr/01jtasktasktasktasktasktas/01jattachattachattachattac"
PDF = b"%PDF-1.7 contract"


def test_an_upload_through_the_form_is_read_back(backend: Backend) -> None:
    storage = backend.storage()
    url, fields = storage.upload_form(KEY, "application/pdf", len(PDF), 300)
    assert url
    assert fields["key"] == KEY
    assert fields["Content-Type"] == "application/pdf"
    assert storage.read_head(KEY, 4) is None
    backend.upload((url, fields), PDF)
    found = storage.read_head(KEY, 4)
    assert found is not None
    assert (found.size, found.content_type, found.head) == (len(PDF), "application/pdf", b"%PDF")
    assert found.version_id
    # S3 tags the object from the form's ``tagging`` field; moto drops that field, so only
    # the tag's absence after clear_pending is common ground here.
    storage.clear_pending(KEY, found.version_id)
    assert not backend.pending(KEY)
    storage.clear_pending(KEY + "-gone", None)  # a vanished object is fine


def test_deleting_a_version_and_everything_under_a_prefix(backend: Backend) -> None:
    storage = backend.storage()
    form = storage.upload_form(KEY, "application/pdf", len(PDF), 300)
    backend.upload(form, PDF)
    first = storage.read_head(KEY, 1)
    assert first is not None
    backend.upload(form, PDF + b" again")
    storage.delete_object(KEY, first.version_id)
    latest = storage.read_head(KEY, 1)
    assert latest is not None
    assert latest.size == len(PDF) + 6
    other = KEY[:-1] + "b"
    backend.upload(storage.upload_form(other, "application/pdf", 3, 300), b"abc")
    assert storage.delete_prefix(KEY[:-26]) == 2
    assert storage.read_head(KEY, 1) is None
    assert storage.read_head(other, 1) is None
    assert storage.delete_prefix(KEY[:-26]) == 0


def test_deleting_every_version_but_the_verified_one(backend: Backend) -> None:
    """Issue 14, finding 8: uploads with the same form before and after the checked one go,
    and the checked one is the current version again."""
    storage = backend.storage()
    form = storage.upload_form(KEY, "application/pdf", len(PDF), 300)
    backend.upload(form, b"an earlier upload")
    backend.upload(form, PDF)
    verified = storage.read_head(KEY, 1)
    assert verified is not None
    assert verified.version_id
    backend.upload(form, b"a later upload, with the same form")
    neighbour = KEY + "x"  # the listing's prefix matches it too: it stays
    backend.upload(storage.upload_form(neighbour, "application/pdf", 3, 300), b"abc")
    assert storage.delete_other_versions(KEY, verified.version_id) == 2
    latest = storage.stream_object(KEY, None, 1024)
    assert latest is not None
    assert b"".join(latest) == PDF
    assert storage.delete_other_versions(KEY, verified.version_id) == 0
    assert storage.read_head(neighbour, 3) is not None


def test_an_object_is_streamed_in_chunks_of_the_version_asked_for(backend: Backend) -> None:
    storage = backend.storage()
    form = storage.upload_form(KEY, "application/pdf", len(PDF), 300)
    backend.upload(form, PDF)
    first = storage.read_head(KEY, 1)
    assert first is not None
    backend.upload(form, b"second version, longer than the first one")
    chunks = storage.stream_object(KEY, first.version_id, 4)
    assert chunks is not None
    parts = list(chunks)
    assert b"".join(parts) == PDF
    assert max(len(p) for p in parts) <= 4
    latest = storage.stream_object(KEY, None, 1024)
    assert latest is not None
    assert b"".join(latest) == b"second version, longer than the first one"
    assert storage.stream_object(KEY + "-gone", None, 1024) is None
    storage.delete_object(KEY, None)
    assert storage.stream_object(KEY, None, 1024) is None


def test_download_links_name_the_version_and_the_headers(backend: Backend) -> None:
    storage = backend.storage()
    link = storage.download_url(KEY, "v9", "application/pdf", 'attachment; filename="a.pdf"', 60)
    decoded = unquote(link)
    assert KEY in decoded
    assert "v9" in decoded
    assert 'attachment; filename="a.pdf"' in decoded
