"""What every ``tasklane`` command shares: its one-line errors, messages and defaults."""

from __future__ import annotations

import sys

#: Where `tasklane dev` serves the API by default (the other commands' default --api).
DEFAULT_API_URL = "http://127.0.0.1:8000"


class UserError(Exception):
    """A failure worth one line to the user (wrong password, user exists, no stack, ...):
    exit 1, no traceback."""


def say(message: str) -> None:
    """A message for the user: stderr, so stdout carries only results."""
    print(message, file=sys.stderr, flush=True)
