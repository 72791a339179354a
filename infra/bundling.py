"""The Lambda code assets, built without Docker: one per handler, holding what it imports.

Each function's bundle carries the runtime dependencies its handler can import (found by
reading the source: ``infra.import_trace``; the notifier never imports SQLAlchemy, so it
does not ship it) at the versions pinned in ``uv.lock`` (``uv export``), installed as wheels
for the Lambda platform, plus the ``tasklane`` modules it imports (and the Alembic
migrations for the function that runs them), compiled to bytecode by the Lambda runtime's
Python. Handlers that import the same things share one asset.

Why bytecode, and why *unchecked-hash* bytecode: ``/var/task`` is read-only, so a bundle
without ``.pyc`` files compiles every module on every cold start (about 4x the import time,
see benchmarks/report.md). The default timestamp-checked ``.pyc`` would not help either: the
asset zip does not keep modification times, so Python would find every ``.pyc`` stale. An
unchecked-hash ``.pyc`` is used as is; the bundle is immutable, so it can never be stale.

Built bundles are cached under ``.local/lambda-bundles/<asset hash>`` (hard-linked into the
CDK staging directory), so tests and repeated synths build once per source or lock change.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import aws_cdk as cdk
import devtools
import jsii
from aws_cdk import aws_lambda as lambda_

from infra.import_trace import closure, distributions, normalise, trace

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "src" / "tasklane"
#: The Alembic migrations, shipped beside the package for the migrations runner
#: (``TASKLANE_MIGRATIONS_DIR`` names them in the function's environment).
MIGRATIONS = ROOT / "migrations"
CACHE = ROOT / ".local" / "lambda-bundles"
#: Bump when the build steps change in a way the inputs below do not show.
BUILD_VERSION = "3"
#: Parts of the package the functions never import: the local runtime (moto, uvicorn) and
#: the operator's commands (tasklane.cli).
EXCLUDED_PARTS = ("local", "cli")


def runtime_requirements() -> str:
    """Runtime dependencies only, with exact versions and hashes, from the committed lock."""
    done = subprocess.run(  # noqa: S603
        [
            devtools.uv(),
            "export",
            *("--frozen", "--no-dev", "--no-default-groups", "--no-emit-project"),
            *("--no-header", "--no-annotate"),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return done.stdout


def _python_version(executable: str) -> str | None:
    try:
        done = subprocess.run(  # noqa: S603
            [executable, "-c", "import sys; print('%d.%d' % sys.version_info[:2])"],
            capture_output=True,
            text=True,
            timeout=30,
            check=False,
        )
    except OSError:
        return None
    return done.stdout.strip() if done.returncode == 0 else None


def _candidates(version: str) -> Iterator[str]:
    if explicit := os.environ.get("TASKLANE_LAMBDA_PYTHON"):
        yield explicit
    if sys.version_info[:2] == tuple(int(p) for p in version.split(".")):
        yield sys.executable
    if found := shutil.which(f"python{version}"):
        yield found
    pyenv = Path(os.environ.get("PYENV_ROOT") or Path.home() / ".pyenv")
    yield from (str(p) for p in sorted(pyenv.glob(f"versions/{version}.*/bin/python{version}")))
    done = subprocess.run(  # noqa: S603
        [devtools.uv(), "python", "find", "--no-project", version],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    if done.returncode == 0 and done.stdout.strip():
        yield done.stdout.strip()


def find_python(version: str) -> str | None:
    """An interpreter of exactly ``version`` (``3.13``) on this machine, or None."""
    return next((c for c in _candidates(version) if _python_version(c) == version), None)


def package_files(base: Path = PACKAGE) -> list[Path]:
    files = []
    for path in sorted(base.rglob("*")):
        relative = path.relative_to(base)
        if path.is_dir() or "__pycache__" in relative.parts or path.suffix == ".pyc":
            continue
        if relative.parts[0] in EXCLUDED_PARTS:
            continue
        files.append(path)
    return files


def select_requirements(requirements: str, names: Iterable[str]) -> str:
    """The entries of a ``uv export`` (one line and its ``--hash`` continuations each) for
    the distributions ``names`` (normalised)."""
    wanted = set(names)
    blocks: list[list[str]] = []
    for line in requirements.splitlines():
        if line and not line[0].isspace():
            blocks.append([])
        if blocks:
            blocks[-1].append(line)
    kept = [
        "\n".join(block)
        for block in blocks
        if (match := _REQUIREMENT.match(block[0])) and normalise(match.group(1)) in wanted
    ]
    return "\n".join(kept) + "\n"


_REQUIREMENT = re.compile(r"([A-Za-z0-9][A-Za-z0-9._-]*)")


@dataclass(frozen=True)
class Contents:
    """What one handler's bundle holds."""

    handler: str
    #: ``tasklane`` files, relative to the package: the modules the handler imports, and the
    #: data files of their packages (templates, ``py.typed``).
    package_files: tuple[Path, ...]
    #: The Alembic migrations, for a handler that runs Alembic.
    migrations: bool
    #: The runtime distributions it imports, with their dependencies (normalised names).
    distributions: frozenset[str]
    #: Their entries of the lock's export: what is installed.
    requirements: str


