"""The verifier fetches the pool's keys once per container, and a flood of unknown key ids
cannot make it fetch them again and again. Counted at a JWKS endpoint that serves moto's
keys and counts its requests."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx
import pytest

from tasklane.cli.users import Tokens
from tasklane.dal.id_tokens import TokenVerifier, Unauthorized, verifier_for
from tasklane.local.bootstrap import LocalConfig
from tasklane.settings import AwsSettings, Settings

from .support import Forge


class CountingJwks:
    """Serves one JWKS document at ``/<pool id>/.well-known/jwks.json`` and counts GETs."""

    def __init__(self, document: bytes, pool_id: str) -> None:
        self.fetches = 0
        path = f"/{pool_id}/.well-known/jwks.json"
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                if self.path != path:
                    self.send_error(404)
                    return
                outer.fetches += 1
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(document)))
                self.end_headers()
                self.wfile.write(document)

            def log_message(self, *args: object) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()


@pytest.fixture
def jwks(pool: LocalConfig) -> Iterator[CountingJwks]:
    server = CountingJwks(httpx.get(pool.jwks_url).content, pool.user_pool_id)
    yield server
    server.close()


def _local_settings(pool: LocalConfig, endpoint: str) -> Settings:
    return Settings(
        aws=AwsSettings(region=pool.region),
        table_name="t",
        user_pool_id=pool.user_pool_id,
        user_pool_client_id=pool.client_id,
        cognito_endpoint=endpoint,
        api_url="",
        cors_origins=(),
        local_mode=True,
    )


def test_the_keys_are_fetched_once_for_many_tokens(
    pool: LocalConfig, jwks: CountingJwks, tokens: Tokens, forge: Forge
) -> None:
    verifier = verifier_for(_local_settings(pool, jwks.url))

    for _ in range(5):
        verifier.verify(tokens.id_token)
    verifier.verify(forge())

    assert jwks.fetches == 1


def test_unknown_key_ids_refetch_at_most_once_per_cooldown(
    pool: LocalConfig, jwks: CountingJwks, tokens: Tokens, forge: Forge
) -> None:
    verifier = TokenVerifier(
        jwks_url=f"{jwks.url}/{pool.user_pool_id}/.well-known/jwks.json",
        issuer=pool.issuer,
        client_id=pool.client_id,
        refresh_cooldown=0.5,
    )
    verifier.verify(tokens.id_token)

    for n in range(20):
        with pytest.raises(Unauthorized):
            verifier.verify(forge(headers={"kid": f"forged-{n}"}))
    assert jwks.fetches == 1  # within the cooldown: no refetch at all

    time.sleep(0.6)
    for n in range(20):
        with pytest.raises(Unauthorized):
            verifier.verify(forge(headers={"kid": f"later-{n}"}))
    assert jwks.fetches == 2  # one refetch (a rotated key would be found), not twenty
