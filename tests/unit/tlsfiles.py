"""Certificates for the TLS tests, made on the spot by a private CA (trustme): nothing is
trusted by the system, so a certificate of this CA is accepted only where a test names it."""

from __future__ import annotations

import ssl
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import trustme
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

# Names the test certificates are valid for; `smtp.accord.test` is mapped to 127.0.0.1 by the
# mail tests, so that a server on loopback can stand for one elsewhere.
NAMES = ("127.0.0.1", "localhost", "smtp.accord.test", "imap.accord.test")


@dataclass(frozen=True)
class TlsFiles:
    ca: trustme.CA
    ca_file: Path
    cert_file: Path
    key_file: Path

    def server_context(self) -> ssl.SSLContext:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(self.cert_file, self.key_file)
        return context


def issue(directory: Path) -> TlsFiles:
    """A CA and an RSA server certificate for NAMES, written as PEM files in ``directory``
    (RSA, so that a server could offer the old RSA-key-exchange suites if it allowed them)."""
    ca = trustme.CA(key_type=trustme.KeyType.RSA)
    cert = ca.issue_cert(*NAMES, key_type=trustme.KeyType.RSA)
    directory.mkdir(parents=True, exist_ok=True)
    files = TlsFiles(ca, directory / "ca.pem", directory / "cert.pem", directory / "key.pem")
    ca.cert_pem.write_to_path(str(files.ca_file))
    files.cert_file.write_bytes(b"".join(blob.bytes() for blob in cert.cert_chain_pems))
    cert.private_key_pem.write_to_path(str(files.key_file))
    return files


def web_pki_chain(directory: Path, name: str, *, intermediate: bool) -> tuple[Path, bytes]:
    """(root CA file, PEM chain leaf first) shaped like a public CA's: what the Web PKI
    verifier of `cryptography` asks of one (trustme marks subjectAltName critical, which
    public CAs must not with a subject). Made with `cryptography` directly."""
    root_key, root = _ca(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Test Root")]))
    issuer_key, issuer = root_key, root
    chain_tail: list[x509.Certificate] = []
    if intermediate:
        name_ = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Test Intermediate")])
        issuer_key, issuer = _ca(name_, signer=(root_key, root))
        chain_tail.append(issuer)
    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    leaf = (
        _builder(subject, issuer.subject, key)
        .add_extension(x509.SubjectAlternativeName([x509.DNSName(name)]), critical=False)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .add_extension(_key_usage(ca=False), critical=True)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer_key.public_key()),
            critical=False,
        )
        .sign(issuer_key, hashes.SHA256())
    )
    directory.mkdir(parents=True, exist_ok=True)
    root_file = directory / "root.pem"
    root_file.write_bytes(root.public_bytes(serialization.Encoding.PEM))
    chain = b"".join(c.public_bytes(serialization.Encoding.PEM) for c in [leaf, *chain_tail])
    return root_file, chain


def _builder(subject: x509.Name, issuer: x509.Name, key: ec.EllipticCurvePrivateKey) -> Any:
    now = datetime.now(UTC)
    return (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=90))
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
    )


def _key_usage(*, ca: bool) -> x509.KeyUsage:
    return x509.KeyUsage(
        digital_signature=True,
        content_commitment=False,
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=ca,
        crl_sign=ca,
        encipher_only=False,
        decipher_only=False,
    )


def _ca(
    name: x509.Name,
    signer: tuple[ec.EllipticCurvePrivateKey, x509.Certificate] | None = None,
) -> tuple[ec.EllipticCurvePrivateKey, x509.Certificate]:
    key = ec.generate_private_key(ec.SECP256R1())
    signing_key, issuer = signer if signer else (key, None)
    builder = (
        _builder(name, issuer.subject if issuer else name, key)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(_key_usage(ca=True), critical=True)
    )
    if issuer is not None:
        builder = builder.add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(signing_key.public_key()),
            critical=False,
        )
    return key, builder.sign(signing_key, hashes.SHA256())
