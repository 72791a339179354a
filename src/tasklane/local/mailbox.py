"""The local mailbox: what SES (moto) "sent", for ``GET /_dev/mail``.

moto records every message it accepted, in the order they were sent, without a time. Two
ways to read them:

- in this process (the local stack runs moto in-process): the SES backend's list, O(number
  of e-mails) — what the gateway uses;
- ``GET /moto-api/data.json`` (``ses`` → ``Message``), for a moto elsewhere. That endpoint
  serialises every model moto tracks, of every service — DynamoDB keeps a copy of a table per
  transaction, so after a few hundred writes it takes a second and more, and keeps growing:
  polling it would slow the whole local stack down.

When an e-mail has both a text and an HTML part moto keeps only the HTML one: then ``text``
is derived from it (tags dropped, entities decoded), so both fields are always there to read.
"""

from __future__ import annotations

import sys
from html.parser import HTMLParser
from typing import Any

import httpx

#: Imported by :class:`tasklane.local.emulators.MotoServer` when it serves moto in-process.
_MOTO_SERVER_MODULE = "moto.moto_server.werkzeug_app"


class _TextOnly(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("head", "style", "script"):
            self._skip += 1
        elif tag in ("p", "br", "div", "h1", "h2", "blockquote", "li"):
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("head", "style", "script"):
            self._skip = max(0, self._skip - 1)

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def html_to_text(markup: str) -> str:
    parser = _TextOnly()
    parser.feed(markup)
    lines = (" ".join(line.split()) for line in "".join(parser.parts).splitlines())
    return "\n".join(line for line in lines if line)


def _is_html(body: str) -> bool:
    start = body.lstrip()[:20].lower()
    return start.startswith(("<!doctype html", "<html", "<p", "<div"))


def moto_messages(endpoint_url: str, region: str | None = None) -> list[dict[str, Any]]:
    """moto's sent messages, oldest first: from the backend when a moto server runs in this
    process (the local stack, the test suites; ``region`` defaults to the settings'), else
    over HTTP from ``/moto-api/data.json``."""
    if region is None and _MOTO_SERVER_MODULE in sys.modules:
        from tasklane.settings import Settings

        region = Settings.from_environment().region
    if region is not None:
        from moto.core.models import DEFAULT_ACCOUNT_ID
        from moto.ses.models import ses_backends

        backend = ses_backends[DEFAULT_ACCOUNT_ID][region]
        return [
            {
                "id": m.id,
                "source": m.source,
                "subject": getattr(m, "subject", None),
                "body": getattr(m, "body", ""),
                "destinations": getattr(m, "destinations", {}),
            }
            for m in list(backend.sent_messages)
        ]
    data = httpx.get(f"{endpoint_url}/moto-api/data.json", timeout=30).json()
    messages: list[dict[str, Any]] = (data.get("ses") or {}).get("Message") or []
    return messages


def read_mailbox(endpoint_url: str, region: str | None = None) -> list[dict[str, Any]]:
    """The e-mails moto's SES accepted, newest first (see :func:`moto_messages`)."""
    messages = moto_messages(endpoint_url, region)
    items = []
    for message in reversed(messages):
        body = str(message.get("body") or "")
        html = body if _is_html(body) else None
        destinations = message.get("destinations") or {}
        items.append(
            {
                "id": message.get("id"),
                "to": [
                    *destinations.get("ToAddresses", []),
                    *destinations.get("CcAddresses", []),
                    *destinations.get("BccAddresses", []),
                ],
                "from": message.get("source"),
                "subject": message.get("subject"),
                "text": html_to_text(html) if html is not None else body,
                "html": html,
                # moto does not record when; the order is the sending order.
                "sent_at": None,
            }
        )
    return items
