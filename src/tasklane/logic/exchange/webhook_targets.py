"""Resolving a webhook's host and vetting every address (the rules are in
:mod:`tasklane.domain.exchange.targets`). The delivery then connects to ``addresses[0]``
itself, with the URL's host name for TLS (SNI, certificate) and the ``Host`` header, so a
second DNS answer cannot steer it elsewhere (DNS rebinding)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from tasklane.domain.exchange.targets import (
    IPAddress,
    TargetPolicy,
    UnsafeTarget,
    WebhookTarget,
    parse_target,
    vet_addresses,
)

#: ``(host, port)`` → the addresses it resolves to (``tasklane.dal.http.system_resolver``).
Resolver = Callable[[str, int], Sequence[IPAddress]]


@dataclass(frozen=True, slots=True)
class ResolvedTarget:
    target: WebhookTarget
    #: Vetted: connect to one of these, never to a new resolution.
    addresses: tuple[IPAddress, ...]


def resolve_target(url: str, policy: TargetPolicy, resolver: Resolver) -> ResolvedTarget:
    """At registration and before each delivery; :class:`UnsafeTarget` (422) when refused,
    the same error whether the host does not resolve or resolves somewhere private."""
    target = parse_target(url, policy)
    if target.address is not None:
        return ResolvedTarget(target, (target.address,))
    try:
        addresses = tuple(resolver(target.host, target.port))
    except (OSError, UnicodeError, ValueError) as exc:
        raise UnsafeTarget("host_not_public") from exc
    vet_addresses(target, addresses, policy)
    return ResolvedTarget(target, addresses)
