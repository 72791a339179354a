"""Attachments without I/O: safe file names, Content-Disposition, the types we accept and
how their first bytes are recognised, object keys."""

from __future__ import annotations

import pytest

from tasklane.domain.attachments import (
    CONTENT_TYPES,
    allowed_types,
    content_disposition,
    content_matches,
    normalise_content_type,
    object_key,
    sanitise_file_name,
)

PDF = "application/pdf"


DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


ODT = "application/vnd.oasis.opendocument.text"


@pytest.mark.parametrize(
    ("raw", "media_type", "expected"),
    [
        ("report.pdf", PDF, "report.pdf"),
        ("Report.PDF", PDF, "Report.PDF"),
        ("../../etc/passwd", "text/plain", "passwd.txt"),
        ("C:\\Users\\ada\\plan.docx", DOCX, "plan.docx"),
        ("  .hidden.txt  ", "text/plain", "hidden.txt"),
        ('a<b>c:d"e|f?g*h.txt', "text/plain", "a_b_c_d_e_f_g_h.txt"),
        ("line\nbreak\ttab.txt", "text/plain", "line break tab.txt"),
        ("nul\x00bell\x07.txt", "text/plain", "nulbell.txt"),
        # U+202E RIGHT-TO-LEFT OVERRIDE would show "invoiceexe.pdf" for an .exe.
        ("invoice\u202efdp.exe", PDF, "invoicefdp.exe.pdf"),
        ("zero\u200bwidth.pdf", PDF, "zerowidth.pdf"),
        ("CON.txt", "text/plain", "_CON.txt"),
        ("lpt1", "text/plain", "_lpt1.txt"),
        ("photo", "image/jpeg", "photo.jpg"),
        ("photo.jpeg", "image/jpeg", "photo.jpeg"),
        ("...", PDF, "file.pdf"),
        ("/", PDF, "file.pdf"),
        ("cafe\u0301.pdf", PDF, "café.pdf"),  # NFC
        ("報告書.pdf", PDF, "報告書.pdf"),
        ("a    b.pdf", PDF, "a b.pdf"),
    ],
)
def test_file_names_are_sanitised(raw: str, media_type: str, expected: str) -> None:
    assert sanitise_file_name(raw, media_type) == expected


def test_long_names_keep_their_extension_within_255_bytes() -> None:
    name = sanitise_file_name("é" * 300 + ".pdf", PDF)
    assert name.endswith(".pdf")
    assert len(name.encode()) <= 255
    assert name.startswith("éé")


def test_sanitising_is_idempotent() -> None:
    for raw in ("../x\u202e.pdf", "CON", " a:b.txt ", "報告書"):
        once = sanitise_file_name(raw, PDF)
        assert sanitise_file_name(once, PDF) == once


@pytest.mark.parametrize(
    ("name", "inline", "expected"),
    [
        ("a.pdf", False, "attachment; filename=\"a.pdf\"; filename*=UTF-8''a.pdf"),
        ("shot.png", True, "inline; filename=\"shot.png\"; filename*=UTF-8''shot.png"),
        (
            "Résumé final.pdf",
            False,
            'attachment; filename="Resume final.pdf"; '
            "filename*=UTF-8''R%C3%A9sum%C3%A9%20final.pdf",
        ),
        (
            "報告書.pdf",
            False,
            'attachment; filename="download.pdf"; '
            "filename*=UTF-8''%E5%A0%B1%E5%91%8A%E6%9B%B8.pdf",
        ),
        (
            "50% off; 'deal'.txt",
            False,
            'attachment; filename="50_ off_ _deal.txt"; '
            "filename*=UTF-8''50%25%20off%3B%20%27deal%27.txt",
        ),
    ],
)
def test_content_disposition(name: str, inline: bool, expected: str) -> None:
    assert content_disposition(name, inline) == expected


def test_content_disposition_never_breaks_out_of_its_quotes() -> None:
    header = content_disposition('a"b\\c\r\n.pdf')
    fallback = header.split('filename="', 1)[1].split('"', 1)[0]
    assert '"' not in fallback
    assert "\\" not in fallback
    assert "\r" not in header
    assert "\n" not in header


