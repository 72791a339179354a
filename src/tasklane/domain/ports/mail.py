"""``Mailer``: e-mail out (SES)."""

from __future__ import annotations

from typing import Protocol


class Mailer(Protocol):
    def send(self, to: str, subject: str, text: str, html: str) -> str:
        """Send one e-mail; returns the provider's message id."""
