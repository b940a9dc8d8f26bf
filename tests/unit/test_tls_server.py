"""`accord serve` speaks TLS itself: TLS 1.3 and 1.2 only, ECDHE + AEAD suites for 1.2, and it
refuses to serve plain HTTP beyond loopback unless a TLS proxy is declared (ASVS 5.0 12.1.1,
12.1.2, 12.2.1). The server is the real one (`python -m accord serve`) on loopback, with a
certificate of a private CA made by the test; clients are the ssl module's, each pinned to one
protocol version or suite."""

from __future__ import annotations

import os
import socket
import ssl
import subprocess
import sys
import time
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest
from pydantic import ValidationError

from accord.core.certificates import NotPubliclyTrusted, served_certificate
from accord.core.tls import SERVER_CIPHERS, plain_bind_refusal, server_context
from accord.db.migrate import upgrade
from accord.settings import Settings
from tests.unit.mail.servers import free_port
from tests.unit.tlsfiles import TlsFiles, issue

READY_SECONDS = 60
ALL = "0.0.0.0"  # noqa: S104  (the bind the server must refuse without TLS)


@dataclass
class TlsServer:
    port: int
    files: TlsFiles


def _env(tmp: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ACCORD_")}
    url = f"sqlite:///{tmp / 'accord.db'}"
    return {
        **env,
        "ACCORD_DATABASE_URL": url,
        "ACCORD_DATA_DIR": str(tmp),
        "ACCORD_JOBS_BACKEND": "immediate",
        "ACCORD_LOG_LEVEL": "warning",
        **extra,
    }


def _client(files: TlsFiles, version: ssl.TLSVersion | None = None) -> ssl.SSLContext:
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    context.load_verify_locations(cafile=files.ca_file)
    if version is not None:
        with warnings.catch_warnings():  # TLS 1.0/1.1 are deprecated, which is the point
            warnings.simplefilter("ignore", DeprecationWarning)
            context.minimum_version = version
            context.maximum_version = version
    return context


def _handshake(port: int, context: ssl.SSLContext) -> tuple[str | None, str]:
    with (
        socket.create_connection(("127.0.0.1", port), timeout=10) as raw,
        context.wrap_socket(raw, server_hostname="127.0.0.1") as tls,
    ):
        cipher = tls.cipher()
        return tls.version(), cipher[0] if cipher else ""


@pytest.fixture(scope="module")
def tls_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TlsServer]:
    tmp = tmp_path_factory.mktemp("tls-server")
    files = issue(tmp / "certs")
    env = _env(tmp)
    upgrade(env["ACCORD_DATABASE_URL"])
    env |= {
        "ACCORD_TLS_CERT_FILE": str(files.cert_file),
        "ACCORD_TLS_KEY_FILE": str(files.key_file),
        "ACCORD_TLS_PRIVATE_CA": "true",  # the test's own CA, on purpose
    }
    port = free_port()
    command = [sys.executable, "-m", "accord", "serve", "--host", "127.0.0.1", "--port", str(port)]
    process = subprocess.Popen(command, env=env)
    try:
        deadline = time.monotonic() + READY_SECONDS
        while time.monotonic() < deadline and process.poll() is None:
            try:
                _handshake(port, _client(files))
                break
            except OSError:
                time.sleep(0.2)
        else:
            pytest.fail(f"the TLS server did not start (exit code {process.poll()})")
        yield TlsServer(port, files)
    finally:
        process.terminate()
        process.wait(timeout=15)


def test_tls13_is_accepted_and_preferred(tls_server: TlsServer) -> None:
    assert _handshake(tls_server.port, _client(tls_server.files))[0] == "TLSv1.3"
    version, _ = _handshake(tls_server.port, _client(tls_server.files, ssl.TLSVersion.TLSv1_3))
    assert version == "TLSv1.3"


def test_tls12_is_accepted_with_an_ecdhe_aead_suite(tls_server: TlsServer) -> None:
    version, cipher = _handshake(tls_server.port, _client(tls_server.files, ssl.TLSVersion.TLSv1_2))
    assert version == "TLSv1.2"
    assert cipher.startswith("ECDHE-") and ("GCM" in cipher or "CHACHA20" in cipher), cipher


@pytest.mark.parametrize("version", [ssl.TLSVersion.TLSv1, ssl.TLSVersion.TLSv1_1])
def test_tls11_and_older_are_refused(tls_server: TlsServer, version: ssl.TLSVersion) -> None:
    context = _client(tls_server.files, version)
    context.set_ciphers("ALL:@SECLEVEL=0")  # the client offers them; the server must say no
    with pytest.raises(ssl.SSLError):
        _handshake(tls_server.port, context)


@pytest.mark.parametrize(
    "suite",
    [
        "AES128-GCM-SHA256",  # RSA key exchange: no forward secrecy
        "AES256-SHA256",  # RSA key exchange, CBC
        "ECDHE-RSA-AES128-SHA256",  # ECDHE but CBC (not AEAD)
        "ECDHE-RSA-AES256-SHA",  # CBC with SHA-1
    ],
)
def test_tls12_suites_without_ecdhe_and_aead_are_refused(tls_server: TlsServer, suite: str) -> None:
    context = _client(tls_server.files, ssl.TLSVersion.TLSv1_2)
    context.set_ciphers(f"{suite}:@SECLEVEL=0")
    with pytest.raises(ssl.SSLError):
        _handshake(tls_server.port, context)