ZIP_HEAD = b"PK\x03\x04" + b"\x14\x00" * 13


ODT_HEAD = b"PK\x03\x04" + b"\x00" * 26 + b"mimetype" + ODT.encode() + b"PK"


@pytest.mark.parametrize(
    ("media_type", "head"),
    [
        ("image/png", b"\x89PNG\r\n\x1a\n\x00\x00"),
        ("image/jpeg", b"\xff\xd8\xff\xe0\x00\x10JFIF"),
        ("image/gif", b"GIF89a\x01\x00"),
        ("image/webp", b"RIFF\x24\x00\x00\x00WEBPVP8 "),
        (PDF, b"%PDF-1.4\n"),
        ("application/zip", ZIP_HEAD),
        ("application/zip", b"PK\x05\x06" + b"\x00" * 18),
        (DOCX, ZIP_HEAD),
        ("application/msword", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1\x00"),
        (ODT, ODT_HEAD),
        ("text/plain", b"hello\r\nworld\t\xe2\x9c\x93\n"),
        ("text/csv", b"\xef\xbb\xbfa,b\n1,2\n"),
        ("text/markdown", "# Überschrift\n".encode()),
    ],
)
def test_content_that_matches_its_type(media_type: str, head: bytes) -> None:
    assert content_matches(media_type, head, len(head))


@pytest.mark.parametrize(
    ("media_type", "head"),
    [
        ("image/png", b"%PDF-1.4\n"),  # a PDF calling itself a PNG
        ("image/jpeg", b"\x89PNG\r\n\x1a\n"),
        ("image/webp", b"RIFF\x24\x00\x00\x00WAVEfmt "),  # a WAV file
        (PDF, b"<html><script>alert(1)</script>"),
        (PDF, b""),
        (DOCX, b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"),
        ("application/msword", ZIP_HEAD),
        (ODT, ZIP_HEAD),  # a zip without the OpenDocument marker
        ("application/vnd.oasis.opendocument.spreadsheet", ODT_HEAD),  # another ODF type
        ("text/plain", b"\x89PNG\r\n\x1a\n\x00\x00"),
        ("text/plain", b"%PDF-1.4\n"),  # a PDF, text as far as bytes go
        ("text/plain", b"binary\x00zero"),
        ("text/plain", b"\xff\xfeu\x00t\x00f\x00"),  # UTF-16 is not accepted
        ("text/plain", b"latin-1 \xe9t\xe9 text"),
        ("image/svg+xml", b"<svg/>"),  # not a type we take at all
    ],
)
def test_content_that_lies_about_its_type(media_type: str, head: bytes) -> None:
    assert not content_matches(media_type, head, len(head))


def test_text_cut_mid_character_by_the_ranged_read_still_counts() -> None:
    text = ("a" * 4094 + "é").encode()  # 4096 bytes: the é is split by a 4095-byte read
    assert content_matches("text/plain", text[:4095], len(text))
    # ...but a whole file ending that way is not UTF-8.
    assert not content_matches("text/plain", text[:4095], 4095)


def test_every_accepted_type_has_an_extension_and_a_family() -> None:
    assert set(allowed_types(())) == set(CONTENT_TYPES)
    for kind in CONTENT_TYPES.values():
        assert kind.extensions
        assert all(e.startswith(".") for e in kind.extensions)
    assert {t for t, k in CONTENT_TYPES.items() if k.inline} == {
        "image/png",
        "image/jpeg",
        "image/gif",
        "image/webp",
    }


def test_a_deployment_may_narrow_the_types_but_not_widen_them() -> None:
    assert set(allowed_types(("application/pdf", "text/html"))) == {"application/pdf"}


def test_content_types_are_normalised() -> None:
    assert normalise_content_type(" Text/Plain; charset=UTF-8") == "text/plain"


def test_object_keys_are_made_of_ids_only() -> None:
    assert object_key("p1", "t1", "a1") == "attachments/p1/t1/a1"
