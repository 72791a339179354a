"""Where a webhook may post: the SSRF rules (no I/O here; resolving is the caller's).

A receiver URL is refused unless it is ``https`` with a host name or a public IP address,
and every address its host resolves to is a public unicast address. Refused, for IPv4 and
IPv6 alike: loopback, private (RFC 1918, unique local), link-local, carrier-grade NAT,
multicast, reserved, unspecified, documentation and benchmarking ranges, and the cloud
metadata addresses; an IPv6 address that carries an IPv4 one (IPv4-mapped, NAT64, 6to4) is
judged by the IPv4 address inside. A numeric host in any form but dotted decimal
(``2130706433``, ``0177.0.0.1``, ``0x7f.1``, ``127.1``) is refused outright: programs
disagree on what such forms mean. No user name or password in the URL, no single-label host
names (resolved through search domains), no IPv6 zone ids.

The same checks run at registration and again before every delivery, on a fresh
resolution; the delivery connects to an address vetted here (never resolving again), and
follows no redirect. The local runtime may allow ``http://`` to loopback addresses
(``TASKLANE_WEBHOOK_ALLOW_HTTP_LOOPBACK``, refused outside local mode).
"""

from __future__ import annotations

import ipaddress
import re
import urllib.parse
from collections.abc import Sequence
from dataclasses import dataclass

from tasklane.domain.errors import ValidationFailed

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
MAX_URL = 2048

_BLOCKED_V4 = [
    ("0.0.0.0/8", "unspecified"),
    ("10.0.0.0/8", "private"),
    ("100.64.0.0/10", "carrier-grade NAT"),
    ("127.0.0.0/8", "loopback"),
    ("169.254.0.0/16", "link-local"),
    ("172.16.0.0/12", "private"),
    ("192.0.0.0/24", "IETF protocol assignments"),
    ("192.0.2.0/24", "documentation"),
    ("192.88.99.0/24", "6to4 relay"),
    ("192.168.0.0/16", "private"),
    ("198.18.0.0/15", "benchmarking"),
    ("198.51.100.0/24", "documentation"),
    ("203.0.113.0/24", "documentation"),
    ("224.0.0.0/4", "multicast"),
    ("240.0.0.0/4", "reserved"),
    # Cloud metadata and host services that sit on public-looking addresses.
    ("168.63.129.16/32", "cloud metadata"),
]
_BLOCKED_V6 = [
    ("::/128", "unspecified"),
    ("::1/128", "loopback"),
    ("::/96", "IPv4-compatible (deprecated)"),
    ("64:ff9b:1::/48", "local NAT64"),
    ("100::/64", "discard"),
    ("2001::/23", "IETF protocol assignments"),
    ("2001:db8::/32", "documentation"),
    ("3fff::/20", "documentation"),
    ("5f00::/16", "segment routing"),
    ("fc00::/7", "unique local"),  # AWS's IPv6 metadata address, fd00:ec2::254, is in it
    ("fe80::/10", "link-local"),
    ("fec0::/10", "site-local (deprecated)"),
    ("ff00::/8", "multicast"),
]
BLOCKED_NETWORKS: list[tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, str]] = [
    (ipaddress.ip_network(net), name) for net, name in _BLOCKED_V4 + _BLOCKED_V6
]
_NAT64 = ipaddress.IPv6Network("64:ff9b::/96")
_LOOPBACK_NAMES = ("localhost",)  # and every name under .localhost (RFC 6761)
_HOST_NAME = re.compile(
    r"(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)+"
)
_LOOSE_IPV4_PART = re.compile(r"0[xX][0-9a-fA-F]*|0[0-7]*|[1-9][0-9]*")
_UNSAFE_CHARACTERS = re.compile(r"[\s\\\x00-\x1f\x7f]")


class UnsafeTarget(ValidationFailed):
    """The URL cannot be a webhook receiver (422). The message is the same whatever the
    private address was, so registering URLs cannot map a network."""

    def __init__(
        self, reason: str, message: str = "the URL must be https and point to the public internet"
    ) -> None:
        super().__init__(message, {"field": "url", "reason": reason})
        self.reason = reason


@dataclass(frozen=True, slots=True)
class TargetPolicy:
    #: ``http://`` to loopback addresses: the local runtime's developer receivers only.
    allow_http_loopback: bool = False


@dataclass(frozen=True, slots=True)
class WebhookTarget:
    url: str
    scheme: str
    #: Lower-case ASCII (IDNA), no trailing dot; an IP address as text for a literal.
    host: str
    port: int
    #: Set when the URL gives an IP address instead of a name.
    address: IPAddress | None


