"""``tasklane user``: user management through Cognito — sign up, confirm, log in.

    tasklane user signup EMAIL [--password P] [--api URL]
    tasklane user confirm EMAIL [--code C] [--api URL]
    tasklane user login EMAIL [--password P] [--api URL]   (alias: token; prints the ID token)

The target pool comes from the stack's ``GET /config`` (the same document the web app
reads): the local stack's moto, or a deployment's Cognito. Used by the local runtime and the
tests too (:func:`sign_up`, :func:`confirm`, :func:`log_in`).
"""

from __future__ import annotations

import argparse
import getpass
import secrets
import string
import sys
from contextlib import closing
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import boto3
import httpx
from botocore.exceptions import ClientError

from tasklane.cli.common import DEFAULT_API_URL, UserError, say
from tasklane.local.launcher import DUMMY_CREDENTIALS
from tasklane.resources import USER_POOL, PasswordPolicy

if TYPE_CHECKING:
    from mypy_boto3_cognito_idp import CognitoIdentityProviderClient

#: Symbols Cognito accepts that need no quoting in a POSIX shell; no "-", which would make
#: a password at the start look like an option to `--password`.
_SAFE_SYMBOLS = "_.@%+="


@dataclass(frozen=True, slots=True)
class CognitoTarget:
    region: str
    user_pool_id: str
    client_id: str
    #: moto's URL locally; empty for the real Cognito.
    endpoint_url: str


@dataclass(frozen=True, slots=True)
class Tokens:
    id_token: str
    access_token: str
    refresh_token: str


def fetch_target(api_url: str) -> CognitoTarget:
    """Read the user pool of the stack serving ``api_url`` from its ``GET /config``."""
    url = f"{api_url.rstrip('/')}/config"
    try:
        response = httpx.get(url, timeout=5)
    except httpx.TransportError as error:
        raise UserError(
            f"no Tasklane API answers at {api_url} ({type(error).__name__}); "
            "start one with `tasklane dev` or pass --api"
        ) from error
    if response.status_code != 200:
        raise UserError(f"GET {url} answered {response.status_code}: {response.text[:200]}")
    try:
        config: dict[str, Any] = response.json()
        return CognitoTarget(
            region=config["region"],
            user_pool_id=config["user_pool_id"],
            client_id=config["client_id"],
            endpoint_url=config.get("cognito_endpoint") or "",
        )
    except (ValueError, KeyError, TypeError) as error:
        raise UserError(f"GET {url} did not return the expected configuration") from error


def sign_up(target: CognitoTarget, email: str, password: str) -> None:
    with closing(_client(target)) as cognito:
        try:
            cognito.sign_up(
                ClientId=target.client_id,
                Username=email,
                Password=password,
                UserAttributes=[{"Name": "email", "Value": email}],
            )
        except cognito.exceptions.UsernameExistsException as error:
            raise UserError(f"{email} is already signed up") from error
        except cognito.exceptions.InvalidPasswordException as error:
            raise UserError(f"password rejected: {describe_policy()}") from error
        except ClientError as error:
            raise UserError(_message(error)) from error


def confirm(target: CognitoTarget, email: str, code: str | None = None) -> None:
    """Confirm a sign-up. Without a code, as an administrator (local only: moto accepts any
    code anyway and sends no e-mail, so there is no code to type)."""
    with closing(_client(target)) as cognito:
        try:
            if code is not None:
                cognito.confirm_sign_up(
                    ClientId=target.client_id, Username=email, ConfirmationCode=code
                )
            elif target.endpoint_url:
                # An administrator's confirmation verifies no address (as in AWS): mark it,
                # as the code e-mailed to it would have.
                cognito.admin_confirm_sign_up(UserPoolId=target.user_pool_id, Username=email)
                cognito.admin_update_user_attributes(
                    UserPoolId=target.user_pool_id,
                    Username=email,
                    UserAttributes=[{"Name": "email_verified", "Value": "true"}],
                )
            else:
                raise UserError("the real Cognito needs the code from the e-mail: pass --code")
        except cognito.exceptions.UserNotFoundException as error:
            raise UserError(f"{email} has not signed up") from error
        except ClientError as error:
            raise UserError(_message(error)) from error


