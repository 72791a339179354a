"""Fixtures for the local runtime: one moto server per session, reset per test."""

from __future__ import annotations

import gzip
import json
import time
from collections.abc import Iterator
from importlib.resources import files
from typing import Any

import jwt
import pytest

from tasklane.cli.users import Tokens, confirm, log_in, sign_up
from tasklane.local.auth import TokenVerifier
from tasklane.local.bootstrap import LocalConfig, bootstrap
from tasklane.local.emulators import MotoServer

from .support import PASSWORD, Forge, target_of


@pytest.fixture(scope="session")
def moto_server() -> Iterator[MotoServer]:
    server = MotoServer(port=0)
    server.start()
    yield server
    server.stop()


@pytest.fixture
def local_config(moto_server: MotoServer) -> LocalConfig:
    """Freshly bootstrapped resources in an emptied moto."""
    moto_server.reset()
    return bootstrap(moto_server.endpoint_url)


@pytest.fixture(scope="module")
def pool(moto_server: MotoServer) -> LocalConfig:
    """Bootstrapped resources shared by one module's tests, which must not reset moto.
    (Signing up and logging in cost moto ~0.5 s; tokens stay valid for an hour.)"""
    moto_server.reset()
    return bootstrap(moto_server.endpoint_url)


@pytest.fixture(scope="module")
def tokens(pool: LocalConfig) -> Tokens:
    target = target_of(pool)
    sign_up(target, "ada@example.com", PASSWORD)
    confirm(target, "ada@example.com")
    return log_in(target, "ada@example.com", PASSWORD)


@pytest.fixture(scope="module")
def verifier(pool: LocalConfig) -> TokenVerifier:
    return TokenVerifier(jwks_url=pool.jwks_url, issuer=pool.issuer, client_id=pool.client_id)


@pytest.fixture(scope="session")
def moto_signing_key() -> Any:
    """moto's private signing key: it ships inside the moto package, so anyone can mint tokens
    a moto pool "issued" (the reason the local verifier must never be trusted in AWS)."""
    resource = files("moto.cognitoidp").joinpath("resources/jwks-private.json.gz")
    return jwt.algorithms.RSAAlgorithm.from_jwk(json.loads(gzip.decompress(resource.read_bytes())))


@pytest.fixture
def forge(pool: LocalConfig, moto_signing_key: Any) -> Forge:
    def make(*, key: Any = None, headers: dict[str, Any] | None = None, **claims: Any) -> str:
        now = int(time.time())
        payload: dict[str, Any] = {
            "iss": pool.issuer,
            "sub": "f0f0f0f0-0000-4000-8000-000000000001",
            "aud": pool.client_id,
            "token_use": "id",
            "iat": now,
            "auth_time": now,
            "exp": now + 3600,
            "email": "forged@example.com",
            "email_verified": True,
        }
        payload.update(claims)
        payload = {name: value for name, value in payload.items() if value is not None}
        return jwt.encode(
            payload,
            moto_signing_key if key is None else key,
            algorithm="RS256",
            headers={"kid": "dummy", **(headers or {})},
        )

    return make
