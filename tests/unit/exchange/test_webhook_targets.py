"""The SSRF guard: which receiver URLs and addresses a webhook may use."""

from __future__ import annotations

import ipaddress
from collections.abc import Sequence

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tasklane.domain.exchange.targets import (
    IPAddress,
    TargetPolicy,
    UnsafeTarget,
    blocked_reason,
    loose_ipv4,
)
from tasklane.logic.exchange.webhook_targets import resolve_target
from tasklane.settings import Env, Settings

AWS = TargetPolicy()
LOCAL = TargetPolicy(allow_http_loopback=True)
PUBLIC_V4 = ipaddress.ip_address("93.184.216.34")
PUBLIC_V6 = ipaddress.ip_address("2606:2800:220:1:248:1893:25c8:1946")


class _dns:  # reads as a call: _dns("1.2.3.4")
    """A resolver that answers the given addresses and remembers what it was asked."""

    def __init__(self, *answers: str) -> None:
        self.answers = [ipaddress.ip_address(a) for a in answers]
        self.calls: list[tuple[str, int]] = []

    def __call__(self, host: str, port: int) -> Sequence[IPAddress]:
        self.calls.append((host, port))
        return self.answers


def test_a_public_https_url_resolves_to_vetted_addresses() -> None:
    resolver = _dns("93.184.216.34", "2606:2800:220:1:248:1893:25c8:1946")
    resolved = resolve_target("https://Hooks.Example.com./in?x=1", AWS, resolver)
    assert resolved.addresses == (PUBLIC_V4, PUBLIC_V6)
    assert (resolved.target.host, resolved.target.port) == ("hooks.example.com", 443)
    assert resolver.calls == [("hooks.example.com", 443)]


def test_an_idn_host_is_resolved_in_ascii() -> None:
    resolver = _dns("93.184.216.34")
    resolved = resolve_target("https://bücher.example:8443/", AWS, resolver)
    assert (resolved.target.host, resolved.target.port) == ("xn--bcher-kva.example", 8443)


@pytest.mark.parametrize(
    "address",
    [
        "127.0.0.1",
        "127.255.0.9",
        "10.1.2.3",
        "172.16.0.1",
        "172.31.255.255",
        "192.168.1.1",
        "169.254.169.254",
        "169.254.170.2",
        "100.64.0.1",
        "100.100.100.200",
        "0.0.0.0",  # noqa: S104 - an address refused, nothing binds
        "224.0.0.1",
        "239.255.255.250",
        "240.0.0.1",
        "255.255.255.255",
        "192.0.0.192",
        "192.0.2.1",
        "198.18.0.1",
        "198.51.100.1",
        "203.0.113.1",
        "168.63.129.16",
        "::1",
        "::",
        "fe80::1",
        "fc00::1",
        "fd00:ec2::254",
        "ff02::1",
        "2001:db8::1",
        "::ffff:127.0.0.1",
        "::ffff:169.254.169.254",
        "::ffff:10.0.0.1",
        "64:ff9b::a9fe:a9fe",
        "2002:7f00:1::",
        "2002:a00:1::",
        "2001::1",
        "::127.0.0.1",
        "fec0::1",
        "5f00::1",
    ],
)
def test_private_and_special_addresses_are_refused(address: str) -> None:
    ip = ipaddress.ip_address(address)
    assert blocked_reason(ip) is not None
    with pytest.raises(UnsafeTarget) as caught:
        resolve_target("https://hooks.example.com/", AWS, _dns(address))
    assert caught.value.status == 422
    assert caught.value.reason == "host_not_public"
    assert address not in caught.value.message  # the answer never maps the network


@pytest.mark.parametrize(
    "address", ["93.184.216.34", "8.8.8.8", "2606:4700::1111", "::ffff:8.8.8.8", "64:ff9b::808:808"]
)
def test_public_addresses_pass(address: str) -> None:
    assert blocked_reason(ipaddress.ip_address(address)) is None


def test_one_private_answer_among_public_ones_refuses_the_host() -> None:
    with pytest.raises(UnsafeTarget):
        resolve_target("https://rebind.example.com/", AWS, _dns("93.184.216.34", "10.0.0.5"))


