"""``tasklane reconcile [--fix] [--json]``: compare the PostgreSQL projection with DynamoDB
(the system of record), report drift in numbers, repair it (:mod:`tasklane.logic.reconcile`).

Where it looks: the environment first, as in AWS (``TASKLANE_TABLE_NAME``, ``AWS_*`` as
usual, ``TASKLANE_DB_*``); without ``TASKLANE_DB_HOST``, the local stack (moto on
``--aws-endpoint``, the embedded PostgreSQL found through ``<--state-dir>/postgres``).
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import TYPE_CHECKING

from tasklane.cli.common import UserError

if TYPE_CHECKING:
    from tasklane.logic.reconcile import Report
    from tasklane.settings import DatabaseSettings


class TargetError(UserError):
    """Where to reconcile cannot be found."""


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
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
    reconcile.set_defaults(run=_run)


def _run(args: argparse.Namespace) -> int:
    report = run_reconcile(
        fix=args.fix, state_dir=Path(args.state_dir), aws_endpoint=args.aws_endpoint
    )
    print(json.dumps(report.summary()) if args.json else report.text(), flush=True)
    return 0 if report.total == 0 or report.fixed else 1


def local_database(state_dir: Path) -> DatabaseSettings:
    """The running embedded server of ``tasklane dev`` (its socket directory and port)."""
    from tasklane.local.postgres import DATABASE, SUPERUSER, data_dir
    from tasklane.settings import DatabaseSettings

    pid_file = data_dir(state_dir) / "postmaster.pid"
    try:
        lines = pid_file.read_text().splitlines()
    except OSError as exc:
        raise TargetError(
            f"no running local PostgreSQL in {data_dir(state_dir)}; start `make run` first"
        ) from exc
    # postmaster.pid: pid, data dir, start time, port, socket dir, listen address, ...
    return DatabaseSettings(host=lines[4], port=int(lines[3]), name=DATABASE, user=SUPERUSER)


def run_reconcile(*, fix: bool, state_dir: Path, aws_endpoint: str) -> Report:
    """``aws_endpoint``: moto's, used when neither the environment names a database nor an
    AWS endpoint (the local stack)."""
    import boto3

    from tasklane.dal.dynamodb.projected import DynamoProjectedItems
    from tasklane.dal.dynamodb.table import Table
    from tasklane.dal.postgres.database import PostgresDatabase
    from tasklane.dal.postgres.engine import create_engine
    from tasklane.local.launcher import DUMMY_CREDENTIALS
    from tasklane.logic.reconcile import reconcile
    from tasklane.settings import Settings

    settings = Settings.from_environment()
    region = settings.region
    if settings.db.host:
        database = settings.db
        dynamodb = boto3.client("dynamodb", region_name=region)
    else:
        database = local_database(state_dir)
        dynamodb = boto3.client(
            "dynamodb",
            region_name=region,
            endpoint_url=settings.aws.endpoint_url or aws_endpoint,
            aws_access_key_id=DUMMY_CREDENTIALS["AWS_ACCESS_KEY_ID"],
            aws_secret_access_key=DUMMY_CREDENTIALS["AWS_SECRET_ACCESS_KEY"],
        )
    source = DynamoProjectedItems(Table(settings.table_name, lambda: dynamodb))
    postgres = PostgresDatabase(lambda: create_engine(database, region))
    try:
        return reconcile(source, postgres, fix=fix)
    finally:
        postgres.dispose()
