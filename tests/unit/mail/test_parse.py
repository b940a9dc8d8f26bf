"""The parser: decoding, sanitising, reply separation, caps — and no exception but
`Unparseable` on anything."""

from __future__ import annotations

import base64

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accord.inbox.channels.email.limits import Limits, Unparseable
from accord.inbox.channels.email.parse import parse
from tests.unit.mail.factory import mail, malformed_corpus, png_file


def test_headers_and_charsets_are_decoded_and_bad_bytes_replaced() -> None:
    raw = mail(
        sender="=?utf-8?q?J=C3=BCrgen?= <Jurgen@Customer.Example>",
        subject="=?iso-8859-1?q?R=E9clamation?=",
    ).replace(b"two weeks late.", b"late \xff\xfe!")
    parsed = parse(raw)
    assert (parsed.sender, parsed.sender_name) == ("jurgen@customer.example", "Jürgen")
    assert parsed.subject == "Réclamation"
    assert "late \ufffd\ufffd!" in parsed.text  # replaced, not silently dropped


def test_unknown_charset_falls_back_to_utf8_with_replacement() -> None:
    raw = mail(body="caf\xe9").replace(b"charset=utf-8", b"charset=x-unknown")
    assert parse(raw).text == "caf\u00e9"


def test_html_is_sanitised_and_a_text_version_kept() -> None:
    html = '<p onclick="x()">Hello<script>alert(1)</script><a href="javascript:x">l</a></p>'
    parsed = parse(mail(body="", html=html))
    assert parsed.html is not None
    assert "script" not in parsed.html and "onclick" not in parsed.html
    assert "javascript" not in parsed.html
    assert parsed.text.startswith("Hello")


def test_quoted_history_and_signature_are_separated_from_the_new_text() -> None:
    body = (
        "The replacement is broken too. I want a refund.\r\n\r\n--\r\nDana Customer\r\n"
        "ACME Ltd\r\n\r\nOn Mon, 2 Nov 2026 at 09:00, Support <support@accord.example> wrote:\r\n"
        "> We sent a replacement.\r\n> Regards\r\n"
    )
    parsed = parse(mail(body=body))
    assert parsed.new_text == "The replacement is broken too. I want a refund."
    assert "Dana Customer" in parsed.signature
    assert "We sent a replacement" in parsed.quoted


def test_attachments_are_split_off_with_size_caps() -> None:
    raw = (
        b"From: dana@customer.example\r\nSubject: photo\r\nMIME-Version: 1.0\r\n"
        b'Content-Type: multipart/mixed; boundary="x"\r\n\r\n--x\r\n'
        b"Content-Type: text/plain\r\n\r\nSee photo\r\n--x\r\n"
        b'Content-Type: image/png\r\nContent-Disposition: attachment; filename="../../etc/passwd"'
        b"\r\nContent-Transfer-Encoding: base64\r\n\r\n"
        + base64.b64encode(png_file())
        + b"\r\n--x\r\n"
        b'Content-Type: application/pdf\r\nContent-Disposition: attachment; filename="big.pdf"'
        b"\r\n\r\n%PDF-" + b"A" * 4995 + b"\r\n--x--\r\n"
    )
    parsed = parse(raw, Limits(max_attachment_bytes=1000))
    # No extension: checked as its declared type (image/png), which its content is.
    assert [(a.filename, a.data) for a in parsed.attachments] == [("../../etc/passwd", png_file())]
    assert parsed.dropped == [{"filename": "big.pdf", "size": 5000, "reason": "over 1000 bytes"}]


def test_encoded_newlines_in_headers_never_survive() -> None:
    """CVE-2024-6923: an encoded CR/LF must not come back out as a header break."""
    evil = "=?utf-8?q?Hi=0D=0ABcc=3A_victim=40evil=2Eexample?="
    parsed = parse(mail(subject=evil, sender=f"{evil} <dana@customer.example>"))
    assert "\n" not in parsed.subject and "\r" not in parsed.subject
    assert "\n" not in parsed.sender_name
    assert parsed.subject == "Hi Bcc: victim@evil.example"


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        (mail(sender="nobody"), "From header"),
        (mail(sender="a@x.example, b@y.example"), "From header"),
        (mail(sender="alice@example.org)<bob@example.org>"), "From header"),
        (mail(subject="x" * 9000), "over 8192 bytes"),
        (b"X-Filler: a\r\n" * 6000 + b"\r\nbody", "header block"),
        (mail(body="x" * 3000), "byte cap"),
    ],
)
def test_unreadable_or_hostile_mail_is_refused_with_a_reason(raw: bytes, reason: str) -> None:
    with pytest.raises(Unparseable) as refused:
        parse(raw, Limits(max_bytes=2000) if reason == "byte cap" else Limits())
    assert reason in refused.value.reason


