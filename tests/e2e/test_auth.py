"""Cognito sign-up and the authorizer: only a valid ID token of our pool and client gets in.

Every refusal is the gateway's own ``401 {"message": "Unauthorized"}`` (checked on every
response by the client's hook), and a refused write changes nothing.
"""

from __future__ import annotations

import base64
import time
import uuid
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa

from .support import GATEWAY_401, Forge, User, collect, new_client, unverified_claims

pytestmark = pytest.mark.e2e


def test_cognito_issues_an_id_token_for_our_pool_and_client(
    alice: User, client_config: dict[str, Any]
) -> None:
    claims = unverified_claims(alice.id_token)

    region, pool = client_config["region"], client_config["user_pool_id"]
    assert claims["iss"] == f"https://cognito-idp.{region}.amazonaws.com/{pool}"
    assert claims["aud"] == client_config["client_id"]
    assert claims["token_use"] == "id"
    assert claims["email"] == alice.email
    assert claims["exp"] > time.time()
    assert unverified_claims(alice.access_token)["token_use"] == "access"


@pytest.mark.parametrize("scheme", ["", "Bearer ", "bearer "], ids=["raw", "Bearer", "bearer"])
def test_the_id_token_opens_the_api(alice: User, scheme: str) -> None:
    response = alice.http.get("/projects", headers={"Authorization": scheme + alice.id_token})

    assert response.status_code == 200
    inbox = response.json()["items"][0]
    assert (inbox["name"], inbox["owner_id"], inbox["role"]) == ("Inbox", alice.sub, "owner")


def test_the_two_users_are_different_callers(alice: User, bob: User) -> None:
    alice_inbox = alice.http.get("/projects/inbox").json()
    bob_inbox = bob.http.get("/projects/inbox").json()

    assert alice.sub != bob.sub
    assert alice_inbox["id"] != bob_inbox["id"]
    assert (alice_inbox["owner_id"], bob_inbox["owner_id"]) == (alice.sub, bob.sub)


def test_a_forged_token_with_every_claim_right_gets_in(api_url: str, forge: Forge) -> None:
    # The control for the refusals below: moto's key is public, so only the claims that are
    # wrong in each case can explain its 401. (Also why the local authorizer is local only.)
    with new_client(api_url, forge()) as client:
        response = client.get("/projects/inbox")

    assert response.status_code == 200
    assert response.json()["owner_id"] == unverified_claims(forge())["sub"]


def _flip(text: str, at: int) -> str:
    return text[:at] + ("A" if text[at] != "A" else "B") + text[at + 1 :]


def _tampered_signature(alice: User, bob: User, forge: Forge) -> str:
    header, payload, signature = alice.id_token.split(".")
    return f"{header}.{payload}.{_flip(signature, len(signature) // 2)}"


def _impersonation(alice: User, bob: User, forge: Forge) -> str:
    # Alice's real header and signature on a payload that says she is Bob.
    header, _, signature = alice.id_token.split(".")
    _, payload, _ = forge(sub=bob.sub, email=bob.email).split(".")
    return f"{header}.{payload}.{signature}"


def _other_key(alice: User, bob: User, forge: Forge) -> str:
    return forge(key=rsa.generate_private_key(public_exponent=65537, key_size=2048))


def _unsigned(alice: User, bob: User, forge: Forge) -> str:
    # alg "none": a header and a payload, no signature.
    header, payload, _ = forge().split(".")
    none = base64.urlsafe_b64encode(b'{"alg":"none","typ":"JWT"}').rstrip(b"=").decode()
    assert header != none
    return f"{none}.{payload}."


#: Authorization header values that must all be refused.
BAD_AUTHORIZATION: dict[str, Callable[[User, User, Forge], str | None]] = {
    "missing": lambda a, b, f: None,
    "empty": lambda a, b, f: "",
    "bearer-without-token": lambda a, b, f: "Bearer",
    "not-a-jwt": lambda a, b, f: "not-a-jwt",
    "expired": lambda a, b, f: f(iat=int(time.time()) - 7200, exp=int(time.time()) - 60),
    "wrong-audience": lambda a, b, f: f(aud="another-app-client"),
    "wrong-issuer": lambda a, b, f: f(iss="https://cognito-idp.us-east-1.amazonaws.com/other"),
    "no-expiry": lambda a, b, f: f(exp=None),
    "access-token": lambda a, b, f: a.access_token,
    "access-token-bearer": lambda a, b, f: f"Bearer {a.access_token}",
    "token-use-access": lambda a, b, f: f(token_use="access"),
    "tampered-signature": _tampered_signature,
    "tampered-payload": _impersonation,
    "signed-by-another-key": _other_key,
    "unsigned": _unsigned,
}


def _titles(user: User) -> set[str]:
    pages = collect(user.http, "/projects/inbox/tasks", {"limit": 100})
    return {task["title"] for page in pages for task in page}


@pytest.mark.parametrize("case", list(BAD_AUTHORIZATION))
def test_bad_tokens_get_the_gateway_401_and_change_nothing(
    api_url: str, alice: User, bob: User, forge: Forge, case: str
) -> None:
    title = f"refused {uuid.uuid4()}"

    with new_client(api_url, BAD_AUTHORIZATION[case](alice, bob, forge)) as client:
        read = client.get("/projects")
        # Whoever the token claims to be, this would land in their Inbox.
        write = client.post("/projects/inbox/tasks", json={"title": title})

    for response in (read, write):
        assert response.status_code == 401
        assert response.json() == GATEWAY_401
        assert response.headers["x-amzn-errortype"] == "UnauthorizedException"
    assert title not in _titles(alice) | _titles(bob)


@pytest.mark.parametrize(
    ("method", "path"),
    [("GET", "/no-such-route"), ("POST", "/health"), ("DELETE", "/config"), ("GET", "/")],
)
def test_everything_but_the_public_routes_needs_a_token(
    anonymous: httpx.Client, method: str, path: str
) -> None:
    # API Gateway's authorizer sits on the catch-all resource: it answers before routing.
    assert anonymous.request(method, path).status_code == 401
