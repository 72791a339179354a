"""Run Schemathesis (its CLI, in a child process) against a running stack; read its report.

The CLI, not the pytest plugin: it runs every phase (examples, coverage, fuzzing, stateful
with links inferred from the responses) over whatever ``GET /openapi.json`` lists when it
runs, so routes added later are fuzzed without touching this code.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

#: What "breaks the spec" means here: a 5xx, an undocumented status or content type, a body
#: or documented header that does not match its schema, and invalid input accepted.
CHECKS = (
    "not_a_server_error",
    "status_code_conformance",
    "content_type_conformance",
    "response_schema_conformance",
    "response_headers_conformance",
    "negative_data_rejection",
)
PHASES = ("examples", "coverage", "fuzzing", "stateful")


@dataclass(frozen=True)
class FuzzRun:
    exit_code: int
    report: dict[str, Any]
    output: str

    @property
    def cases(self) -> int:
        return int(self.report["test_cases"]["generated"])

    @property
    def operations(self) -> dict[str, int]:
        return dict(self.report["operations"])

    @property
    def failures(self) -> list[dict[str, Any]]:
        return list(self.report["failures"]) + list(self.report["errors"])

    def summary(self) -> str:
        ops = self.operations
        return (
            f"{self.cases} cases over {ops['tested']}/{ops['total']} operations in "
            f"{self.report['running_time']:.0f} s, seed {self.report['seed']}, "
            f"{len(self.failures)} failure kinds"
        )


def schemathesis_command() -> list[str]:
    script = Path(sys.executable).with_name("schemathesis")
    return [str(script)] if script.is_file() else [sys.executable, "-m", "schemathesis.cli"]


def run_fuzz(
    api_url: str,
    token: str,
    report_dir: Path,
    *,
    max_examples: int,
    max_time: int | None = None,
    seed: int | None = None,
    workers: int = 1,
    timeout: float = 900,
) -> FuzzRun:
    report_dir.mkdir(parents=True, exist_ok=True)
    report = report_dir / "schemathesis.json"
    command = [
        *schemathesis_command(),
        "run",
        f"{api_url}/openapi.json",
        "--url",
        api_url,
        "--header",
        f"Authorization: {token}",
        "--checks",
        ",".join(CHECKS),
        "--phases",
        ",".join(PHASES),
        "--max-examples",
        str(max_examples),
        "--workers",
        str(workers),
        "--request-timeout",
        "30",
        "--report",
        "json",
        "--report-json-path",
        str(report),
        "--no-color",
    ]
    if max_time is not None:
        command += ["--max-time", str(max_time)]
    if seed is not None:
        command += ["--seed", str(seed)]
    # No user configuration (hooks, config file) of this machine changes what is checked.
    env = {k: v for k, v in os.environ.items() if not k.startswith("SCHEMATHESIS_")}
    done = subprocess.run(  # our own virtualenv's script, fixed arguments
        command,
        capture_output=True,
        text=True,
        timeout=timeout,
        env=env,
        cwd=report_dir,  # its default outputs (.hypothesis, reports) stay in the tmp dir
        check=False,
    )
    output = done.stdout + done.stderr
    if not report.is_file():
        raise AssertionError(f"schemathesis wrote no report (exit {done.returncode}):\n{output}")
    return FuzzRun(done.returncode, json.loads(report.read_text()), output)
