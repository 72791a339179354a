"""The local runtime's launcher: the one module of ``local/`` that touches the environment.

In AWS, Lambda gives each function its environment and :mod:`tasklane.settings` reads it.
Locally the handlers run in this process, so the launcher sets that environment here —
the same variables (:class:`tasklane.settings.Env`) the CDK app sets — and restores it when
the stack stops. Nothing else in ``local/`` reads or writes ``os.environ``.
"""

from __future__ import annotations

import os
from collections.abc import Mapping

from tasklane.settings import Env

#: moto accepts any credentials; these only keep botocore from looking for real ones.
DUMMY_CREDENTIALS: dict[str, str] = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",  # pragma: allowlist secret - moto's dummy key
}
#: A developer's shell may name an AWS profile; against moto it must not be used (a named
#: profile missing from this machine makes every boto3 session fail).
_PROFILES = ("AWS_PROFILE", "AWS_DEFAULT_PROFILE")


def aws_environment(endpoint_url: str, region: str) -> dict[str, str | None]:
    """Environment that points every boto3 client of this process at moto (None = unset)."""
    return {
        Env.ENDPOINT_URL: endpoint_url,
        Env.REGION: region,
        Env.DEFAULT_REGION: region,
        **DUMMY_CREDENTIALS,
        **dict.fromkeys(_PROFILES),
        # A session token from the developer's shell must not leak in either.
        "AWS_SESSION_TOKEN": None,
    }


def update_environ(values: Mapping[str, str | None]) -> dict[str, str | None]:
    """Set (None: unset) environment variables; return the previous values, for restoring."""
    previous = {name: os.environ.get(name) for name in values}
    for name, value in values.items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value
    return previous


def forget_aws_profile() -> None:
    """For commands that talk to the local emulators with dummy credentials: botocore reads
    a profile named in the shell even when keys are passed."""
    update_environ(dict.fromkeys(_PROFILES))


def child_environment(values: Mapping[str, str]) -> dict[str, str]:
    """This process's environment plus ``values``: for a server the stack starts (node)."""
    return {**os.environ, **values}


class Environment:
    """The functions' environment as a service of the stack: set on start (every function's
    container is then built anew from it), restored on stop (after the containers are
    closed, so nothing one stack built can name another's endpoints or table)."""

    def __init__(self, values: Mapping[str, str | None]) -> None:
        self._values = dict(values)
        self._saved: dict[str, str | None] | None = None

    def start(self) -> Environment:
        from tasklane.wiring import functions

        self._saved = update_environ(self._values)
        functions.reset()
        return self

    def stop(self) -> None:
        from tasklane.wiring import functions

        functions.reset()
        saved, self._saved = self._saved, None
        if saved is not None:
            update_environ(saved)
