"""``identity_from_claims``: what the API believes about a caller (finding 1 and 8)."""

from __future__ import annotations

from typing import Any

import pytest

from tasklane.domain.profiles import identity_from_claims


def claims(**extra: Any) -> dict[str, Any]:
    return {"sub": "user-1", "email": "ada@example.com", **extra}


@pytest.mark.parametrize("verified", ["true", "TRUE", True])
def test_a_verified_address_counts(verified: object) -> None:
    found = identity_from_claims(claims(email_verified=verified))
    assert found is not None
    assert found.email == "ada@example.com"


@pytest.mark.parametrize("verified", [None, "false", False, "yes", 1, ""])
def test_an_unverified_address_is_never_taken(verified: object) -> None:
    """The takeover: an attacker sets their e-mail attribute to a victim's address; the
    token then carries it, unverified."""
    found = identity_from_claims(claims(email_verified=verified))
    assert found is not None
    assert found.email == ""
    assert found.default_display_name() == "user"


def test_a_malformed_address_is_not_taken_even_if_verified() -> None:
    found = identity_from_claims(claims(email="not an address", email_verified="true"))
    assert found is not None
    assert found.email == ""


@pytest.mark.parametrize(
    "name", ["Eve\r\nBcc: x@example.com", "Eve\u2028Mallory", "\x00", " ", "x" * 101]
)
def test_a_name_claim_that_is_no_display_name_is_ignored(name: str) -> None:
    """Finding 8: the name claim went into e-mails with control characters."""
    found = identity_from_claims(claims(email_verified="true", name=name))
    assert found is not None
    assert found.name == ""
    assert found.default_display_name() == "ada"


def test_a_valid_name_is_kept_trimmed() -> None:
    found = identity_from_claims(claims(name="  Ada Lovelace "))
    assert found is not None
    assert found.name == "Ada Lovelace"


@pytest.mark.parametrize("sub", [None, "", 7])
def test_no_sub_no_identity(sub: object) -> None:
    assert identity_from_claims({"sub": sub, "email_verified": "true"}) is None
