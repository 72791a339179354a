"""Lambda bundle size: the code asset every function ships, zipped and unzipped.

The bundle is the one ``infra.bundling.LambdaBundle`` builds for ``make synth`` (same
inputs, same cache): the pinned runtime dependencies as wheels for Python 3.13 on ARM64,
``src/tasklane`` and the migrations, compiled to bytecode. All six functions share it, so
each function's code size is the bundle's.

Targets:
- unzipped below 250 MB: Lambda's hard limit for a function's code (and layers);
- zipped below 50 MB: Lambda's limit for a direct upload; CDK uploads through S3, so it
  does not bind, but a smaller zip deploys and cold-starts (code download) faster;
- bundle / runtime-dependency baseline at most 1.5: the baseline is the dependencies as
  installed, without bytecode; what we add (our code, migrations, every module's bytecode)
  may weigh at most half as much again;
- no wheel or shared object that does not fit the runtime (``infra.bundle_check``).
"""

from __future__ import annotations

import tempfile
import zipfile
from collections import Counter
from pathlib import Path
from typing import Any

from benchmarks.results import Check, Section

MB = 1024 * 1024
LAMBDA_UNZIPPED_LIMIT_MB = 250
DIRECT_UPLOAD_LIMIT_MB = 50
MAX_RATIO_TO_DEPENDENCIES = 1.5
#: Parts of the bundle that are ours, not the runtime dependencies'.
OWN_PARTS = ("tasklane", "migrations")


def _files(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file() and not p.is_symlink()]


def _dependency_bytes(root: Path, files: list[Path]) -> Counter[str]:
    """Bytes per top-level entry of the runtime dependencies, without bytecode."""
    sizes: Counter[str] = Counter()
    for path in files:
        parts = path.relative_to(root).parts
        if parts[0] in OWN_PARTS or "__pycache__" in parts:
            continue
        sizes[parts[0].split("-", 1)[0] if parts[0].endswith(".dist-info") else parts[0]] += (
            path.stat().st_size
        )
    return sizes


def _zipped_bytes(root: Path, files: list[Path]) -> int:
    with tempfile.TemporaryDirectory(prefix="tasklane-bundle-zip-") as scratch:
        archive = Path(scratch) / "bundle.zip"
        with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as zipped:
            for path in sorted(files):
                zipped.write(path, path.relative_to(root))
        return archive.stat().st_size


def _handlers(root: Path) -> list[str]:
    """The Lambda entry points in the bundle (``tasklane.handlers.<name>.lambda_handler``)."""
    return sorted(
        f"tasklane.handlers.{p.stem}"
        for p in (root / "tasklane" / "handlers").glob("*.py")
        if "def lambda_handler" in p.read_text()
    )


def run() -> Section:
    from infra.bundle_check import bundle_problems
    from infra.bundling import LambdaBundle
    from infra.config import LAMBDA_PYTHON
    from infra.functions import ARCHITECTURE

    section = Section("lambda_bundle", "Lambda bundle size")
    bundle = LambdaBundle(python_version=LAMBDA_PYTHON, architecture=ARCHITECTURE)
    with tempfile.TemporaryDirectory(prefix="tasklane-bundle-") as scratch:
        root = Path(scratch) / "bundle"
        root.mkdir()
        bundle.build(root)  # from .local/lambda-bundles when this source was built before
        files = _files(root)
        unzipped = sum(p.stat().st_size for p in files)
        zipped = _zipped_bytes(root, files)
        dependencies = _dependency_bytes(root, files)
        baseline = sum(dependencies.values())
        own = sum(p.stat().st_size for p in files if p.relative_to(root).parts[0] in OWN_PARTS)
        problems = bundle_problems(root, LAMBDA_PYTHON, bundle.platform.split("-")[0])
        handlers = _handlers(root)

    ratio = unzipped / baseline
    section.checks += [
        Check(
            "bundle unzipped (MB)",
            round(unzipped / MB, 1),
            f"< {LAMBDA_UNZIPPED_LIMIT_MB} (Lambda's limit)",
            unzipped < LAMBDA_UNZIPPED_LIMIT_MB * MB,
        ),
        Check(
            "bundle zipped (MB)",
            round(zipped / MB, 1),
            f"< {DIRECT_UPLOAD_LIMIT_MB} (direct-upload limit)",
            zipped < DIRECT_UPLOAD_LIMIT_MB * MB,
        ),
        Check(
            "bundle / runtime dependencies without bytecode",
            round(ratio, 2),
            f"<= {MAX_RATIO_TO_DEPENDENCIES}",
            ratio <= MAX_RATIO_TO_DEPENDENCIES,
            note=f"dependencies {baseline / MB:.1f} MB; our code and migrations "
            f"{own / MB:.1f} MB; the rest is bytecode",
        ),
        Check(
            f"wheels or libraries that do not fit Python {LAMBDA_PYTHON} / ARM64",
            len(problems),
            "0",
            not problems,
            note="; ".join(problems[:3]),
        ),
    ]
    section.data = {
        "python": LAMBDA_PYTHON,
        "platform": bundle.platform,
        "files": len(files),
        "unzipped_mb": round(unzipped / MB, 1),
        "zipped_mb": round(zipped / MB, 1),
        "functions": handlers,
        "largest_dependencies_mb": {
            name: round(size / MB, 1) for name, size in dependencies.most_common(6)
        },
    }
    return section


def render(section: Section) -> list[str]:
    from benchmarks.markdown import checks as _checks
    from benchmarks.markdown import table as _table

    data: dict[str, Any] = section.data
    out = [
        f"One code asset for every function: the pinned runtime dependencies as wheels for "
        f"Python {data['python']} (`{data['platform']}`), our package and the migrations, "
        f"compiled to bytecode; {data['files']} files.",
        "",
    ]
    out += _table(
        ["function (handler module)", "unzipped MB", "zipped MB"],
        [[h, data["unzipped_mb"], data["zipped_mb"]] for h in data["functions"]],
    )
    out += ["Largest runtime dependencies (MB, without bytecode):", ""]
    out += _table(
        ["distribution", "MB"], [[k, v] for k, v in data["largest_dependencies_mb"].items()]
    )
    return out + _checks(section.checks)
