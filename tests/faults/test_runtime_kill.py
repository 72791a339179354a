"""``tasklane dev`` killed with SIGKILL while the stream poller works, then started again on
the same state directory.

What survives, and what this proves: the embedded PostgreSQL keeps its data under
``.local/postgres`` (acknowledged, projected work is still there) and a restart on the same
directory starts cleanly even though the first run never shut down (no stale pid file or
orphaned server blocks it). What cannot survive locally: moto keeps DynamoDB, its stream
and the Cognito pool in memory, so the emulated system of record starts empty. Then the
projection holds rows DynamoDB no longer has; ``tasklane reconcile`` reports them as extra
and ``--fix`` removes them. In AWS, DynamoDB is durable and the event source mapping keeps
its checkpoint: that half of "resume" is Lambda's, covered by test_stream_delivery.py.
"""

from __future__ import annotations

import os
import signal
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from load.run import reconcile

from tests.e2e.support import StackProcess, cognito_client, new_client, sign_up


@pytest.fixture
def workdir() -> Iterator[Path]:
    with tempfile.TemporaryDirectory(prefix="tasklane-kill-") as path:
        os.chmod(path, 0o755)  # noqa: S103 - the embedded PostgreSQL runs as its own user
        yield Path(path)


def _user_client(stack: StackProcess, email: str) -> httpx.Client:
    with new_client(stack.api_url) as anonymous:
        config = anonymous.get("/config").json()
    token = sign_up(cognito_client(config), config, email, confirm_as_admin=True)["IdToken"]
    return new_client(stack.api_url, token)


def test_sigkill_then_restart_on_the_same_state(workdir: Path) -> None:
    first = StackProcess(workdir)
    first.start()
    try:
        with _user_client(first, "killed@example.com") as http:
            project = http.post("/projects", json={"name": "before the kill"}).json()["id"]
            for i in range(10):
                http.post(f"/projects/{project}/tasks", json={"title": f"t{i}"})
            code, settled = _wait_in_sync(first)
            assert code == 0, settled
            projected = settled["tasks"]["postgres"]
            assert projected >= 10
            # Writes keep flowing (the poller busy) when the whole process group dies.
            stop = threading.Event()

            def keep_writing() -> None:
                while not stop.is_set():
                    try:
                        http.post(f"/projects/{project}/tasks", json={"title": "late"})
                    except Exception:  # the server vanished mid-request
                        return

            writer = threading.Thread(target=keep_writing, daemon=True)
            writer.start()
            threading.Event().wait(1.0)
            assert first.process is not None
            os.killpg(first.process.pid, signal.SIGKILL)
            first.process.wait(timeout=30)
            stop.set()
            writer.join(timeout=30)
    finally:
        first.kill()

    second = StackProcess(workdir)  # same directory: same .local/ state
    second.start()
    try:
        code, after = reconcile(second)
        # PostgreSQL kept every row projected before the kill (and perhaps a few more).
        assert after["tasks"]["postgres"] >= projected, after
        # moto's DynamoDB started empty: those rows are now extra, the rest in sync.
        assert after["tasks"]["dynamodb"] == 0, after
        assert after["tasks"]["extra"] == after["tasks"]["postgres"], after
        assert code == 1  # reconcile exits 1 on drift
        fixed_code, fixed = reconcile(second, fix=True)
        assert fixed_code == 0, fixed
        code, clean = reconcile(second)
        assert code == 0, clean
        assert clean["drift"] == 0
        # And the restarted stack works end to end.
        with _user_client(second, "after@example.com") as again:
            assert again.get("/projects").status_code == 200
    finally:
        exit_code = second.stop()
    assert exit_code == 0, second.stderr()[-4000:]
    assert second.leftovers() == [], "processes outlived the restarted stack"


def _wait_in_sync(stack: StackProcess, attempts: int = 60) -> tuple[int, dict[str, Any]]:
    code, summary = 1, dict[str, Any]()
    for _ in range(attempts):
        code, summary = reconcile(stack)
        if code == 0:
            return code, summary
        threading.Event().wait(0.5)
    return code, summary
