"""The ``tasklane`` command: run the local stack, manage its users.

    tasklane dev [--host H] [--port P] [--aws-port P]
    tasklane user signup EMAIL [--password P]
    tasklane user confirm EMAIL [--code C]
    tasklane user login EMAIL [--password P]      (alias: token; prints only the ID token)
    tasklane reconcile [--fix] [--json]           (DynamoDB vs the PostgreSQL projection)

Results go to stdout (so ``TOKEN=$(tasklane user login ...)`` works), messages to stderr.
Exit codes: 0 done, 1 failed (one line on stderr), 2 bad usage or a busy port.
"""

from __future__ import annotations

import argparse
import getpass
import logging
import os
import signal
import sys
import threading
from collections.abc import Sequence
from types import FrameType

from tasklane.local.users import (
    UserError,
    confirm,
    fetch_target,
    generate_password,
    log_in,
    sign_up,
)

DEFAULT_API_URL = "http://127.0.0.1:8000"


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if getattr(args, "emulated", False):
        # These commands talk to the local emulators with dummy credentials. botocore reads
        # a profile named in the shell even when keys are passed, and a profile missing from
        # this machine's AWS config would make every call fail with ProfileNotFound.
        for name in ("AWS_PROFILE", "AWS_DEFAULT_PROFILE"):
            os.environ.pop(name, None)
    try:
        code: int = args.run(args)
    except UserError as error:
        _say(f"tasklane: {error}")
        return 1
    return code


def _parser() -> argparse.ArgumentParser:
    # Defaults repeated here, not imported from the runtime: `tasklane user ...` must not pay
    # for importing uvicorn, Starlette and moto.
    parser = argparse.ArgumentParser(prog="tasklane", description="Tasklane on this machine.")
    commands = parser.add_subparsers(required=True, metavar="COMMAND")

    dev = commands.add_parser("dev", help="run the API and emulated AWS until Ctrl-C")
    dev.add_argument("--host", default="127.0.0.1", help="address to listen on (%(default)s)")
    dev.add_argument("--port", type=int, default=8000, help="API port, 0 = any (%(default)s)")
    dev.add_argument("--aws-port", type=int, default=5000, help="moto port, 0 = any (%(default)s)")
    dev.add_argument(
        "--cors-origin",
        action="append",
        dest="cors_origins",
        metavar="ORIGIN",
        help="origin allowed by CORS; repeatable (default: the web app on port 3000)",
    )
    dev.add_argument(
        "--web-port",
        type=int,
        default=None,
        help="also serve the web app (web/, built by `make web-build`) on this port, 0 = any; "
        "`make run` passes 3000 (WEB_PORT)",
    )
    dev.add_argument("--web-dir", default=None, help="the web app's directory (default: web/)")
    dev.set_defaults(run=_dev, emulated=True)

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

    reconcile = commands.add_parser(
        "reconcile",
        help="compare the PostgreSQL projection with DynamoDB; exit 1 on drift unless --fix",
        description="Reads the table (TASKLANE_TABLE_NAME, AWS_* as usual) and the database "
        "(TASKLANE_DB_*). Without them: the local stack's moto and the embedded PostgreSQL "
        "in --state-dir.",
    )
    reconcile.add_argument("--fix", action="store_true", help="repair the drift found")
    reconcile.add_argument("--json", action="store_true", help="print the report as JSON")
    reconcile.add_argument("--state-dir", default=".local", help="local data (%(default)s)")
    reconcile.add_argument(
        "--aws-endpoint",
        default="http://127.0.0.1:5000",
        help="moto, when AWS_ENDPOINT_URL is not set (%(default)s)",
    )
    reconcile.set_defaults(run=_reconcile)
    from tasklane.local.dlq import register as register_dlq  # light: boto3 only when run

    register_dlq(commands)
    return parser


def _reconcile(args: argparse.Namespace) -> int:
    import json
    import os
    from pathlib import Path

    from tasklane.local.reconcile_target import run_reconcile

    report = run_reconcile(
        fix=args.fix,
        state_dir=Path(args.state_dir),
        aws_endpoint=os.environ.get("AWS_ENDPOINT_URL") or args.aws_endpoint,
    )
    print(json.dumps(report.summary()) if args.json else report.text(), flush=True)
    return 0 if report.total == 0 or report.fixed else 1


