"""A short ``make load``: a few locust users for 20 s, then nothing lost, nothing drifted.

The same runner as ``python -m load`` (load/run.py): ``tasklane dev`` as a process, real
Cognito users, locust over loopback, then every acknowledged write checked in DynamoDB and
``tasklane reconcile`` after the projection caught up.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from load.run import markdown, run


def test_a_short_load_run_loses_nothing() -> None:
    with tempfile.TemporaryDirectory(prefix="tasklane-load-smoke-") as tmp:
        os.chmod(tmp, 0o755)  # noqa: S103 - the embedded PostgreSQL runs as its own user
        result = run(users=6, spawn_rate=3, seconds=20, accounts=2, workdir=Path(tmp))
    report = markdown(result, accounts=2)
    assert result.total.requests >= 50, report
    assert result.errors == 0, report
    acked = result.acknowledged
    assert acked["create"] > 0, report
    assert acked["update"] > 0, report
    assert not result.lost, report
    assert not result.wrong_version, report
    assert not result.resurrected, report
    assert result.drift_total == 0, report
    assert result.poller_errors == 0, report  # no traceback in the stack's log
    assert result.stop_code == 0, report  # and it stopped cleanly on Ctrl-C
    # The projection holds exactly the tasks that should exist.
    live = acked["create"] - acked["delete"]
    assert result.drift["tasks"]["postgres"] >= live, report
