"""One stack for the whole suite, started as ``make run`` starts it, and two users in it.

The stack is ``tasklane dev`` as a child process on free ports, in a temporary working
directory (its ``.local/`` state goes there, not into the repository). When the last e2e test
is done (package scope: not at the end of a `make test` session that runs other suites after
this one), it gets a SIGINT, like Ctrl-C, and must exit 0, leave no process behind and free
both ports.
"""

from __future__ import annotations

import gzip
import json
import time
import uuid
from collections.abc import Iterator
from importlib.resources import files
from typing import TYPE_CHECKING, Any

import httpx
import jwt
import pytest

from .support import (
    Forge,
    StackProcess,
    User,
    can_bind,
    cognito_client,
    is_listening,
    new_client,
    sign_up,
    unverified_claims,
)

if TYPE_CHECKING:
    from mypy_boto3_cognito_idp import CognitoIdentityProviderClient


@pytest.fixture(scope="package")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[StackProcess]:
    process = StackProcess(tmp_path_factory.mktemp("stack"))
    try:
        process.start()
    except BaseException:
        process.kill()
        raise
    yield process

    api_url, aws_url = process.api_url, process.aws_url
    code = process.stop()
    stderr = process.stderr()
    assert code == 0, f"tasklane dev exited with {code} after SIGINT:\n{stderr[-4000:]}"
    assert "tasklane: stopping" in stderr
    assert "Traceback" not in stderr, stderr[-4000:]
    assert process.group_is_empty(), "a process of the stack outlived it"
    assert process.leftovers() == [], "processes outlived the stack"
    for url in (api_url, aws_url):
        assert not is_listening(url), f"{url} still answers after the stack stopped"
        assert can_bind(url), f"{url} is not free after the stack stopped"


@pytest.fixture(scope="package")
def api_url(stack: StackProcess) -> str:
    return stack.api_url


@pytest.fixture(scope="package")
def anonymous(api_url: str) -> Iterator[httpx.Client]:
    """No Authorization header."""
    with new_client(api_url) as client:
        yield client


@pytest.fixture(scope="package")
def client_config(anonymous: httpx.Client) -> dict[str, Any]:
    """``GET /config``: where the web app finds Cognito; the users sign up from it."""
    response = anonymous.get("/config")
    assert response.status_code == 200
    config: dict[str, Any] = response.json()
    return config


@pytest.fixture(scope="package")
def cognito(client_config: dict[str, Any]) -> Iterator[CognitoIdentityProviderClient]:
    client = cognito_client(client_config)
    yield client
    client.close()


def _user(
    api_url: str,
    cognito: CognitoIdentityProviderClient,
    config: dict[str, Any],
    email: str,
    *,
    confirm_as_admin: bool,
) -> Iterator[User]:
    tokens = sign_up(cognito, config, email, confirm_as_admin=confirm_as_admin)
    id_token = tokens["IdToken"]
    with new_client(api_url, id_token) as client:
        yield User(
            email=email,
            id_token=id_token,
            access_token=tokens["AccessToken"],
            sub=unverified_claims(id_token)["sub"],
            http=client,
        )


@pytest.fixture(scope="package")
def alice(
    api_url: str, cognito: CognitoIdentityProviderClient, client_config: dict[str, Any]
) -> Iterator[User]:
    """Confirmed with a code, as the web app does it."""
    yield from _user(api_url, cognito, client_config, "alice@example.com", confirm_as_admin=False)


@pytest.fixture(scope="package")
def bob(
    api_url: str, cognito: CognitoIdentityProviderClient, client_config: dict[str, Any]
) -> Iterator[User]:
    """Confirmed by an administrator, as `tasklane user confirm` does it."""
    yield from _user(api_url, cognito, client_config, "bob@example.com", confirm_as_admin=True)


@pytest.fixture(scope="package")
def moto_signing_key() -> Any:
    """The private key moto signs every token with: it ships in the moto package, so
    anyone can mint tokens "issued" by a local pool."""
    resource = files("moto.cognitoidp").joinpath("resources/jwks-private.json.gz")
    jwk = json.loads(gzip.decompress(resource.read_bytes()))
    return jwt.algorithms.RSAAlgorithm.from_jwk(jwk)


@pytest.fixture(scope="package")
def forge(alice: User, moto_signing_key: Any) -> Forge:
    """Tokens like Alice's real ID token (same issuer, audience, key id), with changes."""
    template = unverified_claims(alice.id_token)
    kid = jwt.get_unverified_header(alice.id_token)["kid"]

    def make(*, key: Any = None, **claims: Any) -> str:
        now = int(time.time())
        payload = template | {
            "iat": now,
            "auth_time": now,
            "exp": now + 3600,
            "jti": str(uuid.uuid4()),
        }
        payload |= claims
        payload = {name: value for name, value in payload.items() if value is not None}
        signing_key = moto_signing_key if key is None else key
        return jwt.encode(payload, signing_key, algorithm="RS256", headers={"kid": kid})

    return make
