"""Bulk screening commands: ``batch`` (every core of this machine) and ``spark-screen``."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click
import orjson

from embargo.batch.run import CHUNK, Summary
from embargo.cli.base import Context, cli, parse_day, pass_ctx

F = TypeVar("F", bound=Callable[..., Any])


def screening_options(func: F) -> F:
    """The options ``batch`` and ``spark-screen`` share with ``screen``."""
    options = [
        click.option("--threshold", type=click.FloatRange(0, 1), default=None,
                     help="Minimum score of a hit (default: the matcher's default)."),
        click.option("--limit", type=click.IntRange(1, 1000), default=10, show_default=True,
                     help="Hits per query."),
        click.option("--as-of", default=None,
                     help="YYYY-MM-DD: screen against the lists of that day."),
        click.option("--source", "sources", multiple=True,
                     help="Only these lists (repeatable)."),
    ]
    for option in reversed(options):
        func = option(func)
    return func


@cli.command("batch")
@click.argument("input_path", metavar="INPUT", type=click.Path(path_type=Path))
@click.option("-o", "--output", "out", required=True,
              help="Output file ('-' = stdout, not resumable).")
@click.option("--format", "fmt", type=click.Choice(["jsonl", "csv", "parquet"]),
              default="jsonl", show_default=True)
@click.option("--workers", type=click.IntRange(1, 512), default=None,
              help="Screening processes (default: every core).")
@click.option("--resume", is_flag=True, help="Go on with an interrupted run of this output.")
@click.option("--summary", "summary_path", type=click.Path(dir_okay=False, path_type=Path),
              default=None, help="Also write the summary as JSON to this file.")
@click.option("--checkpoint-seconds", type=click.FloatRange(0), default=2.0, hidden=True)
@click.option("--chunk-rows", type=click.IntRange(1), default=CHUNK, hidden=True)
@screening_options
@pass_ctx
def batch_cmd(ctx: Context, input_path: Path, out: str, fmt: str, workers: int | None,
              resume: bool, summary_path: Path | None, checkpoint_seconds: float, chunk_rows: int,
              threshold: float | None, limit: int, as_of: str | None,
              sources: tuple[str, ...]) -> None:
    """Screen a whole file (CSV, FtM JSON lines or Parquet) on every core, resumably."""
    from embargo.batch import Options, Request, run_batch

    request = Request(input_path, None if out == "-" else Path(out), fmt, workers or 0, resume,
                      Options(threshold, limit), parse_day(as_of, "--as-of"), sources,
                      checkpoint_s=checkpoint_seconds, chunk=chunk_rows,
                      progress=None if out != "-" else False)
    done = run_batch(ctx.store, ctx.settings.home / "index", request)
    report(done, summary_path)


def report(done: Summary, path: Path | None) -> None:
    """The summary line on stderr, and as JSON in ``path`` when asked."""
    from embargo.batch.progress import summary

    click.echo(summary(done.counts, done.elapsed, done.workers, done.output), err=True)
    if path is not None:
        path.write_bytes(orjson.dumps(done.as_dict(), option=orjson.OPT_INDENT_2))


@cli.command("spark-screen")
@click.argument("input_path", metavar="INPUT")
@click.argument("output", metavar="OUTPUT")
@click.option("--format", "fmt", type=click.Choice(["parquet", "jsonl"]),
              default="parquet", show_default=True)
@click.option("--master", default=None,
              help="Spark master (default: spark-submit's, else local[*]).")
@click.option("--partitions", type=click.IntRange(1), default=None,
              help="Repartition the input into this many partitions first.")
@click.option("--summary", "summary_path", type=click.Path(dir_okay=False, path_type=Path),
              default=None, help="Also write the summary as JSON to this file.")
@screening_options
@pass_ctx
def spark_screen_cmd(ctx: Context, input_path: str, output: str, fmt: str, master: str | None,
                     partitions: int | None, summary_path: Path | None,
                     threshold: float | None, limit: int, as_of: str | None,
                     sources: tuple[str, ...]) -> None:
    """Screen a file or dataset on Apache Spark; OUTPUT is a Spark output folder."""
    from embargo.spark.job import SparkRequest, run_spark

    request = SparkRequest(input_path, output, fmt, master, partitions, threshold, limit,
                           parse_day(as_of, "--as-of"), sources)
    done = run_spark(ctx.store, ctx.settings.home / "index", request)
    report(done, summary_path)