def loose_ipv4(host: str) -> ipaddress.IPv4Address | None:
    """What ``inet_aton`` (and so many resolvers and HTTP clients) would make of ``host``:
    1-4 parts, each decimal, octal (leading 0) or hex (0x); the last part fills the rest.
    None if ``host`` is not numeric in that sense; ValueError if it is but out of range."""
    parts = host.split(".")
    if not 1 <= len(parts) <= 4 or not all(_LOOSE_IPV4_PART.fullmatch(p) for p in parts):
        return None
    values = []
    for part in parts:
        if part[:2].lower() == "0x":
            values.append(int(part[2:] or "0", 16))
        elif part.startswith("0") and len(part) > 1:
            values.append(int(part, 8))
        else:
            values.append(int(part))
    *head, last = values
    if any(v > 255 for v in head) or last >= 256 ** (4 - len(head)):
        raise ValueError("out of range")
    number = sum(v << (8 * (3 - i)) for i, v in enumerate(head)) + last
    return ipaddress.IPv4Address(number)


def blocked_reason(address: IPAddress) -> str | None:
    """Why an address may not be posted to, or None for a public unicast address."""
    if isinstance(address, ipaddress.IPv6Address):
        embedded = address.ipv4_mapped or address.sixtofour
        if embedded is None and address in _NAT64:
            embedded = ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
        if embedded is not None:
            return blocked_reason(embedded)
    for network, name in BLOCKED_NETWORKS:
        if address.version == network.version and address in network:
            return name
    if not address.is_global:
        return "not global"
    return None


def _is_loopback(address: IPAddress) -> bool:
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped.is_loopback
    return address.is_loopback


def parse_target(url: str, policy: TargetPolicy) -> WebhookTarget:
    """The URL's parts, or :class:`UnsafeTarget`. Checks everything that needs no DNS."""
    if len(url) > MAX_URL or _UNSAFE_CHARACTERS.search(url):
        raise UnsafeTarget(
            "malformed_url", "the URL is too long or has spaces or control characters"
        )
    try:
        parts = urllib.parse.urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise UnsafeTarget("malformed_url", "the URL cannot be parsed") from exc
    scheme = parts.scheme.lower()
    if scheme != "https" and not (scheme == "http" and policy.allow_http_loopback):
        raise UnsafeTarget("scheme", "the URL must start with https://")
    if "@" in parts.netloc:
        raise UnsafeTarget("credentials", "the URL must not carry a user name or password")
    raw_host = parts.hostname or ""
    if not raw_host:
        raise UnsafeTarget("malformed_url", "the URL has no host")
    port = port or (443 if scheme == "https" else 80)
    address: IPAddress | None = None
    if parts.netloc.split(":")[0].startswith("["):  # an IPv6 literal
        if "%" in raw_host:
            raise UnsafeTarget("address", "IPv6 zone ids are not allowed")
        try:
            address = ipaddress.IPv6Address(raw_host)
        except ValueError as exc:
            raise UnsafeTarget("malformed_url", "the URL's IPv6 address is not valid") from exc
        host = str(address)
    else:
        host = _ascii_host(raw_host.rstrip("."))
        try:
            numeric = loose_ipv4(host)
        except ValueError as exc:
            raise UnsafeTarget("address", "the URL's IP address is not valid") from exc
        if numeric is not None and str(numeric) != host:
            raise UnsafeTarget(
                "address", "an IP address must be written as four decimal numbers (a.b.c.d)"
            )
        address = numeric
        if numeric is None and host != "localhost" and not _HOST_NAME.fullmatch(host):
            raise UnsafeTarget("host", "the host must be a fully qualified domain name")
    target = WebhookTarget(url, scheme, host, port, address)
    if address is not None:
        vet_addresses(target, [address], policy)
    elif host.endswith(_LOOPBACK_NAMES) and not policy.allow_http_loopback:
        raise UnsafeTarget("host_not_public")
    return target


def _ascii_host(host: str) -> str:
    """IDNA (which also folds full-width digits and dots, so 127.0.0.1 written in full-width
    digits is caught as the address it spells), lower case."""
    try:
        return host.encode("idna").decode("ascii").lower()
    except UnicodeError as exc:
        raise UnsafeTarget("host", "the host name is not valid") from exc


def vet_addresses(
    target: WebhookTarget, addresses: Sequence[IPAddress], policy: TargetPolicy
) -> None:
    """Every address must be public — one private address among public ones refuses the
    host (DNS rebinding hands out both) — except loopback when the policy allows it; and
    plain ``http`` only ever to loopback."""
    if not addresses:
        raise UnsafeTarget("host_not_public")
    for address in addresses:
        if policy.allow_http_loopback and _is_loopback(address):
            continue
        if blocked_reason(address) is not None:
            raise UnsafeTarget("host_not_public")
    if target.scheme == "http" and not all(_is_loopback(a) for a in addresses):
        raise UnsafeTarget("scheme", "the URL must start with https://")
