"""Cognito rules that moto does not enforce, enforced in front of it. LOCAL MODE ONLY.

Our code relies on Cognito refusing what an app client does not allow; moto accepts it, and
a stand-in that accepts what AWS refuses hides a broken deploy (the first deploy's web client
refused the only flow the web app logs in with, and every local test passed). This WSGI
middleware answers these requests as Cognito does, before moto sees them:

- ``InitiateAuth`` / ``AdminInitiateAuth`` with a flow the client's ``ExplicitAuthFlows`` do
  not list → ``InvalidParameterException`` ("<flow> flow not enabled for this client");
- ``SignUp`` / ``UpdateUserAttributes`` writing an attribute outside the client's
  ``WriteAttributes`` → ``NotAuthorizedException``;
- a log-in as an unknown user on a client with ``PreventUserExistenceErrors``: moto says
  ``UserNotFoundException``, Cognito answers as for a wrong password
  (``NotAuthorizedException``), so nobody learns which addresses have accounts (and the web
  app shows locally what it shows in AWS). moto already answers a password reset for an
  unknown user as if a code went out.

- ``RevokeToken``, which moto lacks: :mod:`tasklane.local.cognito_revocation`.
- the e-mail verification rules (``email_verified`` after a confirmation by code, a change of
  address held until it is verified): :mod:`tasklane.local.cognito_verification`.

(moto already keeps ID tokens to the client's ``ReadAttributes``, stricter than Cognito when
the list is empty; our client always names it.) The client's settings are read from moto's
own state in this process, so any client — the bootstrapped one or a test's — is checked by
what it was created with.
"""

from __future__ import annotations

import io
import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from tasklane.local.cognito_revocation import revoke_token
from tasklane.local.cognito_verification import (
    Answer,
    EmailVerification,
    Forward,
    confirmed_by_code,
    follow_user,
)

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment

_TARGET_PREFIX = "AWSCognitoIdentityProviderService."
#: What Cognito allows a client created without ExplicitAuthFlows (CreateUserPoolClient).
DEFAULT_FLOWS = frozenset({"ALLOW_USER_SRP_AUTH", "ALLOW_CUSTOM_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"})
#: AuthFlow of a request → the ExplicitAuthFlows values that allow it (legacy names too).
FLOW_ALLOWED_BY: Mapping[str, frozenset[str]] = {
    "USER_PASSWORD_AUTH": frozenset({"ALLOW_USER_PASSWORD_AUTH", "USER_PASSWORD_AUTH"}),
    "USER_SRP_AUTH": frozenset({"ALLOW_USER_SRP_AUTH"}),
    "REFRESH_TOKEN_AUTH": frozenset({"ALLOW_REFRESH_TOKEN_AUTH"}),
    "REFRESH_TOKEN": frozenset({"ALLOW_REFRESH_TOKEN_AUTH"}),
    "CUSTOM_AUTH": frozenset({"ALLOW_CUSTOM_AUTH", "CUSTOM_AUTH_FLOW_ONLY"}),
    "USER_AUTH": frozenset({"ALLOW_USER_AUTH"}),
    "ADMIN_USER_PASSWORD_AUTH": frozenset({"ALLOW_ADMIN_USER_PASSWORD_AUTH", "ADMIN_NO_SRP_AUTH"}),
    "ADMIN_NO_SRP_AUTH": frozenset({"ALLOW_ADMIN_USER_PASSWORD_AUTH", "ADMIN_NO_SRP_AUTH"}),
}


@dataclass(frozen=True, slots=True)
class ClientRules:
    """What one app client allows (as it was created)."""

    auth_flows: frozenset[str]
    #: Empty: every attribute is writable (Cognito's default).
    write_attributes: frozenset[str]
    prevent_user_existence_errors: bool = False


@dataclass(frozen=True, slots=True)
class Refusal:
    code: str
    message: str


#: Client id → its rules (None: unknown client; moto answers that itself).
ClientLookup = Callable[[str], ClientRules | None]
#: Access token → the id of the client it was issued to (None: unknown token).
TokenLookup = Callable[[str], str | None]


