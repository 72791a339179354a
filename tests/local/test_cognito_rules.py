"""The local Cognito refuses what the app client does not allow, as Cognito does (moto alone
accepts any flow and any attribute), and its client is the one resources.py describes."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

import httpx
import jwt
import pytest
from botocore.exceptions import ClientError
from smoke.webapp import auth_flows, explicit_flow

from tasklane.cli.users import confirm, log_in, sign_up
from tasklane.local.bootstrap import LocalConfig
from tasklane.local.cognito_rules import ClientRules, check
from tasklane.resources import USER_POOL

from .support import PASSWORD, moto_client, target_of

if TYPE_CHECKING:
    from mypy_boto3_cognito_idp import CognitoIdentityProviderClient


def _cognito(config: LocalConfig) -> CognitoIdentityProviderClient:
    client: CognitoIdentityProviderClient = moto_client(config, "cognito-idp")
    return client


def _user(config: LocalConfig, email: str = "ada@example.com") -> None:
    target = target_of(config)
    sign_up(target, email, PASSWORD)
    confirm(target, email)


def _sign_up_with_name(config: LocalConfig, email: str, name: str) -> None:
    """As the web app signs up: the e-mail and a display name."""
    _cognito(config).sign_up(
        ClientId=config.client_id,
        Username=email,
        Password=PASSWORD,
        UserAttributes=[{"Name": "email", "Value": email}, {"Name": "name", "Value": name}],
    )


def _error(raised: pytest.ExceptionInfo[ClientError]) -> tuple[str, str]:
    error = raised.value.response["Error"]
    return error["Code"], error["Message"]


# --- the rules alone --------------------------------------------------------------------------

RULES = ClientRules(
    auth_flows=frozenset({"ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"}),
    write_attributes=frozenset({"email", "name"}),
)


def _check(operation: str, request: dict[str, Any]) -> tuple[str, str] | None:
    refusal = check(operation, request, lambda _: RULES, lambda _: "client")
    return None if refusal is None else (refusal.code, refusal.message)


@pytest.mark.parametrize(
    ("operation", "flow", "refused"),
    [
        ("InitiateAuth", "USER_PASSWORD_AUTH", False),
        ("InitiateAuth", "REFRESH_TOKEN_AUTH", False),
        ("InitiateAuth", "REFRESH_TOKEN", False),
        ("InitiateAuth", "USER_SRP_AUTH", True),
        ("InitiateAuth", "CUSTOM_AUTH", True),
        ("InitiateAuth", "USER_AUTH", True),
        ("AdminInitiateAuth", "ADMIN_USER_PASSWORD_AUTH", True),
        ("AdminInitiateAuth", "ADMIN_NO_SRP_AUTH", True),
    ],
)
def test_a_flow_is_allowed_only_when_the_client_lists_it(
    operation: str, flow: str, refused: bool
) -> None:
    answer = _check(operation, {"ClientId": "client", "AuthFlow": flow})
    if refused:
        assert answer == ("InvalidParameterException", f"{flow} flow not enabled for this client")
    else:
        assert answer is None


def test_a_client_without_explicit_flows_gets_cognito_s_defaults() -> None:
    from tasklane.local.cognito_rules import DEFAULT_FLOWS

    bare = ClientRules(auth_flows=DEFAULT_FLOWS, write_attributes=frozenset())
    for flow, refused in (("USER_SRP_AUTH", False), ("USER_PASSWORD_AUTH", True)):
        refusal = check("InitiateAuth", {"ClientId": "c", "AuthFlow": flow}, lambda _: bare, str)
        assert (refusal is not None) is refused, flow


def test_writes_outside_the_client_s_attributes_are_refused() -> None:
    allowed = {"ClientId": "c", "UserAttributes": [{"Name": "email", "Value": "a@example.com"}]}
    verified = {"ClientId": "c", "UserAttributes": [{"Name": "email_verified", "Value": "true"}]}
    assert _check("SignUp", allowed) is None
    assert _check("SignUp", verified) == (
        "NotAuthorizedException",
        "A client attempted to write unauthorized attribute",
    )
    update = {"AccessToken": "t", "UserAttributes": [{"Name": "phone_number", "Value": "+1"}]}
    assert _check("UpdateUserAttributes", update) is not None


def test_unknown_clients_and_other_operations_are_left_to_moto() -> None:
    def unknown(_: str) -> None:
        return None

    request = {"ClientId": "nope", "AuthFlow": "USER_SRP_AUTH"}
    assert check("InitiateAuth", request, unknown, unknown) is None
    assert _check("ConfirmSignUp", {"ClientId": "c", "AuthFlow": "USER_SRP_AUTH"}) is None


# --- the local stack's moto, over HTTP ------------------------------------------------------


def test_the_local_client_is_the_shape_s(local_config: LocalConfig) -> None:
    client = _cognito(local_config).describe_user_pool_client(
        UserPoolId=local_config.user_pool_id, ClientId=local_config.client_id
    )["UserPoolClient"]
    expected = USER_POOL.create_client_kwargs(local_config.user_pool_id, "unused")
    for name in (
        "ExplicitAuthFlows",
        "ReadAttributes",
        "WriteAttributes",
        "IdTokenValidity",
        "AccessTokenValidity",
        "RefreshTokenValidity",
        "TokenValidityUnits",
        "PreventUserExistenceErrors",
        "EnableTokenRevocation",
    ):
        assert client[name] == expected[name], name


def test_the_web_app_s_flows_work_locally(local_config: LocalConfig) -> None:
    assert {explicit_flow(f) for f in auth_flows()} <= set(USER_POOL.client_auth_flows)
    _user(local_config)
    tokens = log_in(target_of(local_config), "ada@example.com", PASSWORD)
    refreshed = _cognito(local_config).initiate_auth(
        ClientId=local_config.client_id,
        AuthFlow="REFRESH_TOKEN_AUTH",
        AuthParameters={"REFRESH_TOKEN": tokens.refresh_token},
    )
    assert refreshed["AuthenticationResult"]["IdToken"]


def test_a_flow_the_client_does_not_list_fails_locally(local_config: LocalConfig) -> None:
    _user(local_config)
    cognito = _cognito(local_config)
    with pytest.raises(ClientError) as raised:
        cognito.initiate_auth(
            ClientId=local_config.client_id,
            AuthFlow="USER_SRP_AUTH",
            AuthParameters={"USERNAME": "ada@example.com", "SRP_A": "abc"},
        )
    assert _error(raised) == (
        "InvalidParameterException",
        "USER_SRP_AUTH flow not enabled for this client",
    )
    with pytest.raises(ClientError) as raised:
        cognito.admin_initiate_auth(
            UserPoolId=local_config.user_pool_id,
            ClientId=local_config.client_id,
            AuthFlow="ADMIN_USER_PASSWORD_AUTH",
            AuthParameters={"USERNAME": "ada@example.com", "PASSWORD": PASSWORD},
        )
    assert _error(raised)[0] == "InvalidParameterException"


def test_the_first_deploy_s_bug_fails_locally_now(local_config: LocalConfig) -> None:
    """A client that allows SRP and refresh only (the first deploy's web client) refuses
    the password flow the web app logs in with."""
    _user(local_config)
    cognito = _cognito(local_config)
    srp_only = cognito.create_user_pool_client(
        UserPoolId=local_config.user_pool_id,
        ClientName="srp-only",
        ExplicitAuthFlows=["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
    )["UserPoolClient"]["ClientId"]
    with pytest.raises(ClientError) as raised:
        cognito.initiate_auth(
            ClientId=srp_only,
            AuthFlow="USER_PASSWORD_AUTH",
            AuthParameters={"USERNAME": "ada@example.com", "PASSWORD": PASSWORD},
        )
    assert _error(raised)[0] == "InvalidParameterException"


def test_sign_up_may_write_only_the_client_s_attributes(local_config: LocalConfig) -> None:
    cognito = _cognito(local_config)
    _sign_up_with_name(local_config, "grace@example.com", "Grace")
    with pytest.raises(ClientError) as raised:
        cognito.sign_up(
            ClientId=local_config.client_id,
            Username="mallory@example.com",
            Password=PASSWORD,
            UserAttributes=[
                {"Name": "email", "Value": "mallory@example.com"},
                {"Name": "email_verified", "Value": "true"},
            ],
        )
    assert _error(raised)[0] == "NotAuthorizedException"
    users = cognito.list_users(UserPoolId=local_config.user_pool_id)["Users"]
    emails = {a["Value"] for u in users for a in u["Attributes"] if a["Name"] == "email"}
    assert emails == {"grace@example.com"}


def test_update_user_attributes_is_held_to_the_same_list(local_config: LocalConfig) -> None:
    _user(local_config)
    tokens = log_in(target_of(local_config), "ada@example.com", PASSWORD)
    cognito = _cognito(local_config)
    cognito.update_user_attributes(
        AccessToken=tokens.access_token, UserAttributes=[{"Name": "name", "Value": "Ada L."}]
    )
    with pytest.raises(ClientError) as raised:
        cognito.update_user_attributes(
            AccessToken=tokens.access_token,
            UserAttributes=[{"Name": "email_verified", "Value": "true"}],
        )
    assert _error(raised)[0] == "NotAuthorizedException"


def test_the_id_token_carries_the_readable_attributes(local_config: LocalConfig) -> None:
    _sign_up_with_name(local_config, "grace@example.com", "Grace Hopper")
    confirm(target_of(local_config), "grace@example.com")
    tokens = log_in(target_of(local_config), "grace@example.com", PASSWORD)
    claims = jwt.decode(tokens.id_token, options={"verify_signature": False})
    assert claims["name"] == "Grace Hopper"
    assert claims["email"] == "grace@example.com"


def test_local_tokens_live_as_long_as_the_shape_says(local_config: LocalConfig) -> None:
    """moto issues every token for an hour: the shape's lifetimes must stay at that, or the
    local stack would keep tokens longer (or shorter) than Cognito does."""
    _user(local_config)
    tokens = log_in(target_of(local_config), "ada@example.com", PASSWORD)
    for token, minutes in (
        (tokens.id_token, USER_POOL.id_token_validity_minutes),
        (tokens.access_token, USER_POOL.access_token_validity_minutes),
    ):
        claims = jwt.decode(token, options={"verify_signature": False})
        assert claims["exp"] - claims["iat"] == minutes * 60
        assert claims["exp"] > time.time()


def test_a_browser_can_read_the_refusal(local_config: LocalConfig) -> None:
    """The web app calls Cognito from the browser: the refusal carries CORS headers, as
    moto's own answers do, or the app would see a network error instead of Cognito's."""
    origin = "http://127.0.0.1:3000"
    answer = httpx.post(
        local_config.endpoint_url,
        headers={
            "X-Amz-Target": "AWSCognitoIdentityProviderService.InitiateAuth",
            "Content-Type": "application/x-amz-json-1.1",
            "Origin": origin,
        },
        json={"ClientId": local_config.client_id, "AuthFlow": "USER_SRP_AUTH"},
    )
    assert answer.status_code == 400
    assert answer.json()["__type"] == "InvalidParameterException"
    assert answer.headers["access-control-allow-origin"] == origin


def test_an_unknown_user_looks_like_a_wrong_password(local_config: LocalConfig) -> None:
    """The client prevents user-existence errors (resources.USER_POOL): Cognito answers an
    unknown user's log-in as a wrong password's (moto says UserNotFoundException, which
    would tell anyone which addresses have accounts), and a password reset as if a code
    went out."""
    _user(local_config)
    cognito = _cognito(local_config)
    answers = []
    for email, password in (
        ("ada@example.com", "Wrong-Horse-99x"),
        ("nobody@example.com", PASSWORD),
    ):
        with pytest.raises(ClientError) as raised:
            cognito.initiate_auth(
                ClientId=local_config.client_id,
                AuthFlow="USER_PASSWORD_AUTH",
                AuthParameters={"USERNAME": email, "PASSWORD": password},
            )
        answers.append(_error(raised)[0])
    assert answers == ["NotAuthorizedException", "NotAuthorizedException"]
    reset = cognito.forgot_password(ClientId=local_config.client_id, Username="nobody@example.com")
    assert reset["CodeDeliveryDetails"]["DeliveryMedium"] == "EMAIL"
    known = cognito.forgot_password(ClientId=local_config.client_id, Username="ada@example.com")
    assert known["CodeDeliveryDetails"]["DeliveryMedium"] == "EMAIL"
