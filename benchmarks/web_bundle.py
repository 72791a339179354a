"""JavaScript a browser downloads (gzip) on the first load of the task-list page, against an
empty Next.js page built with the same versions in the same build.

Baseline: ``/bench-empty`` is a route of the same app with a root layout of its own and no
client code (``web/src/app/(bench)/``): the framework's JavaScript (React, the Next.js
runtime), none of the app's. Same versions, same compiler settings, same build: the ratio is
what the app adds. A separate empty app would cost a second ``next build`` per run for the
same answer.

How: the existing standalone build is served (``node server.js``, as ``make run`` does; this
reuses ``make web-build``'s output, it never builds), each page's HTML is fetched, and every
JavaScript chunk it references — ``<script src>`` tags and chunk paths in the inline React
Server Components payload — is gzip-compressed (level 6, what the server's compression does)
and summed. That is what a first visit downloads before the page is interactive. Chunks
loaded later by ``import()`` are not in it: the Cognito SDK is one (loaded when you log in or
the ID token needs refreshing, not when a signed-in page opens); its size is reported too.
"""

from __future__ import annotations

import gzip
import re
from pathlib import Path

import httpx

from benchmarks.results import Check, Section
from tasklane.local.net import listen
from tasklane.local.web import DEFAULT_WEB_DIR, WebServer, server_script

TARGET_RATIO = 1.5
APP_PAGE = "/projects/inbox"
EMPTY_PAGE = "/bench-empty"
HOST = "127.0.0.1"
_CHUNK = re.compile(r"(?:/_next/)?(static/chunks/[A-Za-z0-9_./~-]+?\.js)")
#: A chunk with these is the lazily loaded Cognito SDK.
_SDK_MARKER = b"InitiateAuth"


def gzip_size(path: Path) -> int:
    return len(gzip.compress(path.read_bytes(), compresslevel=6))


def page_chunks(html: str) -> set[str]:
    """``static/chunks/...js`` paths a page's HTML makes the browser load."""
    return {match.group(1) for match in _CHUNK.finditer(html)}


def run(web_dir: Path = DEFAULT_WEB_DIR) -> Section:
    section = Section("web_bundle", "Web bundle (first load, gzip)")
    if not server_script(web_dir).is_file():
        section.error = f"no build at {server_script(web_dir)}: run `make web-build` first"
        return section
    probe = listen(HOST, 0, service="web")
    port = probe.getsockname()[1]
    probe.close()
    # The pages' HTML only: no API behind it (the browser would ask it for data later).
    server = WebServer(web_dir, HOST, port, api_url="http://127.0.0.1:9").start()
    try:
        pages = {
            path: httpx.get(f"http://{HOST}:{port}{path}", timeout=30).raise_for_status().text
            for path in (APP_PAGE, EMPTY_PAGE)
        }
    finally:
        server.stop()

    static_root = web_dir / ".next"
    sizes: dict[str, dict[str, int]] = {}
    for path, html in pages.items():
        chunks = page_chunks(html)
        if not chunks:
            section.error = f"{path}: no JavaScript chunk found in its HTML"
            return section
        sizes[path] = {chunk: gzip_size(static_root / chunk) for chunk in sorted(chunks)}
    app_bytes = sum(sizes[APP_PAGE].values())
    empty_bytes = sum(sizes[EMPTY_PAGE].values())
    ratio = round(app_bytes / empty_bytes, 3)
    own = sorted(set(sizes[APP_PAGE]) - set(sizes[EMPTY_PAGE]))
    lazy = [
        chunk
        for chunk in sorted(p.relative_to(static_root).as_posix() for p in _all_chunks(static_root))
        if _SDK_MARKER in (static_root / chunk).read_bytes()
        and not any(chunk in chunks for chunks in sizes.values())
    ]
    lazy_bytes = sum(gzip_size(static_root / chunk) for chunk in lazy)

    section.checks = [
        Check(
            f"JS of {APP_PAGE} / JS of an empty Next.js page (gzip)",
            ratio,
            f"≤ {TARGET_RATIO}",
            ratio <= TARGET_RATIO,
        ),
        Check(f"JS of {APP_PAGE} (gzip, KiB)", round(app_bytes / 1024, 1)),
        Check(f"JS of {EMPTY_PAGE} (gzip, KiB)", round(empty_bytes / 1024, 1)),
        Check(
            "Cognito SDK, loaded on log-in or token refresh only (gzip, KiB)",
            round(lazy_bytes / 1024, 1),
            note="import() on first use: not part of a signed-in page's first load",
        ),
    ]
    section.data["chunks"] = {
        "app_page": sizes[APP_PAGE],
        "empty_page": sizes[EMPTY_PAGE],
        "app_only": own,
        "lazy_cognito": lazy,
    }
    return section


def _all_chunks(static_root: Path) -> list[Path]:
    return sorted((static_root / "static" / "chunks").rglob("*.js"))


def render(section: Section) -> list[str]:
    from benchmarks.markdown import checks as _checks
    from benchmarks.markdown import table as _table

    chunks = section.data["chunks"]
    app_only = set(chunks["app_only"])
    out = [
        f"The standalone build `make web-build` made, served by `node server.js`. Every "
        f"JavaScript chunk the HTML of `{APP_PAGE}` (the task list) and of `{EMPTY_PAGE}` (an "
        "empty page of the same build with its own root layout: React and the Next.js runtime "
        "only) makes the browser load, gzip level 6. Chunks loaded later by `import()` are "
        "not part of a first load; the Cognito SDK is the one worth naming.",
        "",
    ]
    out += _checks(section.checks)
    rows = [
        [chunk, size, "app" if chunk in app_only else "framework"]
        for chunk, size in chunks["app_page"].items()
    ]
    return out + _table(["chunk of the task-list page", "gzip bytes", "part of"], rows)
