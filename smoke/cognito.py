"""Users for the smoke test, through the Cognito that ``GET /config`` names.

Signing up and logging in go through the app client exactly as the web app does (its
attributes, its log-in flow, its refresh): the calls the web app makes without AWS
credentials are made without them here too. Confirming a sign-up has two ways:

- ``admin`` (the default): ``AdminConfirmSignUp`` and an ``email_verified`` mark, then
  ``AdminDeleteUser`` at the end, with the operator's AWS credentials (locally, moto's dummy
  ones). In AWS that needs ``cognito-idp:AdminConfirmSignUp``,
  ``AdminUpdateUserAttributes`` and ``AdminDeleteUser`` on the user pool.
- ``code``: the operator types the code Cognito e-mailed (addresses they can read, see
  ``--email``), and each user deletes itself (``DeleteUser`` with its access token): no
  AWS permission at all.
"""

from __future__ import annotations

import secrets
import string
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import boto3
from botocore import UNSIGNED
from botocore.config import Config

from smoke.runner import SmokeFailure
from smoke.webapp import login_flow
from tasklane.local.launcher import DUMMY_CREDENTIALS
from tasklane.resources import USER_POOL

#: Symbols Cognito accepts in passwords.
_SYMBOLS = "_.@%+="


@dataclass(frozen=True, slots=True)
class PoolConfig:
    """What ``GET /config`` says about Cognito."""

    region: str
    user_pool_id: str
    client_id: str
    #: moto's URL locally; None in AWS (the SDK's default endpoint).
    endpoint: str | None

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> PoolConfig:
        try:
            return cls(
                region=str(config["region"]),
                user_pool_id=str(config["user_pool_id"]),
                client_id=str(config["client_id"]),
                endpoint=config.get("cognito_endpoint") or None,
            )
        except KeyError as missing:
            raise SmokeFailure(f"GET /config has no {missing}: {config}") from None

    @property
    def local(self) -> bool:
        return self.endpoint is not None


@dataclass
class User:
    email: str
    password: str
    name: str
    id_token: str = ""
    access_token: str = ""
    refresh_token: str = ""


def new_password() -> str:
    """A random password that meets the pool's policy (resources.USER_POOL)."""
    classes = [string.ascii_lowercase, string.ascii_uppercase, string.digits, _SYMBOLS]
    alphabet = "".join(classes)
    length = max(USER_POOL.password_policy.minimum_length, 24)
    chars = [secrets.choice(c) for c in classes]
    chars += [secrets.choice(alphabet) for _ in range(length - len(chars))]
    secrets.SystemRandom().shuffle(chars)
    return "".join(chars)


class Cognito:
    def __init__(self, pool: PoolConfig, *, confirm: str, read_code: Callable[[str], str]):
        if confirm not in ("admin", "code"):
            raise ValueError(f"confirm is 'admin' or 'code', not {confirm!r}")
        self.pool = pool
        self.confirm_with = confirm
        self._read_code = read_code
        self.login_flow = login_flow()
        if pool.local:
            # moto: its dummy credentials; the operator's must not leak to a local stack.
            session = boto3.Session(
                aws_access_key_id=DUMMY_CREDENTIALS["AWS_ACCESS_KEY_ID"],
                aws_secret_access_key=DUMMY_CREDENTIALS["AWS_SECRET_ACCESS_KEY"],
                region_name=pool.region,
            )
            self._public = session.client("cognito-idp", endpoint_url=pool.endpoint)
            self._admin = self._public
        else:
            # What the browser calls needs no credentials: sent unsigned, as Cognito allows.
            self._public = boto3.client(
                "cognito-idp", region_name=pool.region, config=Config(signature_version=UNSIGNED)
            )
            self._admin = boto3.client("cognito-idp", region_name=pool.region)

    def sign_up(self, user: User) -> None:
        """As the web app signs up: the e-mail as user name, the e-mail and a name."""
        answer = self._public.sign_up(
            ClientId=self.pool.client_id,
            Username=user.email,
            Password=user.password,
            UserAttributes=[
                {"Name": "email", "Value": user.email},
                {"Name": "name", "Value": user.name},
            ],
        )
        if answer.get("UserConfirmed"):
            raise SmokeFailure("Cognito confirmed the sign-up at once: the pool verifies nothing")

    def confirm(self, user: User) -> None:
        if self.confirm_with == "admin":
            self._admin.admin_confirm_sign_up(
                UserPoolId=self.pool.user_pool_id, Username=user.email
            )
            # The address is the operator's choice (SES's mailbox simulator by default): mark
            # it verified, as a confirmation by e-mailed code would.
            self._admin.admin_update_user_attributes(
                UserPoolId=self.pool.user_pool_id,
                Username=user.email,
                UserAttributes=[{"Name": "email_verified", "Value": "true"}],
            )
        else:
            code = self._read_code(user.email).strip()
            self._public.confirm_sign_up(
                ClientId=self.pool.client_id, Username=user.email, ConfirmationCode=code
            )

    def log_in(self, user: User) -> None:
        """The web app's log-in flow (read from web/src), as the web app sends it."""
        if self.login_flow != "USER_PASSWORD_AUTH":
            raise SmokeFailure(
                f"the web app logs in with {self.login_flow}; the smoke test speaks "
                "USER_PASSWORD_AUTH only: teach smoke/cognito.py the new flow"
            )
        answer = self._public.initiate_auth(
            ClientId=self.pool.client_id,
            AuthFlow="USER_PASSWORD_AUTH",  # the web app's, checked above
            AuthParameters={"USERNAME": user.email, "PASSWORD": user.password},
        )
        result = answer.get("AuthenticationResult")
        if not result:
            raise SmokeFailure(f"log-in asked for {answer.get('ChallengeName')}, no tokens")
        user.id_token = result["IdToken"]
        user.access_token = result["AccessToken"]
        user.refresh_token = result["RefreshToken"]

    def refresh(self, user: User) -> None:
        """The web app's refresh: new ID and access tokens from the refresh token."""
        answer = self._public.initiate_auth(
            ClientId=self.pool.client_id,
            AuthFlow="REFRESH_TOKEN_AUTH",
            AuthParameters={"REFRESH_TOKEN": user.refresh_token},
        )
        result = answer["AuthenticationResult"]
        user.id_token = result["IdToken"]
        user.access_token = result["AccessToken"]

    def delete(self, user: User) -> None:
        if self.confirm_with == "admin":
            self._admin.admin_delete_user(UserPoolId=self.pool.user_pool_id, Username=user.email)
        else:
            self._public.delete_user(AccessToken=user.access_token)