def test_a_host_that_does_not_resolve_is_refused_like_a_private_one() -> None:
    def fail(host: str, port: int) -> Sequence[IPAddress]:
        raise OSError("Name or service not known")

    with pytest.raises(UnsafeTarget) as caught:
        resolve_target("https://nowhere.example.com/", AWS, fail)
    assert caught.value.reason == "host_not_public"
    with pytest.raises(UnsafeTarget) as empty:
        resolve_target("https://nowhere.example.com/", AWS, _dns())
    assert empty.value.message == caught.value.message


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("http://hooks.example.com/", "scheme"),
        ("ftp://hooks.example.com/", "scheme"),
        ("javascript:alert(1)", "scheme"),
        ("https://user:pw@hooks.example.com/", "credentials"),  # pragma: allowlist secret
        ("https://hooks.example.com@10.0.0.1/", "credentials"),
        ("https:///path", "malformed_url"),
        ("https://2130706433/", "address"),
        ("https://0177.0.0.1/", "address"),
        ("https://0x7f.0.0.1/", "address"),
        ("https://127.1/", "address"),
        ("https://0x7f000001/", "address"),
        ("https://017700000001/", "address"),
        ("https://4294967296/", "address"),
        ("https://127.0.0.1/", "host_not_public"),
        ("https://127.0.0.1.:443/", "host_not_public"),
        ("https://[::1]/", "host_not_public"),
        ("https://[::ffff:7f00:1]/", "host_not_public"),
        ("https://[fe80::1%25eth0]/", "address"),
        ("https://localhost/", "host_not_public"),
        ("https://api.localhost/", "host_not_public"),
        ("https://intranet/", "host"),
        ("https://exa mple.com/", "malformed_url"),
        ("https://example.com\\@10.0.0.1/", "malformed_url"),
        ("https://%31%30.0.0.1/", "host"),
        ("https://hooks.example.com:99999/", "malformed_url"),
        ("https://[::1/", "malformed_url"),
        ("https://" + "a" * 64 + ".example.com/", "host"),
        ("https://x" + "/a" * 1100, "malformed_url"),
        ("https://\uff11\uff12\uff17.\uff10.\uff10.\uff11/", "host_not_public"),
    ],
)
def test_refused_urls(url: str, reason: str) -> None:
    with pytest.raises(UnsafeTarget) as caught:
        resolve_target(url, AWS, _dns("93.184.216.34"))
    assert caught.value.reason == reason


@pytest.mark.parametrize(
    ("host", "address"),
    [
        ("2130706433", "127.0.0.1"),
        ("0177.0.0.1", "127.0.0.1"),
        ("0x7f.1", "127.0.0.1"),
        ("127.1", "127.0.0.1"),
        ("10.1", "10.0.0.1"),
        ("192.168.0x1.1", "192.168.1.1"),
        ("1.2.3.4", "1.2.3.4"),
        ("0", "0.0.0.0"),  # noqa: S104 - nothing binds
    ],
)
def test_loose_ipv4_reads_what_inet_aton_reads(host: str, address: str) -> None:
    assert loose_ipv4(host) == ipaddress.IPv4Address(address)


def test_names_are_not_numbers() -> None:
    assert loose_ipv4("example.com") is None
    assert loose_ipv4("1.2.3.4.5") is None
    with pytest.raises(ValueError, match="range"):
        loose_ipv4("256.1.1.1")


def test_the_local_runtime_may_post_to_loopback_over_http() -> None:
    resolved = resolve_target("http://127.0.0.1:9000/hook", LOCAL, _dns())
    assert resolved.addresses == (ipaddress.ip_address("127.0.0.1"),)
    resolve_target("http://localhost:9000/", LOCAL, _dns("127.0.0.1", "::1"))
    resolve_target("http://[::1]:9000/", LOCAL, _dns())
    # Loopback only: plain http elsewhere, and private ranges, stay refused.
    with pytest.raises(UnsafeTarget):
        resolve_target("http://hooks.example.com/", LOCAL, _dns("93.184.216.34"))
    with pytest.raises(UnsafeTarget):
        resolve_target("http://10.0.0.1/", LOCAL, _dns())
    with pytest.raises(UnsafeTarget):
        resolve_target("http://localhost/", LOCAL, _dns("10.0.0.1"))


def test_the_loopback_setting_is_refused_outside_local_mode() -> None:
    environ = {Env.WEBHOOK_ALLOW_HTTP_LOOPBACK: "1"}
    with pytest.raises(RuntimeError, match="local runtime only"):
        Settings.from_environment(environ)
    local = Settings.from_environment({**environ, Env.LOCAL_MODE: "1"})
    assert local.exchange.webhooks.allow_http_loopback is True


@settings(max_examples=300, deadline=None)
@given(url=st.text(max_size=60) | st.builds(lambda h: f"https://{h}/", st.text(max_size=30)))
def test_any_text_is_a_target_or_an_unsafe_target(url: str) -> None:
    refused: UnsafeTarget | None = None
    try:
        resolved = resolve_target(url, AWS, _dns("93.184.216.34"))
    except UnsafeTarget as error:
        refused = error
    if refused is not None:
        assert refused.status == 422
    else:
        assert resolved.target.scheme == "https"
        assert all(blocked_reason(a) is None for a in resolved.addresses)
