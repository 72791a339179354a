"""The local Cognito verifies e-mail addresses as Cognito does (moto does not): a confirmation
by code verifies the address, a change of address waits for its verification, and tokens
carry only what Cognito would put in them (tasklane.local.cognito_verification)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import jwt
import pytest
from botocore.exceptions import ClientError

from tasklane.cli.users import confirm, log_in, sign_up
from tasklane.local.bootstrap import LocalConfig

from .support import PASSWORD, moto_client, target_of

if TYPE_CHECKING:
    from mypy_boto3_cognito_idp import CognitoIdentityProviderClient


def _cognito(config: LocalConfig) -> CognitoIdentityProviderClient:
    client: CognitoIdentityProviderClient = moto_client(config, "cognito-idp")
    return client


def _claims(config: LocalConfig, email: str) -> dict[str, Any]:
    tokens = log_in(target_of(config), email, PASSWORD)
    claims: dict[str, Any] = jwt.decode(tokens.id_token, options={"verify_signature": False})
    return claims


def _refreshed_claims(config: LocalConfig, refresh_token: str) -> dict[str, Any]:
    answer = _cognito(config).initiate_auth(
        ClientId=config.client_id,
        AuthFlow="REFRESH_TOKEN_AUTH",
        AuthParameters={"REFRESH_TOKEN": refresh_token},
    )
    token = answer["AuthenticationResult"]["IdToken"]
    claims: dict[str, Any] = jwt.decode(token, options={"verify_signature": False})
    return claims


def _attributes(config: LocalConfig, access_token: str) -> dict[str, str]:
    user = _cognito(config).get_user(AccessToken=access_token)
    return {a["Name"]: a["Value"] for a in user["UserAttributes"]}


def test_the_local_pool_requires_verification_before_an_address_changes(
    local_config: LocalConfig,
) -> None:
    pool = _cognito(local_config).describe_user_pool(UserPoolId=local_config.user_pool_id)
    settings = pool["UserPool"]["UserAttributeUpdateSettings"]
    assert settings["AttributesRequireVerificationBeforeUpdate"] == ["email"]


def test_confirming_with_the_code_verifies_the_address(local_config: LocalConfig) -> None:
    cognito = _cognito(local_config)
    sign_up(target_of(local_config), "ada@example.com", PASSWORD)
    cognito.confirm_sign_up(
        ClientId=local_config.client_id, Username="ada@example.com", ConfirmationCode="123456"
    )
    claims = _claims(local_config, "ada@example.com")
    assert (claims["email"], claims["email_verified"]) == ("ada@example.com", "true")


def test_an_administrator_s_confirmation_verifies_no_address(local_config: LocalConfig) -> None:
    """As in AWS: AdminConfirmSignUp confirms the account, not the address (the CLI's
    local confirm marks the address itself, as the e-mailed code would have)."""
    cognito = _cognito(local_config)
    sign_up(target_of(local_config), "bob@example.com", PASSWORD)
    cognito.admin_confirm_sign_up(UserPoolId=local_config.user_pool_id, Username="bob@example.com")
    assert _claims(local_config, "bob@example.com").get("email_verified") != "true"
    sign_up(target_of(local_config), "carol@example.com", PASSWORD)
    confirm(target_of(local_config), "carol@example.com")
    assert _claims(local_config, "carol@example.com")["email_verified"] == "true"


def test_a_changed_address_counts_only_once_verified(local_config: LocalConfig) -> None:
    """The takeover attempt of finding 1: Mallory sets her address to the victim's. Until
    she proves she reads the victim's mail, her tokens still carry her own, verified."""
    target = target_of(local_config)
    sign_up(target, "mallory@example.com", PASSWORD)
    confirm(target, "mallory@example.com")
    tokens = log_in(target, "mallory@example.com", PASSWORD)
    cognito = _cognito(local_config)

    answer = cognito.update_user_attributes(
        AccessToken=tokens.access_token,
        UserAttributes=[{"Name": "email", "Value": "victim@example.com"}],
    )
    assert answer["CodeDeliveryDetailsList"][0]["AttributeName"] == "email"
    claims = _refreshed_claims(local_config, tokens.refresh_token)
    assert (claims["email"], claims["email_verified"]) == ("mallory@example.com", "true")
    assert _attributes(local_config, tokens.access_token)["email"] == "mallory@example.com"

    # The code Cognito e-mailed to the new address applies it, verified.
    cognito.verify_user_attribute(
        AccessToken=tokens.access_token, AttributeName="email", Code="123456"
    )
    claims = _refreshed_claims(local_config, tokens.refresh_token)
    assert (claims["email"], claims["email_verified"]) == ("victim@example.com", "true")


def test_a_name_changes_at_once_with_an_address_held(local_config: LocalConfig) -> None:
    target = target_of(local_config)
    sign_up(target, "dan@example.com", PASSWORD)
    confirm(target, "dan@example.com")
    tokens = log_in(target, "dan@example.com", PASSWORD)
    _cognito(local_config).update_user_attributes(
        AccessToken=tokens.access_token,
        UserAttributes=[
            {"Name": "name", "Value": "Dan"},
            {"Name": "email", "Value": "dan@elsewhere.example"},
        ],
    )
    attributes = _attributes(local_config, tokens.access_token)
    assert (attributes["name"], attributes["email"]) == ("Dan", "dan@example.com")


def test_another_user_s_address_cannot_be_taken(local_config: LocalConfig) -> None:
    target = target_of(local_config)
    for email in ("erin@example.com", "frank@example.com"):
        sign_up(target, email, PASSWORD)
        confirm(target, email)
    tokens = log_in(target, "frank@example.com", PASSWORD)
    with pytest.raises(ClientError) as raised:
        _cognito(local_config).update_user_attributes(
            AccessToken=tokens.access_token,
            UserAttributes=[{"Name": "email", "Value": "erin@example.com"}],
        )
    assert raised.value.response["Error"]["Code"] == "AliasExistsException"


def test_without_the_setting_a_new_address_is_unverified(local_config: LocalConfig) -> None:
    """Cognito's default, modelled too: the address changes at once, unverified."""
    cognito = _cognito(local_config)
    pool_id = cognito.create_user_pool(PoolName="plain", UsernameAttributes=["email"])["UserPool"][
        "Id"
    ]
    client_id = cognito.create_user_pool_client(
        UserPoolId=pool_id,
        ClientName="plain",
        ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
    )["UserPoolClient"]["ClientId"]
    cognito.sign_up(ClientId=client_id, Username="gil@example.com", Password=PASSWORD)
    cognito.confirm_sign_up(ClientId=client_id, Username="gil@example.com", ConfirmationCode="1")
    tokens = cognito.initiate_auth(
        ClientId=client_id,
        AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": "gil@example.com", "PASSWORD": PASSWORD},
    )["AuthenticationResult"]
    cognito.update_user_attributes(
        AccessToken=tokens["AccessToken"],
        UserAttributes=[{"Name": "email", "Value": "gil@elsewhere.example"}],
    )
    attributes = _attributes(local_config, tokens["AccessToken"])
    assert (attributes["email"], attributes["email_verified"]) == (
        "gil@elsewhere.example",
        "false",
    )
