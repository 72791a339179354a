"""``python -m benchmarks``: run the suite, write report.md and results.json.

Exits 0 when every target is met, 1 when one is missed or a benchmark could not run.
"""

from __future__ import annotations

import argparse
import importlib.metadata
import os
import platform
import subprocess
import sys
import time
import traceback
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from benchmarks import cold_start, report
from benchmarks.results import Section

HERE = Path(__file__).resolve().parent
SECTIONS = (
    "cold_start",
    "aws_calls",
    "list_reads",
    "attachments",
    "depth",
    "projection",
    "search",
    "notifications",
    "webhooks",
    "lambda_bundle",
    "web_bundle",
    "realtime",
    "live",
    "web_interaction",
    "exchange",
)
#: Sections that share one in-process moto stack.
STACK_SECTIONS = ("aws_calls", "list_reads", "attachments", "depth")
#: Sections that share one in-process local stack with PostgreSQL (as `tasklane dev` runs).
LOCAL_SECTIONS = ("projection", "search", "notifications", "webhooks")


def _git(*args: str) -> str:
    try:
        done = subprocess.run(
            ["git", *args], cwd=HERE.parent, capture_output=True, text=True, timeout=10
        )
    except (OSError, subprocess.SubprocessError):
        return ""
    return done.stdout.strip() if done.returncode == 0 else ""


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def machine_facts() -> dict[str, Any]:
    versions = []
    for name in ("aws-lambda-powertools", "pydantic", "boto3", "moto"):
        try:
            versions.append(f"{name} {importlib.metadata.version(name)}")
        except importlib.metadata.PackageNotFoundError:
            continue
    revision = _git("rev-parse", "--short", "HEAD")
    dirty = bool(_git("status", "--porcelain", "--", "src"))
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return {
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "python": f"{platform.python_implementation()} {platform.python_version()}",
        "platform": platform.platform(),
        "cpu": _cpu_model(),
        "cores": f"{os.cpu_count()} ({usable} usable)",
        "load average at start": ", ".join(f"{x:.2f}" for x in os.getloadavg()),
        "packages": ", ".join(versions),
        "git": (revision or "unknown") + (" + uncommitted changes in src/" if dirty else ""),
    }


def _timed(section_key: str, title: str, work: Callable[[], Section]) -> Section:
    started = time.perf_counter()
    print(f"[bench] {title} ...", file=sys.stderr, flush=True)
    try:
        section = work()
    except Exception:
        section = Section(section_key, title, error=traceback.format_exc(limit=8))
    section.seconds = time.perf_counter() - started
    state = "error" if section.error else ("ok" if section.ok else "target missed")
    print(f"[bench] {title}: {state} ({section.seconds:.1f} s)", file=sys.stderr, flush=True)
    return section


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument("--runs", type=int, default=15, help="cold-start runs per handler")
    parser.add_argument("--importtime-runs", type=int, default=5)
    parser.add_argument("--large", type=int, default=5_000, help="tasks in the large project")
    parser.add_argument("--writes", type=int, default=40, help="writes timed for projection lag")
    parser.add_argument("--search-runs", type=int, default=25, help="timed runs per query")
    parser.add_argument(
        "--only", default=",".join(SECTIONS), help=f"comma-separated subset of {SECTIONS}"
    )
    parser.add_argument("--out", type=Path, default=HERE, help="where report.md goes")
    args = parser.parse_args(argv)
    wanted = [s.strip() for s in args.only.split(",") if s.strip()]
    unknown = set(wanted) - set(SECTIONS)
    if unknown:
        parser.error(f"unknown section(s): {', '.join(sorted(unknown))}")

    facts = machine_facts()
    started = time.perf_counter()
    sections: list[Section] = []
    if "cold_start" in wanted:
        sections.append(
            _timed(
                "cold_start",
                "Cold start (import + init)",
                lambda: cold_start.run(args.runs, args.importtime_runs),
            )
        )
    if "lambda_bundle" in wanted:
        from benchmarks import lambda_bundle

        sections.append(_timed("lambda_bundle", "Lambda bundle size", lambda_bundle.run))
    if "realtime" in wanted:
        from benchmarks import realtime

        sections.append(_timed("realtime", "Local WebSocket gateway", realtime.run))
    if "live" in wanted:
        from benchmarks import live

        sections.append(_timed("live", "Live updates (push latency, fan-out cost)", live.run))
    if "web_bundle" in wanted:
        from benchmarks import web_bundle

        sections.append(_timed("web_bundle", "Web bundle (first load, gzip)", web_bundle.run))
    if "exchange" in wanted:
        from benchmarks import exchange

        sections.append(_timed("exchange", "Export and import (streamed)", exchange.run))
    if set(STACK_SECTIONS) & set(wanted):
        sections += _with_stack(wanted, args.large)
    local = [key for key in LOCAL_SECTIONS if key in wanted]
    if local and set(STACK_SECTIONS) & set(wanted):
        # The api handler caches its clients, table name and services per process, as a
        # Lambda container does: a second stack gets a fresh process, as it would a container.
        sections += _in_child(local, args.writes, args.search_runs)
    elif local:
        sections += _with_local_stack(wanted, args.writes, args.search_runs)
    if "web_interaction" in wanted:
        # Last: its in-process stack (with the web app) leaves moto's module state behind.
        from benchmarks import web_interaction

        sections.append(
            _timed(
                "web_interaction",
                "Web interaction latency and board render (Chromium)",
                web_interaction.run,
            )
        )
    seconds = time.perf_counter() - started

    args.out.mkdir(parents=True, exist_ok=True)
    written = report.write(args.out, sections, facts, seconds)
    missed = [c for s in sections for c in s.failed]
    errors = [s for s in sections if s.error]
    for check in missed:
        print(f"[bench] MISSED {check.name}: {check.measured} (target {check.target})")
    for section in errors:
        print(f"[bench] ERROR in {section.title}:\n{section.error}")
    print(f"[bench] wrote {', '.join(str(p) for p in written)} in {seconds:.0f} s")
    print("[bench] " + ("PASS" if not missed and not errors else "FAIL"))
    return 1 if missed or errors else 0


