"""Does a built Lambda bundle fit its runtime? Checked without running it.

The bundle targets Python 3.13 on ARM64 (Amazon Linux 2023, glibc 2.34); the build machines
are x86_64, so its native extensions cannot be imported here. What can be checked, and is:

- every installed wheel (``*.dist-info/WHEEL``) carries at least one tag this runtime
  accepts: pure Python (``py3-none-any``), or CPython 3.13 / the stable ABI (``abi3``) built
  for ``manylinux`` ARM64 with a glibc no newer than the runtime's;
- every distribution's ``Requires-Python`` admits 3.13;
- every shared object in the bundle is an ARM64 ELF file (a wrong wheel shows up here even
  when its metadata is right).
"""

from __future__ import annotations

import re
from email.parser import HeaderParser
from pathlib import Path

from packaging.specifiers import SpecifierSet
from packaging.version import Version

#: glibc of the Lambda runtimes on Amazon Linux 2023 (Python 3.12 and later).
RUNTIME_GLIBC = (2, 34)
#: ELF ``e_machine`` values.
_MACHINES = {"aarch64": 0xB7, "x86_64": 0x3E}
_MANYLINUX = re.compile(r"manylinux_(\d+)_(\d+)_(\w+)$")
_LEGACY_MANYLINUX = {"manylinux2014": (2, 17), "manylinux2010": (2, 12), "manylinux1": (2, 5)}


def platform_fits(platform: str, arch: str) -> bool:
    if platform == "any":
        return True
    if match := _MANYLINUX.match(platform):
        glibc = (int(match.group(1)), int(match.group(2)))
        return match.group(3) == arch and glibc <= RUNTIME_GLIBC
    legacy, _, tag_arch = platform.partition("_")
    return legacy in _LEGACY_MANYLINUX and tag_arch == arch


def tag_fits(tag: str, python_version: str, arch: str) -> bool:
    """``tag`` (``cp313-cp313-manylinux_2_28_aarch64``) runs on CPython ``python_version``."""
    major, minor = (int(p) for p in python_version.split("."))
    interpreter, abi, platform = tag.split("-")
    if not platform_fits(platform, arch):
        return False
    if interpreter in ("py3", f"py{major}{minor}") and abi == "none":
        return True
    if interpreter == f"cp{major}{minor}" and abi in (f"cp{major}{minor}", "abi3", "none"):
        return True
    # The stable ABI: built for an older CPython 3, loads on every later one.
    if abi == "abi3" and interpreter.startswith("cp3"):
        return int(interpreter[3:]) <= minor
    return False


def wheel_problems(bundle: Path, python_version: str, arch: str) -> list[str]:
    """One line per distribution in ``bundle`` that does not fit; empty: all fit."""
    problems = []
    python = Version(python_version)
    for dist_info in sorted(bundle.glob("*.dist-info")):
        wheel = dist_info / "WHEEL"
        if not wheel.is_file():
            problems.append(f"{dist_info.name}: no WHEEL file (not installed from a wheel)")
            continue
        tags = HeaderParser().parsestr(wheel.read_text()).get_all("Tag") or []
        if not any(tag_fits(t.strip(), python_version, arch) for t in tags):
            problems.append(f"{dist_info.name}: no tag fits cp{python}/{arch}: {tags}")
        metadata = dist_info / "METADATA"
        if metadata.is_file():
            requires = HeaderParser().parsestr(metadata.read_text()).get("Requires-Python")
            if requires and python not in SpecifierSet(requires):
                problems.append(f"{dist_info.name}: Requires-Python {requires}")
    return problems


def native_problems(bundle: Path, arch: str) -> list[str]:
    """Shared objects that are not ELF files for ``arch``."""
    problems = []
    for path in sorted(bundle.rglob("*.so*")):
        if not path.is_file() or path.is_symlink():
            continue
        header = path.read_bytes()[:20]
        if header[:4] != b"\x7fELF":
            continue  # e.g. a linker script or a file merely named *.so.txt
        machine = int.from_bytes(header[18:20], "little" if header[5] == 1 else "big")
        if machine != _MACHINES[arch]:
            problems.append(f"{path.relative_to(bundle)}: ELF machine {machine:#x}, not {arch}")
    return problems


def bundle_problems(bundle: Path, python_version: str, arch: str) -> list[str]:
    return wheel_problems(bundle, python_version, arch) + native_problems(bundle, arch)
