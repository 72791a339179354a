"""Cold start: import + init of the api handler against a minimal Powertools handler.

Each sample is a fresh interpreter (as a new Lambda execution environment is) that times,
from inside, ``import <handler module>`` (module-level init included) and then one first
invocation of ``GET /health``. The two handlers alternate run by run, so a busy machine
slows both alike; the ratio of medians decides, never an absolute time.

``python -X importtime`` runs (separate, as it slows imports down) show where the time goes,
by top-level package, and which imports of Tasklane's own modules pull the heavy ones in.
"""

from __future__ import annotations

import importlib.metadata
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import devtools

from benchmarks.events import rest_event
from benchmarks.results import Check, Section

ROOT = Path(__file__).resolve().parent.parent
API = "tasklane.handlers.api"
BASELINE = "benchmarks.baseline_handler"
#: The api handler builds its resolver at import and nothing else (its route areas, container,
#: clients and use cases come with the first request that needs them): 1.2 leaves room for
#: Logger, Metrics and Tracer, which the yardstick has none of.
TARGET_RATIO = 1.2
#: When the three ratio estimates differ by more than this, the report warns of noise.
BUSY_SPREAD = 0.1
#: Packages listed by name in the import breakdown; the rest are summed.
TOP_PACKAGES = 15
MARK = "BENCH-RESULT "

#: What Lambda would give the function: no endpoint override, nothing reachable. Tracer is
#: enabled (LAMBDA_TASK_ROOT set), as in AWS; outside Lambda it would disable itself.
LAMBDA_ENVIRONMENT = {
    "LAMBDA_TASK_ROOT": "/var/task",
    "AWS_LAMBDA_FUNCTION_NAME": "tasklane-api",
    "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": "1024",
    "AWS_LAMBDA_FUNCTION_VERSION": "$LATEST",
    "AWS_EXECUTION_ENV": "AWS_Lambda_python3.11",
    "AWS_REGION": "us-east-1",
    "AWS_DEFAULT_REGION": "us-east-1",
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_SESSION_TOKEN": "testing",
    "TASKLANE_TABLE_NAME": "tasklane",
    "TASKLANE_CURSOR_SECRET": "bench-cursor-secret",
    "TASKLANE_CORS_ORIGINS": "https://app.example.com",
    "TASKLANE_USER_POOL_ID": "us-east-1_bench",
    "TASKLANE_USER_POOL_CLIENT_ID": "benchclient",
    "POWERTOOLS_SERVICE_NAME": "tasklane-api",
    "POWERTOOLS_METRICS_NAMESPACE": "Tasklane",
    "POWERTOOLS_LOG_LEVEL": "WARNING",
    "LANG": "C.UTF-8",
    "TZ": "UTC",
}

#: Runs inside the fresh interpreter. Only ``sys`` and ``time`` are imported before the
#: clock starts (both are loaded at interpreter start anyway).
CHILD = """
import sys, time
wall, cpu = time.perf_counter(), time.process_time()
import importlib
handler = importlib.import_module(sys.argv[1])
wall_import, cpu_import = time.perf_counter() - wall, time.process_time() - cpu
import json
modules = len(sys.modules)
class Context:
    function_name = "tasklane-api"
    function_version = "$LATEST"
    memory_limit_in_mb = 1024
    invoked_function_arn = "arn:aws:lambda:us-east-1:000000000000:function:tasklane-api"
    aws_request_id = "cold-start"
    log_group_name = "/aws/lambda/tasklane-api"
    log_stream_name = "bench"
    def get_remaining_time_in_millis(self):
        return 30000
event = json.loads(sys.argv[2])
start = time.perf_counter()
result = handler.lambda_handler(event, Context())
invoke = time.perf_counter() - start
client = None
if sys.argv[3] == "client":
    start = time.perf_counter()
    from tasklane.wiring.api import root
    root.get().aws.dynamodb
    client = time.perf_counter() - start
print("BENCH-RESULT " + json.dumps({
    "import": wall_import, "import_cpu": cpu_import, "invoke": invoke, "client": client,
    "status": result["statusCode"], "modules": modules,
}))
"""


