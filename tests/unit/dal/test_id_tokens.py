"""Where the ID-token verifier takes its keys from, and who imports it."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from tasklane.dal.id_tokens import cognito_issuer, verifier_for
from tasklane.settings import AwsSettings, Settings
from tasklane.wiring.realtime_authorizer import RealtimeContainer, root

MOTO = "http://127.0.0.1:5000"


def _settings(*, local_mode: bool, cognito_endpoint: str = "") -> Settings:
    return Settings(
        aws=AwsSettings(region="eu-west-1"),
        table_name="t",
        user_pool_id="eu-west-1_pool",
        user_pool_client_id="client-1",
        cognito_endpoint=cognito_endpoint,
        api_url="",
        cors_origins=(),
        local_mode=local_mode,
    )


def test_in_aws_the_keys_come_from_the_issuer() -> None:
    verifier = verifier_for(_settings(local_mode=False))

    issuer = "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_pool"
    assert (verifier.issuer, verifier.client_id) == (issuer, "client-1")
    assert verifier.jwks_url == f"{issuer}/.well-known/jwks.json"


def test_outside_local_mode_another_key_address_is_ignored() -> None:
    # moto's signing key is public: pointing a deployed verifier at it would accept tokens
    # anyone can mint.
    verifier = verifier_for(_settings(local_mode=False, cognito_endpoint=MOTO))

    assert verifier.jwks_url.startswith("https://cognito-idp.eu-west-1.amazonaws.com/")


def test_in_local_mode_the_keys_come_from_moto_and_the_issuer_stays_aws() -> None:
    verifier = verifier_for(_settings(local_mode=True, cognito_endpoint=MOTO + "/"))

    assert verifier.jwks_url == f"{MOTO}/eu-west-1_pool/.well-known/jwks.json"
    assert verifier.issuer == cognito_issuer("eu-west-1", "eu-west-1_pool")


def test_one_verifier_per_container_so_one_key_cache_per_execution_environment() -> None:
    with root.overridden(RealtimeContainer(_settings(local_mode=False))):
        first = root.get().verifier

        assert root.get().verifier is first
        assert first.issuer == cognito_issuer("eu-west-1", "eu-west-1_pool")


def test_a_function_without_a_pool_fails_loudly() -> None:
    with pytest.raises(RuntimeError, match="TASKLANE_USER_POOL_ID"):
        verifier_for(
            Settings(
                aws=AwsSettings(region="eu-west-1"),
                table_name="t",
                user_pool_id="",
                user_pool_client_id="",
                cognito_endpoint="",
                api_url="",
                cors_origins=(),
            )
        )


def test_the_api_function_does_not_import_the_jwt_library() -> None:
    """The REST authorizer is API Gateway's own in AWS: the api handler's cold start must
    not pay for PyJWT and cryptography (~110 ms of imports)."""
    code = (
        "import sys, tasklane.handlers.api; "
        "loaded = sorted(m for m in ('jwt', 'cryptography', 'tasklane.dal.id_tokens') "
        "if m in sys.modules); print(loaded)"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "POWERTOOLS_TRACE_DISABLED": "true"},
        check=False,
    )

    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"
