"""Attachments: models, the types we accept and how we recognise them, safe file names.

No I/O here. Files go browser → S3 through a presigned POST and come back through a
presigned GET; the API only ever sees their metadata and their first bytes.
"""

import re
import unicodedata
import urllib.parse
from collections.abc import Collection
from enum import StrEnum
from typing import Annotated, Literal, NamedTuple

from pydantic import BeforeValidator, ConfigDict, Field

from tasklane.domain.base import Model
from tasklane.domain.errors import Conflict

#: Bytes read from the start of an upload to recognise its type (one ranged GET).
SNIFF_BYTES = 4096
MAX_FILE_NAME_INPUT = 1024
#: Bytes of UTF-8 a stored file name may take: every common file system allows 255.
MAX_FILE_NAME_BYTES = 255

_ULID = re.compile(r"[0-9a-hjkmnp-tv-z]{26}")


def is_attachment_id(value: str) -> bool:
    return bool(_ULID.fullmatch(value))


def object_key(project_id: str, task_ulid: str, attachment_id: str) -> str:
    """Ids only, never user input: a file name cannot steer where an object lands."""
    return f"attachments/{project_id}/{task_ulid}/{attachment_id}"


def project_prefix(project_id: str) -> str:
    """Every object of the project's attachments (the purge of a deleted project)."""
    return f"attachments/{project_id}/"


def task_prefix(project_id: str, task_ulid: str) -> str:
    return f"{project_prefix(project_id)}{task_ulid}/"


# Types ---------------------------------------------------------------------------------


class ContentType(NamedTuple):
    media_type: str
    extensions: tuple[str, ...]
    #: How the first bytes must look: a magic-number family (see :func:`content_matches`).
    family: str
    #: Raster images a browser shows without running anything: may be served inline.
    inline: bool = False


_OOXML = "application/vnd.openxmlformats-officedocument"
_ODF = "application/vnd.oasis.opendocument"

#: Every type an attachment may have. SVG and HTML are left out on purpose: a browser runs
#: the scripts they may carry. Each type needs a way to recognise it, so a deployment may
#: narrow this list (``TASKLANE_ATTACHMENT_TYPES``) but not widen it.
CONTENT_TYPES: dict[str, ContentType] = {
    t.media_type: t
    for t in (
        ContentType("image/png", (".png",), "png", inline=True),
        ContentType("image/jpeg", (".jpg", ".jpeg"), "jpeg", inline=True),
        ContentType("image/gif", (".gif",), "gif", inline=True),
        ContentType("image/webp", (".webp",), "webp", inline=True),
        ContentType("application/pdf", (".pdf",), "pdf"),
        ContentType("text/plain", (".txt", ".log", ".text"), "text"),
        ContentType("text/csv", (".csv",), "text"),
        ContentType("text/markdown", (".md", ".markdown"), "text"),
        ContentType("application/zip", (".zip",), "zip"),
        ContentType(f"{_OOXML}.wordprocessingml.document", (".docx",), "zip"),
        ContentType(f"{_OOXML}.spreadsheetml.sheet", (".xlsx",), "zip"),
        ContentType(f"{_OOXML}.presentationml.presentation", (".pptx",), "zip"),
        ContentType("application/msword", (".doc",), "ole"),
        ContentType("application/vnd.ms-excel", (".xls",), "ole"),
        ContentType("application/vnd.ms-powerpoint", (".ppt",), "ole"),
        ContentType(f"{_ODF}.text", (".odt",), "odf"),
        ContentType(f"{_ODF}.spreadsheet", (".ods",), "odf"),
        ContentType(f"{_ODF}.presentation", (".odp",), "odf"),
    )
}

