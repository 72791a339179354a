"""``ObjectStorage``: the attachments' bytes (S3). Files never pass through the API."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Protocol

from tasklane.domain.attachments import ObjectHead


class ObjectStorage(Protocol):
    def upload_form(
        self, key: str, content_type: str, size: int, expires_in: int
    ) -> tuple[str, dict[str, str]]:
        """The URL and form fields of a presigned POST for exactly this key, type and size."""

    def read_head(self, key: str, length: int) -> ObjectHead | None:
        """None when there is no such object."""

    def clear_pending(self, key: str, version_id: str | None) -> None:
        """Drop the pending tag, so the expiry rule for abandoned uploads spares it."""

    def delete_object(self, key: str, version_id: str | None) -> None: ...

    def delete_other_versions(self, key: str, keep: str) -> int:
        """Every version and delete marker of exactly ``key`` but ``keep`` (which becomes
        the current version again); returns how many went."""

    def stream_object(
        self, key: str, version_id: str | None, chunk_bytes: int
    ) -> Iterator[bytes] | None:
        """The object's bytes in chunks (one GET, read as it is consumed); None when the
        object (or that version) is gone."""

    def delete_prefix(self, prefix: str) -> int:
        """Every version of every object under ``prefix``; returns how many."""

    def download_url(
        self,
        key: str,
        version_id: str | None,
        content_type: str,
        disposition: str,
        expires_in: int,
    ) -> str: ...
