"""Settings: every function can read its settings; only the api needs the cursor secret."""

from __future__ import annotations

import pytest

from tasklane import settings


def test_settings_do_not_need_the_cursor_secret(monkeypatch: pytest.MonkeyPatch) -> None:
    # The events, migrate and sweeper functions are given no cursor secret in AWS.
    monkeypatch.delenv("TASKLANE_CURSOR_SECRET", raising=False)
    monkeypatch.delenv("TASKLANE_CURSOR_SECRET_ARN", raising=False)
    monkeypatch.setenv("TASKLANE_TABLE_NAME", "events-table")
    settings.get_settings.cache_clear()
    settings.get_cursor_secret.cache_clear()
    try:
        assert settings.get_settings().table_name == "events-table"
        with pytest.raises(RuntimeError, match="TASKLANE_CURSOR_SECRET"):
            settings.get_cursor_secret()
    finally:
        settings.get_settings.cache_clear()
        settings.get_cursor_secret.cache_clear()


def test_the_cursor_secret_comes_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TASKLANE_CURSOR_SECRET", "s3cret")
    settings.get_cursor_secret.cache_clear()
    try:
        assert settings.get_cursor_secret() == b"s3cret"
    finally:
        settings.get_cursor_secret.cache_clear()
