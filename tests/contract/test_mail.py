"""The ``Mailer`` contract (tasklane.domain.ports.mail), on every implementation."""

from __future__ import annotations

from .conftest import Backend


def test_a_sent_mail_reaches_its_recipient(backend: Backend) -> None:
    mailer = backend.mailer()
    first = mailer.send("bob@example.com", "Hello", "Hi Bob", "<p>Hi Bob</p>")
    second = mailer.send("carol@example.com", "Hi", "Hi Carol", "<p>Hi Carol</p>")
    assert first
    assert first != second
    assert backend.mailbox() == [
        {"to": "bob@example.com", "subject": "Hello"},
        {"to": "carol@example.com", "subject": "Hi"},
    ]
