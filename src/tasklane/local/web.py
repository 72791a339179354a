"""The web app's production server (Next.js standalone output) as a child of the local stack.

``make run`` builds ``web/`` (``make web-build``) and ``tasklane dev --web-port 3000`` runs
``node web/.next/standalone/server.js`` next to the API. Node runs directly, not through
``npx`` or ``npm start``: a wrapper killed on shutdown would leave its child serving the port.
The server learns where the API is from ``TASKLANE_API_URL`` at run time (the browser then
reads everything else from the API's ``GET /config``), so one build serves every stack.
"""

from __future__ import annotations

import contextlib
import ctypes
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from tasklane.local.launcher import child_environment
from tasklane.settings import Env

#: The repository's web app, next to ``src/`` in a checkout.
DEFAULT_WEB_DIR = Path(__file__).resolve().parents[3] / "web"
SERVER_SCRIPT = Path(".next") / "standalone" / "server.js"
START_TIMEOUT = 30.0
STOP_TIMEOUT = 10.0


class WebNotBuiltError(RuntimeError):
    """There is no standalone build to run."""


def server_script(web_dir: Path) -> Path:
    return web_dir / SERVER_SCRIPT


class WebServer:
    """``node server.js`` on ``host:port``, started and stopped with the stack."""

    def __init__(
        self, web_dir: Path, host: str, port: int, api_url: str, aws_origin: str = ""
    ) -> None:
        self._script = server_script(web_dir)
        self._host = host
        self._port = port
        self._api_url = api_url
        #: The emulated AWS (Cognito, S3), which the page's CSP must let the browser reach.
        self._aws_origin = aws_origin
        self._process: subprocess.Popen[bytes] | None = None

    def start(self, timeout: float = START_TIMEOUT) -> WebServer:
        if not self._script.is_file():
            raise WebNotBuiltError(
                f"the web app is not built ({self._script} is missing): run `make web-build`"
            )
        node = shutil.which("node")
        if node is None:
            raise WebNotBuiltError("node is not on PATH: the web app needs Node.js 20+")
        env = child_environment(
            {
                "PORT": str(self._port),
                "HOSTNAME": self._host,
                "NODE_ENV": "production",
                "NEXT_TELEMETRY_DISABLED": "1",
                Env.API_URL: self._api_url,
                **({Env.WEB_AWS_ORIGINS: self._aws_origin} if self._aws_origin else {}),
            }
        )
        self._process = subprocess.Popen(  # noqa: S603 - our own script, no shell
            [node, str(self._script)],
            cwd=self._script.parent,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,  # it logs only its start line; errors go to stderr
            preexec_fn=die_with_parent(),
        )
        deadline = time.monotonic() + timeout
        while not _answers(self._host, self._port):
            code = self._process.poll()
            if code is not None:
                self._process = None
                raise RuntimeError(f"the web server exited with {code} while starting")
            if time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"the web server did not start within {timeout} s")
            time.sleep(0.05)
        return self

    def stop(self) -> None:
        """SIGTERM, then SIGKILL after a grace period; safe to call more than once."""
        process, self._process = self._process, None
        if process is None or process.poll() is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _answers(host: str, port: int) -> bool:
    try:
        socket.create_connection((host, port), timeout=0.5).close()
    except OSError:
        return False
    return True


def die_with_parent() -> Callable[[], None] | None:
    """Linux: the kernel sends node SIGTERM if this process dies without stopping it."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        libc = ctypes.CDLL(None, use_errno=True)
    except OSError:
        return None
    pr_set_pdeathsig = 1

    def set_death_signal() -> None:
        libc.prctl(pr_set_pdeathsig, signal.SIGTERM)

    return set_death_signal
