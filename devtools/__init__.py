"""Where the tools that the Makefile installs are, for every script that starts one.

A fresh machine has Python, Node and apt only: the Makefile installs uv into ``.tools/bin``
when it is not on PATH, so a bare ``uv`` (or ``shutil.which("uv")``) fails there even though
``make`` found it. Every subprocess that runs uv asks :func:`uv` instead.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
#: The Makefile's private copy (its ``.tools/bin/uv`` rule).
PRIVATE_UV = ROOT / ".tools" / "bin" / "uv"


def uv(root: Path = ROOT) -> str:
    """The uv executable: ``$UV`` (``uv run`` and the Makefile set it), else the Makefile's
    private copy under ``root``, else one on PATH."""
    if found := os.environ.get("UV"):
        return found
    private = root / PRIVATE_UV.relative_to(ROOT)
    if private.is_file() and os.access(private, os.X_OK):
        return str(private)
    if found := shutil.which("uv"):
        return found
    raise FileNotFoundError(
        "uv not found: not in $UV, not in .tools/bin (run `make install`), not on PATH"
    )
