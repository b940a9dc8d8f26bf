"""Outbound HTTP that cannot be pointed inwards: the guard on every server-side fetch (SSRF).

Webhook deliveries and the coach's language model post to URLs that come from settings today
and may come from users tomorrow; a hostile receiver can also answer with a redirect, or its
name can re-resolve to another address between a check and the connection (DNS rebinding).
So every request goes through :class:`GuardedTransport`, which, before any packet leaves:

1. refuses schemes other than http and https, and numeric hosts that are not a plain dotted
   quad (``2130706433``, ``0x7f000001``, ``127.1``: spellings of an address that name no host);
2. resolves the host once and refuses it when any address is loopback, private (RFC 1918,
   RFC 4193 ULA, site-local), link-local (cloud metadata included), unspecified, multicast,
   shared (CGNAT 100.64/10), reserved or otherwise not global, looking inside IPv4-mapped,
   6to4 and NAT64 IPv6 addresses;
3. connects to the address it checked, never resolving again: the URL carries the address while
   the Host header and TLS SNI (and so certificate checks) keep the name;
4. refuses plain ``http`` to a public address: plain text only stays on this machine or inside
   a network the operator allowed (ASVS 5.0 12.2.1, 12.3.3). TLS connections verify the
   certificate with :func:`accord.core.tls.client_context` (the system's CAs, plus the internal
   CA of ``ACCORD_TLS_CA_FILE`` when the caller passes it).

Each hop of a redirect is a new request through the same transport, so it is checked too
(clients made by :func:`guarded_client` do not follow redirects at all). An operator lets
chosen internal networks through with ``ACCORD_EGRESS_ALLOWED_NETWORKS`` (a local language
model: ``127.0.0.1/32``); unspecified, multicast and metadata addresses are never let through.
"""

from __future__ import annotations

import ipaddress
import re
import socket
import ssl
import threading
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

import httpx

from accord.core.tls import client_context

__all__ = [
    "EgressPolicy",
    "EgressRefused",
    "GuardedTransport",
    "forbidden_reason",
    "guarded_client",
    "parse_networks",
]

Address = ipaddress.IPv4Address | ipaddress.IPv6Address
Network = ipaddress.IPv4Network | ipaddress.IPv6Network
Resolver = Callable[[str, int], Sequence[str]]

