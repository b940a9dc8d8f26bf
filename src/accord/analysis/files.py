"""Stream CSV, JSON Lines and Parquet files through the engine and write them back enriched.

Files are read in chunks so a file larger than memory goes through in constant space. CSV and
Parquet chunks are Arrow record batches; JSON Lines chunks stay Python dicts, because rows of a
JSONL export rarely share one schema and every input value should come back exactly as it was.
CSV columns are read as text: a column's type guessed from the first block would reject later
blocks that disagree, and the output is text again anyway.
"""

from __future__ import annotations

import csv
import gzip
import json
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, TypeAlias

import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from accord.analysis.batch import OUTPUT_FIELDS, ROLE_COL, score_batch
from accord.core.spreadsheet import neutralise_cell

if TYPE_CHECKING:
    from accord.analysis.analyzer import Analyzer

FORMATS = {".csv": "csv", ".jsonl": "jsonl", ".ndjson": "jsonl", ".parquet": "parquet"}
CSV_BLOCK = 1 << 22  # a block must hold the longest row; 4 MiB fits long e-mails
ANALYSIS_NAMES = frozenset(f.name for f in OUTPUT_FIELDS)
Chunk: TypeAlias = pa.RecordBatch | list[dict[str, Any]]


# What a corrupt file raises while it is read: Arrow's errors, a bad gzip stream, bad UTF-8.
READ_ERRORS = (pa.ArrowException, OSError, ValueError, EOFError, zlib.error)


class InputFileError(ValueError):
    """The input cannot be used as given; the message is one line meant for the user."""


@dataclass
class Source:
    path: Path
    fmt: str
    columns: list[str]
    rows_estimate: int | None
    chunks: Iterator[Chunk]
    schema: pa.Schema | None = None  # Arrow formats: lets an input without rows keep its columns


def gzipped(path: Path) -> bool:
    return path.suffix.lower() == ".gz"


def file_format(path: Path) -> str:
    """csv, jsonl or parquet from the extension; CSV and JSONL may be gzipped (``.csv.gz``)."""
    inner = Path(path.stem) if gzipped(path) else path
    fmt = FORMATS.get(inner.suffix.lower())
    if fmt is None or (fmt == "parquet" and inner is not path):
        known = ", ".join([*sorted(FORMATS), ".csv.gz", ".jsonl.gz"])
        suffix = "".join(path.suffixes[-2:]) if inner is not path else path.suffix
        raise InputFileError(f"{path}: unknown file type {suffix!r} (use one of {known})")
    return fmt


def default_output(path: Path) -> Path:
    """``x.csv`` -> ``x.analysed.csv``; ``x.csv.gz`` -> ``x.analysed.csv.gz``."""
    if gzipped(path):
        inner = Path(path.stem)
        return path.with_name(f"{inner.stem}.analysed{inner.suffix}{path.suffix}")
    return path.with_name(f"{path.stem}.analysed{path.suffix}")


def _open_text(path: Path) -> IO[str]:
    if gzipped(path):
        return gzip.open(path, "rt", encoding="utf-8-sig", newline="")
    return path.open(encoding="utf-8-sig", newline="")


def open_source(path: Path, batch_size: int) -> Source:
    """Open ``path`` for streaming; raises :class:`InputFileError` with a one-line reason."""
    fmt = file_format(path)
    if not path.is_file():
        raise InputFileError(f"{path}: no such file")
    try:
        if fmt == "parquet":
            return _parquet(path, batch_size)
        if fmt == "csv":
            return _csv(path, batch_size)
        return _jsonl(path, batch_size)
    except READ_ERRORS as exc:
        raise unreadable(path, exc) from exc


def unreadable(path: Path, exc: BaseException) -> InputFileError:
    reason = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
    return InputFileError(f"{path}: cannot read it as {file_format(path)} ({reason})")


