"""`accord analyze`, `accord eval` and `accord bench analysis` through the real CLI."""

from __future__ import annotations

import csv
import importlib.util
import json
import re
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from accord.analysis import datasets as ds
from accord.analysis.batch import OUTPUT_FIELDS, output_schema
from accord.cli.analysis_cmds import TaskName
from accord.cli.main import app
from tests.unit.csv_file import write_csv

runner = CliRunner()
ANALYSIS = [f.name for f in OUTPUT_FIELDS]
HOSTILE = "This is RIDICULOUS. Third time I contact you, I want a refund or I call my lawyer!"
ROWS: list[dict[str, Any]] = [
    {"id": 1, "conv": "c1", "role": "customer", "text": "Where is my parcel? It was due Monday."},
    {"id": 2, "conv": "c1", "role": "agent", "text": "Sorry about that, let me check for you."},
    {"id": 3, "conv": "c1", "role": "customer", "text": HOSTILE},
    {"id": 4, "conv": "c2", "role": "customer", "text": "<script>alert('x')</script> useless!!"},
    {"id": 5, "conv": "c2", "role": "customer", "text": ""},
    {"id": 6, "conv": "c2", "role": "agent", "text": None},
    {"id": 7, "conv": "c3", "role": "customer", "text": "thanks,\nall sorted now"},
]


def _invoke(*args: str | Path) -> Any:
    return runner.invoke(app, [str(a) for a in args])


def test_analyze_csv_keeps_every_row_and_adds_the_analysis(tmp_path: Path) -> None:
    src = write_csv(tmp_path / "tickets.csv", ROWS)
    before = src.read_bytes()
    result = _invoke("analyze", src, "--role-col", "role")
    assert result.exit_code == 0, result.output
    out = pacsv.read_csv(tmp_path / "tickets.analysed.csv").to_pylist()
    assert src.read_bytes() == before
    assert [r["id"] for r in out] == [r["id"] for r in ROWS]
    assert list(out[0]) == ["id", "conv", "role", "text", *ANALYSIS]
    assert out[2]["heat"] > out[6]["heat"]
    assert "repeat_contact" in out[2]["signals"].split(";")
    assert out[6]["text"] == "thanks,\nall sorted now"  # a newline inside a quoted value
    assert out[4]["heat"] == 0  # empty text passes through, scored neutral


def test_analyze_csv_with_bom_and_crlf_finds_the_text_column(tmp_path: Path) -> None:
    src = tmp_path / "excel.csv"
    src.write_bytes(b'\xef\xbb\xbftext,n\r\n"I want a refund, NOW!!",007\r\nhello,2\r\n')
    assert _invoke("analyze", src).exit_code == 0
    out = (tmp_path / "excel.analysed.csv").read_text(encoding="utf-8").splitlines()
    assert out[0].startswith('"text","n","language"')
    assert out[1].startswith('"I want a refund, NOW!!","007","en"')  # "007" stays text


def test_analyze_jsonl_returns_input_values_unchanged(tmp_path: Path) -> None:
    src = tmp_path / "chat.jsonl"
    rows = [{**r, "meta": {"n": r["id"], "tags": ["a"]}} for r in ROWS]
    rows.append({"id": 8, "meta": None})  # no text key at all
    src.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    out = tmp_path / "scored.jsonl"
    result = _invoke("analyze", src, "--out", out, "--batch-size", "3")
    assert result.exit_code == 0, result.output
    got = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert len(got) == len(rows)
    assert all({k: g[k] for k in r} == r for g, r in zip(got, rows, strict=True))
    assert set(ANALYSIS) <= set(got[0])
    assert got[2]["heat"] > 50 and isinstance(got[2]["signals"], list)
    assert got[7]["language"] == "und"


def test_analyze_parquet_writes_the_output_schema(tmp_path: Path) -> None:
    table = pa.Table.from_pylist(ROWS)
    pq.write_table(table, tmp_path / "msgs.parquet")
    result = _invoke("analyze", tmp_path / "msgs.parquet", "--batch-size", "2")
    assert result.exit_code == 0, result.output
    out = pq.read_table(tmp_path / "msgs.analysed.parquet")
    assert out.schema.equals(output_schema(table.schema))
    assert out.column("text").to_pylist() == table.column("text").to_pylist()
    assert out.num_rows == len(ROWS)