def test_the_api_answers_over_https(tls_server: TlsServer) -> None:
    verify = _client(tls_server.files)
    response = httpx.get(f"https://127.0.0.1:{tls_server.port}/api/v1/health", verify=verify)
    assert response.status_code == 200


def test_the_server_context_offers_only_ecdhe_aead_suites_for_tls12(tmp_path: Path) -> None:
    files = issue(tmp_path)
    context = server_context(str(files.cert_file), str(files.key_file))
    assert context.minimum_version == ssl.TLSVersion.TLSv1_2
    tls12 = [c for c in context.get_ciphers() if c["protocol"] == "TLSv1.2"]
    assert tls12 and all(c["kea"] == "kx-ecdhe" and c["aead"] for c in tls12), SERVER_CIPHERS


def test_serving_plain_http_beyond_loopback_is_refused(tmp_path: Path) -> None:
    """No certificate, no proxy declared, a public bind: the server must not start."""
    command = [sys.executable, "-m", "accord", "serve", "--host", ALL, "--port"]
    command.append(str(free_port()))
    done = subprocess.run(
        command, env=_env(tmp_path), capture_output=True, text=True, timeout=60, check=False
    )
    assert done.returncode == 2, done.stderr
    message = " ".join(done.stderr.split())
    assert "refusing to serve plain HTTP on 0.0.0.0" in message
    assert "ACCORD_TLS_CERT_FILE" in message and "ACCORD_TLS_PROXY=true" in message


def test_up_refuses_before_migrating_or_starting_the_worker(tmp_path: Path) -> None:
    command = [sys.executable, "-m", "accord", "up", "--host", ALL]
    done = subprocess.run(
        command, env=_env(tmp_path), capture_output=True, text=True, timeout=60, check=False
    )
    assert done.returncode == 2 and "ACCORD_TLS_PROXY=true" in done.stderr
    assert not (tmp_path / "accord.db").exists()


@pytest.mark.parametrize(
    ("host", "tls", "proxy", "refused"),
    [
        ("127.0.0.1", False, False, False),
        ("::1", False, False, False),
        ("localhost", False, False, False),
        (ALL, False, False, True),
        ("::", False, False, True),
        ("10.0.0.5", False, False, True),
        ("accord.example.com", False, False, True),
        (ALL, True, False, False),
        (ALL, False, True, False),
    ],
)
def test_plain_http_is_allowed_only_on_loopback_with_tls_or_behind_a_declared_proxy(
    host: str, tls: bool, proxy: bool, refused: bool
) -> None:
    assert (plain_bind_refusal(host, tls=tls, proxy=proxy) is not None) is refused


def test_built_in_tls_needs_both_files_and_makes_the_session_cookie_secure(tmp_path: Path) -> None:
    files = issue(tmp_path)
    settings = Settings(tls_cert_file=str(files.cert_file), tls_key_file=str(files.key_file))
    assert settings.cookie_secure is True
    with pytest.raises(ValidationError, match="ACCORD_TLS_KEY_FILE"):
        Settings(tls_cert_file=str(files.cert_file))
    with pytest.raises(ValidationError, match="no such file"):
        Settings(tls_ca_file=str(tmp_path / "missing.pem"))


def test_a_certificate_of_a_private_ca_is_refused_at_start_unless_declared(tmp_path: Path) -> None:
    """12.2.2: built-in TLS with a certificate browsers would not trust stops `accord serve`
    before it listens, naming the issuer and the way out; the fixture above declares it."""
    files = issue(tmp_path / "certs")
    env = _env(
        tmp_path,
        ACCORD_TLS_CERT_FILE=str(files.cert_file),
        ACCORD_TLS_KEY_FILE=str(files.key_file),
    )
    command = [sys.executable, "-m", "accord", "serve", "--host", "127.0.0.1", "--port"]
    command.append(str(free_port()))
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 2, done.stderr
    message = " ".join(done.stderr.split())
    assert "is not publicly trusted" in message and "ACCORD_TLS_PRIVATE_CA=true" in message


def test_tls_check_refuses_what_browsers_would_refuse(tls_server: TlsServer) -> None:
    """12.2.2 behind a proxy: `accord tls-check` verifies the served certificate against the
    public roots only (the test CA is not among them)."""
    url = f"https://127.0.0.1:{tls_server.port}"
    command = [sys.executable, "-m", "accord", "tls-check", url]
    done = subprocess.run(command, capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 1, done.stdout + done.stderr
    assert "not publicly trusted" in " ".join(done.stderr.split())


def test_a_served_certificate_chaining_to_the_given_roots_is_trusted(tls_server: TlsServer) -> None:
    """The same check passes once the roots include the issuing CA (standing in for a public
    one), and reports the issuer and the end date."""
    found = served_certificate("127.0.0.1", tls_server.port, roots=tls_server.files.ca_file)
    assert "trustme" in found.issuer
    assert found.days_left(datetime.now(UTC)) > 0
    with pytest.raises(NotPubliclyTrusted):
        served_certificate("127.0.0.1", tls_server.port)
