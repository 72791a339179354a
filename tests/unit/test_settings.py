"""Settings: every function reads its settings from its environment; only the api needs the
cursor secret, and only its container reads it (given, or from Secrets Manager)."""

from __future__ import annotations

from typing import Any

import pytest

from tasklane.settings import Settings
from tasklane.wiring.api import ApiContainer


def test_settings_do_not_need_the_cursor_secret() -> None:
    # The events, migrate and sweeper functions are given no cursor secret in AWS.
    settings = Settings.from_environment({"TASKLANE_TABLE_NAME": "events-table"})
    assert settings.table_name == "events-table"
    with pytest.raises(RuntimeError, match="TASKLANE_CURSOR_SECRET"):
        ApiContainer(settings).cursor_secret  # noqa: B018 - the property raises


def test_the_cursor_secret_comes_from_the_environment() -> None:
    settings = Settings.from_environment({"TASKLANE_CURSOR_SECRET": "s3cret"})
    assert ApiContainer(settings).cursor_secret == b"s3cret"


def test_in_aws_the_cursor_secret_is_read_from_secrets_manager_once() -> None:
    arn = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:cursor"
    calls: list[str] = []

    class SecretsManager:
        def get_secret_value(self, SecretId: str) -> dict[str, Any]:
            calls.append(SecretId)
            return {"SecretString": "from-the-vault"}

    class Clients:
        secretsmanager = SecretsManager()

    container = ApiContainer(Settings.from_environment({"TASKLANE_CURSOR_SECRET_ARN": arn}))
    container.override(aws=Clients())
    assert container.cursor_secret == b"from-the-vault"
    assert container.cursors.secret == b"from-the-vault"
    assert calls == [arn]


def test_empty_values_count_as_unset_and_lists_are_comma_separated() -> None:
    settings = Settings.from_environment(
        {
            "AWS_DEFAULT_REGION": "eu-central-1",
            "TASKLANE_TABLE_NAME": "",
            "TASKLANE_CORS_ORIGINS": " https://a.example , ,https://b.example",
            "TASKLANE_ATTACHMENT_TYPES": "Image/PNG,application/pdf",
            "TASKLANE_DB_AUTH": "iam",
        }
    )
    assert settings.region == "eu-central-1"
    assert settings.table_name == "tasklane"
    assert settings.cors_origins == ("https://a.example", "https://b.example")
    assert settings.attachments.allowed_types == ("image/png", "application/pdf")
    assert settings.db.sslmode == "require"  # IAM authentication needs TLS


def test_an_unknown_database_authentication_is_refused() -> None:
    with pytest.raises(RuntimeError, match="TASKLANE_DB_AUTH"):
        Settings.from_environment({"TASKLANE_DB_AUTH": "kerberos"})


def test_the_notification_settings_need_no_cursor_secret() -> None:
    settings = Settings.from_environment(
        {
            "TASKLANE_NOTIFICATIONS_QUEUE_URL": "https://sqs.example/q",
            "TASKLANE_MAIL_SENDER": "noreply@example.com",
            "TASKLANE_WEB_URL": "https://app.example.com/",
        }
    )
    assert settings.cursor_secret == settings.cursor_secret_arn == ""
    assert settings.notifications.queue_url == "https://sqs.example/q"
    assert settings.notifications.mail_sender == "noreply@example.com"
    assert settings.notifications.web_url == "https://app.example.com"


def test_upload_forms_live_two_minutes_unless_set_within_bounds() -> None:
    """Issue 14, finding 8: a shorter form lifetime (it was 5 minutes)."""
    assert Settings.from_environment({}).attachments.upload_expiry_seconds == 120
    name = "TASKLANE_ATTACHMENT_UPLOAD_EXPIRY_SECONDS"
    for seconds in ("30", "600"):
        chosen = Settings.from_environment({name: seconds}).attachments
        assert chosen.upload_expiry_seconds == int(seconds)
    for seconds in ("29", "601", "0"):
        with pytest.raises(RuntimeError, match=f"{name} must be between 30 and 600"):
            Settings.from_environment({name: seconds})