def log_in(target: CognitoTarget, email: str, password: str) -> Tokens:
    with closing(_client(target)) as cognito:
        try:
            response = cognito.initiate_auth(
                ClientId=target.client_id,
                AuthFlow="USER_PASSWORD_AUTH",
                AuthParameters={"USERNAME": email, "PASSWORD": password},
            )
        except cognito.exceptions.UserNotConfirmedException as error:
            raise UserError(
                f"{email} is not confirmed yet: run `tasklane user confirm {email}`"
            ) from error
        except (
            cognito.exceptions.NotAuthorizedException,
            cognito.exceptions.UserNotFoundException,
        ) as error:
            raise UserError("wrong e-mail or password") from error
        except ClientError as error:
            raise UserError(_message(error)) from error
    result = response.get("AuthenticationResult")
    if result is None:
        raise UserError(f"Cognito asks for {response.get('ChallengeName')}; not supported here")
    return Tokens(
        id_token=result["IdToken"],
        access_token=result["AccessToken"],
        refresh_token=result.get("RefreshToken", ""),
    )


def generate_password(policy: PasswordPolicy = USER_POOL.password_policy) -> str:
    """A random password that meets ``policy`` and is safe to paste into a shell."""
    classes = [string.ascii_lowercase, string.ascii_uppercase, string.digits, _SAFE_SYMBOLS]
    alphabet = "".join(classes)
    length = max(policy.minimum_length, 20)
    # One of each class, then random characters, shuffled.
    chars = [secrets.choice(c) for c in classes]
    chars += [secrets.choice(alphabet) for _ in range(length - len(chars))]
    secrets.SystemRandom().shuffle(chars)
    return "".join(chars)


def describe_policy(policy: PasswordPolicy = USER_POOL.password_policy) -> str:
    kinds = [
        name
        for name, required in (
            ("a lower-case letter", policy.require_lowercase),
            ("an upper-case letter", policy.require_uppercase),
            ("a digit", policy.require_digits),
            ("a symbol", policy.require_symbols),
        )
        if required
    ]
    required = f", with {', '.join(kinds)}" if kinds else ""
    return f"use at least {policy.minimum_length} characters{required}"


def _client(target: CognitoTarget) -> CognitoIdentityProviderClient:
    if target.endpoint_url:  # moto: any credentials do, and the developer's must not leak
        session = boto3.Session(
            aws_access_key_id=DUMMY_CREDENTIALS["AWS_ACCESS_KEY_ID"],
            aws_secret_access_key=DUMMY_CREDENTIALS["AWS_SECRET_ACCESS_KEY"],
            region_name=target.region,
        )
    else:
        session = boto3.Session(region_name=target.region)
    return session.client("cognito-idp", endpoint_url=target.endpoint_url or None)


def _message(error: ClientError) -> str:
    detail = error.response.get("Error", {})
    return f"{detail.get('Code', 'Error')}: {detail.get('Message', str(error))}"


# The command -----------------------------------------------------------------------------
def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    user = commands.add_parser("user", help="sign up, confirm and log in users").add_subparsers(
        required=True, metavar="ACTION"
    )
    api = argparse.ArgumentParser(add_help=False)
    api.set_defaults(emulated=True)
    api.add_argument("email", metavar="EMAIL")
    api.add_argument("--api", default=DEFAULT_API_URL, help="the running stack's API (%(default)s)")

    signup = user.add_parser("signup", parents=[api], help="create a user")
    signup.add_argument("--password", help="default: generate one and print it")
    signup.set_defaults(run=_signup)

    confirm_ = user.add_parser("confirm", parents=[api], help="confirm a signed-up user")
    confirm_.add_argument(
        "--code", help="the e-mailed code; locally not needed (confirmed as administrator)"
    )
    confirm_.set_defaults(run=_confirm)

    login = user.add_parser("login", aliases=["token"], parents=[api], help="print an ID token")
    login.add_argument("--password", help="default: prompt, or read a line from stdin")
    login.set_defaults(run=_login)


def _signup(args: argparse.Namespace) -> int:
    target = fetch_target(args.api)
    password = args.password or generate_password()
    sign_up(target, args.email, password)
    if args.password is None:
        print(password, flush=True)  # the only way to learn it
        say(f"Signed up {args.email}; the password above was generated.")
    else:
        say(f"Signed up {args.email}.")
    say(f"Next: tasklane user confirm {args.email}")
    return 0


def _confirm(args: argparse.Namespace) -> int:
    target = fetch_target(args.api)
    confirm(target, args.email, args.code)
    how = "with the code" if args.code else "as administrator (moto checks no codes)"
    say(f"Confirmed {args.email} {how}.")
    return 0


def _login(args: argparse.Namespace) -> int:
    target = fetch_target(args.api)
    password = args.password
    if password is None:
        # getpass prompts on the terminal, not stdout, so $(...) captures only the token.
        password = getpass.getpass() if sys.stdin.isatty() else sys.stdin.readline().rstrip("\n")
    print(log_in(target, args.email, password).id_token, flush=True)
    return 0