def check(
    operation: str, request: Mapping[str, Any], client: ClientLookup, token: TokenLookup
) -> Refusal | None:
    """Cognito's answer to a request this client may not make, or None to let it through."""
    if operation in ("InitiateAuth", "AdminInitiateAuth"):
        rules = client(str(request.get("ClientId", "")))
        flow = str(request.get("AuthFlow", ""))
        allowed_by = FLOW_ALLOWED_BY.get(flow)
        # An unknown flow name or client: moto's own validation answers it.
        if rules is None or allowed_by is None or rules.auth_flows & allowed_by:
            return None
        return Refusal("InvalidParameterException", f"{flow} flow not enabled for this client")
    if operation in ("SignUp", "UpdateUserAttributes"):
        if operation == "SignUp":
            client_id: str | None = str(request.get("ClientId", ""))
        else:
            client_id = token(str(request.get("AccessToken", "")))
        rules = client(client_id) if client_id else None
        if rules is None or not rules.write_attributes:
            return None
        names = {str(a.get("Name")) for a in request.get("UserAttributes") or []}
        if names - rules.write_attributes:
            return Refusal(
                "NotAuthorizedException", "A client attempted to write unauthorized attribute"
            )
    return None


class CognitoClientRules:
    """WSGI middleware in front of moto: refuses what :func:`check` refuses, as Cognito does."""

    def __init__(
        self,
        app: WSGIApplication,
        client: ClientLookup | None = None,
        token: TokenLookup | None = None,
    ) -> None:
        self._app = app
        self._client = client or moto_client_rules
        self._token = token or moto_token_client
        self.verification = EmailVerification()

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        target = environ.get("HTTP_X_AMZ_TARGET", "")
        if environ.get("REQUEST_METHOD") != "POST" or not target.startswith(_TARGET_PREFIX):
            return self._app(environ, start_response)
        body = environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0))
        environ["wsgi.input"] = io.BytesIO(body)  # moto reads it again
        try:
            request = json.loads(body or b"{}")
        except ValueError:
            return self._app(environ, start_response)  # moto answers malformed requests
        if not isinstance(request, dict):
            return self._app(environ, start_response)
        operation = target.removeprefix(_TARGET_PREFIX)
        if operation == "RevokeToken":
            return _answer(environ, start_response, *revoke_token(_moto_pools(), request))
        refusal = check(operation, request, self._client, self._token)
        if refusal is not None:
            return _answer(environ, start_response, "400 Bad Request", _error(refusal))
        if operation in _VERIFICATION:
            return self._verification(operation, request, environ, start_response)
        rules = self._client(str(request.get("ClientId", "")))
        if operation in _MASKED and rules is not None and rules.prevent_user_existence_errors:
            return self._mask_unknown_user(operation, environ, start_response)
        return self._app(environ, start_response)

    def _verification(
        self,
        operation: str,
        request: dict[str, Any],
        environ: WSGIEnvironment,
        start_response: StartResponse,
    ) -> Iterable[bytes]:
        """The e-mail verification rules (:mod:`tasklane.local.cognito_verification`)."""
        if operation == "ConfirmSignUp":
            return self._confirm_sign_up(request, environ, start_response)
        if operation == "AdminUpdateUserAttributes":
            found = moto_user_by_name(
                str(request.get("UserPoolId", "")), str(request.get("Username", ""))
            )
        else:
            found = moto_user_by_token(str(request.get("AccessToken", "")))
        if found is None:
            return self._app(environ, start_response)  # moto answers unknown users and tokens
        pool, user = found
        if operation == "VerifyUserAttribute":
            outcome: Forward | Answer = self.verification.verify(
                pool, user, str(request.get("AttributeName", ""))
            )
        elif operation == "GetUserAttributeVerificationCode":
            outcome = self.verification.code_requested(user, str(request.get("AttributeName")))
        else:
            outcome = self.verification.update(
                pool,
                user,
                list(request.get("UserAttributes") or []),
                admin=operation == "AdminUpdateUserAttributes",
            )
        if isinstance(outcome, Answer):
            document = outcome.document
            if outcome.code is not None:
                document = {"__type": outcome.code, **document}
                return _answer(environ, start_response, "400 Bad Request", document)
            return _answer(environ, start_response, "200 OK", document)
        body = json.dumps({**request, "UserAttributes": outcome.attributes}).encode()
        environ["wsgi.input"] = io.BytesIO(body)
        environ["CONTENT_LENGTH"] = str(len(body))
        if outcome.moved is None:
            return self._app(environ, start_response)
        status, headers, answer = _call(self._app, environ)
        if status.startswith("200"):
            follow_user(pool, *outcome.moved)
        start_response(status, headers)
        return [answer]

    def _confirm_sign_up(
        self, request: dict[str, Any], environ: WSGIEnvironment, start_response: StartResponse
    ) -> Iterable[bytes]:
        """moto's answer; when it confirmed the user, their address is verified."""
        status, headers, body = _call(self._app, environ)
        if status.startswith("200"):
            found = moto_user_by_client(
                str(request.get("ClientId", "")), str(request.get("Username", ""))
            )
            if found is not None:
                confirmed_by_code(found[1])
        start_response(status, headers)
        return [body]

    def _mask_unknown_user(
        self, operation: str, environ: WSGIEnvironment, start_response: StartResponse
    ) -> Iterable[bytes]:
        """moto's answer, unless it is UserNotFoundException: then Cognito's masked one."""
        seen: list[tuple[str, list[tuple[str, str]]]] = []

        def capture(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
            seen.append((status, headers))
            return lambda _: None

        body = b"".join(self._app(environ, capture))
        status, headers = seen[0]
        found = {name.lower(): value for name, value in headers}
        if found.get("x-amzn-errortype", "").split(":")[0] != "UserNotFoundException":
            start_response(status, headers)
            return [body]
        return _answer(environ, start_response, *_MASKED[operation])


#: Operations the e-mail verification rules answer or adjust.
_VERIFICATION = frozenset(
    {
        "ConfirmSignUp",
        "UpdateUserAttributes",
        "AdminUpdateUserAttributes",
        "VerifyUserAttribute",
        "GetUserAttributeVerificationCode",
    }
)

#: Operations whose unknown-user error Cognito masks → (status, its answer instead).
#: (ForgotPassword is not here: moto answers it for an unknown user as Cognito does.)
_MASKED: Mapping[str, tuple[str, dict[str, Any]]] = {
    "InitiateAuth": (
        "400 Bad Request",
        {"__type": "NotAuthorizedException", "message": "Incorrect username or password."},
    ),
}


def _error(refusal: Refusal) -> dict[str, Any]:
    return {"__type": refusal.code, "message": refusal.message}


def _answer(
    environ: WSGIEnvironment, start_response: StartResponse, status: str, document: dict[str, Any]
) -> Iterable[bytes]:
    payload = json.dumps(document).encode()
    headers = [
        ("Content-Type", "application/x-amz-json-1.1"),
        ("Content-Length", str(len(payload))),
    ]
    if "__type" in document:
        headers.append(("X-Amzn-ErrorType", str(document["__type"])))
    # moto's CORS answers every origin; the web app must be able to read this answer.
    origin = environ.get("HTTP_ORIGIN")
    if origin:
        headers += [("Access-Control-Allow-Origin", origin), ("Vary", "Origin")]
    start_response(status, headers)
    return [payload]


def moto_client_rules(client_id: str) -> ClientRules | None:
    """The rules of ``client_id`` as moto (in this process) stored the client."""
    for pool in _moto_pools():
        client = pool.clients.get(client_id)
        if client is not None:
            config: dict[str, Any] = client.extended_config
            return ClientRules(
                auth_flows=frozenset(config.get("ExplicitAuthFlows") or DEFAULT_FLOWS),
                write_attributes=frozenset(config.get("WriteAttributes") or ()),
                prevent_user_existence_errors=(
                    config.get("PreventUserExistenceErrors") == "ENABLED"
                ),
            )
    return None


def moto_token_client(access_token: str) -> str | None:
    """The client an access token was issued to, from moto's state in this process."""
    for pool in _moto_pools():
        issued = pool.access_tokens.get(access_token)
        if issued is not None:
            return str(issued[0])
    return None


def _call(
    app: WSGIApplication, environ: WSGIEnvironment
) -> tuple[str, list[tuple[str, str]], bytes]:
    """moto's whole answer: status, headers and body."""
    seen: list[tuple[str, list[tuple[str, str]]]] = []

    def capture(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
        seen.append((status, headers))
        return lambda _: None

    body = b"".join(app(environ, capture))
    return seen[0][0], seen[0][1], body


def moto_user_by_token(access_token: str) -> tuple[Any, Any] | None:
    """The pool and user an access token was issued for (moto's state in this process)."""
    for pool in _moto_pools():
        issued = pool.access_tokens.get(access_token)
        if issued is not None:
            user = pool._get_user(issued[1])
            return (pool, user) if user is not None else None
    return None


def moto_user_by_name(pool_id: str, username: str) -> tuple[Any, Any] | None:
    for pool in _moto_pools():
        if pool.id == pool_id:
            user = pool._get_user(username)
            return (pool, user) if user is not None else None
    return None


def moto_user_by_client(client_id: str, username: str) -> tuple[Any, Any] | None:
    for pool in _moto_pools():
        if client_id in pool.clients:
            user = pool._get_user(username)
            return (pool, user) if user is not None else None
    return None


def _moto_pools() -> Iterable[Any]:
    from moto.cognitoidp.models import cognitoidp_backends

    for regions in list(cognitoidp_backends.values()):
        for backend in list(regions.values()):
            yield from list(backend.user_pools.values())
