"""A PATH as a fresh machine has it: every tool the Makefile installs itself is left out.

``.ci/run`` and the fresh-machine test run with it, so a script that starts a bare ``uv``
fails in CI as it would for a newcomer, instead of passing because the CI machine happens to
have uv. Every PATH folder that holds such a tool is replaced by a folder of links to
everything else in it: python, node, git and the rest stay reachable.

``python3 -m devtools.fresh_path SCRATCH`` prints that PATH (links made under SCRATCH).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

#: What the Makefile installs itself (into .tools/bin) when the machine lacks it.
MAKEFILE_TOOLS = ("uv", "uvx")


def without_makefile_tools(path: str, scratch: Path, keep: Path | None = None) -> str:
    """``path`` with every folder that holds one of :data:`MAKEFILE_TOOLS` replaced by a
    folder of links (under ``scratch``) to the rest of it; ``keep`` (the repo's own
    .tools/bin) stays as it is."""
    folders: list[str] = []
    for position, folder in enumerate(path.split(os.pathsep)):
        here = Path(folder)
        if folder and here != keep and any((here / tool).exists() for tool in MAKEFILE_TOOLS):
            copy = scratch / str(position)
            copy.mkdir(parents=True, exist_ok=True)
            for entry in here.iterdir():
                if entry.name not in MAKEFILE_TOOLS and not (copy / entry.name).exists():
                    (copy / entry.name).symlink_to(entry)
            folder = str(copy)
        folders.append(folder)
    return os.pathsep.join(folders)


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("usage: python3 -m devtools.fresh_path SCRATCH_DIR", file=sys.stderr)
        return 2
    repo_tools = Path(__file__).resolve().parent.parent / ".tools" / "bin"
    print(without_makefile_tools(os.environ.get("PATH", ""), Path(argv[0]), keep=repo_tools))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