@dataclass(slots=True)
class Samples:
    import_s: list[float] = field(default_factory=list)
    import_cpu_s: list[float] = field(default_factory=list)
    process_s: list[float] = field(default_factory=list)
    invoke_s: list[float] = field(default_factory=list)
    modules: int = 0


@dataclass(frozen=True, slots=True)
class Layout:
    """Where the child interpreter finds its packages."""

    name: str
    flags: tuple[str, ...]
    path: tuple[str, ...]

    def environment(self, extra: dict[str, str] | None = None) -> dict[str, str]:
        return {
            "PATH": os.environ.get("PATH", ""),
            **LAMBDA_ENVIRONMENT,
            **(extra or {}),
            "PYTHONPATH": os.pathsep.join(self.path),
        }


def runtime_requirements() -> list[str]:
    """The runtime dependency closure from uv.lock: what the Lambda bundle ships."""
    # `uv run` tells its child where uv is; else look on PATH.
    done = subprocess.run(
        [
            devtools.uv(),
            "export",
            *("--frozen", "--no-dev", "--no-default-groups", "--no-hashes"),
            *("--no-emit-project", "--no-header", "--no-annotate"),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    names = []
    for line in done.stdout.splitlines():
        line = line.split(";", 1)[0].strip()
        if line and not line.startswith(("#", "-")):
            names.append(line.split("==", 1)[0].split("[", 1)[0].strip())
    return names


def build_bundle(target: Path) -> list[str]:
    """Links the runtime distributions' files from this venv into ``target``.

    The result is what ``pip install --target`` of the runtime dependencies would give, so
    Tracer's auto-patching finds only what Lambda would have (not moto, httpx, requests...).
    """
    names = runtime_requirements()
    for name in names:
        dist = importlib.metadata.distribution(name)
        base = Path(str(dist.locate_file("")))
        tops = {f.parts[0] for f in dist.files or () if f.parts[0] not in ("..", "__pycache__")}
        for top in tops:
            link = target / top
            if not link.exists():
                link.symlink_to(base / top, target_is_directory=(base / top).is_dir())
    return names


def _run_child(
    module: str,
    layout: Layout,
    *,
    client: bool,
    flags: tuple[str, ...] = (),
    extra_env: dict[str, str] | None = None,
) -> tuple[dict[str, Any], float]:
    event = json.dumps(rest_event("GET", "/health"))
    started = time.perf_counter()
    command = [sys.executable, *layout.flags, *flags, "-c", CHILD, module, event]
    done = subprocess.run(
        [*command, "client" if client else "-"],
        cwd=ROOT,
        env=layout.environment(extra_env),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    elapsed = time.perf_counter() - started
    lines = [line for line in done.stdout.splitlines() if line.startswith(MARK)]
    if done.returncode != 0 or not lines:
        raise RuntimeError(
            f"cold-start child for {module} failed ({done.returncode}):\n{done.stderr[-2000:]}"
        )
    result = json.loads(lines[-1][len(MARK) :])
    if result["status"] != 200:
        raise RuntimeError(f"{module}: GET /health answered {result['status']}")
    return result, elapsed


def stats(values: list[float]) -> dict[str, float]:
    ordered = sorted(values)
    p90 = statistics.quantiles(ordered, n=10, method="inclusive")[8] if len(ordered) > 1 else 0
    return {
        "median_ms": round(statistics.median(ordered) * 1000, 1),
        "p90_ms": round((p90 or ordered[-1]) * 1000, 1),
        "min_ms": round(ordered[0] * 1000, 1),
        "max_ms": round(ordered[-1] * 1000, 1),
        "n": len(ordered),
    }


def measure(
    layout: Layout,
    runs: int,
    *,
    warmup: int = 1,
    flags: tuple[str, ...] = (),
    extra_env: dict[str, str] | None = None,
) -> dict[str, Samples]:
    """``runs`` fresh interpreters per handler, alternating which one goes first."""
    samples = {API: Samples(), BASELINE: Samples()}
    for round_ in range(warmup + runs):
        order = (API, BASELINE) if round_ % 2 == 0 else (BASELINE, API)
        for module in order:
            result, elapsed = _run_child(
                module, layout, client=False, flags=flags, extra_env=extra_env
            )
            if round_ < warmup:
                continue
            sample = samples[module]
            sample.import_s.append(result["import"])
            sample.import_cpu_s.append(result["import_cpu"])
            sample.invoke_s.append(result["invoke"])
            sample.process_s.append(elapsed)
            sample.modules = result["modules"]
    return samples


# -X importtime -----------------------------------------------------------------------------
@dataclass(slots=True)
class ImportNode:
    name: str
    self_us: int
    cumulative_us: int
    children: list[ImportNode] = field(default_factory=list)


def parse_importtime(stderr: str) -> list[ImportNode]:
    """The import tree (top-level imports first). Lines come children-first, indented."""
    pending: dict[int, list[ImportNode]] = defaultdict(list)
    for line in stderr.splitlines():
        if not line.startswith("import time:") or "self [us]" in line:
            continue
        self_us, cumulative_us, name = line.split(":", 1)[1].split("|")
        raw = name.rstrip()
        depth = (len(raw) - len(raw.lstrip(" ")) - 1) // 2
        node = ImportNode(raw.strip(), int(self_us), int(cumulative_us))
        node.children = pending.pop(depth + 1, [])
        pending[depth].append(node)
    return pending.get(0, [])


def _walk(nodes: list[ImportNode]) -> list[ImportNode]:
    out: list[ImportNode] = []
    stack = list(nodes)
    while stack:
        node = stack.pop()
        out.append(node)
        stack.extend(node.children)
    return out


def importtime(layout: Layout, runs: int) -> dict[str, list[list[ImportNode]]]:
    """``-X importtime`` trees of both handlers, alternating as the timed runs do."""
    trees: dict[str, list[list[ImportNode]]] = {API: [], BASELINE: []}
    for round_ in range(runs):
        for module in (API, BASELINE) if round_ % 2 == 0 else (BASELINE, API):
            done = subprocess.run(
                [sys.executable, *layout.flags, "-X", "importtime", "-c", f"import {module}"],
                cwd=ROOT,
                env=layout.environment(),
                capture_output=True,
                text=True,
                timeout=120,
                check=True,
            )
            # Only what the handler's import brought in, not the interpreter's own start-up.
            top = _top_level(module)
            roots = parse_importtime(done.stderr)
            trees[module].append([n for n in roots if _top_level(n.name) == top])
    return trees


def _median_by(trees: list[list[ImportNode]], key: Any) -> dict[str, float]:
    """Median over runs of the self time (ms) summed by ``key(module name)``."""
    per_run: list[dict[str, float]] = []
    for tree in trees:
        totals: dict[str, float] = defaultdict(float)
        for node in _walk(tree):
            totals[key(node.name)] += node.self_us / 1000
        per_run.append(totals)
    names = {name for run in per_run for name in run}
    return {name: statistics.median(run.get(name, 0.0) for run in per_run) for name in names}


def _top_level(name: str) -> str:
    return name.split(".", 1)[0]


def import_breakdown(api: list[list[ImportNode]], base: list[list[ImportNode]]) -> dict[str, Any]:
    by_package_api = _median_by(api, _top_level)
    by_package_base = _median_by(base, _top_level)
    packages = sorted(by_package_api, key=lambda n: -by_package_api[n])
    modules_api = _median_by(api, lambda n: n)
    baseline_modules = {node.name for tree in base for node in _walk(tree)}
    api_only = sorted(
        (n for n in modules_api if n not in baseline_modules), key=lambda n: -modules_api[n]
    )

    # Which of our own imports pulls in what: a non-tasklane module imported (first) by a
    # tasklane module, with everything it imported in turn. Median over runs.
    edges: dict[tuple[str, str], list[float]] = defaultdict(list)
    for tree in api:
        for node in _walk(tree):
            if not node.name.startswith("tasklane"):
                continue
            for child in node.children:
                if not child.name.startswith("tasklane"):
                    edges[(node.name, child.name)].append(child.cumulative_us / 1000)
    pulled: list[dict[str, Any]] = sorted(
        (
            {"importer": a, "module": b, "cumulative_ms": round(statistics.median(v), 1)}
            for (a, b), v in edges.items()
        ),
        key=lambda e: -float(e["cumulative_ms"]),
    )
    # Heavy subtrees anywhere (cumulative), to see e.g. what Tracer's auto-patching costs.
    cumulative: dict[str, list[float]] = defaultdict(list)
    for tree in api:
        for node in _walk(tree):
            cumulative[node.name].append(node.cumulative_us / 1000)
    heavy: list[dict[str, Any]] = sorted(
        (
            {
                "module": name,
                "cumulative_ms": round(statistics.median(v), 1),
                "in_baseline": name in baseline_modules,
            }
            for name, v in cumulative.items()
            if not name.startswith("tasklane")
        ),
        key=lambda e: -float(e["cumulative_ms"]),
    )
    return {
        "runs": len(api),
        "total_self_ms": {
            "api": round(sum(by_package_api.values()), 1),
            "baseline": round(sum(by_package_base.values()), 1),
        },
        "module_count": {
            "api": len({n.name for n in _walk(api[0])}),
            "baseline": len({n.name for n in _walk(base[0])}),
        },
        "by_package": [
            {
                "package": name,
                "api_ms": round(by_package_api[name], 1),
                "baseline_ms": round(by_package_base.get(name, 0.0), 1),
                "extra_ms": round(by_package_api[name] - by_package_base.get(name, 0.0), 1),
            }
            for name in packages[:TOP_PACKAGES]
        ],
        "other_packages": {
            "count": len(packages[TOP_PACKAGES:]),
            "api_ms": round(sum(by_package_api[n] for n in packages[TOP_PACKAGES:]), 1),
            "baseline_ms": round(
                sum(by_package_base.get(n, 0.0) for n in packages[TOP_PACKAGES:]), 1
            ),
        },
        "api_only_modules": [
            {"module": name, "self_ms": round(modules_api[name], 1)} for name in api_only[:15]
        ],
        "tasklane_imports": pulled[:15],
        "heavy_subtrees": heavy[:20],
    }


# The benchmark -----------------------------------------------------------------------------
def _summary(samples: dict[str, Samples]) -> dict[str, Any]:
    api, base = samples[API], samples[BASELINE]
    out: dict[str, Any] = {
        "api": {
            "import": stats(api.import_s),
            "import_cpu": stats(api.import_cpu_s),
            "process": stats(api.process_s),
            "first_invoke_health": stats(api.invoke_s),
            "modules_loaded": api.modules,
        },
        "baseline": {
            "import": stats(base.import_s),
            "import_cpu": stats(base.import_cpu_s),
            "process": stats(base.process_s),
            "first_invoke_health": stats(base.invoke_s),
            "modules_loaded": base.modules,
        },
        "ratio": round(statistics.median(api.import_s) / statistics.median(base.import_s), 2),
        "cpu_ratio": round(
            statistics.median(api.import_cpu_s) / statistics.median(base.import_cpu_s), 2
        ),
        "process_ratio": round(
            statistics.median(api.process_s) / statistics.median(base.process_s), 2
        ),
        # Runs i of both handlers ran back to back, under the same load: the median of
        # their ratios shrugs off a busy moment better than the ratio of medians.
        "paired_ratio": round(
            statistics.median(a / b for a, b in zip(api.import_s, base.import_s, strict=True)), 2
        ),
    }
    return out


def run(
    runs: int = 15,
    importtime_runs: int = 5,
    cold_cache_runs: int = 5,
    client_runs: int = 5,
    dev_venv: bool = True,
) -> Section:
    section = Section("cold_start", "Cold start (import + init)")
    with tempfile.TemporaryDirectory(prefix="tasklane-bench-") as scratch:
        bundle_dir = Path(scratch) / "bundle"
        bundle_dir.mkdir()
        venv = Layout("dev venv (every dependency group installed)", (), (str(ROOT),))
        try:
            shipped = build_bundle(bundle_dir)
            primary = Layout(
                "Lambda bundle (runtime dependencies only)",
                ("-S",),
                (str(bundle_dir), str(ROOT / "src"), str(ROOT)),
            )
            section.data["bundle"] = sorted(shipped)
        except (RuntimeError, OSError, subprocess.SubprocessError) as exc:
            primary, dev_venv = venv, False
            section.data["bundle_error"] = str(exc)
        section.data["layout"] = primary.name

        layouts = {"primary": _summary(measure(primary, runs))}
        if dev_venv:
            layouts["dev_venv"] = _summary(measure(venv, max(5, runs // 3)))
        # Without bytecode caches: a bundle built with `pip install --no-compile` and run from
        # Lambda's read-only /var/task compiles every module on every cold start.
        empty = Path(scratch) / "pycache"
        empty.mkdir()
        layouts["no_bytecode_cache"] = _summary(
            measure(
                primary,
                cold_cache_runs,
                warmup=0,
                flags=("-X", f"pycache_prefix={empty}"),
                extra_env={"PYTHONDONTWRITEBYTECODE": "1"},
            )
        )
        section.data["layouts"] = layouts
        trees = importtime(primary, importtime_runs)
        section.data["imports"] = import_breakdown(trees[API], trees[BASELINE])
        # The first request that touches DynamoDB imports boto3 and creates the client.
        client_s = [_run_child(API, primary, client=True)[0]["client"] for _ in range(client_runs)]
        layouts["primary"]["api"]["first_dynamodb_client"] = stats(client_s)

    main = layouts["primary"]
    api_ms, base_ms = main["api"]["import"]["median_ms"], main["baseline"]["import"]["median_ms"]
    section.checks.append(
        Check(
            "import + init: ratio of medians (api / baseline)",
            main["ratio"],
            f"≤ {TARGET_RATIO}",
            main["ratio"] <= TARGET_RATIO,
            f"{primary.name}; api {api_ms} ms, baseline {base_ms} ms, {runs} runs each",
        )
    )
    section.checks.append(
        Check(
            "import + init: ratio of median CPU times",
            main["cpu_ratio"],
            note="process CPU time: less sensitive to other load on the machine",
        )
    )
    section.checks.append(
        Check(
            "import + init: median of paired ratios",
            main["paired_ratio"],
            note="each api run over the baseline run next to it",
        )
    )
    spread = max(main["ratio"], main["cpu_ratio"], main["paired_ratio"]) - min(
        main["ratio"], main["cpu_ratio"], main["paired_ratio"]
    )
    if spread > BUSY_SPREAD:
        section.data["warning"] = (
            f"The wall-clock, CPU and paired ratios differ by {spread:.2f}: the machine was "
            "busy during the run. Rerun on a quiet machine before acting on a small miss."
        )
    section.checks.append(
        Check(
            "whole process: ratio of medians",
            main["process_ratio"],
            note="interpreter start to exit: start-up, import + init, first GET /health",
        )
    )
    if "dev_venv" in layouts:
        section.checks.append(
            Check(
                "import + init in the dev venv: ratio of medians",
                layouts["dev_venv"]["ratio"],
                note="every dependency group installed: differs from the bundle only if "
                "init imports what Lambda will not have (e.g. Tracer auto-patching httpx)",
            )
        )
    section.checks.append(
        Check(
            "import + init without bytecode caches: ratio of medians",
            layouts["no_bytecode_cache"]["ratio"],
            note=f"api {layouts['no_bytecode_cache']['api']['import']['median_ms']} ms, "
            f"baseline {layouts['no_bytecode_cache']['baseline']['import']['median_ms']} ms: "
            "what a bundle without .pyc files pays on every cold start",
        )
    )
    return section
