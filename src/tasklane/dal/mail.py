"""E-mail through SES (API v2 ``SendEmail``, simple content: a text and an HTML part)."""

from __future__ import annotations

from typing import Any


class SesMailer:
    def __init__(self, sender: str, client: Any = None) -> None:
        self._sender = sender
        self._client = client

    @property
    def _ses(self) -> Any:
        # The container's client (created on first use) unless one was given.
        from tasklane.dal import aws

        return self._client or aws.ses()

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
