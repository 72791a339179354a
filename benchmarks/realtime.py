"""Local WebSocket gateway: 200 concurrent connections — its memory, and a post to each.

A child process runs what ``tasklane dev`` runs for the WebSocket API: moto (with the Cognito
pool), the local gateway with the socket and ``@connections`` mounted, and the real
``$connect`` authorizer (every connection's ID token is verified against moto's JWKS). Its
only route is a two-way ``$default`` that answers a connection with its own id, a stand-in
for phase B's handlers. This process opens the connections (one asyncio client, so they add
nothing to the child), then posts one message to each through boto3's
``apigatewaymanagementapi`` client and counts what every socket received.

Measured: the child's resident memory (VmRSS) after one warm-up connection (handlers and keys
loaded) and with every connection open, and the difference per connection; connections
refused; messages received out of messages posted. Target: every post is received, no
connection or post fails. Memory is reported, without a target: it is a property of this
machine's Python and libraries, not of AWS, where API Gateway holds the connections.
"""

from __future__ import annotations

import asyncio
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from benchmarks.markdown import checks
from benchmarks.results import Check, Section

CONNECTIONS = 200
#: The child writes its URL and a token here, then serves until its stdin closes.
READY_TIMEOUT_SECONDS = 60
REGION = "us-east-1"


