"""`accord analyze FILE`: score a CSV, JSON Lines or Parquet file and write it back enriched.

The file streams through :func:`accord.analysis.batch.score_batch` in chunks; the output is
written beside it under a temporary name and renamed only when complete, and never over the
input, so a failed run leaves the input and any previous output as they were.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

# Imported lazily, when the command runs: pyarrow and the engine would slow every `accord` call.
if TYPE_CHECKING:
    from rich.progress import Progress

    from accord.analysis import files
    from accord.analysis.analyzer import Analyzer
    from accord.analysis.report import Collector


def _check_columns(source: files.Source, wanted: dict[str, str | None]) -> None:
    from accord.analysis import files

    if not source.columns:
        raise files.InputFileError(f"{source.path}: the file has no rows")
    for option, name in wanted.items():
        if name is not None and name not in source.columns:
            have = ", ".join(source.columns)
            raise files.InputFileError(
                f"{source.path}: no column {name!r} ({option}); the columns are: {have}"
            )


def _check_outputs(path: Path, fmt: str, out: Path, report: Path | None) -> None:
    from accord.analysis import files

    if files.file_format(out) != fmt:
        raise files.InputFileError(f"--out {out}: must be a {fmt} file like the input")
    targets = [out, *([report] if report is not None else [])]
    if any(t.resolve() == path.resolve() for t in targets):
        raise files.InputFileError(f"{path}: refusing to overwrite the input file")
    if report is not None and report.resolve() == out.resolve():
        raise files.InputFileError("--report and --out must be different files")
    for target in targets:
        if not target.parent.is_dir():
            raise files.InputFileError(f"{target}: folder {target.parent} does not exist")


def _progress() -> Progress:
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from accord.cli.main import errors

    return Progress(
        TextColumn("analysing"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=errors,
        transient=True,
    )


def _redacted(chunk: files.Chunk, text_col: str, customer_cols: Sequence[str]) -> files.Chunk:
    """The chunk with personal data in ``text_col`` replaced (accord.privacy), each row's
    customer (``customer_cols``) found too, and those columns replaced by placeholders."""
    import pyarrow as pa

    from accord.analysis import files
    from accord.privacy import PLACEHOLDERS, CustomerRecord, redact_many
    from accord.privacy.customer import kind_of

    texts = files.texts_of(chunk, text_col)
    people = list(zip(*(files.values(chunk, c) for c in customer_cols), strict=True))
    records = [CustomerRecord.guess(*p) for p in people] if customer_cols else None
    results = redact_many(texts, records)
    new: dict[str, list[str | None]] = {
        text_col: [None if t is None else r.text for t, r in zip(texts, results, strict=True)]
    }
    for col in customer_cols:
        new[col] = [
            None if v is None or not str(v).strip() else PLACEHOLDERS[kind_of(str(v).strip())]
            for v in files.values(chunk, col)
        ]
    if isinstance(chunk, pa.RecordBatch):
        names = chunk.schema.names
        arrays = [pa.array(new[n], pa.string()) if n in new else chunk.column(n) for n in names]
        return pa.RecordBatch.from_arrays(arrays, names=names)
    return [{**row, **{k: v[i] for k, v in new.items() if k in row}} for i, row in enumerate(chunk)]


def _stream(
    source: files.Source,
    sink: files.Sink,
    analyzer: Analyzer,
    columns: tuple[str, str | None, str | None],
    collector: Collector | None,
    customer_cols: Sequence[str] | None = None,
) -> int:
    """Score every chunk into ``sink``; with ``customer_cols`` (even empty), redact first."""
    from accord.analysis import files

    text_col, role_col, conversation_col = columns
    done = 0
    with _progress() as progress:
        bar = progress.add_task("analysing", total=source.rows_estimate)
        try:
            for chunk in source.chunks:
                if customer_cols is not None:
                    chunk = _redacted(chunk, text_col, customer_cols)
                texts, roles, analysis = files.score_chunk(chunk, analyzer, text_col, role_col)
                sink.write(chunk, analysis)
                if collector is not None:
                    ids = files.values(chunk, conversation_col) if conversation_col else None
                    collector.add(texts, roles, analysis, ids)
                done += len(texts)
                progress.update(bar, completed=done)
        except files.InputFileError:
            raise
        except files.READ_ERRORS as exc:
            # A block past the first can still be corrupt: reported like an unreadable file.
            raise files.unreadable(source.path, exc) from exc
    return done


def analyze(
    file: Annotated[
        Path,
        typer.Argument(
            help="A .csv, .jsonl or .parquet file (.csv.gz and .jsonl.gz too).", dir_okay=False
        ),
    ],
    text_col: Annotated[str, typer.Option(help="Column holding the message text.")] = "text",
    conversation_col: Annotated[
        str | None, typer.Option(help="Column grouping rows into conversations (for the report).")
    ] = None,
    role_col: Annotated[
        str | None, typer.Option(help="Column saying 'customer' or 'agent' (default: customer).")
    ] = None,
    out: Annotated[
        Path | None, typer.Option(help="Output file [default: FILE.analysed.EXT beside FILE].")
    ] = None,
    report: Annotated[
        Path | None, typer.Option(help="Also write a self-contained HTML report here.")
    ] = None,
    redact: Annotated[
        bool,
        typer.Option(
            "--redact/--no-redact",
            help="Replace personal data in the text (e-mails, phone and card numbers, names...) "
            "with placeholders before analysing it, in the output and the report.",
        ),
    ] = True,
    customer_col: Annotated[
        list[str] | None,
        typer.Option(
            help="Column with the row's customer's name, e-mail or phone (repeatable): found "
            "in the text in any form, and the column itself replaced by a placeholder.",
        ),
    ] = None,
    batch_size: Annotated[int, typer.Option(hidden=True, min=1)] = 512,
) -> None:
    """Analyse every message of a file; write it back with the analysis columns added."""
    from accord.analysis import files
    from accord.analysis.report import Collector, render
    from accord.cli.analysis_cmds import user_errors
    from accord.cli.main import console
    from accord.settings import analyzer_for, get_settings

    with user_errors():
        fmt = files.file_format(file)
        target = out or files.default_output(file)
        _check_outputs(file, fmt, target, report)
        source = files.open_source(file, batch_size)
        wanted = {"--text-col": text_col, "--role-col": role_col}
        _check_columns(source, {**wanted, "--conversation-col": conversation_col})
        for col in customer_col or ():
            _check_columns(source, {"--customer-col": col})
        analyzer = analyzer_for(get_settings())
        collector = Collector() if report is not None else None
        sink = files.Sink(target, fmt, source.schema)
        started, ok = time.perf_counter(), False
        try:
            columns = (text_col, role_col, conversation_col)
            private = list(customer_col or ()) if redact else None
            rows = _stream(source, sink, analyzer, columns, collector, private)
            ok = True
        finally:
            sink.close(ok)
        elapsed = time.perf_counter() - started
        console.print(f"analysed {rows} rows in {elapsed:.1f} s -> {target}", highlight=False)
        if not redact:
            console.print("personal data kept as written (--no-redact)", highlight=False)
        if collector is not None and report is not None:
            html = render(collector, analyzer, source=file.name, text_col=text_col)
            report.write_text(html, encoding="utf-8")
            console.print(f"report -> {report}", highlight=False)
