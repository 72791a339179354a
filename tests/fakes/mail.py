"""``Mailer`` in memory: every e-mail sent."""

from __future__ import annotations


class InMemoryMailer:
    def __init__(self) -> None:
        self.sent: list[dict[str, str]] = []

    def send(self, to: str, subject: str, text: str, html: str) -> str:
        self.sent.append({"to": to, "subject": subject, "text": text, "html": html})
        return f"message-{len(self.sent)}"