def contents(handler: str, requirements: str) -> Contents:
    """The bundle of the handler ``tasklane.handlers.<name>.lambda_handler`` (or its module)."""
    module = handler.removesuffix(".lambda_handler")
    found = trace([module], PACKAGE.parent)
    migrations = "alembic" in found.externals
    if migrations:  # env.py and the versions import modules of their own
        found = trace([module], PACKAGE.parent, extra_files=sorted(MIGRATIONS.rglob("*.py")))
    roots = distributions(found.third_party)
    wanted = closure(roots, ROOT / "uv.lock", "tasklane")
    return Contents(
        handler=module,
        package_files=_files_of(found.modules),
        migrations=migrations,
        distributions=wanted,
        requirements=select_requirements(requirements, wanted),
    )


def _files_of(modules: Iterable[str]) -> tuple[Path, ...]:
    files: set[Path] = set()
    for name in modules:
        parts = name.split(".")[1:]
        base = PACKAGE.joinpath(*parts)
        if (base / "__init__.py").is_file():
            # A package: its __init__ and its data files (not its other modules, nor the
            # subpackages, which come in only if imported themselves).
            for path in base.rglob("*"):
                inner = path.relative_to(base).parts
                if path.is_dir() or "__pycache__" in inner or path.suffix in (".py", ".pyc"):
                    continue
                if any(
                    (base.joinpath(*inner[:i]) / "__init__.py").is_file()
                    for i in range(1, len(inner))
                ):
                    continue
                files.add(path.relative_to(PACKAGE))
            files.add((base / "__init__.py").relative_to(PACKAGE))
        else:
            files.add(base.with_suffix(".py").relative_to(PACKAGE))
    return tuple(sorted(files))


class LambdaBundles:
    """The functions' code assets, one per handler: ``code(handler)`` for
    ``lambda_.Function(code=...)``. Built on first use; equal bundles are one asset."""

    def __init__(self, *, python_version: str, architecture: lambda_.Architecture) -> None:
        self.python_version = python_version
        self.architecture = architecture
        self.requirements = runtime_requirements()
        self._bundles: dict[str, LambdaBundle] = {}

    def bundle(self, handler: str) -> LambdaBundle:
        if handler not in self._bundles:
            self._bundles[handler] = LambdaBundle(
                contents(handler, self.requirements),
                python_version=self.python_version,
                architecture=self.architecture,
            )
        return self._bundles[handler]

    def code(self, handler: str) -> lambda_.Code:
        return self.bundle(handler).code()

    @property
    def bundles(self) -> dict[str, LambdaBundle]:
        """The bundles built so far, by handler."""
        return dict(self._bundles)


