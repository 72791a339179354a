"""`tasklane dev`: the whole stack as a process — a busy port said in one line, Ctrl-C or
SIGTERM stop it, and it runs again on the same ports."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from tasklane.local.net import listen
from tests.local.support import is_listening


def _free_port() -> int:
    with listen("127.0.0.1", 0, service="test") as sock:
        port: int = sock.getsockname()[1]
    return port


def _tasklane(*args: str, cwd: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "tasklane.cli", *args],
        cwd=cwd,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


@pytest.mark.parametrize(("busy", "flag"), [("--port", "--port"), ("--aws-port", "--aws-port")])
def test_dev_on_a_busy_port_says_so_in_one_line(tmp_path: Path, busy: str, flag: str) -> None:
    with listen("127.0.0.1", 0, service="test") as occupied:
        port = occupied.getsockname()[1]
        other = "--aws-port" if busy == "--port" else "--port"
        process = _tasklane("dev", busy, str(port), other, "0", cwd=tmp_path)
        stdout, stderr = process.communicate(timeout=60)

    assert process.returncode == 2
    assert stdout == ""
    assert stderr == (
        f"tasklane: port {port} on 127.0.0.1 is already in use; "
        f"pass {flag} or stop the other process\n"
    )


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_dev_runs_until_a_signal_and_again_on_the_same_ports(
    tmp_path: Path, signum: signal.Signals
) -> None:
    port, aws_port = _free_port(), _free_port()
    api_url, aws_url = f"http://127.0.0.1:{port}", f"http://127.0.0.1:{aws_port}"

    for _ in range(2):
        process = _tasklane("dev", "--port", str(port), "--aws-port", str(aws_port), cwd=tmp_path)
        try:
            banner = _read_banner(process)
            assert f"API         {api_url}\n" in banner
            assert f"AWS (moto)  {aws_url}\n" in banner
            assert "user pool   us-east-1_" in banner
            # The authorizer answers without the API handler.
            assert httpx.get(f"{api_url}/projects").status_code == 401
            process.send_signal(signum)
            assert process.wait(timeout=30) == 0
        finally:
            if process.poll() is None:
                process.kill()
                process.wait()
            process.stdout.close()  # type: ignore[union-attr]
            process.stderr.close()  # type: ignore[union-attr]
        assert not is_listening(api_url)
        assert not is_listening(aws_url)

    assert (tmp_path / ".local" / "cursor-secret").exists()  # in the working directory


def _read_banner(process: subprocess.Popen[str]) -> str:
    assert process.stdout is not None
    lines: list[str] = []
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        if not line:
            pytest.fail(f"tasklane dev exited early: {process.wait()} {process.stderr.read()}")  # type: ignore[union-attr]
        lines.append(line)
        if line.startswith("  table"):
            return "".join(lines)
    pytest.fail("tasklane dev did not print its banner")
