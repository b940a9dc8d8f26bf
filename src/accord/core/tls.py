"""TLS for Accord's own server and for every client it opens (ASVS 5.0 chapter V12).

Inbound: `accord serve` terminates TLS itself when it has a certificate
(``ACCORD_TLS_CERT_FILE`` / ``ACCORD_TLS_KEY_FILE``) with :func:`server_context`: TLS 1.2 and
1.3 only (1.3 is chosen whenever the client has it), and for TLS 1.2 only suites with an
ephemeral elliptic-curve key exchange (forward secrecy) and an AEAD cipher, in the server's
order. TLS 1.3's suites are all AEAD with ephemeral keys already. Without a certificate it
serves plain HTTP only on loopback, or when the operator says a TLS-terminating proxy is in
front (``ACCORD_TLS_PROXY``): :func:`plain_bind_refusal`.

Outbound: every client (webhooks and the language model over httpx, SMTP, IMAP) uses
:func:`client_context`: the system's trusted CAs plus, when the operator names one, an internal
CA bundle (``ACCORD_TLS_CA_FILE``), certificate and host name checked, TLS 1.2 at least. Plain
text is for loopback, or for an internal network the operator lists
(``ACCORD_EGRESS_ALLOWED_NETWORKS``): :func:`plaintext_url_refusal`.
"""

from __future__ import annotations

import ipaddress
import ssl
from collections.abc import Sequence
from urllib.parse import parse_qs, urlsplit

__all__ = [
    "SERVER_CIPHERS",
    "client_context",
    "database_url_refusal",
    "is_loopback_host",
    "plain_bind_refusal",
    "plaintext_url_refusal",
    "redis_url_refusal",
    "server_context",
]

MINIMUM_VERSION = ssl.TLSVersion.TLSv1_2
# libpq's modes that encrypt and check the server's certificate; its default, `prefer`, falls
# back to plain text, and `require` checks nothing.
VERIFYING_SSLMODES = frozenset({"verify-ca", "verify-full"})
# TLS 1.2 suites: ECDHE (forward secrecy) with AES-GCM or ChaCha20-Poly1305 (AEAD), AES-256
# first; no RSA key exchange, no CBC, no SHA-1, nothing anonymous.
SERVER_CIPHERS = (
    "ECDHE+AESGCM+AES256:ECDHE+CHACHA20:ECDHE+AESGCM+AES128:!aNULL:!eNULL:!SHA1:!AESCCM"
)
_SERVER_OPTIONS = (
    ssl.OP_CIPHER_SERVER_PREFERENCE
    | ssl.OP_NO_COMPRESSION
    | ssl.OP_NO_RENEGOTIATION
    | ssl.OP_SINGLE_ECDH_USE
)

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def harden_server_context(context: ssl.SSLContext) -> ssl.SSLContext:
    """Restrict a server context to TLS 1.2/1.3 and the suites above."""
    context.minimum_version = MINIMUM_VERSION
    context.maximum_version = ssl.TLSVersion.MAXIMUM_SUPPORTED
    context.set_ciphers(SERVER_CIPHERS)
    context.options |= _SERVER_OPTIONS
    return context


def server_context(cert_file: str, key_file: str) -> ssl.SSLContext:
    """The context `accord serve` listens with: the operator's certificate chain and key."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert_file, key_file)
    return harden_server_context(context)


def client_context(ca_file: str | None = None) -> ssl.SSLContext:
    """The context of every outbound TLS client: certificate and host name verified against the
    system's CAs, plus ``ca_file`` (an internal CA) when given; TLS 1.2 at least."""
    context = ssl.create_default_context()
    if ca_file:
        context.load_verify_locations(cafile=ca_file)
    context.minimum_version = MINIMUM_VERSION
    return context


def _address(host: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(host.strip("[]").split("%", 1)[0])
    except ValueError:
        return None


def is_loopback_host(host: str) -> bool:
    """``localhost`` or a loopback address as written (a name is not resolved: one that
    resolves to 127.0.0.1 today may not tomorrow)."""
    if host.rstrip(".").lower() == "localhost":
        return True
    address = _address(host)
    return address is not None and address.is_loopback


def plain_bind_refusal(host: str, *, tls: bool, proxy: bool) -> str | None:
    """Why the server may not listen on ``host`` as configured; ``None`` when it may."""
    if tls or proxy or is_loopback_host(host):
        return None
    return (
        f"refusing to serve plain HTTP on {host}, which is not a loopback address: set "
        "ACCORD_TLS_CERT_FILE and ACCORD_TLS_KEY_FILE to serve HTTPS, or ACCORD_TLS_PROXY=true "
        "if a TLS-terminating reverse proxy is in front of Accord"
    )


def plaintext_url_refusal(url: str, networks: Sequence[Network], *, name: str) -> str | None:
    """Why an outbound ``url`` (setting ``name``) may not be used; ``None`` when it may.

    https is always fine. http only to loopback (the traffic stays on this machine) or inside
    the internal networks the operator listed; a host name over http is accepted only when such
    networks are listed, and the connection is then checked against them
    (:class:`accord.core.egress.GuardedTransport`)."""
    parts = urlsplit(url)
    if parts.scheme == "https" and parts.hostname:
        return None
    # The URL itself is never quoted: a webhook URL often carries a token.
    if parts.scheme != "http" or not parts.hostname:
        return f"{name} must be an https:// URL (it has scheme {parts.scheme!r})"
    host = parts.hostname
    address = _address(host)
    if is_loopback_host(host) or (
        address is not None and any(address in n for n in networks if n.version == address.version)
    ):
        return None
    if address is None and networks:
        return None
    return (
        f"{name} must use https://: plain http:// to {host} would cross the network "
        "unencrypted; http:// is only for loopback or a network listed in "
        "ACCORD_EGRESS_ALLOWED_NETWORKS"
    )


def database_url_refusal(url: str) -> str | None:
    """Why ``ACCORD_DATABASE_URL`` may not be used: PostgreSQL beyond loopback (or a Unix
    socket) needs a verified TLS connection, ``sslmode=verify-full`` or ``verify-ca``."""
    parts = urlsplit(url)
    if parts.scheme.split("+", 1)[0] not in ("postgresql", "postgres"):
        return None
    query = parse_qs(parts.query)
    hosts = [parts.hostname] if parts.hostname else query.get("host", [])
    remote = [h for h in hosts if h and not h.startswith("/") and not is_loopback_host(h)]
    if not remote or set(query.get("sslmode", [])) & VERIFYING_SSLMODES:
        return None
    return (
        f"ACCORD_DATABASE_URL reaches PostgreSQL at {remote[0]} without a verified TLS "
        "connection: add ?sslmode=verify-full&sslrootcert=/path/to/ca.pem (libpq's default, "
        "sslmode=prefer, falls back to plain text)"
    )


def redis_url_refusal(url: str) -> str | None:
    """Why ``ACCORD_REDIS_URL`` may not be used: Redis beyond loopback needs ``rediss://``."""
    parts = urlsplit(url)
    if parts.scheme in ("rediss", "unix") or is_loopback_host(parts.hostname or "localhost"):
        return None
    return (
        f"ACCORD_REDIS_URL reaches Redis at {parts.hostname} in plain text: use rediss:// "
        "(Redis with TLS), or a Redis on loopback"
    )