def test_inputs_without_rows_get_outputs_with_their_columns(tmp_path: Path) -> None:
    (tmp_path / "h.csv").write_text("id,text\n", encoding="utf-8")
    pq.write_table(pa.table({"text": pa.array([], pa.string())}), tmp_path / "e.parquet")
    assert _invoke("analyze", tmp_path / "h.csv").exit_code == 0
    assert _invoke("analyze", tmp_path / "e.parquet").exit_code == 0
    header = (tmp_path / "h.analysed.csv").read_text(encoding="utf-8").splitlines()
    assert header == [",".join(f'"{c}"' for c in ["id", "text", *ANALYSIS])]
    assert pq.read_table(tmp_path / "e.analysed.parquet").schema.names == ["text", *ANALYSIS]
    (tmp_path / "e.jsonl").write_text("", encoding="utf-8")
    assert "no rows" in _one_line_error(_invoke("analyze", tmp_path / "e.jsonl"))


def test_report_is_self_contained_and_escapes_message_text(tmp_path: Path) -> None:
    src = write_csv(tmp_path / "t.csv", ROWS)
    report = tmp_path / "report.html"
    result = _invoke(
        "analyze", src, "--conversation-col", "conv", "--role-col", "role", "--report", report
    )
    assert result.exit_code == 0, result.output
    html = report.read_text(encoding="utf-8")
    assert not re.search(r"""(?:src|href)\s*=\s*["']?\s*(?:https?:)?//""", html, re.I)
    assert "@import" not in html and "url(" not in html
    assert html.count("<svg") >= 4  # heat, causes, topics, signals, trajectories
    assert "<script" not in html  # no JavaScript at all, and the message's tag is escaped
    assert "&lt;script&gt;alert(" in html
    assert '<mark title="legal threat">lawyer</mark>' in html
    assert "Conversation trajectories" in html and ">c1</td>" in html


def test_report_without_conversations_says_how_to_get_them(tmp_path: Path) -> None:
    src = write_csv(tmp_path / "t.csv", ROWS)
    result = _invoke("analyze", src, "--report", tmp_path / "r.html")
    assert result.exit_code == 0, result.output
    assert "--conversation-col" in (tmp_path / "r.html").read_text(encoding="utf-8")


def _one_line_error(result: Any) -> str:
    assert result.exit_code == 1, result.output
    assert isinstance(result.exception, SystemExit)  # handled, not a traceback
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error:"), result.stderr
    return str(lines[0])


def test_missing_file_and_unknown_extension(tmp_path: Path) -> None:
    assert "no such file" in _one_line_error(_invoke("analyze", tmp_path / "none.csv"))
    (tmp_path / "notes.txt").write_text("text\nhello\n")
    message = _one_line_error(_invoke("analyze", tmp_path / "notes.txt"))
    assert ".txt" in message and ".parquet" in message


def test_missing_text_column_lists_the_columns(tmp_path: Path) -> None:
    src = write_csv(tmp_path / "t.csv", [{"id": 1, "body": "hello"}])
    message = _one_line_error(_invoke("analyze", src))
    assert "'text'" in message and "id, body" in message
    message = _one_line_error(_invoke("analyze", src, "--text-col", "body", "--role-col", "who"))
    assert "'who'" in message


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("bad.parquet", b"PAR1 this is not parquet"),
        ("bad.jsonl", b'{"text": "ok"}\n{"text": oops\n'),
        ("bad.csv", b'text,other\n"unterminated,1\n'),
    ],
)
def test_corrupt_file_is_one_line_and_leaves_no_output(
    tmp_path: Path, name: str, content: bytes
) -> None:
    src = tmp_path / name
    src.write_bytes(content)
    _one_line_error(_invoke("analyze", src))
    assert src.read_bytes() == content
    assert sorted(p.name for p in tmp_path.iterdir()) == [name]


def test_never_overwrites_the_input(tmp_path: Path) -> None:
    src = write_csv(tmp_path / "t.csv", ROWS)
    before = src.read_bytes()
    assert "overwrite" in _one_line_error(_invoke("analyze", src, "--out", src))
    assert "overwrite" in _one_line_error(_invoke("analyze", src, "--report", src))
    assert src.read_bytes() == before


def test_task_names_match_the_evaluation() -> None:
    from accord.cli.analysis_cmds import tasks

    assert [t.value for t in TaskName] == list(tasks())


def test_eval_unknown_task_is_a_usage_error_listing_the_tasks() -> None:
    result = _invoke("eval", "--task", "nope")
    assert result.exit_code == 2
    assert all(t.value in result.output for t in TaskName)