def _rss_kb(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise RuntimeError("no VmRSS in /proc: memory cannot be measured on this system")


def run(connections: int = CONNECTIONS) -> Section:
    section = Section("realtime", f"Local WebSocket gateway: {connections} connections")
    with tempfile.TemporaryDirectory(prefix="tasklane-bench-ws-") as scratch:
        ready = Path(scratch) / "ready.json"
        child = subprocess.Popen(
            [sys.executable, "-m", "benchmarks.realtime", "serve", str(ready)],
            stdin=subprocess.PIPE,
            cwd=Path(__file__).resolve().parent.parent,
        )
        try:
            info = _wait_ready(child, ready)
            section.data = asyncio.run(_measure(child.pid, info, connections))
        finally:
            if child.stdin is not None:
                child.stdin.close()
            try:
                child.wait(timeout=30)
            except subprocess.TimeoutExpired:
                child.kill()
    data = section.data
    section.checks = [
        Check(
            "connections accepted",
            f"{data['accepted']} of {connections}",
            f"{connections} of {connections}",
            data["accepted"] == connections,
        ),
        Check(
            "posts received (one per connection)",
            f"{data['received']} of {data['posted']}",
            "every post",
            data["received"] == data["posted"] == connections and data["post_errors"] == 0,
        ),
        Check("gateway process RSS, 1 connection", f"{data['rss_before_mb']} MB"),
        Check(f"gateway process RSS, {connections} connections", f"{data['rss_after_mb']} MB"),
        Check("memory per connection", f"{data['kb_per_connection']} KB"),
    ]
    return section


def _wait_ready(child: subprocess.Popen[bytes], ready: Path) -> dict[str, Any]:
    deadline = time.monotonic() + READY_TIMEOUT_SECONDS
    while not ready.exists():
        if child.poll() is not None:
            raise RuntimeError(f"the gateway process exited with {child.returncode}")
        if time.monotonic() > deadline:
            raise RuntimeError("the gateway process did not start in time")
        time.sleep(0.1)
    return dict(json.loads(ready.read_text()))


async def _measure(pid: int, info: dict[str, Any], count: int) -> dict[str, Any]:
    from websockets.asyncio.client import ClientConnection, connect

    url = f"{info['socket_url']}?token={info['token']}"

    async def open_one() -> tuple[ClientConnection, str]:
        socket = await connect(url, open_timeout=60, ping_interval=None, max_queue=None)
        await socket.send(json.dumps({"action": "whoami"}))
        reply = json.loads(await asyncio.wait_for(socket.recv(), 60))
        return socket, str(reply["connectionId"])

    warm, _ = await open_one()  # the authorizer imported, moto's keys fetched
    await warm.close()
    await asyncio.sleep(0.5)
    before = _rss_kb(pid)

    started = time.perf_counter()
    opened = await asyncio.gather(*(open_one() for _ in range(count)), return_exceptions=True)
    connect_seconds = time.perf_counter() - started
    sockets = [o for o in opened if not isinstance(o, BaseException)]
    await asyncio.sleep(0.5)
    after = _rss_kb(pid)

    posted, post_ms, errors = await asyncio.to_thread(_post_to_each, info, sockets)
    received = 0
    for socket, connection_id in sockets:
        try:
            message = json.loads(await asyncio.wait_for(socket.recv(), 30))
        except (TimeoutError, ValueError):
            continue
        received += message == {"type": "changes", "changes": [{"to": connection_id}]}
    await asyncio.gather(*(socket.close() for socket, _ in sockets))

    return {
        "connections": count,
        "accepted": len(sockets),
        "connect_seconds": round(connect_seconds, 2),
        "rss_before_mb": round(before / 1024, 1),
        "rss_after_mb": round(after / 1024, 1),
        "kb_per_connection": round((after - before) / max(len(sockets), 1), 1),
        "posted": posted,
        "post_errors": errors,
        "received": received,
        "post_p50_ms": round(statistics.median(post_ms), 1) if post_ms else None,
    }


def _post_to_each(info: dict[str, Any], sockets: list[Any]) -> tuple[int, list[float], int]:
    """One PostToConnection per connection, as the events function will send them."""
    import boto3

    management = boto3.client(
        "apigatewaymanagementapi",
        endpoint_url=info["management_url"],
        region_name=REGION,
        aws_access_key_id="testing",
        aws_secret_access_key="testing",  # noqa: S106 - moto dummy key  # pragma: allowlist secret
    )

    def post(connection_id: str) -> float | None:
        data = json.dumps({"type": "changes", "changes": [{"to": connection_id}]}).encode()
        started = time.perf_counter()
        try:
            management.post_to_connection(ConnectionId=connection_id, Data=data)
        except Exception:
            return None
        return (time.perf_counter() - started) * 1000

    with ThreadPoolExecutor(max_workers=8) as pool:
        timings = list(pool.map(post, [connection_id for _, connection_id in sockets]))
    done = [t for t in timings if t is not None]
    return len(timings), done, len(timings) - len(done)


def render(section: Section) -> list[str]:
    data = section.data
    return [
        "A child process runs moto, the local gateway and the real `$connect` authorizer (as "
        f"`tasklane dev` does); this process opened {data['connections']} connections in "
        f"{data['connect_seconds']} s (each verified against moto's JWKS), then posted one "
        "message to each with boto3's `apigatewaymanagementapi` client "
        f"(p50 {data['post_p50_ms']} ms per post). Memory is the child's VmRSS after one "
        "warm-up connection and with every connection open.",
        "",
        *checks(section.checks),
    ]


# The child: the gateway under test --------------------------------------------------------------


def _whoami(event: dict[str, Any], context: Any) -> dict[str, Any]:
    """A two-way ``$default`` route: tells a connection its id (phase B's handlers stand-in)."""
    connection_id = event["requestContext"]["connectionId"]
    return {"statusCode": 200, "body": json.dumps({"connectionId": connection_id})}


def serve(ready: Path) -> None:
    from tasklane.cli.users import CognitoTarget, confirm, log_in, sign_up
    from tasklane.local.auth import TokenVerifier
    from tasklane.local.bootstrap import bootstrap
    from tasklane.local.emulators import MotoServer
    from tasklane.local.gateway import create_app
    from tasklane.local.launcher import aws_environment, update_environ
    from tasklane.local.net import base_url, listen
    from tasklane.local.runtime import ThreadedUvicorn
    from tasklane.local.websocket import WebSocketGateway, mount

    moto = MotoServer("127.0.0.1", 0)
    config = bootstrap(moto.start(), region=REGION)
    target = CognitoTarget(
        region=config.region,
        user_pool_id=config.user_pool_id,
        client_id=config.client_id,
        endpoint_url=config.endpoint_url,
    )
    sign_up(target, "bench@example.com", "Correct-Horse-9x")
    confirm(target, "bench@example.com")
    tokens = log_in(target, "bench@example.com", "Correct-Horse-9x")
    update_environ(
        {
            **aws_environment(config.endpoint_url, config.region),
            "TASKLANE_USER_POOL_ID": config.user_pool_id,
            "TASKLANE_USER_POOL_CLIENT_ID": config.client_id,
            "TASKLANE_COGNITO_ENDPOINT": config.endpoint_url,
            "TASKLANE_LOCAL_MODE": "1",
            "POWERTOOLS_LOG_LEVEL": "WARNING",
        }
    )
    verifier = TokenVerifier(
        jwks_url=config.jwks_url, issuer=config.issuer, client_id=config.client_id
    )
    app = create_app(verify=verifier.verify, region=config.region)
    gateway = WebSocketGateway(
        region=config.region, routes={"$default": _whoami}, two_way={"$default"}
    )
    mount(app, gateway)
    sock = listen("127.0.0.1", 0, service="API")
    server = ThreadedUvicorn(app, sock)
    server.start()
    url = base_url("127.0.0.1", sock.getsockname()[1])
    info = {
        "socket_url": url.replace("http://", "ws://") + gateway.path,
        "management_url": url + gateway.path,
        "token": tokens.id_token,
    }
    ready.write_text(json.dumps(info))
    try:
        sys.stdin.read()  # until the parent closes our stdin
    finally:
        server.stop()
        moto.stop()


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "serve":
        serve(Path(sys.argv[2]))
    else:
        print(json.dumps(run(int(os.environ.get("BENCH_CONNECTIONS", CONNECTIONS))).to_json()))
