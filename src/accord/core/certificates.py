"""Whether the certificate the Internet sees is publicly trusted (ASVS 5.0 12.2.2).

"Publicly trusted" means it chains to a root of Mozilla's CA programme, the bundle `certifi`
ships (the same list browsers trust), checked for the certificate's own host name at a given
time. Two places ask:

- `accord serve` with built-in TLS checks its chain file before it listens
  (:func:`chain_refusal`); a private CA is allowed only when the operator says the deployment
  is internal (``ACCORD_TLS_PRIVATE_CA``).
- `accord tls-check URL` shakes hands with whatever answers at a public address, Accord itself
  or the TLS proxy in front of it (:func:`served_certificate`), so an operator behind a proxy
  can check the certificate Accord cannot see.
"""

from __future__ import annotations

import socket
import ssl
import warnings
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import certifi
from cryptography import x509
from cryptography.utils import CryptographyDeprecationWarning
from cryptography.x509.verification import PolicyBuilder, Store, VerificationError

PUBLIC_ROOTS = Path(certifi.where())
HANDSHAKE_SECONDS = 10.0


def _subject(leaf: x509.Certificate) -> x509.DNSName | x509.IPAddress | None:
    """The first name the certificate is for (DNS names first), to verify it as a server."""
    try:
        names = leaf.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    except x509.ExtensionNotFound:
        return None
    dns = names.get_values_for_type(x509.DNSName)
    if dns:
        return x509.DNSName(dns[0])
    addresses = names.get_values_for_type(x509.IPAddress)
    return x509.IPAddress(addresses[0]) if addresses else None


def chain_refusal(chain_pem: bytes, *, now: datetime, roots: Path = PUBLIC_ROOTS) -> str | None:
    """Why the PEM chain (leaf first, then intermediates) is not publicly trusted at `now`;
    None when it is."""
    try:
        certificates = x509.load_pem_x509_certificates(chain_pem)
    except ValueError as exc:
        return f"the certificate file holds no readable PEM certificate ({exc})"
    leaf, intermediates = certificates[0], certificates[1:]
    subject = _subject(leaf)
    if subject is None:
        return "the certificate names no host (no DNS name or address in subjectAltName)"
    store = Store(_roots(roots))
    verifier = PolicyBuilder().store(store).time(now).build_server_verifier(subject)
    try:
        verifier.verify(leaf, intermediates)
    except VerificationError as exc:
        issuer = leaf.issuer.rfc4514_string()
        return f"the certificate (issued by {issuer}) is not publicly trusted: {exc}"
    return None


def _roots(path: Path) -> list[x509.Certificate]:
    with warnings.catch_warnings():
        # Mozilla's list holds an old root with a non-positive serial, which cryptography
        # warns about; it is the list browsers use, so it is read as it is.
        warnings.simplefilter("ignore", CryptographyDeprecationWarning)
        return x509.load_pem_x509_certificates(path.read_bytes())


@dataclass(frozen=True)
class ServedCertificate:
    """What a public address presented, once its certificate was verified."""

    host: str
    issuer: str
    not_after: datetime

    def days_left(self, now: datetime) -> int:
        return (self.not_after - now).days


class NotPubliclyTrusted(Exception):
    """The address answered, but with a certificate browsers would refuse."""


def served_certificate(
    host: str, port: int = 443, *, roots: Path = PUBLIC_ROOTS
) -> ServedCertificate:
    """Shake hands with host:port verifying against the public roots only (no
    ACCORD_TLS_CA_FILE), with the host name checked. Raises NotPubliclyTrusted, or OSError
    when nothing answers."""
    context = ssl.create_default_context(cafile=str(roots))
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    try:
        with (
            socket.create_connection((host, port), timeout=HANDSHAKE_SECONDS) as raw,
            context.wrap_socket(raw, server_hostname=host) as tls,
        ):
            der = tls.getpeercert(binary_form=True)
    except ssl.SSLCertVerificationError as exc:
        raise NotPubliclyTrusted(exc.verify_message or str(exc)) from exc
    assert der is not None  # a verified handshake always has the peer's certificate
    leaf = x509.load_der_x509_certificate(der)
    return ServedCertificate(host, leaf.issuer.rfc4514_string(), leaf.not_valid_after_utc)