def _with_stack(wanted: list[str], large: int) -> list[Section]:
    """The moto-backed sections share one server: the handler's client is per process."""
    from benchmarks import attachments, aws_calls, depth, list_reads
    from benchmarks.stack import running_stack

    sections: list[Section] = []
    try:
        with running_stack() as stack:
            if "aws_calls" in wanted:
                sections.append(
                    _timed(
                        "aws_calls",
                        "DynamoDB requests per operation",
                        lambda: aws_calls.run(stack),
                    )
                )
            if "list_reads" in wanted:
                sections.append(
                    _timed(
                        "list_reads",
                        "Items read per list page",
                        lambda: list_reads.run(stack, large),
                    )
                )
            if "attachments" in wanted:
                sections.append(
                    _timed(
                        "attachments",
                        "AWS requests per attachment operation",
                        lambda: attachments.run(stack),
                    )
                )
            if "depth" in wanted:
                sections.append(
                    _timed(
                        "depth",
                        "Recurring tasks, checklists, trash, activity: round trips",
                        lambda: depth.run(stack),
                    )
                )
    except Exception:
        error = traceback.format_exc(limit=8)
        sections += [
            Section(key, key.replace("_", " "), error=error)
            for key in STACK_SECTIONS
            if key in wanted and key not in {s.key for s in sections}
        ]
    return sections


def _in_child(keys: list[str], writes: int, search_runs: int) -> list[Section]:
    """``python -m benchmarks --only <keys>`` in a new interpreter; its results.json back."""
    import json
    import tempfile

    from benchmarks.results import Check

    with tempfile.TemporaryDirectory(prefix="tasklane-bench-") as out:
        command = [
            sys.executable,
            "-m",
            "benchmarks",
            "--only",
            ",".join(keys),
            "--writes",
            str(writes),
            "--search-runs",
            str(search_runs),
            "--out",
            out,
        ]
        done = subprocess.run(
            command, cwd=HERE.parent, stdout=subprocess.PIPE, text=True, check=False
        )
        try:
            results = json.loads((Path(out) / "results.json").read_text())["sections"]
        except (OSError, ValueError, KeyError):
            error = f"the child run exited {done.returncode} without results:\n{done.stdout}"
            return [Section(key, key, error=error) for key in keys]
    sections = []
    for key in keys:
        raw = dict(results[key])
        section = Section(
            key,
            raw.pop("title"),
            checks=[Check(**c) for c in raw.pop("checks")],
            seconds=raw.pop("seconds"),
            error=raw.pop("error"),
        )
        raw.pop("ok", None)
        section.data = raw
        sections.append(section)
    return sections


def _with_local_stack(wanted: list[str], writes: int, search_runs: int) -> list[Section]:
    """The PostgreSQL sections share one local stack (moto, gateway, poller, PostgreSQL)."""
    from benchmarks import notifications, projection, search, webhooks

    sections: list[Section] = []
    try:
        with projection.local_stack() as stack:
            if "projection" in wanted:
                sections.append(
                    _timed(
                        "projection",
                        "Projection lag (API write → searchable)",
                        lambda: projection.run(stack, writes),
                    )
                )
            if "search" in wanted:
                sections.append(
                    _timed(
                        "search",
                        "Search and stats at 10,000 tasks",
                        lambda: search.run(stack, search_runs),
                    )
                )
            if "notifications" in wanted:
                sections.append(
                    _timed(
                        "notifications",
                        "Notifications (API write → e-mail in the mailbox)",
                        lambda: notifications.run(stack),
                    )
                )
            if "webhooks" in wanted:
                sections.append(
                    _timed(
                        "webhooks",
                        "Webhook deliveries (API write → receiver)",
                        lambda: webhooks.run(stack),
                    )
                )
    except Exception:
        error = traceback.format_exc(limit=8)
        sections += [
            Section(key, key.replace("_", " "), error=error)
            for key in LOCAL_SECTIONS
            if key in wanted and key not in {s.key for s in sections}
        ]
    return sections


if __name__ == "__main__":
    sys.exit(main())