SCHEMES = {"http": 80, "https": 443}
# Instance-metadata services (AWS, GCP and Azure on the first; ECS tasks; AWS over IPv6; Alibaba).
METADATA = frozenset(
    ipaddress.ip_address(a)
    for a in ("169.254.169.254", "169.254.170.2", "fd00:ec2::254", "100.100.100.200")
)
NEVER = frozenset({"unspecified", "multicast", "cloud metadata"})
_PRIVATE = tuple(
    ipaddress.ip_network(n)
    for n in ("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "fc00::/7", "fec0::/10")
)
_THIS_NETWORK = ipaddress.ip_network("0.0.0.0/8")
_SHARED = ipaddress.ip_network("100.64.0.0/10")
_NAT64 = (ipaddress.ip_network("64:ff9b::/96"), ipaddress.ip_network("64:ff9b:1::/48"))
_IPV4_COMPATIBLE = ipaddress.ip_network("::/96")
# A last label that is a number (decimal, octal or hex) makes the whole host an IPv4 address
# to URL parsers and to inet_aton: no registered name ends that way.
_NUMERIC_LABEL = re.compile(r"(?:0x[0-9a-f]*|[0-9]+)", re.IGNORECASE)


class EgressRefused(httpx.TransportError):
    """The destination may not be reached from the server; nothing was sent to it."""


@dataclass(frozen=True, slots=True)
class EgressPolicy:
    """Networks an operator lets through although they are not public (empty: none)."""

    allowed: tuple[Network, ...] = ()

    @classmethod
    def parse(cls, text: str) -> EgressPolicy:
        """From ``ACCORD_EGRESS_ALLOWED_NETWORKS``: comma-separated CIDR networks."""
        return cls(parse_networks(text))

    def permits(self, address: Address) -> bool:
        return any(address in net for net in self.allowed if net.version == address.version)


def parse_networks(text: str) -> tuple[Network, ...]:
    """``"127.0.0.1/32, ::1"`` -> networks; a malformed entry raises ``ValueError``."""
    parts = [p.strip() for p in text.split(",") if p.strip()]
    return tuple(ipaddress.ip_network(p, strict=False) for p in parts)


def _embedded_ipv4(address: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    if address.ipv4_mapped is not None:
        return address.ipv4_mapped
    if address.sixtofour is not None:
        return address.sixtofour
    if any(address in net for net in _NAT64) or (address in _IPV4_COMPATIBLE and int(address) > 1):
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return None


def _category(address: Address) -> str | None:
    if address.is_unspecified or address in _THIS_NETWORK:
        return "unspecified"
    if address in METADATA:
        return "cloud metadata"
    for check, name in (
        (address.is_multicast, "multicast"),
        (address.is_loopback, "loopback"),
        (address.is_link_local, "link-local"),
        (any(address in net for net in _PRIVATE), "private"),
        (address in _SHARED, "shared (CGNAT)"),
        (address.is_reserved or not address.is_global, "reserved"),
    ):
        if check:
            return name
    return None


def forbidden_reason(address: Address, policy: EgressPolicy | None = None) -> str | None:
    """Why the server may not connect to ``address`` under ``policy``; ``None`` when it may.

    An IPv6 address that carries an IPv4 one (mapped, 6to4, NAT64) is judged by the IPv4
    address it leads to."""
    policy = policy or EgressPolicy()
    inner = _embedded_ipv4(address) if isinstance(address, ipaddress.IPv6Address) else None
    target = inner or address
    category = _category(target)
    if category is None:
        return None
    if category not in NEVER and (policy.permits(target) or policy.permits(address)):
        return None
    return f"{target} is {category}" + (f" (inside {address})" if inner else "")


def literal_address(host: str) -> Address | None:
    """The address a host names by itself, or ``None`` for a name to resolve."""
    bare = host[:-1] if host.endswith(".") else host
    try:
        return ipaddress.ip_address(bare)
    except ValueError:
        pass
    if _NUMERIC_LABEL.fullmatch(bare.rsplit(".", 1)[-1]):
        raise EgressRefused(f"{host!r} is a numeric host that is not a dotted-quad address")
    return None


def system_resolve(host: str, port: int) -> list[str]:
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, proto=socket.IPPROTO_TCP)
    return [str(info[4][0]) for info in infos]


def checked_address(
    host: str, port: int, policy: EgressPolicy, resolve: Resolver = system_resolve
) -> Address:
    """The one address to connect to: every address the host resolves to must be allowed."""
    literal = literal_address(host)
    if literal is not None:
        found: Iterable[Address] = [literal]
    else:
        try:
            found = [ipaddress.ip_address(a.split("%", 1)[0]) for a in resolve(host, port)]
        except OSError as exc:
            raise httpx.ConnectError(f"cannot resolve {host!r}: {exc}") from exc
    addresses = list(dict.fromkeys(found))
    if not addresses:
        raise httpx.ConnectError(f"{host!r} resolves to no address")
    for address in addresses:
        reason = forbidden_reason(address, policy)
        if reason is not None:
            raise EgressRefused(f"refused {host!r}: {reason}")
    return addresses[0]


class GuardedTransport(httpx.BaseTransport):
    """Checks every request's destination and connects to the address it checked."""

    def __init__(
        self,
        policy: EgressPolicy,
        *,
        resolve: Resolver = system_resolve,
        verify: ssl.SSLContext | None = None,
    ) -> None:
        self._policy, self._resolve = policy, resolve
        self._verify = verify or client_context()
        # One pool per name: a TLS connection made for one name is never reused for another
        # name that happens to share its address.
        self._pools: dict[tuple[str, str, int], httpx.HTTPTransport] = {}
        self._lock = threading.Lock()

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        url = request.url
        if url.scheme not in SCHEMES:
            raise EgressRefused(f"refused scheme {url.scheme!r}: only http(s)", request=request)
        host, port = url.raw_host.decode("ascii"), url.port or SCHEMES[url.scheme]
        try:
            address = checked_address(host, port, self._policy, self._resolve)
        except httpx.RequestError as exc:
            exc.request = request
            raise
        if url.scheme == "http" and forbidden_reason(address) is None:
            raise EgressRefused(
                f"refused plain http to {host!r} ({address} is public): use https", request=request
            )
        extensions = dict(request.extensions)
        if url.scheme == "https":
            extensions["sni_hostname"] = host
        pinned = httpx.Request(
            request.method,
            url.copy_with(host=str(address)),
            headers=request.headers,  # keeps Host: the name, not the address
            stream=request.stream,
            extensions=extensions,
        )
        return self._pool(url.scheme, host, port).handle_request(pinned)

    def _pool(self, scheme: str, host: str, port: int) -> httpx.HTTPTransport:
        with self._lock:
            key = (scheme, host, port)
            if key not in self._pools:
                self._pools[key] = httpx.HTTPTransport(retries=0, verify=self._verify)
            return self._pools[key]

    def close(self) -> None:
        with self._lock:
            pools, self._pools = list(self._pools.values()), {}
        for pool in pools:
            pool.close()


def guarded_client(
    policy: EgressPolicy,
    *,
    timeout: float,
    resolve: Resolver = system_resolve,
    ca_file: str | None = None,
) -> httpx.Client:
    """The client for every server-side fetch: guarded, no redirects, no proxy from the env,
    certificates checked against the system's CAs plus ``ca_file`` (``ACCORD_TLS_CA_FILE``)."""
    return httpx.Client(
        transport=GuardedTransport(policy, resolve=resolve, verify=client_context(ca_file)),
        timeout=timeout,
        follow_redirects=False,
        trust_env=False,
    )
