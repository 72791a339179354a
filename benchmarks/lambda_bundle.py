"""Lambda bundle size: each function's code asset, zipped and unzipped, against the one
shared asset every function used to ship.

Each bundle is the one ``infra.bundling.LambdaBundles`` builds for ``make synth`` (same
inputs, same cache): the runtime dependencies its handler imports, pinned, as wheels for
Python 3.13 on ARM64, the ``tasklane`` modules it imports (the migrations for the
migrations runner), compiled to bytecode. The baseline, built in the same run from the same
lock, is the shared bundle: every runtime dependency, the whole package, the migrations.

Targets, per function:
- unzipped below 250 MB: Lambda's hard limit for a function's code (and layers);
- zipped below 50 MB: Lambda's limit for a direct upload; CDK uploads through S3, so it
  does not bind, but a smaller zip deploys and cold-starts (code download) faster;
- bundle / its runtime dependencies at most 1.5: the dependencies as installed, without
  bytecode; what we add (our code, migrations, every module's bytecode) may weigh at most
  half as much again;
- no wheel or shared object that does not fit the runtime (``infra.bundle_check``);
- the database libraries (SQLAlchemy, psycopg, Alembic) only in the functions that import
  them: never in the notifier or the sweeper.
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
#: The database libraries, and the functions that run outside the VPC without them.
DATABASE_DISTRIBUTIONS = ("sqlalchemy", "psycopg", "psycopg-binary", "alembic", "mako")
WITHOUT_DATABASE = ("notifier", "sweeper")


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


def _handlers() -> list[str]:
    """The Lambda entry points (``tasklane.handlers.<name>.lambda_handler``), by name."""
    from infra.bundling import PACKAGE

    return sorted(
        p.stem for p in (PACKAGE / "handlers").glob("*.py") if "def lambda_handler" in p.read_text()
    )


def _shared_contents(requirements: str) -> Any:
    """What every function shipped before per-function bundles: the baseline."""
    from infra.bundling import PACKAGE, Contents, package_files
    from infra.import_trace import normalise

    names = {
        normalise(line.split("==", 1)[0])
        for line in requirements.splitlines()
        if line and not line[0].isspace() and "==" in line
    }
    return Contents(
        handler="(every function)",
        package_files=tuple(p.relative_to(PACKAGE) for p in package_files(PACKAGE)),
        migrations=True,
        distributions=frozenset(names),
        requirements=requirements,
    )


def _measure(bundle: Any, arch: str) -> dict[str, Any]:
    from infra.bundle_check import bundle_problems
    from infra.import_trace import normalise

    with tempfile.TemporaryDirectory(prefix="tasklane-bundle-") as scratch:
        root = Path(scratch) / "bundle"
        root.mkdir()
        bundle.build(root)  # from .local/lambda-bundles when this selection was built before
        files = _files(root)
        dependencies = _dependency_bytes(root, files)
        return {
            "files": len(files),
            "unzipped": sum(p.stat().st_size for p in files),
            "zipped": _zipped_bytes(root, files),
            "dependencies": dependencies,
            "distributions": sorted(
                normalise(p.name.split("-")[0]) for p in root.glob("*.dist-info")
            ),
            "problems": bundle_problems(root, bundle.python_version, arch),
        }


def run() -> Section:
    from infra.bundling import LambdaBundle, LambdaBundles
    from infra.config import LAMBDA_PYTHON
    from infra.functions import ARCHITECTURE

    section = Section("lambda_bundle", "Lambda bundle size")
    bundles = LambdaBundles(python_version=LAMBDA_PYTHON, architecture=ARCHITECTURE)
    shared = LambdaBundle(
        _shared_contents(bundles.requirements),
        python_version=LAMBDA_PYTHON,
        architecture=ARCHITECTURE,
    )
    arch = shared.platform.split("-")[0]
    baseline = _measure(shared, arch)
    measured = {
        name: _measure(bundles.bundle(f"tasklane.handlers.{name}.lambda_handler"), arch)
        for name in _handlers()
    }

    for name, m in measured.items():
        dependencies = sum(m["dependencies"].values())
        ratio = m["unzipped"] / dependencies
        database = sorted(set(m["distributions"]) & set(DATABASE_DISTRIBUTIONS))
        for size, limit_mb, limit in (
            ("unzipped", LAMBDA_UNZIPPED_LIMIT_MB, "Lambda's limit"),
            ("zipped", DIRECT_UPLOAD_LIMIT_MB, "direct-upload limit"),
        ):
            section.checks.append(
                Check(
                    f"{name}: {size} (MB)",
                    round(m[size] / MB, 1),
                    f"< {limit_mb} ({limit})",
                    m[size] < limit_mb * MB,
                    note=f"{m[size] / baseline[size]:.2f}x the shared bundle",
                )
            )
        section.checks += [
            Check(
                f"{name}: bundle / its runtime dependencies without bytecode",
                round(ratio, 2),
                f"<= {MAX_RATIO_TO_DEPENDENCIES}",
                ratio <= MAX_RATIO_TO_DEPENDENCIES,
            ),
            Check(
                f"{name}: wheels or libraries that do not fit Python {LAMBDA_PYTHON} / ARM64",
                len(m["problems"]),
                "0",
                not m["problems"],
                note="; ".join(m["problems"][:3]),
            ),
        ]
        if name in WITHOUT_DATABASE:
            section.checks.append(
                Check(
                    f"{name}: database libraries carried",
                    len(database),
                    "0 (runs outside the VPC, never imports them)",
                    not database,
                    note=", ".join(database),
                )
            )
    section.data = {
        "python": LAMBDA_PYTHON,
        "platform": shared.platform,
        "shared": {
            "files": baseline["files"],
            "unzipped_mb": round(baseline["unzipped"] / MB, 1),
            "zipped_mb": round(baseline["zipped"] / MB, 1),
        },
        "functions": {
            name: {
                "files": m["files"],
                "unzipped_mb": round(m["unzipped"] / MB, 1),
                "zipped_mb": round(m["zipped"] / MB, 1),
                "unzipped_ratio": round(m["unzipped"] / baseline["unzipped"], 2),
                "database": sorted(set(m["distributions"]) & set(DATABASE_DISTRIBUTIONS)),
            }
            for name, m in measured.items()
        },
        "largest_dependencies_mb": {
            name: round(size / MB, 1) for name, size in baseline["dependencies"].most_common(6)
        },
    }
    return section


def render(section: Section) -> list[str]:
    from benchmarks.markdown import checks as _checks
    from benchmarks.markdown import table as _table

    data: dict[str, Any] = section.data
    shared = data["shared"]
    out = [
        f"One code asset per function: the runtime dependencies its handler imports, as wheels "
        f"for Python {data['python']} (`{data['platform']}`), the modules of our package it "
        f"imports (and the migrations for the migrations runner), compiled to bytecode. "
        f"Baseline: the shared bundle every function shipped before ({shared['files']} files, "
        f"{shared['unzipped_mb']} MB unzipped, {shared['zipped_mb']} MB zipped), built in the "
        f"same run.",
        "",
    ]
    out += _table(
        ["function", "files", "unzipped MB", "zipped MB", "/ shared (unzipped)", "database"],
        [
            [
                name,
                f["files"],
                f["unzipped_mb"],
                f["zipped_mb"],
                f["unzipped_ratio"],
                ", ".join(f["database"]) or "none",
            ]
            for name, f in data["functions"].items()
        ],
    )
    out += ["Largest runtime dependencies of the shared bundle (MB, without bytecode):", ""]
    out += _table(
        ["distribution", "MB"], [[k, v] for k, v in data["largest_dependencies_mb"].items()]
    )
    return out + _checks(section.checks)
