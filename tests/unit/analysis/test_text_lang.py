"""Offset-keeping text preparation and the English / non-English flag."""

from __future__ import annotations

import pytest

from accord.analysis import lang
from accord.analysis.text import MAX_CHARS, caps_ratio, prepare, quoted_ranges


@pytest.mark.parametrize(
    "text",
    [
        "<p>Hello&nbsp;there</p>",
        "a\x00b\u200bc\ufeffd",
        "İSTANBUL",
        "ﬁle ß ẞ",
        "> quoted line\nmine",
        "Hi\n\nOn Tue, 4 Jun 2024, Help Desk wrote:\n> old",
        "",
    ],
)
def test_prepare_keeps_length(text: str) -> None:
    prep = prepare(text)
    assert len(prep.clean) == len(prep.lower) == len(text)


def test_prepare_blanks_markup_control_and_history() -> None:
    prep = prepare("<b>Refund</b>\x00me&nbsp;now\n> earlier words")
    assert "<b>" not in prep.clean and "\x00" not in prep.clean and "&nbsp;" not in prep.clean
    assert "earlier" not in prep.clean
    assert prep.lower.split() == ["refund", "me", "now"]


def test_lower_case_survives_length_changing_characters() -> None:
    assert "refund" in prepare("İ WANT A REFUND").lower


def test_truncation() -> None:
    prep = prepare("x" * (MAX_CHARS + 10))
    assert prep.truncated and len(prep.clean) == MAX_CHARS
    assert not prepare("short").truncated
    assert prepare(None).original == ""


def test_caps_and_quotes() -> None:
    assert caps_ratio("I WANT MY MONEY") == 1.0
    assert caps_ratio("OK") == 0.0  # one word is not shouting
    assert caps_ratio("I want my money") == 0.0
    text = 'You said "we will refund you" and “it ships today”.'
    ranges = quoted_ranges(text)
    assert [text[a:b] for a, b in ranges] == ['"we will refund you"', "“it ships today”"]


@pytest.mark.parametrize(
    ("text", "tag"),
    [
        ("Where is my order? It was due on Monday.", "en"),
        ("ok", "und"),
        ("😡😡😡", "und"),
        ("¿Dónde está mi pedido? Lo pagué hace una semana y no llega.", "non-en"),
        ("Mein Paket ist nicht angekommen, bitte helfen Sie mir.", "non-en"),
        ("Ik wil mijn geld terug voor de bestelling van het weekend.", "non-en"),
        ("Saya ingin uang saya kembali untuk pesanan ini.", "non-en"),
        ("我的包裹还没有到", "non-en"),
        ("Почему мой заказ до сих пор не доставлен?", "non-en"),
    ],
)
def test_language_flag(text: str, tag: str) -> None:
    found, flagged = lang.detect(text)
    assert found == tag
    assert flagged == (tag == "non-en")
