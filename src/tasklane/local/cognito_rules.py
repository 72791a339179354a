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
        refusal = check(operation, request, self._client, self._token)
        if refusal is not None:
            return _answer(environ, start_response, "400 Bad Request", _error(refusal))
        rules = self._client(str(request.get("ClientId", "")))
        if operation in _MASKED and rules is not None and rules.prevent_user_existence_errors:
            return self._mask_unknown_user(operation, environ, start_response)
        return self._app(environ, start_response)

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


def _moto_pools() -> Iterable[Any]:
    from moto.cognitoidp.models import cognitoidp_backends

    for regions in list(cognitoidp_backends.values()):
        for backend in list(regions.values()):
            yield from list(backend.user_pools.values())
