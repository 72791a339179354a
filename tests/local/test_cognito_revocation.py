"""The local Cognito answers RevokeToken as Cognito does (moto alone does not implement it):
the web server's log-out revokes the refresh token (issue 14, finding 5)."""

from __future__ import annotations

import base64
import json
import uuid
from typing import TYPE_CHECKING

import pytest
from botocore.exceptions import ClientError

from tasklane.cli.users import Tokens, confirm, log_in, sign_up
from tasklane.local.bootstrap import LocalConfig
from tasklane.local.cognito_revocation import origin_jti

from .support import PASSWORD, moto_client, target_of

if TYPE_CHECKING:
    from mypy_boto3_cognito_idp import CognitoIdentityProviderClient


def _cognito(config: LocalConfig) -> CognitoIdentityProviderClient:
    client: CognitoIdentityProviderClient = moto_client(config, "cognito-idp")
    return client


def _logged_in(config: LocalConfig, email: str | None = None) -> Tokens:
    email = email or f"rev-{uuid.uuid4().hex[:8]}@example.com"
    sign_up(target_of(config), email, PASSWORD)
    confirm(target_of(config), email)
    return log_in(target_of(config), email, PASSWORD)


def _refresh(config: LocalConfig, refresh_token: str) -> str:
    answer = _cognito(config).initiate_auth(
        ClientId=config.client_id,
        AuthFlow="REFRESH_TOKEN_AUTH",
        AuthParameters={"REFRESH_TOKEN": refresh_token},
    )
    return answer["AuthenticationResult"]["IdToken"]


def _code(raised: pytest.ExceptionInfo[ClientError]) -> str:
    return raised.value.response["Error"]["Code"]


def test_a_revoked_refresh_token_no_longer_refreshes(local_config: LocalConfig) -> None:
    tokens = _logged_in(local_config)
    assert _refresh(local_config, tokens.refresh_token)  # works before
    _cognito(local_config).revoke_token(Token=tokens.refresh_token, ClientId=local_config.client_id)
    with pytest.raises(ClientError) as raised:
        _refresh(local_config, tokens.refresh_token)
    assert _code(raised) == "NotAuthorizedException"
    # The access token issued with it is revoked too.
    with pytest.raises(ClientError) as raised:
        _cognito(local_config).get_user(AccessToken=tokens.access_token)
    assert _code(raised) == "NotAuthorizedException"


def test_revoking_one_session_leaves_the_user_s_others(local_config: LocalConfig) -> None:
    email = f"rev-{uuid.uuid4().hex[:8]}@example.com"
    first = _logged_in(local_config, email)
    second = log_in(target_of(local_config), email, PASSWORD)
    _cognito(local_config).revoke_token(Token=first.refresh_token, ClientId=local_config.client_id)
    assert _refresh(local_config, second.refresh_token)
    assert _cognito(local_config).get_user(AccessToken=second.access_token)["Username"]


def test_an_unknown_or_revoked_token_is_answered_as_revoked(local_config: LocalConfig) -> None:
    cognito = _cognito(local_config)
    cognito.revoke_token(Token="not-a-token", ClientId=local_config.client_id)
    tokens = _logged_in(local_config)
    cognito.revoke_token(Token=tokens.refresh_token, ClientId=local_config.client_id)
    cognito.revoke_token(Token=tokens.refresh_token, ClientId=local_config.client_id)


def test_another_client_may_not_revoke_the_token(local_config: LocalConfig) -> None:
    cognito = _cognito(local_config)
    other = cognito.create_user_pool_client(
        UserPoolId=local_config.user_pool_id, ClientName=f"other-{uuid.uuid4().hex[:6]}"
    )["UserPoolClient"]["ClientId"]
    tokens = _logged_in(local_config)
    with pytest.raises(ClientError) as raised:
        cognito.revoke_token(Token=tokens.refresh_token, ClientId=other)
    assert _code(raised) == "UnauthorizedException"
    assert _refresh(local_config, tokens.refresh_token)


def test_a_client_without_revocation_cannot_revoke(local_config: LocalConfig) -> None:
    cognito = _cognito(local_config)
    client = cognito.create_user_pool_client(
        UserPoolId=local_config.user_pool_id,
        ClientName=f"norevoke-{uuid.uuid4().hex[:6]}",
        EnableTokenRevocation=False,
    )["UserPoolClient"]["ClientId"]
    with pytest.raises(ClientError) as raised:
        cognito.revoke_token(Token="whatever", ClientId=client)
    assert _code(raised) == "UnsupportedOperationException"


def test_origin_jti_reads_moto_s_claim_and_nothing_else() -> None:
    payload = base64.urlsafe_b64encode(json.dumps({"origin_jti": "j-1"}).encode()).rstrip(b"=")
    assert origin_jti(f"h.{payload.decode()}.s") == "j-1"
    assert origin_jti("not-a-jwt") is None
    assert origin_jti("h.!!!.s") is None
