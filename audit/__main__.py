"""``python -m audit [GATE ...]`` (``make audit``): four gates, each fails the run on its own.
``python -m audit requirements`` prints the locked set that pip-audit checks.

1. pip-audit over the locked dependencies of every group (``uv export --frozen``), against
   PyPI's vulnerability data (``-s pypi``: the JSON API is reachable from here, OSV is not).
   PyPI's data carries no severity, so every known vulnerability fails unless it is listed,
   with a date and a reason, in ``audit/pip-audit-ignore.txt`` (and audit/exceptions.md).
2. ``npm audit --audit-level=high`` in ``web/`` when ``web/package-lock.json`` exists. The
   npm registry reachable from this workplace refuses the advisory endpoint (405): then the
   gate says NOT CHECKED and passes, unless ``TASKLANE_AUDIT_STRICT=1``.
3. bandit over ``src/``: every medium or high finding must carry an inline justification on
   its lines: ``# nosec <id> - reason`` or the same rule's ruff code (``# noqa: S608 - reason``;
   ruff's flake8-bandit rules are the gate the code is written against, one comment serves
   both tools).
4. detect-secrets over the files of the next commit (tracked, and new ones not ignored)
   against the committed ``.secrets.baseline`` (whose
   entries are audited false positives: dummy credentials of the emulators, test passwords).
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

import devtools

ROOT = Path(__file__).resolve().parent.parent
IGNORE_FILE = ROOT / "audit" / "pip-audit-ignore.txt"
BASELINE = ROOT / ".secrets.baseline"
#: bandit test id → ruff rule that checks the same thing (flake8-bandit ids).
RUFF_EQUIVALENT = {"B104": "S104", "B108": "S108", "B603": "S603", "B607": "S607", "B608": "S608"}
#: A justification: "nosec" or "noqa: <codes>" followed by a reason ("- why", "(why)").
_JUSTIFIED = re.compile(r"#\s*(nosec|noqa:\s*[A-Z0-9, ]+)\s*(?:[-(:]\s*)?(?P<reason>\S.*)?$")


def _tool(name: str) -> str:
    found = Path(sys.executable).with_name(name)
    return str(found) if found.is_file() else name


def _run(command: list[str], cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    # Fixed commands of this virtualenv's tools, no shell.
    return subprocess.run(  # noqa: S603
        command, capture_output=True, text=True, check=False, cwd=cwd
    )


def locked_requirements(target: Path) -> str | None:
    """Writes every group's locked set (what pip-audit checks) to ``target``; the error, if
    uv failed."""
    export = _run(
        [
            devtools.uv(),
            *("export", "--frozen", "--all-groups", "--no-hashes", "--no-emit-project"),
            *("--quiet", "-o", str(target)),
        ],
        cwd=ROOT,
    )
    return None if export.returncode == 0 else f"uv export failed: {export.stderr.strip()}"


def pip_audit() -> tuple[bool, str]:
    ignored = [
        line.split()[0]
        for line in IGNORE_FILE.read_text().splitlines()
        if line.strip() and not line.startswith("#")
    ]
    with tempfile.TemporaryDirectory() as tmp:
        requirements = Path(tmp) / "requirements.txt"
        if failure := locked_requirements(requirements):
            return False, failure
        packages = sum(1 for line in requirements.read_text().splitlines() if "==" in line)
        command = [
            _tool("pip-audit"),
            "-r",
            str(requirements),
            "--no-deps",  # the export is the whole locked set already
            "--disable-pip",
            "-s",
            "pypi",
            "--progress-spinner",
            "off",
            "-f",
            "json",
        ]
        for vuln in ignored:
            command += ["--ignore-vuln", vuln]
        done = _run(command)
    try:
        report = json.loads(done.stdout)
    except ValueError:
        return False, f"pip-audit failed (exit {done.returncode}): {done.stderr.strip()[-2000:]}"
    found = [
        f"{dep['name']} {dep['version']}: {v['id']} (fix: {', '.join(v['fix_versions']) or '-'})"
        for dep in report.get("dependencies", [])
        for v in dep.get("vulns", [])
    ]
    if found:
        return False, "known vulnerabilities:\n  " + "\n  ".join(found)
    return True, f"{packages} locked packages, no known vulnerability ({len(ignored)} accepted)"


def npm_audit() -> tuple[bool, str]:
    web = ROOT / "web"
    if not (web / "package-lock.json").is_file():
        return True, "no web/package-lock.json: nothing to audit"
    done = _run(["npm", "audit", "--audit-level=high", "--json"], cwd=web)
    try:
        counts = json.loads(done.stdout)["metadata"]["vulnerabilities"]
    except (ValueError, KeyError):
        if "audit endpoint returned an error" in done.stderr or "ENOAUDIT" in done.stdout:
            # The registry proxy of this workplace answers 405 to the advisory endpoint: no
            # vulnerability data for npm here. Say so loudly; STRICT (CI with the real
            # registry) makes it a failure.
            message = "npm advisory service unreachable (405 from the registry): NOT CHECKED"
            return os.environ.get("TASKLANE_AUDIT_STRICT") != "1", message
        return False, f"npm audit failed (exit {done.returncode}): {done.stderr.strip()[-2000:]}"
    summary = ", ".join(f"{n} {level}" for level, n in counts.items() if n and level != "total")
    if done.returncode != 0:
        return False, f"npm audit: {summary} (high or critical present)"
    return True, f"npm audit: {summary or 'no vulnerabilities'}"


def bandit() -> tuple[bool, str]:
    done = _run([_tool("bandit"), "-q", "-r", "src", "-ll", "-f", "json"], cwd=ROOT)
    try:
        results = json.loads(done.stdout)["results"]
    except (ValueError, KeyError):
        return False, f"bandit failed (exit {done.returncode}): {done.stderr.strip()[-2000:]}"
    unjustified = []
    for result in results:
        lines = (ROOT / result["filename"]).read_text().splitlines()
        span = result.get("line_range") or [result["line_number"]]
        # The comment may sit on the statement's last line (a multi-line string's close).
        window = range(max(min(span) - 1, 0), min(max(span) + 1, len(lines)))
        if not any(_justifies(lines[i], result["test_id"]) for i in window):
            unjustified.append(
                f"{result['filename']}:{result['line_number']} {result['test_id']} "
                f"{result['issue_severity']}: {result['issue_text']}"
            )
    if unjustified:
        return False, "findings without an inline reason:\n  " + "\n  ".join(unjustified)
    return True, f"bandit: {len(results)} medium/high findings, each justified inline"


def _justifies(line: str, test_id: str) -> bool:
    match = _JUSTIFIED.search(line)
    if match is None or not match.group("reason"):
        return False
    marker = match.group(1)
    if marker == "nosec":
        return True
    codes = {c.strip() for c in marker.split(":", 1)[1].split(",")}
    return RUFF_EQUIVALENT.get(test_id) in codes


def secrets() -> tuple[bool, str]:
    # Tracked files and new ones not ignored yet: what the next commit will hold.
    listed = _run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"], cwd=ROOT)
    skipped = {"uv.lock", "web/package-lock.json", ".secrets.baseline"}
    tracked = sorted(
        {f for f in listed.stdout.split("\0") if f and f not in skipped and (ROOT / f).is_file()}
    )
    with tempfile.TemporaryDirectory() as tmp:
        # A copy: the hook rewrites its baseline when known findings' line numbers moved,
        # and `make test` must not edit a committed file.
        baseline = Path(tmp) / "baseline.json"
        baseline.write_text(BASELINE.read_text())
        done = _run([_tool("detect-secrets-hook"), "--baseline", str(baseline), *tracked], cwd=ROOT)
    output = (done.stdout + done.stderr).strip()
    if done.returncode != 0 and "Potential secrets" in output:
        return False, output[-4000:]
    if done.returncode != 0 and "baseline file was updated" not in output:
        return False, output[-4000:] or "detect-secrets failed"
    moved = (
        " (known findings moved: refresh with `detect-secrets scan --baseline .secrets.baseline`)"
        if done.returncode != 0
        else ""
    )
    return True, f"detect-secrets: {len(tracked)} files, nothing new beyond the baseline{moved}"


GATES: dict[str, Callable[[], tuple[bool, str]]] = {
    "pip-audit": pip_audit,
    "npm-audit": npm_audit,
    "bandit": bandit,
    "secrets": secrets,
}


def main(argv: list[str]) -> int:
    if argv == ["requirements"]:
        # What pip-audit checks, for a reader (and the fresh-machine test: no network).
        with tempfile.TemporaryDirectory() as tmp:
            target = Path(tmp) / "requirements.txt"
            failure = locked_requirements(target)
            print(failure or target.read_text(), end="", file=sys.stderr if failure else None)
        return 1 if failure else 0
    unknown = sorted(set(argv) - set(GATES))
    if unknown:
        print(
            f"unknown gate(s) {', '.join(unknown)}; choose from {', '.join(GATES)} "
            "or `requirements`",
            file=sys.stderr,
        )
        return 2
    chosen = argv or list(GATES)
    failed = []
    for name in chosen:
        ok, message = GATES[name]()
        print(f"[{'ok' if ok else 'FAIL'}] {name}: {message}", flush=True)
        if not ok:
            failed.append(name)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
