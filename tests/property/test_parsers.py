"""Property tests of the small parsers that face user input: cursors and If-Match."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from accord.api.deps import etag, parse_if_match
from accord.core.errors import BadRequest
from accord.core.text import clean_text, single_line
from accord.inbox.queries import decode_cursor, encode_cursor


@given(
    sort=st.sampled_from(["created_at", "-updated_at"]),
    when=st.datetimes(timezones=st.just(UTC), min_value=datetime(2000, 1, 1)),
    row_id=st.integers(min_value=1, max_value=2**53),
)
def test_cursor_round_trips(sort: str, when: datetime, row_id: int) -> None:
    payload = {"s": sort, "v": when.isoformat(), "id": row_id}
    assert decode_cursor(encode_cursor(payload)) == payload


@given(st.text(max_size=200))
def test_any_cursor_string_decodes_or_is_a_bad_request(raw: str) -> None:
    try:
        decoded = decode_cursor(raw)
    except BadRequest:
        return
    assert isinstance(decoded, dict)


@given(st.integers(min_value=0, max_value=10**12))
def test_etag_round_trips_through_if_match(version: int) -> None:
    assert parse_if_match(etag(version)) == version
    assert parse_if_match(f"W/{etag(version)}") == version


@given(st.text(max_size=40))
def test_if_match_parses_or_is_a_bad_request(raw: str) -> None:
    try:
        value = parse_if_match(raw)
    except BadRequest:
        return
    assert value is None or value >= 0


@given(st.text())
def test_single_line_never_contains_line_breaks_or_controls(raw: str) -> None:
    line = single_line(raw)
    assert "\n" not in line and "\r" not in line
    assert all(ch == " " or ch.isprintable() or not ch.isascii() for ch in line)
    assert single_line(line) == line


@given(st.text())
def test_clean_text_is_idempotent(raw: str) -> None:
    assert clean_text(clean_text(raw)) == clean_text(raw)


@pytest.mark.parametrize("raw", [None, "*", " * "])
def test_if_match_wildcards_mean_no_precondition(raw: str | None) -> None:
    assert parse_if_match(raw) is None