class LambdaBundle:
    """One handler's code asset."""

    def __init__(
        self,
        contents: Contents,
        *,
        python_version: str,
        architecture: lambda_.Architecture,
        platform: str | None = None,
        bytecode: bool = True,
    ) -> None:
        self.contents = contents
        self.python_version = python_version
        self.architecture = architecture
        #: uv's ``--python-platform``; by default the Lambda one for ``architecture``.
        self.platform = platform or self._lambda_platform()
        self.bytecode = bytecode
        self.requirements = contents.requirements
        self.asset_hash = self._hash()

    def _lambda_platform(self) -> str:
        # Python 3.12+ runtimes run on Amazon Linux 2023 (glibc 2.34): manylinux_2_28 wheels fit.
        # jsii objects compare by identity: compare the names.
        arch = "aarch64" if self.architecture.name == lambda_.Architecture.ARM_64.name else "x86_64"
        return f"{arch}-manylinux_2_28"

    def _hash(self) -> str:
        digest = hashlib.sha256()
        for part in (BUILD_VERSION, self.python_version, self.platform, str(self.bytecode)):
            digest.update(part.encode() + b"\0")
        digest.update(self.requirements.encode() + b"\0")
        sources = [PACKAGE / f for f in self.contents.package_files]
        if self.contents.migrations:
            sources += package_files(MIGRATIONS)
        for path in sources:
            digest.update(str(path.relative_to(ROOT)).encode() + b"\0")
            digest.update(path.read_bytes() + b"\0")
        return digest.hexdigest()

    def code(self) -> lambda_.Code:
        return lambda_.Code.from_asset(
            str(PACKAGE),
            asset_hash=self.asset_hash,
            asset_hash_type=cdk.AssetHashType.CUSTOM,
            bundling=cdk.BundlingOptions(
                # Never used: local bundling always succeeds or raises.
                image=cdk.DockerImage.from_registry("public.ecr.aws/sam/build-python"),
                local=_LocalBundling(self),
            ),
        )

    def build(self, out: Path) -> None:
        """Builds the bundle into ``out`` (an empty directory), or links it from the cache."""
        cached = CACHE / self.asset_hash
        if not cached.is_dir():
            CACHE.mkdir(parents=True, exist_ok=True)
            scratch = Path(tempfile.mkdtemp(prefix="build-", dir=CACHE))
            try:
                self._build(scratch)
                scratch.rename(cached)
            except BaseException:
                shutil.rmtree(scratch, ignore_errors=True)
                raise
        _link_tree(cached, out)

    def _build(self, out: Path) -> None:
        requirements = out.parent / f"{out.name}.requirements.txt"
        requirements.write_text(self.requirements)
        try:
            subprocess.run(  # noqa: S603
                [
                    devtools.uv(),
                    "pip",
                    "install",
                    *("--target", str(out), "-r", str(requirements)),
                    *("--python-platform", self.platform, "--python-version", self.python_version),
                    *("--only-binary", ":all:", "--no-deps", "--no-compile", "--quiet"),
                ],
                cwd=ROOT,
                check=True,
                timeout=600,
            )
        finally:
            requirements.unlink(missing_ok=True)
        shutil.rmtree(out / "bin", ignore_errors=True)
        for relative in self.contents.package_files:
            (out / "tasklane" / relative).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(PACKAGE / relative, out / "tasklane" / relative)
        if self.contents.migrations:
            shutil.copytree(
                MIGRATIONS,
                out / "migrations",
                ignore=shutil.ignore_patterns("__pycache__", "*.pyc"),
            )
        if not self.bytecode:
            return
        python = find_python(self.python_version)
        if python is None:
            # Still a working bundle, but every cold start compiles every module it imports.
            print(
                f"warning: no Python {self.python_version} here (set TASKLANE_LAMBDA_PYTHON): "
                "the Lambda bundle ships without bytecode",
                file=sys.stderr,
            )
            return
        subprocess.run(  # noqa: S603
            [
                python,
                *("-m", "compileall", "-q", "-j", "0"),
                *("--invalidation-mode", "unchecked-hash", str(out)),
            ],
            check=True,
            timeout=600,
            stdout=subprocess.DEVNULL,
        )


def _link_tree(source: Path, target: Path) -> None:
    def link(src: str, dst: str) -> object:
        try:
            os.link(src, dst)
        except OSError:
            shutil.copy2(src, dst)
        return dst

    shutil.copytree(source, target, copy_function=link, dirs_exist_ok=True, symlinks=True)


@jsii.implements(cdk.ILocalBundling)
class _LocalBundling:
    def __init__(self, bundle: LambdaBundle) -> None:
        self._bundle = bundle

    def try_bundle(self, output_dir: str, *, image: cdk.DockerImage, **_: object) -> bool:
        self._bundle.build(Path(output_dir))
        return True
