"""`accord eval`, `accord bench analysis` and `accord analyze`: the analysis engine's shell.

Registered by :mod:`accord.cli.main` when this module is present. Heavy imports (scikit-learn,
the models, Altair) happen inside the commands so `accord --help` stays fast. Bad input (a
missing file or data set, an unknown column) prints one line and exits with status 1.
"""

from __future__ import annotations

import importlib.util
import json
from collections.abc import Iterator
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from accord.cli import analyze_cmd
from accord.core.errors import NotFound, ValidationFailed


class TaskName(StrEnum):
    """The benchmarks of `accord eval` (kept equal to evaluate.TASKS by a test)."""

    complaint = "complaint"
    severity = "severity"
    emotion_ekman = "emotion_ekman"
    politeness_wiki = "politeness_wiki"
    abuse_davidson = "abuse_davidson"
    intent_banking77 = "intent_banking77"
    derailment_cga_cmv = "derailment_cga_cmv"
    forecast_shipped_cga_cmv = "forecast_shipped_cga_cmv"
    generalisation_xci = "generalisation_xci"  # leave-one-domain-out over X-CI
    cause_xci = "cause_xci"  # the project's cause labels of X-CI complaints
    complaint_cascade = "complaint_cascade"  # the second stage and cascade of each head
    severity_cascade = "severity_cascade"
    emotion_ekman_cascade = "emotion_ekman_cascade"
    intent_banking77_cascade = "intent_banking77_cascade"
    coach = "coach"  # registered by accord.coach.eval.task (see tasks())


