"""Certificates for the TLS tests, made on the spot by a private CA (trustme): nothing is
trusted by the system, so a certificate of this CA is accepted only where a test names it."""

from __future__ import annotations

import ssl
from dataclasses import dataclass
from pathlib import Path

import trustme

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
