"""``ObjectStorage`` in memory: a versioned bucket, with the pending tag the upload forms
set. :meth:`InMemoryStorage.upload` stands in for the browser sending a file with a form."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import dataclass, field
from urllib.parse import quote

from tasklane.domain.attachments import ObjectHead

FORM_URL = "memory://attachments/"


@dataclass(slots=True)
class Version:
    version_id: str
    body: bytes | None  # None: a delete marker
    content_type: str = ""
    tags: dict[str, str] = field(default_factory=dict)


class InMemoryStorage:
    def __init__(self) -> None:
        #: Versions of each key, oldest first.
        self.objects: dict[str, list[Version]] = {}
        #: The forms handed out: key -> (content type, size).
        self.forms: dict[str, tuple[str, int]] = {}
        self._ids = itertools.count(1)

    # Test helper (no port has it): a browser using the form --------------------------
    def upload(self, key: str, body: bytes, content_type: str) -> str:
        version = Version(f"v{next(self._ids)}", body, content_type, {"pending": "true"})
        self.objects.setdefault(key, []).append(version)
        return version.version_id

    # ObjectStorage -------------------------------------------------------------------
    def upload_form(
        self, key: str, content_type: str, size: int, expires_in: int
    ) -> tuple[str, dict[str, str]]:
        self.forms[key] = (content_type, size)
        return FORM_URL, {"key": key, "Content-Type": content_type, "tagging": "pending"}

    def _latest(self, key: str) -> Version | None:
        versions = self.objects.get(key) or []
        latest = versions[-1] if versions else None
        return latest if latest is not None and latest.body is not None else None

    def read_head(self, key: str, length: int) -> ObjectHead | None:
        latest = self._latest(key)
        if latest is None or latest.body is None:
            return None
        return ObjectHead(
            size=len(latest.body),
            content_type=latest.content_type,
            version_id=latest.version_id,
            head=latest.body[:length],
        )

    def clear_pending(self, key: str, version_id: str | None) -> None:
        for version in self.objects.get(key) or []:
            if version_id is None or version.version_id == version_id:
                version.tags.pop("pending", None)

    def delete_object(self, key: str, version_id: str | None) -> None:
        versions = self.objects.get(key)
        if not versions:
            return
        if version_id is None:
            versions.append(Version(f"v{next(self._ids)}", None))  # a delete marker
        else:
            self.objects[key] = [v for v in versions if v.version_id != version_id]

    def delete_other_versions(self, key: str, keep: str) -> int:
        versions = self.objects.get(key) or []
        kept = [v for v in versions if v.version_id == keep]
        if versions:
            self.objects[key] = kept
        return len(versions) - len(kept)

    def stream_object(
        self, key: str, version_id: str | None, chunk_bytes: int
    ) -> Iterator[bytes] | None:
        versions = self.objects.get(key) or []
        if version_id is None:
            found = self._latest(key)
        else:
            found = next((v for v in versions if v.version_id == version_id), None)
        if found is None or found.body is None:
            return None
        body = found.body
        return iter([body[i : i + chunk_bytes] for i in range(0, len(body), chunk_bytes)])

    def delete_prefix(self, prefix: str) -> int:
        deleted = 0
        for key in [k for k in self.objects if k.startswith(prefix)]:
            deleted += len(self.objects.pop(key))
        return deleted

    def download_url(
        self,
        key: str,
        version_id: str | None,
        content_type: str,
        disposition: str,
        expires_in: int,
    ) -> str:
        query = f"response-content-type={quote(content_type)}"
        query += f"&response-content-disposition={quote(disposition)}&expires={expires_in}"
        if version_id:
            query += f"&versionId={version_id}"
        return f"{FORM_URL}{key}?{query}"