WIDE_TABLE = 140  # columns from which the eval table holds the protocols too
GOALS = {"throughput_msgs_per_s": 3000.0, "p99_ms": 10.0, "rss_mb": 500.0}
DataOption = Annotated[
    Path | None,
    typer.Option(
        "--data",
        help="Shared data sets folder [default: $ACCORD_DATASETS_DIR or ../shared/datasets].",
        file_okay=False,
    ),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print one JSON object instead.")]


@contextmanager
def user_errors() -> Iterator[None]:
    """Turn a missing data set or unusable input file into the one-line error `friendly` prints."""
    from accord.analysis.datasets import DataMissingError
    from accord.analysis.files import InputFileError

    try:
        yield
    except DataMissingError as exc:
        raise NotFound(str(exc)) from exc
    except InputFileError as exc:
        raise ValidationFailed(str(exc)) from exc


def tasks() -> dict[str, Any]:
    """The engine's tasks plus those of packages the engine may not import (the coach)."""
    from accord.analysis.evaluate import TASKS, register_task
    from accord.coach.eval.task import register

    register(register_task)
    return TASKS


def _data_root(data: Path | None) -> Path:
    from accord.analysis.datasets import data_dir

    return data_dir(data)


def eval_command(
    task: Annotated[
        list[TaskName] | None,
        typer.Option("--task", help="Run only this task (repeat for several) [default: all]."),
    ] = None,
    data: DataOption = None,
    as_json: JsonOption = False,
) -> None:
    """Measure the engine on each public benchmark with its published protocol."""
    if importlib.util.find_spec("sklearn") is None:
        raise ValidationFailed(
            "accord eval needs scikit-learn: pip install 'accord[train]' (or 'accord[dev]')"
        )
    from accord.analysis.evaluate import run_task
    from accord.cli.main import errors

    with user_errors():
        root = _data_root(data)
        results: dict[str, dict[str, Any]] = {}
        registered = tasks()
        for name in [t.value for t in task] if task else list(registered):
            with errors.status(f"evaluating {name} (refits per fold; can take minutes)"):
                results[name] = run_task(name, root).to_dict()
            # Progress on stderr as each task ends: the whole run takes minutes.
            r = results[name]
            errors.print(f"{name}: {r['metric']} {r['value']} ({r['seconds']} s)", highlight=False)
    if as_json:
        typer.echo(json.dumps({"tasks": results}, indent=2))
        return
    _print_eval(results)


def _fraction(value: float | None) -> str:
    return "-" if value is None else f"{value:.3f}"


def _eval_table(results: dict[str, dict[str, Any]], with_protocol: bool) -> Table:
    table = Table(
        title="accord eval (values as fractions; protocols in shared/EVALUATION.md)", pad_edge=False
    )
    for column in ("task", "metric", "ours ± sd", "anchor", "goal", "data sha256"):
        table.add_column(column, no_wrap=True)  # the figures stay readable on one line
    if with_protocol:
        table.add_column("protocol", ratio=1)
    for name, r in results.items():
        ours = _fraction(r["value"]) + ("" if r["sd"] is None else f" ± {r['sd']:.3f}")
        cells = [name, r["metric"], ours, _fraction(r["anchor"]), _fraction(r["goal"])]
        table.add_row(*cells, r["data_sha256"], *([r["protocol"]] if with_protocol else []))
    return table


def _print_eval(results: dict[str, dict[str, Any]]) -> None:
    from accord.cli.main import console

    # A protocol is a long sentence: in a narrow terminal it goes under the table, not in it.
    wide = console.width >= WIDE_TABLE
    console.print(_eval_table(results, with_protocol=wide))
    if not wide:
        for name, r in results.items():
            console.print(f"[bold]{name}[/bold] protocol: {r['protocol']}", highlight=False)


def bench_analysis(
    data: DataOption = None,
    as_json: JsonOption = False,
    min_seconds: Annotated[float, typer.Option(hidden=True, min=0.0)] = 3.0,
    latency_samples: Annotated[int, typer.Option(hidden=True, min=1)] = 2000,
    encoder: Annotated[
        bool, typer.Option("--encoder", help="Also measure the sentence encoder and the cascade.")
    ] = False,
) -> None:
    """Throughput, latency and memory of the full analysis, against VADER."""
    from accord.analysis import bench
    from accord.cli.main import console, errors

    with user_errors():
        root = _data_root(data)
        with errors.status("benchmarking the analysis (one process, one thread)"):
            figures = bench.run(
                root, min_seconds=min_seconds, latency_samples=latency_samples, encoder=encoder
            )
    if as_json:
        typer.echo(json.dumps(figures, indent=2))
        return
    console.print(_bench_table(figures))
    if "encoder" in figures:
        console.print(_encoder_table(figures["encoder"], figures["throughput_msgs_per_s"]))


def _encoder_table(e: dict[str, Any], fast: float) -> Table:
    c, goals = e["cascade"], e["goals"]
    rate, p99 = c["throughput_msgs_per_s"], c["latency_ms"]["p99"]
    enc = e["encoder_sentences_per_s"]
    rows = [
        ("encoder alone, 1 / 2 threads", f"{enc['threads_1']:,.0f} / {enc['threads_2']:,.0f} "
         "sentences/s", "", None),
        (f"cascade ({c['routed_fraction']:.0%} routed)", f"{rate:,.0f} msgs/s",
         f">= {goals['throughput_msgs_per_s']:,.0f} ({rate / fast:.2f}x the fast path)",
         rate >= goals["throughput_msgs_per_s"]),
        ("cascade, encoder on 2 threads", f"{e['cascade_batch_2_threads_msgs_per_s']:,.0f} "
         "msgs/s", "", None),
        ("cascade latency p50", f"{c['latency_ms']['p50']:.2f} ms", "", None),
        ("cascade latency p99", f"{p99:.2f} ms", f"<= {goals['p99_ms']:.0f} ms",
         p99 <= goals["p99_ms"]),
        ("peak RSS with the encoder", f"{e['rss_mb']:.0f} MB", f"<= {goals['rss_mb']:.0f} MB",
         e["rss_mb"] <= goals["rss_mb"]),
    ]  # fmt: skip
    rows += [
        (f"band {r['complaint_band']}: {r['routed_fraction']:.0%} routed",
         f"{r['throughput_msgs_per_s']:,.0f} msgs/s", "", None)
        for r in e["curve"]
    ]  # fmt: skip
    table = Table(title="the sentence encoder and the cascade (same run)")
    for column in ("figure", "value", "goal", "met"):
        table.add_column(column)
    for name, value, goal, met in rows:
        table.add_row(name, value, goal, "" if met is None else ("yes" if met else "[red]no[/red]"))
    return table


def _bench_table(f: dict[str, Any]) -> Table:
    ours, p99, rss = f["throughput_msgs_per_s"], f["latency_ms"]["p99"], f["rss_mb"]
    base = f["baseline"]
    ratio = ours / base["throughput_msgs_per_s"] if base["throughput_msgs_per_s"] else 0.0
    rows = [
        ("throughput", f"{ours:,.0f} msgs/s", f">= {GOALS['throughput_msgs_per_s']:,.0f}",
         ours >= GOALS["throughput_msgs_per_s"]),
        ("latency p50", f"{f['latency_ms']['p50']:.2f} ms", "", None),
        ("latency p99", f"{p99:.2f} ms", f"<= {GOALS['p99_ms']:.0f} ms", p99 <= GOALS["p99_ms"]),
        ("peak RSS", f"{rss:.0f} MB", f"<= {GOALS['rss_mb']:.0f} MB", rss <= GOALS["rss_mb"]),
        (f"baseline {base['name']}", f"{base['throughput_msgs_per_s']:,.0f} msgs/s",
         f"ours = {ratio:.2f}x baseline", None),
    ]  # fmt: skip
    title = f"accord bench analysis: {f.get('messages', '?')} messages of {f.get('corpus', '?')}"
    table = Table(title=title)
    for column in ("figure", "value", "goal", "met"):
        table.add_column(column)
    for name, value, goal, met in rows:
        table.add_row(name, value, goal, "" if met is None else ("yes" if met else "[red]no[/red]"))
    return table


def register(app: typer.Typer, bench_app: typer.Typer) -> None:
    from accord.cli.main import friendly

    app.command("eval")(friendly(eval_command))
    bench_app.command("analysis")(friendly(bench_analysis))
    app.command("analyze")(friendly(analyze_cmd.analyze))
