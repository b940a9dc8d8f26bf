"""Is a certificate chain publicly trusted (ASVS 12.2.2, accord.core.certificates)? Chains
from a private CA made on the spot (trustme) stand for both cases: refused against the public
roots, accepted once their CA is among the roots given."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from accord.core.certificates import PUBLIC_ROOTS, chain_refusal
from tests.unit.tlsfiles import issue, web_pki_chain

NOW = datetime.now(UTC)


def test_a_private_ca_chain_is_not_publicly_trusted(tmp_path: Path) -> None:
    files = issue(tmp_path)
    reason = chain_refusal(files.cert_file.read_bytes(), now=NOW)
    assert reason is not None and "not publicly trusted" in reason and "trustme" in reason


def test_a_chain_is_trusted_when_its_root_is_among_the_roots(tmp_path: Path) -> None:
    roots, chain = web_pki_chain(tmp_path, "help.example.com", intermediate=False)
    assert chain_refusal(chain, now=NOW, roots=roots) is None
    assert chain_refusal(chain, now=NOW) is not None  # not a public root


def test_a_chain_through_an_intermediate_is_checked_whole(tmp_path: Path) -> None:
    roots, chain = web_pki_chain(tmp_path, "help.example.com", intermediate=True)
    assert chain_refusal(chain, now=NOW, roots=roots) is None
    leaf_only = chain[: chain.index(b"-----END CERTIFICATE-----") + 26]
    reason = chain_refusal(leaf_only, now=NOW, roots=roots)  # the intermediate left out
    assert reason is not None and "not publicly trusted" in reason


@pytest.mark.parametrize("days", [-30, 365])
def test_a_chain_outside_its_validity_is_refused(tmp_path: Path, days: int) -> None:
    roots, chain = web_pki_chain(tmp_path, "help.example.com", intermediate=False)
    assert chain_refusal(chain, now=NOW + timedelta(days=days), roots=roots)


def test_a_trustme_chain_breaks_a_web_pki_rule_and_is_refused(tmp_path: Path) -> None:
    """The verifier applies the Web PKI's profile, not just the signatures: trustme's leaf
    marks subjectAltName critical beside a subject, which a public CA may not issue."""
    files = issue(tmp_path)
    reason = chain_refusal(files.cert_file.read_bytes(), now=NOW, roots=files.ca_file)
    assert reason is not None and "subjectAltName" in reason


def test_a_file_without_a_certificate_gets_a_readable_reason() -> None:
    reason = chain_refusal(b"-----BEGIN NOTHING-----\n", now=NOW)
    assert reason is not None and "no readable PEM certificate" in reason


def test_the_public_roots_are_the_shipped_mozilla_list() -> None:
    assert PUBLIC_ROOTS.is_file() and PUBLIC_ROOTS.read_bytes().count(b"BEGIN CERTIFICATE") > 100
