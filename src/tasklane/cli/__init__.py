"""The ``tasklane`` command: operator tools that work against AWS and the local stack alike,
and the local stack itself.

    tasklane dev [--host H] [--port P] [--aws-port P]      (the whole system on this machine)
    tasklane user signup|confirm|login EMAIL ...          (Cognito users; see cli.users)
    tasklane reconcile [--fix] [--json]                   (DynamoDB vs the PostgreSQL projection)
    tasklane dlq peek|replay ...                          (the notification jobs DLQ)

Results go to stdout (so ``TOKEN=$(tasklane user login ...)`` works), messages to stderr.
Exit codes: 0 done, 1 failed (one line on stderr), 2 bad usage or a busy port.

One module per command, each with ``register(commands)``; nothing heavy is imported before a
command runs (``tasklane user ...`` must not pay for uvicorn, Starlette and moto).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from tasklane.cli import dev, dlq, reconcile, users
from tasklane.cli.common import UserError, say


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if getattr(args, "emulated", False):
        from tasklane.local.launcher import forget_aws_profile

        forget_aws_profile()
    try:
        code: int = args.run(args)
    except UserError as error:
        say(f"tasklane: {error}")
        return 1
    return code


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="tasklane", description="Tasklane on this machine.")
    commands = parser.add_subparsers(required=True, metavar="COMMAND")
    for command in (dev, users, reconcile, dlq):
        command.register(commands)
    return parser


if __name__ == "__main__":
    sys.exit(main())