def _parquet(path: Path, batch_size: int) -> Source:
    pf = pq.ParquetFile(path)
    chunks = pf.iter_batches(batch_size=batch_size)
    schema = pf.schema_arrow
    return Source(path, "parquet", schema.names, pf.metadata.num_rows, chunks, schema)


def _count_lines(path: Path) -> int:
    with gzip.open(path, "rb") if gzipped(path) else path.open("rb") as fh:
        return sum(block.count(b"\n") for block in iter(lambda: fh.read(1 << 20), b""))


def _csv(path: Path, batch_size: int) -> Source:
    with _open_text(path) as fh:
        header = next(csv.reader(fh), None)
    if not header:
        raise InputFileError(f"{path}: the file is empty (a CSV needs a header row)")
    reader = pacsv.open_csv(
        str(path),  # a path string lets Arrow decompress .gz by its extension
        read_options=pacsv.ReadOptions(block_size=CSV_BLOCK),
        parse_options=pacsv.ParseOptions(newlines_in_values=True),
        convert_options=pacsv.ConvertOptions(column_types=dict.fromkeys(header, pa.string())),
    )

    def chunks() -> Iterator[Chunk]:
        for block in reader:
            for start in range(0, block.num_rows, batch_size):
                yield block.slice(start, batch_size)

    # Quoted values may hold newlines, so the line count is an upper bound for the progress bar.
    schema = pa.schema([pa.field(name, pa.string()) for name in header])
    return Source(path, "csv", header, max(_count_lines(path) - 1, 0), chunks(), schema)


def _jsonl(path: Path, batch_size: int) -> Source:
    first = _jsonl_rows(path, batch_size)
    head = next(first, [])
    columns = list(dict.fromkeys(k for row in head for k in row))

    def chunks() -> Iterator[Chunk]:
        if head:
            yield head
        yield from first

    return Source(path, "jsonl", columns, _count_lines(path), chunks())


def _jsonl_rows(path: Path, batch_size: int) -> Iterator[list[dict[str, Any]]]:
    rows: list[dict[str, Any]] = []
    with _open_text(path) as fh:
        for number, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError as exc:
                raise InputFileError(f"{path}: line {number} is not JSON ({exc.msg})") from exc
            if not isinstance(row, dict):
                raise InputFileError(f"{path}: line {number} is not a JSON object")
            rows.append(row)
            if len(rows) == batch_size:
                yield rows
                rows = []
    if rows:
        yield rows


def values(chunk: Chunk, name: str | None) -> list[Any]:
    """One column of a chunk as Python values (all ``None`` when the column is absent)."""
    if isinstance(chunk, pa.RecordBatch):
        if name is None or name not in chunk.schema.names:
            return [None] * chunk.num_rows
        column: list[Any] = chunk.column(name).to_pylist()
        return column
    return [row.get(name) if name is not None else None for row in chunk]


def texts_of(chunk: Chunk, name: str) -> list[str | None]:
    # Numbers in a text column are still text to analyse; missing values pass through as None.
    return [v if v is None or isinstance(v, str) else str(v) for v in values(chunk, name)]


def _role(value: Any) -> str:
    role = str(value).strip().lower() if value is not None else ""
    return role if role in ("customer", "agent") else "customer"


def score_chunk(
    chunk: Chunk, analyzer: Analyzer, text_col: str, role_col: str | None
) -> tuple[list[str | None], list[str], pa.RecordBatch]:
    """Texts, roles and the analysis columns (only those) of one chunk, via ``score_batch``."""
    texts = texts_of(chunk, text_col)
    roles = [_role(v) for v in values(chunk, role_col)]
    batch = pa.RecordBatch.from_pydict(
        {"text": pa.array(texts, pa.string()), ROLE_COL: pa.array(roles, pa.string())}
    )
    scored = score_batch(batch, analyzer)
    return texts, roles, scored.select([f.name for f in OUTPUT_FIELDS])


