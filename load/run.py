"""``python -m load``: the stack as ``make run`` starts it, many locust users, then the proof
that nothing acknowledged was lost.

1. ``tasklane dev`` as a child process (free ports, state in a temporary directory).
2. N real Cognito users (sign-up, confirm, log in), their ID tokens handed to locust.
3. locust, headless, for a bounded time; its per-endpoint statistics (CSV) are the figures.
4. Every write the API acknowledged (the journal the locustfile keeps) is checked against
   DynamoDB: created tasks exist at exactly the last acknowledged version, deleted ones are
   gone. Then ``tasklane reconcile`` (the operator's command) must report zero drift between
   DynamoDB and the PostgreSQL projection once the stream poller has caught up.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import boto3
from tests.e2e.support import (
    StackProcess,
    clean_env,
    cognito_client,
    new_client,
    sign_up,
    tasklane_command,
)

from load.item_sizes import sizes_by_type, summary
from tasklane.settings import DEFAULT_TABLE_NAME

HERE = Path(__file__).resolve().parent
LOCUSTFILE = HERE / "locustfile.py"
TABLE = DEFAULT_TABLE_NAME  # the table `tasklane dev` makes


@dataclass
class Endpoint:
    name: str
    requests: int
    failures: int
    rps: float
    p50: float
    p95: float
    p99: float
    max: float


@dataclass
class LoadResult:
    users: int
    duration_s: int
    endpoints: list[Endpoint]
    total: Endpoint
    acknowledged: dict[str, int]
    lost: list[str] = field(default_factory=list)
    wrong_version: list[str] = field(default_factory=list)
    resurrected: list[str] = field(default_factory=list)
    drift: dict[str, Any] = field(default_factory=dict)
    catch_up_s: float = 0.0
    poller_errors: int = 0
    failure_samples: list[str] = field(default_factory=list)
    #: (item type, items, mean bytes, p95 bytes, max bytes) of the table after the run.
    item_sizes: list[tuple[str, int, float, int, int]] = field(default_factory=list)
    #: How long `tasklane dev` took to exit after Ctrl-C, and its exit code (None: killed).
    stop_s: float = 0.0
    stop_code: int | None = None

    @property
    def errors(self) -> int:
        return self.total.failures

    @property
    def drift_total(self) -> int:
        return int(self.drift.get("drift", -1))


def locust_command() -> list[str]:
    script = Path(sys.executable).with_name("locust")
    return [str(script)] if script.is_file() else [sys.executable, "-m", "locust"]


def make_users(stack: StackProcess, count: int) -> list[str]:
    with new_client(stack.api_url) as anonymous:
        config = anonymous.get("/config").json()
    cognito = cognito_client(config)
    return [
        sign_up(cognito, config, f"load-{i}@example.com", confirm_as_admin=True)["IdToken"]
        for i in range(count)
    ]


def run_locust(
    api_url: str, tokens: list[str], workdir: Path, *, users: int, spawn_rate: float, seconds: int
) -> tuple[list[Endpoint], Endpoint, Path, list[str]]:
    journal = workdir / "journal.jsonl"
    prefix = workdir / "locust"
    env = clean_env(TASKLANE_LOAD_TOKENS="\n".join(tokens), TASKLANE_LOAD_JOURNAL=str(journal))
    command = [
        *locust_command(),
        "-f",
        str(LOCUSTFILE),
        "--headless",
        "--users",
        str(users),
        "--spawn-rate",
        str(spawn_rate),
        "--run-time",
        f"{seconds}s",
        "--host",
        api_url,
        "--csv",
        str(prefix),
        "--only-summary",
        "--stop-timeout",
        "15",
        "--exit-code-on-error",
        "0",  # judged below, per request, with the reasons
        "--loglevel",
        "WARNING",
    ]
    done = subprocess.run(  # our own virtualenv's script, fixed arguments
        command,
        cwd=workdir,
        env=env,
        capture_output=True,
        text=True,
        timeout=seconds + 120,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"locust exited {done.returncode}:\n{done.stderr[-4000:]}")
    endpoints: list[Endpoint] = []
    total: Endpoint | None = None
    with (workdir / "locust_stats.csv").open(newline="") as stats:
        for row in csv.DictReader(stats):
            label = f"{row['Type']} {row['Name']}".strip()
            endpoint = Endpoint(
                name=label if row["Name"] != "Aggregated" else "all requests",
                requests=int(row["Request Count"]),
                failures=int(row["Failure Count"]),
                rps=float(row["Requests/s"]),
                p50=float(row["50%"]),
                p95=float(row["95%"]),
                p99=float(row["99%"]),
                max=float(row["Max Response Time"]),
            )
            if row["Name"] == "Aggregated":
                total = endpoint
            else:
                endpoints.append(endpoint)
    if total is None:
        raise RuntimeError("locust wrote no aggregated statistics")
    failures: list[str] = []
    failures_csv = workdir / "locust_failures.csv"
    if failures_csv.is_file():
        with failures_csv.open(newline="") as rows:
            failures = [
                f"{r['Method']} {r['Name']}: {r['Error'][:300]} (x{r['Occurrences']})"
                for r in csv.DictReader(rows)
            ]
    return endpoints, total, journal, failures


def expected_state(journal: Path) -> tuple[dict[str, int | None], dict[str, int]]:
    """Task id → last acknowledged version (None: deleted); and counts per kind of write."""
    state: dict[str, int | None] = {}
    counts = {"project": 0, "create": 0, "update": 0, "delete": 0}
    for line in journal.read_text().splitlines():
        entry = json.loads(line)
        counts[entry["op"]] += 1
        if entry["op"] == "delete":
            state[entry["id"]] = None
        elif entry["op"] in ("create", "update"):
            state[entry["id"]] = max(entry["version"], state.get(entry["id"]) or 0)
    return state, counts


def emulator_client(service: str, endpoint_url: str, region: str = "us-east-1") -> Any:
    """A boto3 client for the local emulator (moto takes any credentials)."""
    return boto3.client(  # type: ignore[call-overload]  # service: any of boto3's names
        service,
        endpoint_url=endpoint_url,
        region_name=region,
        aws_access_key_id="testing",
        aws_secret_access_key="testing",  # noqa: S106 - moto's dummy credentials
    )


def dynamodb_client(stack: StackProcess) -> Any:
    return emulator_client("dynamodb", stack.aws_url)


def dynamodb_tasks(stack: StackProcess) -> dict[str, int]:
    """The live tasks in DynamoDB and their versions."""
    from tasklane.dal.dynamodb.projected import DynamoProjectedItems
    from tasklane.dal.dynamodb.table import Table

    client = dynamodb_client(stack)
    return {
        item["task_id"]: int(item["version"])
        for item in DynamoProjectedItems(Table(TABLE, lambda: client)).projected_items()
        # A deleted task waits in its project's trash (30 days): gone for the user.
        if item.get("type") == "task" and "deleted_at" not in item
    }


def reconcile(stack: StackProcess, *, fix: bool = False) -> tuple[int, dict[str, Any]]:
    """``tasklane reconcile --json [--fix]`` against the stack, as an operator runs it."""
    done = subprocess.run(  # our own virtualenv's script, fixed arguments
        [
            *tasklane_command(),
            "reconcile",
            "--json",
            "--state-dir",
            str(stack.workdir / ".local"),
            "--aws-endpoint",
            stack.aws_url,
            *(["--fix"] if fix else []),
        ],
        env=clean_env(),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    if not done.stdout.strip():
        raise RuntimeError(f"reconcile printed nothing (exit {done.returncode}): {done.stderr}")
    return done.returncode, json.loads(done.stdout.strip().splitlines()[-1])


def wait_for_projection(
    stack: StackProcess, timeout: float = 120.0
) -> tuple[dict[str, Any], float]:
    """Reconcile until the projection has caught up (zero drift) or ``timeout``."""
    started = time.monotonic()
    while True:
        code, summary = reconcile(stack)
        if code == 0 or time.monotonic() - started > timeout:
            return summary, time.monotonic() - started
        time.sleep(1.0)


def run(*, users: int, spawn_rate: float, seconds: int, accounts: int, workdir: Path) -> LoadResult:
    stack = StackProcess(workdir / "stack")
    stack.workdir.mkdir(parents=True, exist_ok=True)
    stack.start()
    try:
        result = _measure(
            stack, users=users, spawn_rate=spawn_rate, seconds=seconds, accounts=accounts
        )
    except BaseException:
        stop_stack(stack)
        raise
    result.stop_s, result.stop_code = stop_stack(stack)
    return result


def _measure(
    stack: StackProcess, *, users: int, spawn_rate: float, seconds: int, accounts: int
) -> LoadResult:
    workdir = stack.workdir.parent
    tokens = make_users(stack, accounts)
    endpoints, total, journal, failures = run_locust(
        stack.api_url, tokens, workdir, users=users, spawn_rate=spawn_rate, seconds=seconds
    )
    drift, catch_up = wait_for_projection(stack)
    expected, counts = expected_state(journal)
    stored = dynamodb_tasks(stack)
    result = LoadResult(
        users=users,
        duration_s=seconds,
        endpoints=endpoints,
        total=total,
        acknowledged=counts,
        drift=drift,
        catch_up_s=catch_up,
        failure_samples=failures,
    )
    for task_id, version in expected.items():
        if version is None:
            if task_id in stored:
                result.resurrected.append(task_id)
        elif task_id not in stored:
            result.lost.append(task_id)
        elif stored[task_id] != version:
            result.wrong_version.append(f"{task_id}: acked {version}, stored {stored[task_id]}")
    result.poller_errors = stack.stderr().count("Traceback")
    result.item_sizes = summary(sizes_by_type(dynamodb_client(stack), TABLE))
    return result


def stop_stack(stack: StackProcess, timeout: float = 300) -> tuple[float, int | None]:
    """Ctrl-C, and how long the stack took to exit. Not StackProcess.stop (30 s): after a
    load run, ``tasklane dev`` needs longer (moto's in-memory state is large; see the
    report), which is a figure to report, not a reason to lose the run's results."""
    process = stack.process
    if process is None or process.poll() is not None:
        return 0.0, None if process is None else process.returncode
    started = time.monotonic()
    os.killpg(process.pid, signal.SIGINT)
    try:
        code = process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        stack.kill()
        return time.monotonic() - started, None
    return time.monotonic() - started, code


