"""Listening sockets for the local servers.

Both servers get a socket that is already bound and listening, so a busy port fails at once,
in the caller's thread, with an error the CLI can turn into one line (a server that binds in
its own thread can only die there), and port 0 yields the real port before anything starts.
"""

from __future__ import annotations

import errno
import socket


class PortInUseError(Exception):
    def __init__(self, host: str, port: int, service: str) -> None:
        super().__init__(f"port {port} on {host} is already in use ({service})")
        self.host = host
        self.port = port
        self.service = service


def listen(host: str, port: int, *, service: str) -> socket.socket:
    """A TCP socket bound to ``host:port`` (0 = a free port) and listening.

    ``socket.create_server`` sets SO_REUSEADDR, so a restart right after a stop does not trip
    over connections in TIME_WAIT, while a port another process listens on is still refused.
    """
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    try:
        return socket.create_server((host, port), family=family)
    except OSError as error:
        if error.errno == errno.EADDRINUSE:
            raise PortInUseError(host, port, service) from error
        raise


def base_url(host: str, port: int) -> str:
    """The URL a client on this machine uses to reach a server bound to ``host:port``."""
    if host in ("0.0.0.0", ""):  # noqa: S104 - a bind address, rewritten for clients
        host = "127.0.0.1"
    elif host == "::":
        host = "::1"
    if ":" in host:
        host = f"[{host}]"
    return f"http://{host}:{port}"