class Sink:
    """Writes enriched chunks to ``<out>.part`` and renames it into place only on success."""

    def __init__(self, out: Path, fmt: str, schema: pa.Schema | None = None) -> None:
        self.out = out
        self.fmt = fmt
        self.schema = schema
        self.part = out.with_name(out.name + ".part")
        self._fh: IO[str] | None = None
        self._writer: pq.ParquetWriter | pacsv.CSVWriter | None = None
        self._stream: pa.CompressedOutputStream | None = None  # the writer does not close it

    def write(self, chunk: Chunk, analysis: pa.RecordBatch) -> None:
        if isinstance(chunk, list):
            self._write_jsonl(chunk, analysis)
            return
        merged = _merge(chunk, analysis, for_csv=self.fmt == "csv")
        if self._writer is None:
            if self.fmt == "parquet":
                self._writer = pq.ParquetWriter(self.part, merged.schema)
            else:
                options = pacsv.WriteOptions(quoting_style="needed")
                sink: Any = self.part
                if gzipped(self.out):
                    sink = self._stream = pa.CompressedOutputStream(str(self.part), "gzip")
                self._writer = pacsv.CSVWriter(sink, merged.schema, write_options=options)
        self._writer.write_batch(merged)

    def _write_jsonl(self, rows: list[dict[str, Any]], analysis: pa.RecordBatch) -> None:
        if self._fh is None:  # kept open across chunks; close() closes it
            opener = gzip.open if gzipped(self.out) else open
            self._fh = opener(self.part, "wt", encoding="utf-8")
        for row, extra in zip(rows, analysis.to_pylist(), strict=True):
            out = {**row, **{k: _rounded(v) for k, v in extra.items()}}
            self._fh.write(json.dumps(out, ensure_ascii=False) + "\n")

    def close(self, ok: bool) -> None:
        if self._writer is not None:
            self._writer.close()
        if self._stream is not None:
            self._stream.close()
        if self._fh is not None:
            self._fh.close()
        if not ok:
            self.part.unlink(missing_ok=True)
            return
        if self._writer is None and self._fh is None:
            self._write_empty()
        self.part.replace(self.out)

    def _write_empty(self) -> None:
        # An input without rows still gets an output, with its columns where the format has them.
        if self.schema is None:
            with gzip.open(self.part, "wb") if gzipped(self.out) else self.part.open("wb"):
                return
        analysis = pa.RecordBatch.from_pylist([], schema=pa.schema(OUTPUT_FIELDS))
        self.write(pa.RecordBatch.from_pylist([], schema=self.schema), analysis)
        assert self._writer is not None
        self._writer.close()
        if self._stream is not None:
            self._stream.close()


def _merge(batch: pa.RecordBatch, analysis: pa.RecordBatch, for_csv: bool) -> pa.RecordBatch:
    keep = [n for n in batch.schema.names if n not in ANALYSIS_NAMES]
    arrays = [batch.column(n) for n in keep]
    names = list(keep)
    for field in analysis.schema:
        column = analysis.column(field.name)
        if for_csv and pa.types.is_list(field.type):
            # CSV has no lists: signal names are identifiers, so ";" joins them unambiguously.
            column = pa.array([";".join(v or []) for v in column.to_pylist()], pa.string())
        arrays.append(column)
        names.append(field.name)
    if for_csv:  # opened in spreadsheets: no cell, header included, may run as a formula
        arrays = [_neutralised(a) for a in arrays]
        names = [neutralise_cell(n) for n in names]
    return pa.RecordBatch.from_arrays(arrays, names=names)


def _neutralised(column: pa.Array) -> pa.Array:
    if not (pa.types.is_string(column.type) or pa.types.is_large_string(column.type)):
        return column
    cells = [v if v is None else neutralise_cell(v) for v in column.to_pylist()]
    return pa.array(cells, column.type)


def _rounded(value: Any) -> Any:
    # float32 columns come back as 0.30000001192092896; four decimals is what the engine means.
    return round(value, 4) if isinstance(value, float) else value
