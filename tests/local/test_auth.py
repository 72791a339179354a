"""ID-token verification: what API Gateway's Cognito authorizer accepts and refuses."""

from __future__ import annotations

import time

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa

from tasklane.cli.users import Tokens
from tasklane.local.auth import TokenVerifier, Unauthorized

from .support import Forge


def test_a_real_id_token_yields_its_claims(verifier: TokenVerifier, tokens: Tokens) -> None:
    claims = verifier.verify(tokens.id_token)

    assert claims["token_use"] == "id"
    assert claims["email"] == "ada@example.com"
    assert claims["sub"]


def test_a_forged_token_with_moto_s_public_key_is_accepted(
    verifier: TokenVerifier, forge: Forge
) -> None:
    # The reason this verifier is for local mode only.
    assert verifier.verify(forge())["email"] == "forged@example.com"


@pytest.mark.parametrize(
    "claims",
    [
        pytest.param({"exp": int(time.time()) - 1}, id="expired"),
        pytest.param({"aud": "another-client"}, id="wrong-audience"),
        pytest.param({"iss": "https://cognito-idp.us-east-1.amazonaws.com/x"}, id="wrong-issuer"),
        pytest.param({"token_use": "access"}, id="access-token-use"),
        pytest.param({"exp": None}, id="no-exp"),
        pytest.param({"token_use": None}, id="no-token-use"),
    ],
)
def test_bad_claims_are_refused(
    verifier: TokenVerifier, forge: Forge, claims: dict[str, object]
) -> None:
    with pytest.raises(Unauthorized):
        verifier.verify(forge(**claims))


def test_an_access_token_is_refused(verifier: TokenVerifier, tokens: Tokens) -> None:
    with pytest.raises(Unauthorized):
        verifier.verify(tokens.access_token)


def test_a_tampered_signature_is_refused(verifier: TokenVerifier, tokens: Tokens) -> None:
    header, payload, signature = tokens.id_token.split(".")
    flipped = ("A" if signature[10] != "A" else "B").join((signature[:10], signature[11:]))

    with pytest.raises(Unauthorized):
        verifier.verify(f"{header}.{payload}.{flipped}")


def test_a_tampered_payload_is_refused(
    verifier: TokenVerifier, tokens: Tokens, forge: Forge
) -> None:
    _, other_payload, _ = forge(email="mallory@example.com").split(".")
    header, _, signature = tokens.id_token.split(".")

    with pytest.raises(Unauthorized):
        verifier.verify(f"{header}.{other_payload}.{signature}")


def test_a_token_signed_by_another_key_is_refused(verifier: TokenVerifier, forge: Forge) -> None:
    other_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)

    with pytest.raises(Unauthorized):
        verifier.verify(forge(key=other_key))


def test_an_unsigned_token_is_refused(verifier: TokenVerifier, forge: Forge) -> None:
    payload = jwt.decode(forge(), options={"verify_signature": False})
    unsigned = jwt.encode(payload, key="", algorithm="none", headers={"kid": "dummy"})

    with pytest.raises(Unauthorized):
        verifier.verify(unsigned)


@pytest.mark.parametrize("token", ["", "not-a-jwt", "a.b.c"])
def test_garbage_is_refused(verifier: TokenVerifier, token: str) -> None:
    with pytest.raises(Unauthorized):
        verifier.verify(token)
