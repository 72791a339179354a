"""The dev mailbox: what moto kept, newest first, text derived from the HTML part."""

from __future__ import annotations

import pytest

from tasklane.local.mailbox import html_to_text, read_mailbox


def test_mailbox_entries_newest_first_with_text_derived_from_html(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    kept = [
        {
            "id": "a",
            "source": "s@x",
            "subject": "first",
            "body": "plain only",
            "destinations": {"ToAddresses": ["b@x"]},
        },
        {
            "id": "b",
            "source": "s@x",
            "subject": "second",
            "body": "<!DOCTYPE html><html><head><title>t</title><style>p{}</style></head>"
            "<body><p>Hello &lt;Bob&gt;,</p><p>line  two</p></body></html>",
            "destinations": {"ToAddresses": ["b@x"], "CcAddresses": ["c@x"]},
        },
    ]
    monkeypatch.setattr("tasklane.local.mailbox.moto_messages", lambda url, region: kept)
    first, second = read_mailbox("http://moto", "us-east-1")
    assert first["id"] == "b"
    assert first["to"] == ["b@x", "c@x"]
    assert first["html"] == kept[1]["body"]
    assert first["text"] == "Hello <Bob>,\nline two"
    assert set(first) == {"id", "to", "from", "subject", "text", "html", "sent_at"}
    assert second == {
        "id": "a",
        "to": ["b@x"],
        "from": "s@x",
        "subject": "first",
        "text": "plain only",
        "html": None,
        "sent_at": None,
    }
    assert html_to_text("<p>a<br>b</p>") == "a\nb"
