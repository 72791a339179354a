"""tasklane.local.web: the Next.js standalone server as a child process."""

from __future__ import annotations

import socket
from pathlib import Path

import httpx
import pytest

from tasklane.local.net import listen
from tasklane.local.web import WebNotBuiltError, WebServer, server_script

from .conftest import WEB_DIR


def free_port() -> int:
    probe = listen("127.0.0.1", 0, service="web")
    port: int = probe.getsockname()[1]
    probe.close()
    return port


def test_refuses_to_start_without_a_build(tmp_path: Path) -> None:
    with pytest.raises(WebNotBuiltError, match="make web-build"):
        WebServer(tmp_path, "127.0.0.1", free_port(), "http://127.0.0.1:9").start()


def test_serves_the_build_with_the_api_url_given_at_run_time() -> None:
    assert server_script(WEB_DIR).is_file(), "run `make web-build` (make test does)"
    port = free_port()
    server = WebServer(WEB_DIR, "127.0.0.1", port, "http://127.0.0.1:4321").start()
    try:
        answer = httpx.get(f"http://127.0.0.1:{port}/runtime-config", timeout=10)
        assert answer.json() == {"apiUrl": "http://127.0.0.1:4321"}
        assert httpx.get(f"http://127.0.0.1:{port}/login", timeout=10).status_code == 200
        static = httpx.get(f"http://127.0.0.1:{port}/login", timeout=10).text
        chunk = static.split('src="/_next/static/', 1)[1].split('"', 1)[0]
        assert httpx.get(f"http://127.0.0.1:{port}/_next/static/{chunk}").status_code == 200
    finally:
        server.stop()
    server.stop()  # twice is fine
    with socket.socket() as sock:
        assert sock.connect_ex(("127.0.0.1", port)) != 0, "node still listens after stop()"
