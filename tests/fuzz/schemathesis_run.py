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
import tomllib
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

#: What the command line does not say: expected statuses, the values only a fixture can make.
CONFIG = Path(__file__).with_name("schemathesis.toml")
#: The address of the user the fuzzer may share projects with (the config's dictionary).
_DICTIONARIES = tomllib.loads(CONFIG.read_text())["dictionaries"]
MEMBER_EMAIL: str = _DICTIONARIES["members"]["values"][0]
#: The webhook receiver the fuzzer registers (the config's dictionary).
WEBHOOK_URL: str = _DICTIONARIES["webhooks"]["values"][0]

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


#: Warnings that mean the document and the API disagree, or the fuzzer could not reach an
#: operation's logic: ``validation_mismatch`` (valid data refused: a rule the document does
#: not state) and ``missing_test_data`` (no usable ids reached it, even through links).
CONTRACT_WARNINGS = ("validation_mismatch", "missing_test_data")


@dataclass(frozen=True)
class FuzzRun:
    exit_code: int
    report: dict[str, Any]
    output: str
    #: Operation label → the statuses it answered, over every phase.
    statuses: dict[str, Counter[int]]

    @property
    def cases(self) -> int:
        return int(self.report["test_cases"]["generated"])

    @property
    def operations(self) -> dict[str, int]:
        return dict(self.report["operations"])

    @property
    def failures(self) -> list[dict[str, Any]]:
        return list(self.report["failures"]) + list(self.report["errors"])

    @property
    def warnings(self) -> dict[str, list[str]]:
        """Warning kind → the operations it names (every kind present, most empty)."""
        return {kind: list(labels) for kind, labels in self.report["warnings"].items()}

    def unserved(self) -> list[str]:
        """Operations that never answered a request with a 2xx: no usable data reached them."""
        return sorted(
            label
            for label, statuses in self.statuses.items()
            if not any(200 <= status < 300 for status in statuses)
        )

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
    config: str = "",
) -> FuzzRun:
    """``config``: TOML added to :data:`CONFIG` for this run (values known only at run time)."""
    report_dir.mkdir(parents=True, exist_ok=True)
    report = report_dir / "schemathesis.json"
    events = report_dir / "events.ndjson"
    config_file = report_dir / "schemathesis.toml"
    config_file.write_text(CONFIG.read_text() + config)
    command = [
        *schemathesis_command(),
        "--config-file",
        str(config_file),
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
        "json,ndjson",
        "--report-json-path",
        str(report),
        "--report-ndjson-path",
        str(events),
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
    return FuzzRun(done.returncode, json.loads(report.read_text()), output, _statuses(events))


def _statuses(events: Path) -> dict[str, Counter[int]]:
    """Every response of the run (all phases), by operation, from its NDJSON event log.

    Requests with a method the operation does not have (the probes of undocumented
    methods) are left out: they reach no documented operation."""
    recorders = [
        finished["recorder"]
        for line in events.read_text().splitlines()
        if (finished := json.loads(line).get("ScenarioFinished"))
    ]
    # Per-operation scenarios (every phase but the stateful one) are labelled by operation.
    found: dict[str, Counter[int]] = {
        r["label"]: Counter() for r in recorders if r.get("label", "").split(" ")[0].isupper()
    }
    for recorder in recorders:
        for case_id, node in recorder.get("cases", {}).items():
            case = node["value"]
            label = f"{case['method']} {case['path']}"
            interaction = recorder.get("interactions", {}).get(case_id)
            response = interaction and interaction.get("response")
            if label in found and response:
                found[label][response["status_code"]] += 1
    return found
