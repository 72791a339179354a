"""The stack as ``make run`` starts it — ``tasklane dev`` with the web app — on free ports.

``tasklane dev --port 0 --aws-port 0 --web-port 0`` runs as a child process in a temporary
directory (its ``.local/`` goes there); the browser tests read its URLs from the banner. It
needs the web app built (``make test`` runs ``make web-build`` first) and stops with SIGINT,
as Ctrl-C stops ``make run``, which must leave nothing running: node included.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from tasklane.local.web import die_with_parent
from tests.e2e.support import banner_value, clean_env, tasklane_command

WEB_DIR = Path(__file__).resolve().parents[2] / "web"
START_TIMEOUT = 90.0
STOP_TIMEOUT = 30.0


@dataclass(frozen=True)
class WebStack:
    web_url: str
    api_url: str
    workdir: Path


def _wait_for_banner(process: subprocess.Popen[bytes], stdout: Path, stderr: Path) -> str:
    deadline = time.monotonic() + START_TIMEOUT
    while True:
        text = stdout.read_text(errors="replace")
        if "  web app " in text and "  web client " in text:
            return text.split("\n{", 1)[0]
        code = process.poll()
        if code is not None or time.monotonic() > deadline:
            state = f"exited with {code}" if code is not None else f"no banner in {START_TIMEOUT} s"
            raise AssertionError(
                f"tasklane dev --web-port 0 {state}:\n{text[-3000:]}\n{stderr.read_text()[-3000:]}"
            )
        time.sleep(0.1)


@pytest.fixture(scope="package")
def web_stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[WebStack]:
    server = WEB_DIR / ".next" / "standalone" / "server.js"
    assert server.is_file(), f"{server} is missing: run `make web-build` (make test does)"
    workdir = tmp_path_factory.mktemp("web-stack")
    stdout, stderr = workdir / "stdout.log", workdir / "stderr.log"
    command = [*tasklane_command(), "dev", "--port", "0", "--aws-port", "0", "--web-port", "0"]
    with stdout.open("wb") as out, stderr.open("wb") as err:
        process = subprocess.Popen(
            command,
            cwd=workdir,
            env=clean_env(),
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=err,
            start_new_session=True,
            preexec_fn=die_with_parent(),  # a killed test run takes the stack with it
        )
    try:
        banner = _wait_for_banner(process, stdout, stderr)
        stack = WebStack(banner_value(banner, "web app"), banner_value(banner, "API"), workdir)
        assert httpx.get(f"{stack.web_url}/login", timeout=10).status_code == 200
        yield stack
    finally:
        if process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGINT)
        try:
            code = process.wait(timeout=STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
            raise
    assert code == 0, f"tasklane dev exited with {code}:\n{stderr.read_text()[-3000:]}"
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, 0)
        raise AssertionError("a process of the stack (node?) outlived it")
