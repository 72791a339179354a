"""The web app's checks, run by ``make test``: ESLint, ``tsc --noEmit``, Vitest, and the
Playwright suites in Debian's Chromium against ``tasklane dev`` with the web app (no mock API).

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
    """Components, the API client, dates, quick add, ordering and the optimistic cache; and
    the generation check: src/lib/api/schema.ts is what the running API's spec generates."""
    spec = httpx.get(f"{web_stack.api_url}/openapi.json", timeout=10)
    assert spec.status_code == 200
    RESULTS.mkdir(exist_ok=True)
    path = RESULTS / "openapi.json"
    path.write_text(spec.text)
    run_npm_tool("vitest", "run", env={"OPENAPI_JSON": str(path)})


#: The browser suites (web/e2e/*.spec.ts), one test each so a failure names its suite.
SPECS = sorted(p.name for p in (WEB_DIR / "e2e").glob("*.spec.ts"))


@pytest.mark.e2e
@pytest.mark.timeout(900)
@pytest.mark.parametrize("spec", SPECS)
def test_browser(web_stack: WebStack, spec: str) -> None:
    """Chromium against ``tasklane dev`` with the web app: the flows of a team's day, the
    board, the keyboard, the phone layout and the themes; axe on every page at both sizes in
    both themes; screenshots in web/test-results/screenshots/."""
    assert Path(CHROMIUM).is_file(), (
        f"Chromium is missing at {CHROMIUM}: `make web-browser` installs it "
        "(apt-get install chromium), or set CHROMIUM_PATH"
    )
    (RESULTS / "screenshots").mkdir(parents=True, exist_ok=True)
    env = {"WEB_URL": web_stack.web_url, "API_URL": web_stack.api_url, "CHROMIUM_PATH": CHROMIUM}
    run_npm_tool("playwright", "test", f"e2e/{spec}", env=env, timeout=840)
