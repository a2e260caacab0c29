"""Screening commands: screen and compare."""

from __future__ import annotations

import csv
import io
import sys

import click
import orjson

from embargo.cli.base import Context, cli, output, parse_day, pass_ctx, read_input
from embargo.csvsafe import safe_mapping, safe_row
from embargo.errors import ParseError


@cli.command("screen")
@click.argument("input_path", metavar="INPUT")
@click.option("-o", "--output", "out", default=None, help="Output file ('-' = stdout).")
@click.option("--format", "fmt", type=click.Choice(["jsonl", "csv"]), default="jsonl",
              show_default=True)
@click.option("--threshold", type=click.FloatRange(0, 1), default=None,
              help="Minimum score of a hit (default: the matcher's documented default).")
@click.option("--limit", type=click.IntRange(1, 1000), default=10, show_default=True,
              help="Hits per query.")
@click.option("--as-of", default=None, help="YYYY-MM-DD: screen against the lists of that day.")
@click.option("--source", "sources", multiple=True, help="Only these lists (repeatable).")
@pass_ctx
def screen_cmd(ctx: Context, input_path: str, out: str | None, fmt: str,
               threshold: float | None, limit: int, as_of: str | None,
               sources: tuple[str, ...]) -> None:
    """Screen parties (CSV with a header, or FtM JSON lines) against the lists."""
    from embargo.matching.query import parse_queries
    from embargo.screening.lists import load_screener
    from embargo.screening.results import CSV_COLUMNS, csv_rows, screen_rows

    raw = read_input(input_path)
    lists = load_screener(ctx.store, ctx.settings.home / "index", parse_day(as_of, "--as-of"),
                          sources)
    try:
        rows = list(parse_queries(raw))
    except ValueError as exc:
        raise ParseError(input_path, str(exc), line=1) from None
    results = screen_rows(lists.screener, lists.snapshots, rows, threshold, limit)
    show_bar = out not in (None, "-") and len(rows) >= 100
    with output(out) as fh, click.progressbar(results, length=len(rows), label="screening",
                                              file=sys.stderr if show_bar else _Null()) as bar:
        writer = csv.writer(fh) if fmt == "csv" else None
        if writer:
            writer.writerow(CSV_COLUMNS)
        for result in bar:
            if writer:
                writer.writerows(safe_row(row) for row in csv_rows(result))
            else:
                fh.write(orjson.dumps(result).decode() + "\n")


class _Null(io.StringIO):
    """A sink for the progress bar when it is not wanted."""

    def isatty(self) -> bool:
        return False


@cli.command("compare")
@click.argument("pairs", metavar="PAIRS")
@click.option("-o", "--output", "out", default=None, help="Output file ('-' = stdout).")
@click.option("--format", "fmt", type=click.Choice(["jsonl", "csv"]), default="jsonl",
              show_default=True)
@click.option("--threshold", type=click.FloatRange(0, 1), default=None,
              help="Score at which a pair is a match (default: the documented default).")
@pass_ctx
def compare_cmd(ctx: Context, pairs: str, out: str | None, fmt: str,
                threshold: float | None) -> None:
    """Score name pairs (schema,name1,name2,... CSV): one result per row, in order."""
    from embargo.screening.pairs import compare_pairs

    raw = read_input(pairs)
    text = raw.decode("utf-8", errors="replace").lstrip("\ufeff")
    results = compare_pairs(text, pairs, threshold)
    with output(out) as fh:
        writer = None
        for record, result in results:
            if fmt == "jsonl":
                fh.write(orjson.dumps(result).decode() + "\n")
                continue
            if writer is None:
                extra = [c for c in ("score", "error") if c not in record]
                fields = [*record, *extra]
                writer = csv.DictWriter(fh, fields, extrasaction="ignore")
                writer.writerow(dict(zip(fields, safe_row(fields), strict=True)))
            writer.writerow(safe_mapping({**record, "score": result["score"],
                                          "error": result["error"]}))