def test_hostile_content_type_is_cheap_under_compat32() -> None:
    raw = mail().replace(b"charset=utf-8", b"charset=utf-8; " + b"a=b; " * 1300)
    assert parse(raw).text.startswith("Where is my order")


def test_malformed_corpus_only_ever_raises_unparseable() -> None:
    outcomes = {"ok": 0, "refused": 0}
    for raw in malformed_corpus(300):
        try:
            parse(raw)
            outcomes["ok"] += 1
        except Unparseable as exc:
            assert exc.reason
            outcomes["refused"] += 1
    assert outcomes["ok"] > 0 and outcomes["refused"] > 0


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=4000))
def test_arbitrary_bytes_never_raise_anything_but_unparseable(raw: bytes) -> None:
    try:
        parse(raw)
    except Unparseable as exc:
        assert exc.reason


_header_value = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=300).map(
    lambda s: s.encode("utf-8", "replace")
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.dictionaries(
        st.sampled_from(
            [
                "From",
                "Subject",
                "Content-Type",
                "Content-Transfer-Encoding",
                "Message-ID",
                "References",
                "Content-Disposition",
                "Auto-Submitted",
                "To",
            ]
        ),
        _header_value,
        max_size=9,
    ),
    st.binary(max_size=2000),
)
def test_fuzzed_headers_never_raise_anything_but_unparseable(
    headers: dict[str, bytes], body: bytes
) -> None:
    raw = b"".join(k.encode() + b": " + v + b"\r\n" for k, v in headers.items()) + b"\r\n" + body
    try:
        parsed = parse(raw)
    except Unparseable as exc:
        assert exc.reason
        return
    assert "\n" not in parsed.subject and "\r" not in parsed.subject


def test_the_deadline_interrupts_a_parse_that_hangs() -> None:
    import time

    from accord.inbox.channels.email.limits import deadline

    with pytest.raises(Unparseable, match="longer than"), deadline(0.05):
        time.sleep(30)  # stands in for a pathological regex; the alarm ends it


def test_a_parse_off_the_main_thread_has_the_same_time_limit() -> None:
    # Worker jobs and API requests parse in threads, where no timer signal can interrupt;
    # there the parse runs in a process that is killed when its time is up.
    from concurrent.futures import ThreadPoolExecutor

    from accord.inbox.channels.email.limits import Limits

    head = b"From: a@b.example\r\nTo: s@x.example\r\nSubject: s\r\nMessage-ID: <h@x>\r\n"
    slow = head + b"Content-Type: text/plain;" + b";" * 300_000 + b"\r\n\r\nbody\r\n"
    roomy = Limits(max_field_bytes=1 << 22, max_header_bytes=1 << 22, seconds=0.3)
    normal = head + b"\r\nWhere is my order?\r\n"
    with ThreadPoolExecutor(1) as threads:
        with pytest.raises(Unparseable, match=r"longer than 0\.3 s"):
            threads.submit(parse, slow, roomy).result()
        assert threads.submit(parse, normal).result() == parse(normal)


def test_store_names_come_only_from_hashes_and_random_ids(tmp_path: object) -> None:
    from pathlib import Path

    from accord.core.errors import NotFound
    from accord.inbox.channels.email.store import MailStore

    store = MailStore(Path(str(tmp_path)))
    digest = store.put_raw(b"raw")
    assert store.put_raw(b"raw") == digest and store.get_raw(digest) == b"raw"
    for hostile in ("../../etc/passwd", "..", "a/b", ""):
        with pytest.raises(NotFound):
            store.attachment_path(hostile)
        with pytest.raises(NotFound):
            store.raw_path(hostile)


def test_raw_8bit_headers_are_read_as_utf8() -> None:
    parsed = parse(mail(sender="Jürgen <j@customer.example>", subject="Lieferung verspätet"))
    assert (parsed.sender_name, parsed.subject) == ("Jürgen", "Lieferung verspätet")


def test_raw_8bit_attachment_names_are_read_as_utf8() -> None:
    raw = (
        b"From: j@customer.example\r\nMIME-Version: 1.0\r\n"
        b'Content-Type: multipart/mixed; boundary="x"\r\n\r\n'
        b"--x\r\nContent-Type: text/plain\r\n\r\nhi\r\n--x\r\nContent-Type: application/pdf\r\n"
        b'Content-Disposition: attachment; filename="Rechnung M\xc3\xa4rz.pdf"\r\n\r\n'
        b"%PDF-1.4\r\n--x--\r\n"
    )
    assert [a.filename for a in parse(raw).attachments] == ["Rechnung März.pdf"]
