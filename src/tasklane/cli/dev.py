"""``tasklane dev``: the whole system on this machine until Ctrl-C (``make run``)."""

from __future__ import annotations

import argparse
import logging
import os
import signal
import sys
import threading
from types import FrameType

from tasklane.cli.common import DEFAULT_API_URL, say


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    # Defaults repeated here, not imported from the runtime: `tasklane --help` must not pay
    # for importing uvicorn, Starlette and moto.
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
        say(
            f"tasklane: port {error.port} on {error.host} is already in use; "
            f"pass {flag} or stop the other process"
        )
        return 2
    except WebNotBuiltError as error:
        say(f"tasklane: {error}")
        return 1
    try:
        print(_banner(stack.api_url, stack.config, stack.web_url), flush=True)
        stopping.wait()
        say("tasklane: stopping")
    finally:
        stack.stop()
    say("tasklane: stopped")
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
