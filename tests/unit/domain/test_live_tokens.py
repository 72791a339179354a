"""Reading a live connection's token expiry from the authorizer's context, and judging it
(tasklane.domain.live_tokens)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from tasklane.domain.live_tokens import (
    ASSUMED_TOKEN_SECONDS,
    read_token_expiry,
    token_expired,
    token_expiry,
)

NOW = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
EPOCH = int(NOW.timestamp())


@pytest.mark.parametrize(
    ("value", "read"),
    [
        (EPOCH, EPOCH),
        (str(EPOCH), EPOCH),
        (f" {EPOCH} ", EPOCH),
        (None, None),
        (True, None),
        (0, None),
        (-5, None),
        (float(EPOCH), None),
        ("", None),
        ("1.7e9", None),
        ("-1", None),
        ("9" * 40, None),
        ([EPOCH], None),
    ],
)
def test_the_context_value_is_an_int_or_a_decimal_string(value: object, read: int | None) -> None:
    assert read_token_expiry(value) == read


def test_without_a_readable_value_the_token_is_assumed_to_last_an_hour_from_connecting() -> None:
    connected_ms = (EPOCH - 600) * 1000 + 999
    assert token_expiry(str(EPOCH), connected_ms, NOW) == EPOCH
    assert token_expiry(None, connected_ms, NOW) == EPOCH - 600 + ASSUMED_TOKEN_SECONDS
    # No connectedAt either: from now.
    assert token_expiry("x", None, NOW) == EPOCH + ASSUMED_TOKEN_SECONDS


def test_a_token_is_expired_from_its_expiry_on() -> None:
    assert not token_expired(EPOCH + 1, NOW)
    assert token_expired(EPOCH, NOW)
    assert token_expired(EPOCH, NOW + timedelta(hours=1))
    assert not token_expired(None, NOW + timedelta(days=1))  # stored before expiries were