def _dev(args: argparse.Namespace) -> int:
    from pathlib import Path

    from tasklane.local.gateway import LOGGER_NAME
    from tasklane.local.net import PortInUseError
    from tasklane.local.runtime import DEFAULT_CORS_ORIGINS, LocalStack
    from tasklane.local.web import WebNotBuiltError

    # The gateway's lines (JSON access log) on stderr, through a handler of their own: the
    # API handler's Powertools Logger filters records of "tasklane*" loggers out of the root
    # handlers. Other libraries' logs only when something is wrong. The API handler's own
    # JSON lines go to stdout, as in Lambda.
    logging.basicConfig(level=logging.WARNING, format="%(message)s")
    gateway_log = logging.getLogger(LOGGER_NAME)
    gateway_log.setLevel(logging.INFO)
    gateway_log.addHandler(logging.StreamHandler())
    gateway_log.propagate = False

    stopping = threading.Event()

    def request_stop(signum: int, frame: FrameType | None) -> None:
        stopping.set()

    # Installed before starting: a Ctrl-C during start-up stops cleanly right after it.
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, request_stop)

    stack = LocalStack(
        host=args.host,
        port=args.port,
        aws_port=args.aws_port,
        cors_origins=args.cors_origins or DEFAULT_CORS_ORIGINS,
        web_port=args.web_port,
        web_dir=Path(args.web_dir) if args.web_dir else None,
    )
    try:
        stack.start()
    except PortInUseError as error:
        flag = {"API": "--port", "web": "--web-port"}.get(error.service, "--aws-port")
        _say(
            f"tasklane: port {error.port} on {error.host} is already in use; "
            f"pass {flag} or stop the other process"
        )
        return 2
    except WebNotBuiltError as error:
        _say(f"tasklane: {error}")
        return 1
    try:
        print(_banner(stack.api_url, stack.config, stack.web_url), flush=True)
        stopping.wait()
        _say("tasklane: stopping")
    finally:
        stack.stop()
    _say("tasklane: stopped")
    # Everything is stopped and flushed. A normal interpreter exit would now spend 20-30 s
    # garbage-collecting moto's in-memory state (after a load run): nothing is left to clean
    # up, so the process ends here.
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(0)


def _banner(api_url: str, config: object, web_url: str | None = None) -> str:
    from tasklane.local.bootstrap import LocalConfig

    assert isinstance(config, LocalConfig)
    api = "" if api_url == DEFAULT_API_URL else f" --api {api_url}"
    web = f"  web app     {web_url}\n" if web_url else ""
    return f"""\
Tasklane is running; Ctrl-C stops it.

{web}  API         {api_url}
  API docs    {api_url}/docs
  mailbox     {api_url}/_dev/mail
  AWS (moto)  {config.endpoint_url}
  region      {config.region}
  user pool   {config.user_pool_id}
  web client  {config.client_id}
  table       {config.table_name}

Create a user and call the API (moto sends no e-mail; confirm needs no code):
  tasklane user signup you@example.com --password 'Choose-a-passw0rd'{api}
  tasklane user confirm you@example.com{api}
  TOKEN=$(tasklane user login you@example.com --password 'Choose-a-passw0rd'{api})
  curl -H "Authorization: $TOKEN" {api_url}/projects
"""


def _signup(args: argparse.Namespace) -> int:
    target = fetch_target(args.api)
    password = args.password or generate_password()
    sign_up(target, args.email, password)
    if args.password is None:
        print(password, flush=True)  # the only way to learn it
        _say(f"Signed up {args.email}; the password above was generated.")
    else:
        _say(f"Signed up {args.email}.")
    _say(f"Next: tasklane user confirm {args.email}")
    return 0


def _confirm(args: argparse.Namespace) -> int:
    target = fetch_target(args.api)
    confirm(target, args.email, args.code)
    how = "with the code" if args.code else "as administrator (moto checks no codes)"
    _say(f"Confirmed {args.email} {how}.")
    return 0


def _login(args: argparse.Namespace) -> int:
    target = fetch_target(args.api)
    password = args.password
    if password is None:
        # getpass prompts on the terminal, not stdout, so $(...) captures only the token.
        password = getpass.getpass() if sys.stdin.isatty() else sys.stdin.readline().rstrip("\n")
    print(log_in(target, args.email, password).id_token, flush=True)
    return 0


def _say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


if __name__ == "__main__":
    sys.exit(main())
