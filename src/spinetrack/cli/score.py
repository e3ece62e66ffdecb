"""`spinetrack score --instrument NAME FILE`: score a CSV or Parquet file of responses on the
vectorised path, one output row per input row in input order:
response_id,status,answered,raw,percent. The file is read, scored and written in batches on polars'
streaming engine, so memory does not grow with the number of responses; the scoring is one lazy
plan of polars expressions, and Python sees each finished batch only to count it."""

from collections import Counter
from threading import Lock
from typing import BinaryIO

import polars as pl
import typer

from spinetrack.analytics.scoring import item_ids, score_columns
from spinetrack.analytics.text_columns import number
from spinetrack.cli.csv_input import output_stream, scan_table, write_table
from spinetrack.cli.errors import explains_errors, fail, stderr
from spinetrack.cli.progress import progress
from spinetrack.domain.errors import UnknownInstrument
from spinetrack.domain.instruments import instrument_ids

OUTPUT_COLUMNS = ("response_id", "status", "answered", "raw", "percent")
OUTPUT_SCHEMA = {
    "response_id": pl.String,
    "status": pl.String,
    "answered": pl.Int64,
    "raw": pl.String,
    "percent": pl.String,
}


def scored(table: pl.LazyFrame, instrument: str) -> pl.LazyFrame:
    """The output rows, lazily, for a text table holding response_id and the instrument's item
    columns (each cell parsed as ``text_columns.number`` decides)."""
    columns = score_columns(instrument)
    return table.with_columns(number(item) for item in item_ids(instrument)).select(
        pl.col("response_id"),
        columns["status"].alias("status"),
        columns["answered"].alias("answered"),
        columns["raw_text"].alias("raw"),
        columns["percent_text"].alias("percent"),
    )


def score_rows(table: pl.DataFrame, instrument: str) -> pl.DataFrame:
    """Output rows for a text table holding response_id and the instrument's item columns."""
    return scored(table.lazy(), instrument).collect()


def score_csv(source: str, instrument: str, sink: BinaryIO, out: str | None = None) -> Counter[str]:
    """Score the CSV or Parquet file at ``source`` (``-`` = CSV on stdin) batch by batch on the
    streaming engine, and write the scores to ``out`` (CSV or Parquet) or as CSV to ``sink``."""
    try:
        items = item_ids(instrument)
    except UnknownInstrument as exc:
        choices = ", ".join(instrument_ids())
        raise fail(f"unknown instrument {instrument!r}; choose one of {choices}") from exc
    table = scan_table(source, ["response_id", *items])
    counts: Counter[str] = Counter()
    counting = Lock()  # the engine may hand batches to the function from several threads
    with progress(f"scoring {instrument}", None) as advance:

        def counted(rows: pl.DataFrame) -> pl.DataFrame:
            with counting:
                counts.update(dict(rows["status"].value_counts().iter_rows()))
                advance(rows.height)
            return rows

        frame = scored(table, instrument).map_batches(
            counted, schema=OUTPUT_SCHEMA, streamable=True
        )
        write_table(frame, source, out, sink, float_precision=None)
    return counts


@explains_errors
def score(
    file: str = typer.Argument(
        ...,
        metavar="FILE",
        help="CSV or .parquet with response_id and the item columns; - reads CSV from stdin.",
    ),
    out: str | None = typer.Option(
        None, "--out", "-o", help="Write here (.parquet or CSV) instead of CSV on stdout."
    ),
    instrument: str = typer.Option(
        ..., "--instrument", "-i", help="Instrument id (see `spinetrack instruments list`)."
    ),
) -> None:
    """Score questionnaire responses from a CSV file; the scores go to stdout as CSV."""
    counts = score_csv(file, instrument, output_stream(), out)
    total = sum(counts.values())
    detail = ", ".join(f"{counts[s]} {s}" for s in ("ok", "insufficient", "invalid"))
    stderr.print(f"scored {total} {instrument} responses: {detail}", markup=False)


def register(app: typer.Typer) -> None:
    app.command("score")(score)
