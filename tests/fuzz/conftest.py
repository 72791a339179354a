"""The stack ``make run`` starts, as a child process, and one real Cognito user in it.

The same process fixture as the end-to-end suite (tests/e2e/support.py): the fuzzer sees the
system over HTTP, through the local gateway and its Cognito authorizer.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.e2e.support import StackProcess, cognito_client, new_client, sign_up


@pytest.fixture(scope="package")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[StackProcess]:
    process = StackProcess(tmp_path_factory.mktemp("fuzz-stack"))
    try:
        process.start()
        yield process
    finally:
        if process.process is not None and process.process.poll() is None:
            process.stop()


@pytest.fixture(scope="package")
def id_token(stack: StackProcess) -> str:
    """A confirmed user's ID token, signed up through the pool the API names in /config."""
    with new_client(stack.api_url) as anonymous:
        config = anonymous.get("/config").json()
    result = sign_up(cognito_client(config), config, "fuzz@example.com", confirm_as_admin=True)
    return result["IdToken"]
