"""E-mail through SES (API v2 ``SendEmail``, simple content: a text and an HTML part)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


class SesMailer:
    """``Mailer`` (tasklane.domain.ports.mail) on SES."""

    def __init__(self, sender: str, client: Callable[[], Any]) -> None:
        self._sender = sender
        self._client = client

    @property
    def _ses(self) -> Any:
        # The container's client, created on the first e-mail.
        return self._client()

    def send(self, to: str, subject: str, text: str, html: str) -> str:
        response = self._ses.send_email(
            FromEmailAddress=self._sender,
            Destination={"ToAddresses": [to]},
            Content={
                "Simple": {
                    "Subject": {"Data": subject, "Charset": "UTF-8"},
                    "Body": {
                        "Text": {"Data": text, "Charset": "UTF-8"},
                        "Html": {"Data": html, "Charset": "UTF-8"},
                    },
                }
            },
        )
        return str(response.get("MessageId", ""))
