"""Where ``tasklane reconcile`` looks: the environment first (as in AWS), else the local
stack (moto's endpoint, the embedded PostgreSQL found through its ``postmaster.pid``)."""

from __future__ import annotations

import os
from pathlib import Path

from tasklane.local.bootstrap import DEFAULT_REGION, DEFAULT_TABLE_NAME
from tasklane.local.emulators import DUMMY_CREDENTIALS
from tasklane.local.postgres import DATABASE, SUPERUSER, data_dir
from tasklane.local.users import UserError
from tasklane.logic.reconcile import Report, reconcile, scan_items
from tasklane.settings import DatabaseSettings


class TargetError(UserError):
    """Where to reconcile cannot be found: one line for the user, exit 1, no traceback."""


def local_database(state_dir: Path) -> DatabaseSettings:
    """The running embedded server of ``tasklane dev`` (its socket directory and port)."""
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
    import boto3

    from tasklane.dal.postgres.engine import create_engine
    from tasklane.settings import database_from_environment

    region = os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION")
    table = os.environ.get("TASKLANE_TABLE_NAME", DEFAULT_TABLE_NAME)
    if os.environ.get("TASKLANE_DB_HOST"):
        database = database_from_environment()
        dynamodb = boto3.client("dynamodb", region_name=region)
    else:
        database = local_database(state_dir)
        dynamodb = boto3.client(
            "dynamodb",
            region_name=region or DEFAULT_REGION,
            endpoint_url=aws_endpoint,
            aws_access_key_id=DUMMY_CREDENTIALS["AWS_ACCESS_KEY_ID"],
            aws_secret_access_key=DUMMY_CREDENTIALS["AWS_SECRET_ACCESS_KEY"],
        )
    engine = create_engine(database, region or DEFAULT_REGION)
    try:
        return reconcile(scan_items(dynamodb, table), engine, fix=fix)
    finally:
        engine.dispose()
