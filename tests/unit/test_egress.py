"""The egress guard (accord.core.egress) with real sockets on loopback only: what it refuses is
refused before any connection (and, for spellings of an address, before any resolution), a
redirect hop is checked like the first request, and the address it checked is the one it
connects to. No test sends a packet to a non-loopback address: those are refused first."""

from __future__ import annotations

import ipaddress
from collections.abc import Sequence

import httpx
import pytest
from pydantic import ValidationError

from accord.core.egress import (
    EgressPolicy,
    EgressRefused,
    forbidden_reason,
    guarded_client,
)
from accord.settings import Settings
from tests.unit.loopback import CountingServer, connected, resolved, socket_events

STRICT = EgressPolicy()
LOOPBACK = EgressPolicy.parse("127.0.0.1/32")
EVERYTHING = EgressPolicy.parse("0.0.0.0/0, ::/0")

FORBIDDEN = [
    "http://10.0.0.1/",
    "http://172.16.0.1/",
    "http://192.168.1.1/",
    "http://100.64.0.1/",  # CGNAT
    "http://169.254.169.254/latest/meta-data/",
    "http://[fd00:ec2::254]/latest/meta-data/",
    "http://[fe80::1]/",
    "http://[fc00::1]/",  # ULA
    "http://[fec0::1]/",  # site-local
    "http://127.0.0.1/",
    "http://127.8.9.10/",
    "http://[::1]/",
    "http://0.0.0.0/",
    "http://[::]/",
    "http://0.1.2.3/",
    "http://224.0.0.1/",
    "http://[ff02::1]/",
    "http://240.0.0.1/",  # reserved
    "http://255.255.255.255/",
    "http://192.0.2.1/",  # documentation
    "http://[::ffff:127.0.0.1]/",  # IPv4-mapped
    "http://[::ffff:a9fe:a9fe]/",  # IPv4-mapped metadata
    "http://[2002:7f00:1::]/",  # 6to4 of 127.0.0.1
    "http://[64:ff9b::a00:1]/",  # NAT64 of 10.0.0.1
    "http://2130706433/",  # 127.0.0.1 as one decimal number
    "http://0x7f000001/",  # ... in hex
    "http://0x7f.0.0.1/",
    "http://127.1/",
    "http://017700000001/",  # ... in octal
    "http://10.1/",
    "http://%31%32%37.0.0.1/",
    "http://127.0.0.1./",
]


def _refused(client: httpx.Client, url: str, **kwargs: object) -> str:
    with pytest.raises(EgressRefused) as caught:
        client.get(url, **kwargs)  # type: ignore[arg-type]
    return str(caught.value)


@pytest.mark.parametrize("url", FORBIDDEN)
def test_inward_destinations_are_refused_before_resolution_or_connection(url: str) -> None:
    with guarded_client(STRICT, timeout=2) as client, socket_events() as events:
        _refused(client, url)
    assert connected(events) == [] and resolved(events) == []


def test_a_loopback_server_is_refused_unless_its_network_is_allowed() -> None:
    with CountingServer() as server:
        with guarded_client(STRICT, timeout=2) as client:
            assert "is loopback" in _refused(client, server.url + "/hook")
        assert server.connections == 0
        with guarded_client(LOOPBACK, timeout=2) as client:
            assert client.post(server.url + "/hook", content=b"{}").status_code == 200
        assert server.connections == 1 and server.seen[0]["path"] == "/hook"


def test_localhost_by_name_is_resolved_checked_and_refused() -> None:
    with CountingServer() as server, guarded_client(STRICT, timeout=2) as client:
        with socket_events() as events:
            assert "refused 'localhost'" in _refused(client, f"http://localhost:{server.port}/")
        assert connected(events) == [] and resolved(events) == ["localhost"]
        assert server.connections == 0


NEVER = ["0.0.0.0", "169.254.169.254", "169.254.170.2", "fd00:ec2::254", "224.0.0.1", "ff02::1"]  # noqa: S104


@pytest.mark.parametrize("address", NEVER)
def test_unspecified_multicast_and_metadata_are_refused_even_when_allowed(address: str) -> None:
    assert forbidden_reason(ipaddress.ip_address(address), EVERYTHING) is not None


@pytest.mark.parametrize(
    "address", ["10.0.0.1", "192.168.1.1", "100.64.0.1", "::1", "fc00::1", "::ffff:10.0.0.1"]
)
def test_an_allowed_network_lets_its_addresses_through(address: str) -> None:
    ip = ipaddress.ip_address(address)
    assert forbidden_reason(ip, STRICT) is not None
    assert forbidden_reason(ip, EVERYTHING) is None


@pytest.mark.parametrize("address", ["93.184.216.34", "1.1.1.1", "2606:4700:4700::1111"])
def test_public_addresses_pass(address: str) -> None:
    assert forbidden_reason(ipaddress.ip_address(address), STRICT) is None


@pytest.mark.parametrize("url", ["ftp://127.0.0.1/", "file:///etc/passwd", "gopher://a.test/"])
def test_schemes_other_than_http_are_refused(url: str) -> None:
    with guarded_client(EVERYTHING, timeout=2) as client, socket_events() as events:
        assert "scheme" in _refused(client, url)
    assert events == []


@pytest.mark.parametrize(
    "target", ["http://169.254.169.254/latest/meta-data/", "http://10.0.0.1/", "http://[::1]/"]
)
def test_a_redirect_to_a_forbidden_address_is_refused(target: str) -> None:
    with CountingServer(status=302, location=target) as server:
        with guarded_client(LOOPBACK, timeout=2) as client:
            assert client.get(server.url).status_code == 302  # not followed by default
            with socket_events() as events:
                _refused(client, server.url + "/again", follow_redirects=True)
        assert connected(events) == [("127.0.0.1", server.port)]  # the first hop only
        assert server.connections == 2


def test_the_checked_address_is_pinned_against_rebinding() -> None:
    answers = iter([["127.0.0.1"], ["10.0.0.1"]])
    asked: list[str] = []

    def rebinding(host: str, port: int) -> Sequence[str]:
        asked.append(host)
        return next(answers)

    with CountingServer() as server:
        url = f"http://rebind.test:{server.port}/hook"
        client = guarded_client(LOOPBACK, timeout=2, resolve=rebinding)
        with client, socket_events() as events:
            assert client.get(url).status_code == 200
            assert "10.0.0.1 is private" in _refused(client, url)
        assert asked == ["rebind.test", "rebind.test"]
        assert "rebind.test" not in resolved(events)  # never looked up again to connect
        assert connected(events) == [("127.0.0.1", server.port)]
        assert server.seen == [{"path": "/hook", "host": f"rebind.test:{server.port}"}]


def test_a_name_with_any_forbidden_address_is_refused() -> None:
    client = guarded_client(STRICT, timeout=2, resolve=lambda h, p: ["93.184.216.34", "127.0.0.1"])
    with client, socket_events() as events:
        assert "127.0.0.1 is loopback" in _refused(client, "http://mixed.test/")
    assert connected(events) == []


def test_the_setting_is_parsed_and_a_typo_stops_the_settings() -> None:
    settings = Settings(egress_allowed_networks=" 127.0.0.1 , ::1/128,10.1.2.3/8")
    assert settings.egress_allowed_networks == "127.0.0.1/32,::1/128,10.0.0.0/8"
    policy = EgressPolicy.parse(settings.egress_allowed_networks)
    assert forbidden_reason(ipaddress.ip_address("10.9.9.9"), policy) is None
    with pytest.raises(ValidationError):
        Settings(egress_allowed_networks="127.0.0.1/33")
