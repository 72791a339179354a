"""The web app's checks, run by ``make test``: ESLint, ``tsc --noEmit``, Vitest, and the
Playwright flow in Debian's Chromium against ``tasklane dev`` with the web app (no mock API).

Each runs its npm tool in ``web/``; a failure prints the tool's output. Chromium missing is a
failure, never a skip (``make test`` installs it with ``make web-browser``).
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import httpx
import pytest

from .conftest import WEB_DIR, WebStack

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
#: Playwright's own output (screenshots in screenshots/, traces of failures in playwright/).
RESULTS = WEB_DIR / "test-results"


def run_npm_tool(*command: str, env: dict[str, str] | None = None, timeout: float = 300) -> None:
    npx = shutil.which("npx")
    assert npx is not None, "npx is not on PATH: the web app needs Node.js 20+"
    assert (WEB_DIR / "node_modules").is_dir(), "web/node_modules is missing: run `make web-build`"
    done = subprocess.run(
        [npx, "--no-install", *command],
        cwd=WEB_DIR,
        env={**os.environ, "NEXT_TELEMETRY_DISABLED": "1", "CI": "1", **(env or {})},
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    output = f"$ {' '.join(command)}\n{done.stdout[-20000:]}\n{done.stderr[-8000:]}"
    assert done.returncode == 0, output


def test_eslint() -> None:
    run_npm_tool("eslint", "--max-warnings", "0", ".")


def test_typescript() -> None:
    run_npm_tool("tsc", "--noEmit")


def test_vitest(web_stack: WebStack) -> None:
    """Components and the API client; the types against the running API's OpenAPI spec."""
    spec = httpx.get(f"{web_stack.api_url}/openapi.json", timeout=10)
    assert spec.status_code == 200
    RESULTS.mkdir(exist_ok=True)
    path = RESULTS / "openapi.json"
    path.write_text(spec.text)
    run_npm_tool("vitest", "run", env={"OPENAPI_JSON": str(path)})


@pytest.mark.e2e
@pytest.mark.timeout(600)
def test_browser_flow(web_stack: WebStack) -> None:
    """Sign-up to log-out in Chromium; sharing and notifications when the API has them."""
    assert Path(CHROMIUM).is_file(), (
        f"Chromium is missing at {CHROMIUM}: `make web-browser` installs it "
        "(apt-get install chromium), or set CHROMIUM_PATH"
    )
    (RESULTS / "screenshots").mkdir(parents=True, exist_ok=True)
    env = {"WEB_URL": web_stack.web_url, "API_URL": web_stack.api_url, "CHROMIUM_PATH": CHROMIUM}
    run_npm_tool("playwright", "test", env=env, timeout=540)