def markdown(result: LoadResult, *, accounts: int) -> str:
    now = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    lines = [
        "# Tasklane load test",
        "",
        f"Generated by `python -m load` (`make load`) on {now}. Local stack (`tasklane dev`: "
        "moto server, local gateway, stream poller, embedded PostgreSQL) in one process, "
        "locust in another, over loopback, on this machine: "
        f"{platform.python_implementation()} {platform.python_version()}, "
        f"{os.cpu_count()} cores. **Absolute figures measure moto and one Python process, not "
        "AWS** (see docs/capacity.md); they are a regression baseline and a correctness run.",
        "",
        f"{result.users} concurrent users ({accounts} Cognito accounts, each user in a project "
        f"of its own) for {result.duration_s} s, think time 0.2 to 1.0 s. Mix per user "
        "(weights): list tasks 6, read task 4, update task (If-Match) 4, list projects 3, "
        "create task 3, search 3, attach a file (form → S3 upload → complete) 1, delete task "
        "1, notifications 1 (when the API has them).",
        "",
        "## Throughput and latency",
        "",
        "| endpoint | requests | errors | req/s | p50 ms | p95 ms | p99 ms | max ms |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for e in [*sorted(result.endpoints, key=lambda e: -e.requests), result.total]:
        name = f"**{e.name}**" if e is result.total else f"`{e.name}`"
        lines.append(
            f"| {name} | {e.requests} | {e.failures} | {e.rps:.1f} | {e.p50:.0f} | "
            f"{e.p95:.0f} | {e.p99:.0f} | {e.max:.0f} |"
        )
    acked = result.acknowledged
    lines += [
        "",
        "## Nothing lost",
        "",
        "| check | result |",
        "|---|---|",
        f"| writes acknowledged (2xx) | {sum(acked.values())}: {acked['project']} projects, "
        f"{acked['create']} task creates, {acked['update']} updates, {acked['delete']} deletes |",
        f"| acknowledged tasks missing from DynamoDB | {len(result.lost)} |",
        f"| tasks whose DynamoDB version ≠ last acknowledged | {len(result.wrong_version)} |",
        f"| deleted tasks still in DynamoDB | {len(result.resurrected)} |",
        f"| `tasklane reconcile` (DynamoDB vs PostgreSQL) | drift {result.drift_total}: "
        f"`{json.dumps(result.drift)}` |",
        f"| projection caught up after the run in | {result.catch_up_s:.1f} s |",
        f"| request errors | {result.errors} |",
        f"| tracebacks in the stack's log | {result.poller_errors} |",
        f"| `tasklane dev` exit after Ctrl-C | code {result.stop_code} in {result.stop_s:.1f} s |",
        "",
    ]
    lines += [
        "## DynamoDB item sizes after the run",
        "",
        "As DynamoDB bills them (load/item_sizes.py); the input of docs/capacity.md.",
        "",
        "| item type | items | mean bytes | p95 bytes | max bytes |",
        "|---|---|---|---|---|",
        *[f"| {t} | {n} | {a:.0f} | {p95} | {top} |" for t, n, a, p95, top in result.item_sizes],
        "",
    ]
    if result.failure_samples:
        lines += ["Errors seen:", "", *[f"- {f}" for f in result.failure_samples], ""]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m load", description=__doc__)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--spawn-rate", type=float, default=10)
    parser.add_argument("--seconds", type=int, default=90)
    parser.add_argument("--accounts", type=int, default=10, help="Cognito users to share")
    parser.add_argument("--report", default=str(HERE / "report.md"))
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="tasklane-load-") as tmp:
        result = run(
            users=args.users,
            spawn_rate=args.spawn_rate,
            seconds=args.seconds,
            accounts=args.accounts,
            workdir=Path(tmp),
        )
    text = markdown(result, accounts=args.accounts)
    Path(args.report).write_text(text)
    print(text)
    ok = result.errors == 0 and result.drift_total == 0 and result.stop_code == 0
    ok = ok and result.poller_errors == 0
    ok = ok and not (result.lost or result.wrong_version or result.resurrected)
    return 0 if ok else 1