def test_eval_missing_data_directory(tmp_path: Path) -> None:
    message = _one_line_error(_invoke("eval", "--data", tmp_path / "absent"))
    assert "not found" in message and "--data" in message


def test_eval_without_scikit_learn_says_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    real = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util, "find_spec", lambda n, *a: None if n == "sklearn" else real(n, *a)
    )
    assert "pip install 'accord[train]'" in _one_line_error(_invoke("eval"))


def test_eval_json_and_table_shapes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from accord.analysis import evaluate

    def fake(name: str, root: Path) -> evaluate.TaskResult:
        return evaluate.TaskResult("accuracy", 0.8, 0.01, 0.838, 0.87, "10-fold CV", "abc123", 0.1)

    monkeypatch.setattr(evaluate, "run_task", fake)
    result = _invoke("eval", "--task", "politeness_wiki", "--data", tmp_path, "--json")
    assert result.exit_code == 0, result.output
    task = json.loads(result.stdout)["tasks"]["politeness_wiki"]
    assert {"metric", "value", "anchor", "protocol"} <= set(task) and task["value"] == 0.8
    table = _invoke("eval", "--task", "complaint", "--data", tmp_path)
    assert "0.800 ± 0.010" in table.stdout and "abc123" in table.stdout
    assert "10-fold CV" in table.stdout  # beside the table or in it, by terminal width


def test_bench_analysis_json_has_the_figures() -> None:
    try:
        root = ds.data_dir()
    except ds.DataMissingError as exc:
        pytest.skip(f"shared data sets not present: {exc}")
    args = ["--json", "--data", root, "--min-seconds", "0.01", "--latency-samples", "20"]
    result = _invoke("bench", "analysis", *args)
    assert result.exit_code == 0, result.output
    figures = json.loads(result.stdout)
    assert {"throughput_msgs_per_s", "latency_ms", "rss_mb", "baseline"} <= set(figures)
    assert {"p50", "p99"} <= set(figures["latency_ms"])
    assert {"name", "throughput_msgs_per_s"} <= set(figures["baseline"])


def test_bench_table_shows_goals() -> None:
    from accord.cli.analysis_cmds import _bench_table
    from accord.cli.main import console

    figures = {
        "throughput_msgs_per_s": 3500.0,
        "latency_ms": {"p50": 0.4, "p99": 12.0},
        "rss_mb": 150.0,
        "baseline": {"name": "vaderSentiment", "throughput_msgs_per_s": 7000.0},
    }
    with console.capture() as captured:
        console.print(_bench_table(figures))
    text = captured.get()
    assert ">= 3,000" in text and "<= 10 ms" in text and "<= 500 MB" in text
    assert "0.50x" in text and "no" in text


def test_gzipped_csv_and_jsonl_are_read_and_written_gzipped(tmp_path: Path) -> None:
    import gzip

    src = tmp_path / "export.csv.gz"
    plain = write_csv(tmp_path / "plain.csv", ROWS)
    src.write_bytes(gzip.compress(plain.read_bytes()))
    result = _invoke("analyze", src, "--role-col", "role")
    assert result.exit_code == 0, result.output
    with gzip.open(tmp_path / "export.analysed.csv.gz", "rt", encoding="utf-8") as fh:
        out = list(csv.DictReader(fh))
    assert [r["id"] for r in out] == [str(r["id"]) for r in ROWS]
    assert "repeat_contact" in out[2]["signals"].split(";")

    lines = tmp_path / "chat.jsonl.gz"
    lines.write_bytes(gzip.compress("".join(json.dumps(r) + "\n" for r in ROWS).encode()))
    assert _invoke("analyze", lines).exit_code == 0
    with gzip.open(tmp_path / "chat.analysed.jsonl.gz", "rt", encoding="utf-8") as fh:
        scored = [json.loads(line) for line in fh]
    assert [r["id"] for r in scored] == [r["id"] for r in ROWS]


def test_a_gzipped_parquet_or_a_corrupt_gzip_is_refused_clearly(tmp_path: Path) -> None:
    odd = tmp_path / "data.parquet.gz"
    odd.write_bytes(b"x")
    result = _invoke("analyze", odd)
    assert result.exit_code == 1 and "unknown file type '.parquet.gz'" in result.output
    broken = tmp_path / "broken.csv.gz"
    broken.write_bytes(b"\x1f\x8b\x08\x00not really gzip")
    result = _invoke("analyze", broken)
    assert result.exit_code == 1 and "cannot read it as csv" in result.output
    assert not (tmp_path / "broken.analysed.csv.gz").exists()
