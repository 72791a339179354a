"""Cognito's e-mail verification rules, which moto does not model. LOCAL MODE ONLY.

The API trusts an e-mail address only when the token says Cognito verified it
(``email_verified``). moto never sets that attribute and lets a user change their address
at will, so locally either nobody would be verified or anybody could claim any address.
:class:`tasklane.local.cognito_rules.CognitoClientRules` calls this module to answer as
Cognito does:

- ``ConfirmSignUp`` with the e-mailed code verifies the address (Cognito sets
  ``email_verified``); ``AdminConfirmSignUp`` does not (an administrator vouches for the
  account, not the address), as in AWS;
- ``UpdateUserAttributes`` (and ``AdminUpdateUserAttributes`` without
  ``email_verified=true``) changing ``email`` in a pool whose
  ``UserAttributeUpdateSettings.AttributesRequireVerificationBeforeUpdate`` lists it: the
  address does not change; the new one waits for ``VerifyUserAttribute`` with the code
  Cognito e-mails to it, and until then tokens carry the old, verified one. In a pool without
  that setting the address changes at once and is unverified (``email_verified=false``);
- ``VerifyUserAttribute`` (moto has none): applies the waiting address, verified, unless
  another user holds it (``AliasExistsException``). Locally any code is accepted, as moto
  accepts any confirmation code: no e-mail carries one.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

EMAIL = "email"
EMAIL_VERIFIED = "email_verified"


@dataclass(frozen=True, slots=True)
class Answer:
    """What to send instead of moto's answer: an error (``code``) or a document."""

    document: dict[str, Any]
    code: str | None = None


@dataclass(frozen=True, slots=True)
class Forward:
    """Let moto handle the request, with these attributes instead of the ones sent."""

    attributes: list[dict[str, str]]
    #: The address changes from the first to the second if moto accepts (tokens follow).
    moved: tuple[str, str] | None = None


class EmailVerification:
    """The addresses waiting for verification, by the user's ``sub`` (a new account with the
    same address after a reset is another sub)."""

    def __init__(self) -> None:
        self._pending: dict[str, str] = {}
        self._lock = threading.Lock()

    def pending(self, sub: str) -> str | None:
        return self._pending.get(sub)

    def update(
        self, pool: Any, user: Any, attributes: list[dict[str, str]], *, admin: bool
    ) -> Forward | Answer:
        """An attribute update of ``user`` in ``pool`` (moto objects): what moto may apply."""
        values = {str(a.get("Name")): str(a.get("Value", "")) for a in attributes}
        new = values.get(EMAIL)
        current = user.attribute_lookup.get(EMAIL)
        if new is None or new == current:
            return Forward(attributes)
        moved = (current, new) if current else None
        if admin and values.get(EMAIL_VERIFIED, "").lower() == "true":
            return Forward(attributes, moved)  # the administrator vouches for the new address
        if not requires_verification(pool):
            # Cognito's default: the address changes at once, unverified.
            rest = [a for a in attributes if a.get("Name") != EMAIL_VERIFIED]
            return Forward([*rest, {"Name": EMAIL_VERIFIED, "Value": "false"}], moved)
        if holder(pool, new, user) is not None:
            return Answer(
                {"message": "An account with the given email already exists."},
                "AliasExistsException",
            )
        with self._lock:
            self._pending[user.id] = new
        others = [a for a in attributes if a.get("Name") not in (EMAIL, EMAIL_VERIFIED)]
        if others or admin:
            return Forward(others)
        return Answer({"CodeDeliveryDetailsList": [delivery(new)]})

    def verify(self, pool: Any, user: Any, attribute: str) -> Answer:
        """``VerifyUserAttribute``: the waiting address becomes the user's, verified."""
        if attribute != EMAIL:
            return Answer(
                {"message": f"{attribute} cannot be verified here"}, "InvalidParameterException"
            )
        with self._lock:
            new = self._pending.get(user.id)
        if new is None:
            # Verifying the current address (e.g. one an administrator set unverified).
            if user.attribute_lookup.get(EMAIL):
                user.update_attributes([{"Name": EMAIL_VERIFIED, "Value": "true"}])
                return Answer({})
            return Answer(
                {"message": "Invalid code provided, please request a code again."},
                "ExpiredCodeException",
            )
        if holder(pool, new, user) is not None:
            return Answer(
                {"message": "An account with the given email already exists."},
                "AliasExistsException",
            )
        old = user.attribute_lookup.get(EMAIL)
        user.update_attributes(
            [{"Name": EMAIL, "Value": new}, {"Name": EMAIL_VERIFIED, "Value": "true"}]
        )
        follow_user(pool, old, new)
        with self._lock:
            self._pending.pop(user.id, None)
        return Answer({})

    def code_requested(self, user: Any, attribute: str) -> Answer:
        """``GetUserAttributeVerificationCode``: where Cognito would send the code."""
        address = self.pending(user.id) or user.attribute_lookup.get(EMAIL, "")
        if attribute != EMAIL or not address:
            return Answer(
                {"message": f"{attribute} cannot be verified here"}, "InvalidParameterException"
            )
        return Answer({"CodeDeliveryDetails": delivery(address)})


def confirmed_by_code(user: Any) -> None:
    """``ConfirmSignUp`` succeeded: the code went to the address, so it is verified."""
    if user.attribute_lookup.get(EMAIL):
        user.update_attributes([{"Name": EMAIL_VERIFIED, "Value": "true"}])


def follow_user(pool: Any, old: str | None, new: str) -> None:
    """Cognito's tokens belong to the user (their ``sub``); moto's remember the name they
    logged in with, which is the old address: point them at the new one, or a refresh
    after the change would find no user."""
    if not old:
        return
    for tokens in (pool.refresh_tokens, pool.access_tokens, pool.id_tokens):
        for token, issued in list(tokens.items()):
            if issued is not None and len(issued) >= 2 and issued[1] == old:
                tokens[token] = (issued[0], new, *issued[2:])


def requires_verification(pool: Any) -> bool:
    config: Mapping[str, Any] = pool.extended_config
    settings = config.get("UserAttributeUpdateSettings") or {}
    return EMAIL in (settings.get("AttributesRequireVerificationBeforeUpdate") or ())


def holder(pool: Any, address: str, user: Any) -> Any:
    """Another user of the pool whose address this is (Cognito compares case-insensitively
    when sign-in is case-insensitive), or None."""
    wanted = address.lower()
    users: Iterable[Any] = list(pool.users.values())
    return next(
        (
            u
            for u in users
            if u is not user and str(u.attribute_lookup.get(EMAIL, "")).lower() == wanted
        ),
        None,
    )


def delivery(address: str) -> dict[str, str]:
    local, _, domain = address.partition("@")
    return {
        "Destination": f"{local[:1]}***@{domain[:1]}***",
        "DeliveryMedium": "EMAIL",
        "AttributeName": EMAIL,
    }
