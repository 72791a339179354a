"""Interaction latency and board render of the web app, measured in Chromium.

The local stack with the web app (``tasklane dev`` in this process, its state in a temporary
directory) and the standalone build ``make web-build`` made; Playwright runs
``web/e2e-bench/interaction.spec.ts`` against it (Debian's Chromium) and writes its samples to
``web/test-results/bench/interaction.json``, read here.

- **Latency** of complete (a click on the checkbox), create (Enter in the quick add) and move
  (Alt+→ on a board card): from the input event's timestamp to the first animation frame after
  the change is in the DOM (performance marks), with every API write answering 300 ms late.
  Optimistic updates do not wait for the server, so the target holds whatever its latency.
  Median of 20 each; target ≤ 50 ms.
- **Board render**: a board of 500 tasks against one of 50, from navigation start to the first
  frame with its cards shown (the API's answers included: the same three column requests of at
  most 20 cards each), median of 7 loads each, alternating; target ≤ 1.5 times.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from statistics import median
from typing import Any

from benchmarks.markdown import checks
from benchmarks.results import Check, Section
from tasklane.local.web import DEFAULT_WEB_DIR, server_script

LATENCY_TARGET_MS = 50.0
BOARD_TARGET_RATIO = 1.5
SPEC_DIR = "e2e-bench"
RESULTS = Path("test-results/bench/interaction.json")
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
TIMEOUT_S = 1800


@contextmanager
def _stack_with_web(web_dir: Path) -> Iterator[Any]:
    from benchmarks.projection import local_stack

    with local_stack(web_port=0, web_dir=web_dir) as stack:
        yield stack


def run(web_dir: Path = DEFAULT_WEB_DIR) -> Section:
    section = Section("web_interaction", "Web interaction latency and board render (Chromium)")
    npx = shutil.which("npx")
    if not server_script(web_dir).is_file():
        section.error = f"no build at {server_script(web_dir)}: run `make web-build` first"
        return section
    if npx is None or not Path(CHROMIUM).is_file():
        section.error = f"needs npx (Node.js) and Chromium at {CHROMIUM} (`make web-browser`)"
        return section
    out = web_dir / RESULTS
    out.unlink(missing_ok=True)
    with _stack_with_web(web_dir) as stack, tempfile.TemporaryDirectory() as tmp:
        env = {
            **os.environ,
            "WEB_URL": stack.web_url,
            "API_URL": stack.api_url,
            "CHROMIUM_PATH": CHROMIUM,
            "PLAYWRIGHT_DIR": SPEC_DIR,
            "CI": "1",
            "NEXT_TELEMETRY_DISABLED": "1",
            "TMPDIR": tmp,
        }
        done = subprocess.run(
            [npx, "--no-install", "playwright", "test"],
            cwd=web_dir,
            env=env,
            capture_output=True,
            text=True,
            timeout=TIMEOUT_S,
            check=False,
        )
    if done.returncode != 0 or not out.is_file():
        output = f"{done.stdout[-4000:]}\n{done.stderr[-2000:]}"
        # The first errors last: a CI log's tail shows them, not the attachments' listing.
        section.error = (
            f"playwright exited with {done.returncode}:\n{output}\n{failure_digest(done.stdout)}"
        )
        return section
    data = json.loads(out.read_text())
    for name in ("complete", "create", "move"):
        samples = data["latency_ms"][name]
        value = round(median(samples), 1)
        section.checks.append(
            Check(
                f"{name}: input → on screen, median of {len(samples)} (ms)",
                value,
                f"≤ {LATENCY_TARGET_MS:g}",
                value <= LATENCY_TARGET_MS,
                note=f"API writes answer {data['server_delay_ms']} ms late; max {max(samples):.1f}",
            )
        )
    small = median(data["board_load_ms"]["50"])
    large = median(data["board_load_ms"]["500"])
    ratio = round(large / small, 3)
    section.checks += [
        Check(
            "board of 500 tasks / board of 50: load to cards shown (median)",
            ratio,
            f"≤ {BOARD_TARGET_RATIO}",
            ratio <= BOARD_TARGET_RATIO,
        ),
        Check("board of 50: load to cards shown, median (ms)", round(small, 1)),
        Check("board of 500: load to cards shown, median (ms)", round(large, 1)),
        Check(
            "cards rendered, 50 / 500 tasks",
            f"{data['board_cards']['50']} / {data['board_cards']['500']}",
            note="columns page 20 cards at a time and load more as they scroll",
        ),
    ]
    section.data["samples"] = {key: data[key] for key in ("latency_ms", "board_load_ms")}
    return section


def failure_digest(output: str, lines_per_error: int = 6) -> str:
    """What failed and why, in a few lines, from Playwright's list reporter: each failed test's
    title and the first lines of its error (its call log, attachments and traces left out)."""
    digest: list[str] = []
    lines = output.splitlines()
    for i, line in enumerate(lines):
        text = line.strip()
        if re.match(r"\d+\) \[", text):
            digest.append(f"failed: {text}")
        elif text.startswith(("Error:", "TimeoutError:", "Test timeout")):
            following = (t.strip() for t in lines[i + 1 : i + 1 + lines_per_error])
            kept = [t for t in following if t and not t.startswith(("attachment", "Call log", "─"))]
            digest += [f"  {text}", *(f"  {t}" for t in kept[: lines_per_error - 1])]
    summary = [t.strip() for t in lines if re.match(r"\s*\d+ (failed|passed|flaky|did not run)", t)]
    return "\n".join(["--- what failed (first lines) ---", *digest[:40], *summary])


def render(section: Section) -> list[str]:
    return [
        "Measured in Debian's Chromium by Playwright (`web/e2e-bench/interaction.spec.ts`) "
        "against the local stack and the standalone build. Latency runs from the input "
        "event's timestamp to the first animation frame after the change is in the DOM "
        "(performance marks), with every API write delayed 300 ms: optimistic updates do not "
        "wait for the server. Board render runs from navigation start to the first frame "
        "with the cards shown, API answers included.",
        "",
        *checks(section.checks),
    ]
