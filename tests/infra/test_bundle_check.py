"""infra.bundle_check finds what would not run on the Lambda runtime (no synth needed)."""

from __future__ import annotations

from pathlib import Path

import pytest
from infra.bundle_check import bundle_problems, tag_fits


@pytest.mark.parametrize(
    ("tag", "fits"),
    [
        ("py3-none-any", True),
        ("cp313-cp313-manylinux_2_28_aarch64", True),
        ("cp313-cp313-manylinux2014_aarch64", True),
        ("cp39-abi3-manylinux_2_17_aarch64", True),
        ("cp313-cp313-manylinux_2_28_x86_64", False),  # wrong architecture
        ("cp311-cp311-manylinux_2_28_aarch64", False),  # another CPython's ABI
        ("cp313-cp313-manylinux_2_39_aarch64", False),  # newer glibc than AL2023's 2.34
        ("cp313-cp313-musllinux_1_2_aarch64", False),
        ("cp313-cp313-linux_aarch64", False),  # not a portable wheel
    ],
)
def test_tags(tag: str, fits: bool) -> None:
    assert tag_fits(tag, "3.13", "aarch64") is fits


def _dist(bundle: Path, name: str, tag: str, requires: str = ">=3.9") -> None:
    info = bundle / f"{name}-1.0.dist-info"
    info.mkdir()
    (info / "WHEEL").write_text(f"Wheel-Version: 1.0\nRoot-Is-Purelib: false\nTag: {tag}\n")
    (info / "METADATA").write_text(
        f"Metadata-Version: 2.1\nName: {name}\nRequires-Python: {requires}\n"
    )


def _elf(path: Path, machine: int) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    # e_ident (16 bytes: magic, 64-bit, little endian), e_type, e_machine.
    path.write_bytes(
        b"\x7fELF\x02\x01\x01" + b"\0" * 9 + b"\x03\x00" + machine.to_bytes(2, "little")
    )


def test_a_wrong_wheel_is_reported(tmp_path: Path) -> None:
    _dist(tmp_path, "good", "py3-none-any")
    _dist(tmp_path, "native", "cp313-cp313-manylinux_2_28_aarch64")
    _elf(tmp_path / "native/_speedups.cpython-313-aarch64-linux-gnu.so", 0xB7)
    assert bundle_problems(tmp_path, "3.13", "aarch64") == []

    _dist(tmp_path, "intel", "cp313-cp313-manylinux_2_28_x86_64")
    _dist(tmp_path, "old", "py3-none-any", requires="<3.12")
    _elf(tmp_path / "intel/_core.so", 0x3E)
    problems = bundle_problems(tmp_path, "3.13", "aarch64")
    assert len(problems) == 3, problems
    assert any(p.startswith("intel-1.0.dist-info: no tag fits") for p in problems)
    assert any("Requires-Python <3.12" in p for p in problems)
    assert any(p.startswith("intel/_core.so: ELF machine 0x3e") for p in problems)
