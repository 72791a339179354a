"""benchmarks/report.md and benchmarks/results.json from the sections' results."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from benchmarks import (
    depth,
    exchange,
    lambda_bundle,
    live,
    realtime,
    web_bundle,
    web_interaction,
    webhooks,
)
from benchmarks.markdown import checks as _checks
from benchmarks.markdown import table as _table
from benchmarks.markdown import verdict as _verdict
from benchmarks.results import Section


def _ms(stat: dict[str, Any] | None) -> str:
    return f"{stat['median_ms']} ms" if stat else "—"


def _p90(stat: dict[str, Any] | None) -> str:
    return f"{stat['p90_ms']} ms" if stat else "—"


# Sections ----------------------------------------------------------------------------------
def _cold_start(section: Section) -> list[str]:
    data = section.data
    layouts = data["layouts"]
    main = layouts["primary"]
    api, base = main["api"], main["baseline"]
    ratio_check = section.checks[0]
    out = [
        f"Measured in: **{data['layout']}**, `LAMBDA_TASK_ROOT` set (Tracer on, as in Lambda). "
        f"Each sample is a fresh interpreter; api and baseline alternate. "
        f"Medians of {api['import']['n']} runs each.",
        "",
    ]
    if "warning" in data:
        out += [f"> **Noise warning.** {data['warning']}", ""]
    if "bundle_error" in data:
        out += [f"(No Lambda-like bundle: {data['bundle_error']}; measured in the dev venv.)", ""]
    out += _table(
        ["", "api handler", "baseline handler", "api / baseline", "target", "result"],
        [
            [
                "import + init, median",
                _ms(api["import"]),
                _ms(base["import"]),
                main["ratio"],
                ratio_check.target,
                _verdict(ratio_check.passed),
            ],
            ["import + init, p90", _p90(api["import"]), _p90(base["import"]), "", "", ""],
            [
                "import + init, CPU time (median)",
                _ms(api["import_cpu"]),
                _ms(base["import_cpu"]),
                main["cpu_ratio"],
                "",
                "",
            ],
            [
                "import + init, median of paired ratios",
                "",
                "",
                main["paired_ratio"],
                "",
                "",
            ],
            [
                "first invocation (GET /health)",
                _ms(api["first_invoke_health"]),
                _ms(base["first_invoke_health"]),
                "",
                "",
                "",
            ],
            [
                "first DynamoDB client (import boto3, create client)",
                _ms(api.get("first_dynamodb_client")),
                "—",
                "",
                "",
                "paid by the first request that reads or writes",
            ],
            [
                "whole process (interpreter start to exit)",
                _ms(api["process"]),
                _ms(base["process"]),
                main["process_ratio"],
                "",
                "",
            ],
            [
                "modules loaded after import",
                api["modules_loaded"],
                base["modules_loaded"],
                "",
                "",
                "",
            ],
        ],
    )
    other = []
    if "dev_venv" in layouts:
        dev = layouts["dev_venv"]
        other.append(
            [
                "dev venv (all dependency groups)",
                _ms(dev["api"]["import"]),
                _ms(dev["baseline"]["import"]),
                dev["ratio"],
                dev["api"]["import"]["n"],
            ]
        )
    nopyc = layouts["no_bytecode_cache"]
    other.append(
        [
            "no bytecode cache (.py compiled at every start)",
            _ms(nopyc["api"]["import"]),
            _ms(nopyc["baseline"]["import"]),
            nopyc["ratio"],
            nopyc["api"]["import"]["n"],
        ]
    )
    out += ["Other layouts (reported, not judged):", ""]
    out += _table(["layout", "api import + init", "baseline", "ratio", "runs"], other)

    imports = data["imports"]
    total = imports["total_self_ms"]
    count = imports["module_count"]
    out += [
        "### Where the api handler's import time goes",
        "",
        f"`python -X importtime`, median of {imports['runs']} runs (importtime itself slows "
        f"imports down): api {total['api']} ms over {count['api']} modules, baseline "
        f"{total['baseline']} ms over {count['baseline']} modules. Self time summed by "
        "top-level package:",
        "",
    ]
    rows = [
        [p["package"], p["api_ms"], p["baseline_ms"], p["extra_ms"]] for p in imports["by_package"]
    ]
    rest = imports["other_packages"]
    rows.append(
        [
            f"({rest['count']} others)",
            rest["api_ms"],
            rest["baseline_ms"],
            round(rest["api_ms"] - rest["baseline_ms"], 1),
        ]
    )
    out += _table(["package", "api (ms)", "baseline (ms)", "api - baseline (ms)"], rows)
    out += ["Third-party imports made by Tasklane's modules (cumulative, first importer pays):", ""]
    out += _table(
        ["imported by", "module", "cumulative (ms)"],
        [
            [e["importer"], e["module"], e["cumulative_ms"]]
            for e in imports["tasklane_imports"][:12]
        ],
    )
    out += ["Modules only the api loads, by self time:", ""]
    out += _table(
        ["module", "self (ms)"],
        [[m["module"], m["self_ms"]] for m in imports["api_only_modules"][:10]],
    )
    out += ["Heaviest subtrees the baseline does not load:", ""]
    extra = [h for h in imports["heavy_subtrees"] if not h["in_baseline"]][:10]
    out += _table(["module", "cumulative (ms)"], [[h["module"], h["cumulative_ms"]] for h in extra])
    return out


def _aws_calls(section: Section) -> list[str]:
    rows = [
        [
            r["operation"],
            f"`{r['request']}`",
            r["status"],
            r["requests"],
            ", ".join(f"{v} {k}" for k, v in sorted(r["by_operation"].items())),
            r["target"] or "—",
            _verdict(r["passed"]),
            r["note"],
        ]
        for r in section.data.get("operations", [])
    ]
    out = [
        "Requests without `Idempotency-Key` unless the row says so. The idempotency record "
        "adds its own requests (the last two rows): an in-progress PutItem and a final "
        "UpdateItem on the first POST; the replay is one PutItem refused by its condition, "
        "which returns the stored response.",
        "",
    ]
    return out + _table(
        ["operation", "request", "status", "requests", "by operation", "target", "result", "note"],
        rows,
    )


def _list_reads(section: Section) -> list[str]:
    data = section.data
    small, large = data["sizes"]
    seeding = data["seeding_seconds"]
    out = [
        f"Items read = sum of `ScannedCount` over the page's requests (what a Query read "
        f"before its FilterExpression). Each page also reads the caller's membership item by "
        f"key (1 GetItem). Seeded with BatchWriteItem: {small} tasks in {seeding[str(small)]} s, "
        f"{large:,} tasks in {seeding[str(large)]} s "
        f"({data['seeding_rate_per_second']} items/s).",
        "",
    ]
    rows = []
    for r in data.get("listings", []):
        s, g = r["small"], r["large"]
        rows.append(
            [
                r["listing"],
                s["scanned"],
                s["items"],
                g["scanned"],
                g["items"],
                "yes" if g["has_next"] else "no",
                f"{s['requests']} / {g['requests']}",
                r["target"],
                _verdict(r["passed"]),
                r["note"],
            ]
        )
    return out + _table(
        [
            "listing",
            f"{small}: read",
            f"{small}: returned",
            f"{large:,}: read",
            f"{large:,}: returned",
            "next page",
            "requests",
            "target",
            "result",
            "note",
        ],
        rows,
    )


def _attachments(section: Section) -> list[str]:
    checks = {c.name.removesuffix(": AWS requests"): c for c in section.checks}
    rows = [
        [
            r["operation"],
            r["status"],
            r["requests"],
            checks[r["operation"]].target if r["operation"] in checks else "",
            _verdict(checks[r["operation"]].passed) if r["operation"] in checks else "",
            r["note"],
        ]
        for r in section.data.get("rows", [])
    ]
    out = [
        "AWS requests (DynamoDB and S3) per attachment operation, counted with botocore "
        "hooks. The upload itself goes from the client straight to S3 and is not counted.",
        "",
    ]
    header = ["operation", "status", "requests", "target", "result", "by operation"]
    return out + _table(header, rows)


def _lag_ms(stat: dict[str, Any]) -> list[Any]:
    return [stat["n"], stat["p50_ms"], stat["p95_ms"], stat["max_ms"]]


def _projection(section: Section) -> list[str]:
    data = section.data
    poller = data["poller"]
    out = [
        f"`tasklane dev` in this process (`LocalStack`: moto, the gateway over HTTP with a "
        f"Cognito ID token, the stream poller calling the events handler, the embedded "
        f"PostgreSQL). Lag = from sending the write to the first `GET /search` response "
        f"showing it (polled every {data['poll_interval_ms']:.0f} ms). The poller delivered "
        f"{poller['records']} records in {poller['batches']} batches, "
        f"{poller['failed_records']} failed.",
        "",
    ]
    out += _checks(section.checks)
    rows = [["all writes", *_lag_ms(data["lag"]), data["write"]["p50_ms"]]]
    for kind, stat in data["by_kind"].items():
        rows.append([kind, *_lag_ms(stat), stat["write"]["p50_ms"]])
    header = ["write", "n", "lag p50 (ms)", "lag p95 (ms)", "lag max (ms)", "write p50 (ms)"]
    return out + _table(header, rows)


def _search(section: Section) -> list[str]:
    data = section.data
    seeding = data["seeding"]
    out = [
        f"{seeding['tasks']:,} tasks seeded straight into the projection tables in "
        f"{seeding['seconds']} s: the *heavy* caller has {seeding['heavy']['tasks']:,} tasks "
        f"in {seeding['heavy']['projects']} projects, each of {seeding['typical']['users']} "
        f"*typical* callers about {seeding['typical']['tasks_each']}. p50 of interleaved runs "
        "after a warm-up. FTS = the statement `/search` sends (DAL); ILIKE = "
        "`ilike_search`, `ILIKE '%q%'` over title, description and labels in the caller's "
        "projects; /search = the api handler in this process.",
        "",
    ]
    out += _checks(section.checks)
    rows = [
        [
            r["caller"],
            f"{r['query']}: `{r['q']}`",
            r["matches"],
            r["fts"]["p50_ms"],
            r["ilike"]["p50_ms"],
            r["ratio"],
            r["handler"]["p50_ms"],
            r["handler"]["p95_ms"],
            r["handler_ratio"],
        ]
        for r in data["queries"]
    ]
    out += ["Search, p50 in ms:", ""]
    out += _table(
        [
            "caller",
            "query",
            "matches",
            "FTS",
            "ILIKE",
            "FTS / ILIKE",
            "/search",
            "/search p95",
            "/search / ILIKE",
        ],
        rows,
    )
    out += ["Stats, in ms (*no indexes*: the same query with index scans disabled):", ""]
    out += _table(
        ["caller", "tasks", "query p50", "no indexes p50", "ratio", "/stats p50", "/stats p95"],
        [
            [
                r["caller"],
                r["tasks"],
                r["dal"]["p50_ms"],
                r["unindexed"]["p50_ms"],
                r["ratio_to_unindexed"],
                r["handler"]["p50_ms"],
                r["handler"]["p95_ms"],
            ]
            for r in data["stats"]
        ],
    )
    out += ["Scan nodes of `EXPLAIN` (the statements captured from the DAL functions):", ""]
    out += _table(
        ["caller", "statement", "scans", "judged"],
        [
            [p["caller"], p["statement"], "; ".join(p["scans"]), "yes" if p["judged"] else "no"]
            for p in data["plans"]
        ],
    )
    return out


def _notifications(section: Section) -> list[str]:
    data = section.data
    poller = data["notifier_poller"]
    out = [
        "`tasklane dev` in this process: user A assigns a task to user B (an editor of A's "
        "project); latency = from sending the write to the first `GET /_dev/mail` listing the "
        f"e-mail to B (polled every {data['poll_interval_ms']:.0f} ms): API → stream poller → "
        "events handler → SQS → SQS poller → notifier → SES. Calls per job: the notifier's "
        f"AWS requests over {data['jobs']} jobs. The SQS poller delivered {poller['messages']} "
        f"messages in {poller['batches']} batches, {poller['failed']} failed.",
        "",
    ]
    out += _checks(section.checks)
    header = ["", "n", "p50 (ms)", "p95 (ms)", "max (ms)"]
    return out + _table(header, [["write → e-mail", *_lag_ms(data["latency"])]])


RENDERERS = {
    "cold_start": _cold_start,
    "aws_calls": _aws_calls,
    "list_reads": _list_reads,
    "attachments": _attachments,
    "depth": depth.render,
    "projection": _projection,
    "search": _search,
    "notifications": _notifications,
    "webhooks": webhooks.render,
    "lambda_bundle": lambda_bundle.render,
    "web_bundle": web_bundle.render,
    "realtime": realtime.render,
    "live": live.render,
    "web_interaction": web_interaction.render,
    "exchange": exchange.render,
}


def render(sections: list[Section], facts: dict[str, Any], seconds: float) -> str:
    targets = [c for s in sections for c in s.checks if c.passed is not None]
    missed = [c for c in targets if c.passed is False]
    errors = [s for s in sections if s.error]
    verdict = "PASS" if not missed and not errors else "FAIL"
    out = [
        "# Tasklane benchmarks",
        "",
        f"Generated by `python -m benchmarks` on {facts['date']} in {seconds:.0f} s. "
        f"**Result: {verdict}** — {len(targets) - len(missed)} of {len(targets)} targets met"
        + (f", {len(errors)} section(s) failed to run" if errors else "")
        + ". Ratios and counts decide; absolute times depend on the machine. How to read "
        "this: `benchmarks/README.md`.",
        "",
    ]
    if missed:
        out += ["Missed:", ""] + [f"- {c.name}: {c.measured} (target {c.target})" for c in missed]
        out.append("")
    out += ["## Machine", ""]
    out += _table(["", ""], [[k, v] for k, v in facts.items()])
    for number, section in enumerate(sections, 1):
        out += [f"## {number}. {section.title}", "", f"Ran in {section.seconds:.1f} s.", ""]
        if section.error:
            out += ["**The benchmark failed to run:**", "", "```", section.error, "```", ""]
            continue
        out += RENDERERS[section.key](section)
        if section.key == "cold_start":
            out += ["All cold-start measures:", "", *_checks(section.checks)]
    return "\n".join(out).rstrip() + "\n"


def write(
    directory: Path, sections: list[Section], facts: dict[str, Any], seconds: float
) -> tuple[Path, Path]:
    report = directory / "report.md"
    results = directory / "results.json"
    report.write_text(render(sections, facts, seconds), encoding="utf-8")
    payload = {
        "ok": all(s.ok for s in sections),
        "seconds": round(seconds, 1),
        "machine": facts,
        "sections": {s.key: s.to_json() for s in sections},
    }
    results.write_text(json.dumps(payload, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return report, results