#: Magic numbers of the binary families. A text upload must not start with one of them.
_MAGIC: dict[str, tuple[bytes, ...]] = {
    "png": (b"\x89PNG\r\n\x1a\n",),
    "jpeg": (b"\xff\xd8\xff",),
    "gif": (b"GIF87a", b"GIF89a"),
    "pdf": (b"%PDF-",),
    "zip": (b"PK\x03\x04", b"PK\x05\x06"),  # the second: an empty archive
    "ole": (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",),
}
#: C0 controls that plain text may contain (tab, LF, FF, CR, ESC for ANSI logs).
_TEXT_CONTROLS = frozenset(b"\t\n\x0c\r\x1b")


def normalise_content_type(value: str) -> str:
    """``Text/Plain; charset=utf-8`` → ``text/plain``: parameters are ours to set."""
    return value.split(";", 1)[0].strip().lower()


def allowed_types(configured: Collection[str]) -> dict[str, ContentType]:
    if not configured:
        return CONTENT_TYPES
    return {name: CONTENT_TYPES[name] for name in configured if name in CONTENT_TYPES}


def _looks_like_text(head: bytes, truncated: bool) -> bool:
    if any(head.startswith(magic) for magics in _MAGIC.values() for magic in magics):
        return False
    if any(b < 0x20 and b not in _TEXT_CONTROLS for b in head) or b"\x7f" in head:
        return False
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        # Cut mid-character by the ranged read: fine when only the last 1-3 bytes are short.
        return truncated and exc.reason == "unexpected end of data" and exc.start >= len(head) - 3
    return True


def content_matches(media_type: str, head: bytes, size: int) -> bool:
    """Do the first bytes of a file (``head``, of ``size`` in all) look like ``media_type``?

    A tight magic-number table rather than a general sniffing library: we accept few types,
    need exact answers for each (text has no magic number; an OpenDocument file names its
    type inside the archive) and nothing else to load on the request path.
    """
    kind = CONTENT_TYPES.get(media_type)
    if kind is None or not head:
        return False
    family = kind.family
    if family == "text":
        return _looks_like_text(head, truncated=len(head) < size)
    if family == "webp":
        return head[:4] == b"RIFF" and head[8:12] == b"WEBP"
    if family == "odf":
        # The first entry of an OpenDocument zip is "mimetype", stored, holding the type.
        return (
            head.startswith(b"PK\x03\x04")
            and head[30:38] == b"mimetype"
            and head[38 : 38 + len(media_type)] == media_type.encode()
        )
    return any(head.startswith(magic) for magic in _MAGIC[family])


# File names ------------------------------------------------------------------------------

#: Reserved or path-like on Windows, macOS or Linux.
_FORBIDDEN = re.compile(r'[<>:"/\\|?*]')
_SPACES = re.compile(r"\s+")
_WINDOWS_RESERVED = frozenset(
    {"CON", "PRN", "AUX", "NUL"} | {f"{p}{n}" for p in ("COM", "LPT") for n in range(1, 10)}
)


def _split_extension(name: str) -> tuple[str, str]:
    stem, dot, ext = name.rpartition(".")
    if not dot or not stem or len(ext) > 10 or not ext.isalnum():
        return name, ""
    return stem, f".{ext}"


def _fit(stem: str, ext: str) -> str:
    while stem and len((stem + ext).encode()) > MAX_FILE_NAME_BYTES:
        stem = stem[:-1]
    return stem.rstrip(" .") + ext


def sanitise_file_name(raw: str, media_type: str | None = None) -> str:
    """A name safe to show and to save under on any OS.

    The last path component only; no control or invisible format characters (U+202E could
    make ``invoice<U+202E>fdp.exe`` read as ``invoiceexe.pdf``); no characters file systems reserve;
    no leading dots (hidden files) or trailing dots and spaces; at most 255 bytes. When the
    extension does not belong to ``media_type``, the type's own is appended, so what is
    saved opens as what it is.
    """
    name = unicodedata.normalize("NFC", raw)
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(
        " " if c.isspace() else c for c in name if c.isspace() or unicodedata.category(c)[0] != "C"
    )
    name = _SPACES.sub(" ", _FORBIDDEN.sub("_", name)).strip(" .")
    stem, ext = _split_extension(name)
    if stem.split(".", 1)[0].upper() in _WINDOWS_RESERVED:
        stem = f"_{stem}"
    kind = CONTENT_TYPES.get(media_type or "")
    if kind is not None and ext.lower() not in kind.extensions:
        stem, ext = f"{stem}{ext}", kind.extensions[0]
    if not stem:
        stem = "file"
    return _fit(stem, ext)


#: RFC 5987 attr-char beyond letters, digits and ``_.-~`` (which quote() keeps anyway).
_ATTR_CHAR_SAFE = "!#$&+^`|"
_ASCII_FALLBACK = re.compile(r"[^A-Za-z0-9 ._()+,=@-]")


def _to_ascii(value: str) -> str:
    """Accents dropped (é → e), anything else without an ASCII form removed."""
    return unicodedata.normalize("NFKD", value).encode("ascii", "ignore").decode()


def content_disposition(file_name: str, inline: bool = False) -> str:
    """RFC 6266: an ASCII ``filename`` for old clients, the exact name in ``filename*``
    (RFC 5987, UTF-8, percent-encoded), which every current browser prefers."""
    stem, ext = _split_extension(file_name)
    ascii_stem = _SPACES.sub(" ", _ASCII_FALLBACK.sub("_", _to_ascii(stem))).strip(" ._")
    ascii_ext = ext if ext.isascii() else ""
    # Nothing readable left (a name in another script): a neutral name, same extension.
    ascii_name = f"{ascii_stem or 'download'}{ascii_ext}"
    encoded = urllib.parse.quote(file_name, safe=_ATTR_CHAR_SAFE)
    kind = "inline" if inline else "attachment"
    return f"{kind}; filename=\"{ascii_name}\"; filename*=UTF-8''{encoded}"


# Models ----------------------------------------------------------------------------------


class AttachmentStatus(StrEnum):
    pending = "pending"
    ready = "ready"


def _whole(value: object) -> object:
    # JSON has one number type: 12.0 is the integer 12 (as JSON Schema's "integer" says).
    # Anything else stays for the strict check, which refuses strings, bools and fractions.
    return int(value) if isinstance(value, float) and value.is_integer() else value


#: A file's size in bytes, as a JSON integer.
FileSize = Annotated[int, Field(strict=True, ge=1), BeforeValidator(_whole)]


class AttachmentCreate(Model):
    model_config = ConfigDict(extra="forbid", defer_build=True)

    file_name: str = Field(
        min_length=1,
        max_length=MAX_FILE_NAME_INPUT,
        description="The name to show and to save the file under; sanitised (path parts, "
        "control and reserved characters removed, the type's extension added if missing).",
    )
    size: FileSize = Field(description="Exact size in bytes; the upload must have this size.")
    content_type: str = Field(min_length=1, max_length=255, description="The file's media type.")


class Attachment(Model):
    id: str
    task_id: str
    file_name: str
    size: int
    content_type: str
    status: AttachmentStatus = Field(
        description="`pending` until the upload is completed and checked, then `ready`."
    )
    created_at: str
    created_by: str
    completed_at: str | None = None


class UploadForm(Model):
    """An S3 presigned POST: send ``fields`` then the file (last) as multipart/form-data."""

    method: Literal["POST"] = "POST"
    url: str
    fields: dict[str, str]
    expires_at: str
    file_field: Literal["file"] = Field(
        default="file", description="The form field that must carry the file; send it last."
    )


class AttachmentUpload(Model):
    attachment: Attachment
    upload: UploadForm


class Download(Model):
    url: str
    expires_at: str
    disposition: Literal["attachment", "inline"]


class AttachmentDetail(Attachment):
    download: Download | None = Field(
        description="A short-lived link to the file; null while the upload is pending."
    )


class AttachmentList(Model):
    items: list[Attachment]


class AttachmentRecord(NamedTuple):
    """What the table holds about an attachment: the public view plus storage details."""

    attachment: Attachment
    project_id: str
    task_ulid: str
    #: When the upload form stops working; pending uploads are swept a grace period later.
    upload_expires_at: str
    #: The S3 object version that was checked on completion; downloads name it, so a later
    #: write to the same key (the upload form still being valid) cannot swap the content.
    version_id: str | None = None

    @property
    def key(self) -> str:
        return object_key(self.project_id, self.task_ulid, self.attachment.id)


# Errors ---------------------------------------------------------------------------------


class AttachmentLimitReached(Conflict):
    code = "attachment_limit_reached"


class UploadRejected(Conflict):
    """The uploaded object failed a check; ``details.reason`` says which.

    A conflict with the attachment's state (409), not an invalid request (422): completing
    sends no content, and the same request succeeds once the right file is uploaded."""

    code = "upload_rejected"

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message, {"reason": reason})


# What storage reports --------------------------------------------------------------------


class ObjectHead(NamedTuple):
    """The first bytes of an object and what S3 says about it (one ranged GET)."""

    size: int
    content_type: str
    version_id: str | None
    head: bytes


class CompleteOutcome(StrEnum):
    completed = "completed"
    already_ready = "already_ready"
    #: The object's size or type differs from what was declared (S3 enforces both in AWS).
    mismatch = "mismatch"
