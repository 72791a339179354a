"""Webhook deliveries over HTTP: DNS resolution and ``WebhookTransport`` (urllib3).

The transport connects to the address it is given — one the SSRF rules vetted
(:mod:`tasklane.logic.exchange.webhook_targets`) — never to a fresh DNS answer, so a
receiver's name cannot be re-pointed at a private address between the check and the
connection (DNS rebinding). TLS still verifies the certificate against the URL's host name
(SNI and hostname check), and the ``Host`` header names it. Redirects are not followed (a
3xx is a failed attempt), nothing is retried here (the queue retries), the whole attempt
must finish within the timeout, and at most ``keep_bytes`` of the answer are read.
"""

from __future__ import annotations

import ipaddress
import socket
import ssl
import time
import urllib.parse
from collections.abc import Mapping
from functools import cached_property

import urllib3

from tasklane.domain.exchange.targets import IPAddress, WebhookTarget
from tasklane.domain.ports.webhooks import HttpOutcome


def system_resolver(host: str, port: int) -> list[IPAddress]:
    """Every address ``host`` resolves to (IPv4 and IPv6), in the resolver's order."""
    found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    addresses: list[IPAddress] = []
    for *_, sockaddr in found:
        address = ipaddress.ip_address(str(sockaddr[0]).split("%", 1)[0])
        if address not in addresses:
            addresses.append(address)
    return addresses


def _host_header(target: WebhookTarget) -> str:
    default = 443 if target.scheme == "https" else 80
    host = f"[{target.host}]" if ":" in target.host else target.host
    return host if target.port == default else f"{host}:{target.port}"


def _path(url: str) -> str:
    parts = urllib.parse.urlsplit(url)
    return (parts.path or "/") + (f"?{parts.query}" if parts.query else "")


class Urllib3Transport:
    """One connection per attempt (receivers differ; a pool would rarely be reused)."""

    @cached_property
    def _tls(self) -> ssl.SSLContext:
        # The system's CA store (Lambda's runtime ships one): no certifi in the bundle.
        return ssl.create_default_context()

    def post(
        self,
        target: WebhookTarget,
        address: IPAddress,
        body: bytes,
        headers: Mapping[str, str],
        timeout: float,
        keep_bytes: int,
    ) -> HttpOutcome:
        limit = urllib3.Timeout(total=timeout)
        pool: urllib3.HTTPConnectionPool
        if target.scheme == "https":
            pool = urllib3.HTTPSConnectionPool(
                str(address),
                target.port,
                timeout=limit,
                retries=False,
                maxsize=1,
                ssl_context=self._tls,
                server_hostname=target.host,
                assert_hostname=target.host,
            )
        else:
            pool = urllib3.HTTPConnectionPool(
                str(address), target.port, timeout=limit, retries=False, maxsize=1
            )
        started = time.perf_counter()
        try:
            response = pool.urlopen(
                "POST",
                _path(target.url),
                body=body,
                headers={**headers, "Host": _host_header(target)},
                redirect=False,
                retries=False,
                assert_same_host=False,
                preload_content=False,
                decode_content=False,
            )
            try:
                kept = response.read(keep_bytes)
            finally:
                # Closed, not drained: the rest of a large or endless answer is never read.
                response.close()
            return HttpOutcome(response.status, kept, _since(started))
        except urllib3.exceptions.HTTPError as exc:
            return HttpOutcome(None, b"", _since(started), _describe(exc))
        finally:
            pool.close()


def _since(started: float) -> int:
    return round((time.perf_counter() - started) * 1000)


def _describe(exc: Exception) -> str:
    """A short, stable reason for the delivery log (no addresses: the owner sees it)."""
    if isinstance(exc, urllib3.exceptions.TimeoutError):
        return "timed out"
    if isinstance(exc, urllib3.exceptions.SSLError):
        return "TLS handshake failed (certificate or protocol)"
    if isinstance(exc, urllib3.exceptions.NewConnectionError):
        return "connection refused or unreachable"
    if isinstance(exc, urllib3.exceptions.ProtocolError):
        return "connection closed without a valid response"
    return type(exc).__name__
