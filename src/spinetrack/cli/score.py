"""`spinetrack score --instrument NAME FILE`: score a CSV of responses on the vectorised path, one
output row per input row in input order: response_id,status,answered,raw,percent."""

from collections import Counter
from typing import BinaryIO

import polars as pl
import typer

from spinetrack.analytics.scoring import item_ids, score_table
from spinetrack.analytics.text_columns import number
from spinetrack.cli.csv_input import output_stream, read_table
from spinetrack.cli.errors import explains_errors, fail, stderr
from spinetrack.cli.progress import progress
from spinetrack.domain.errors import UnknownInstrument
from spinetrack.domain.instruments import instrument_ids

OUTPUT_COLUMNS = ("response_id", "status", "answered", "raw", "percent")
CHUNK_ROWS = 250_000


def score_rows(table: pl.DataFrame, instrument: str) -> pl.DataFrame:
    """Output rows for a text table holding response_id and the instrument's item columns."""
    answers = table.select(number(item) for item in item_ids(instrument))
    scored = score_table(instrument, answers)
    return pl.DataFrame(
        [
            table["response_id"],
            scored["status"],
            scored["answered"],
            scored["raw_text"].alias("raw"),
            scored["percent_text"].alias("percent"),
        ]
    )


def score_csv(source: str, instrument: str, sink: BinaryIO) -> Counter[str]:
    """Score the CSV at ``source`` (``-`` = stdin) and write the scores CSV to ``sink``."""
    try:
        items = item_ids(instrument)
    except UnknownInstrument as exc:
        choices = ", ".join(instrument_ids())
        raise fail(f"unknown instrument {instrument!r}; choose one of {choices}") from exc
    table = read_table(source, ["response_id", *items])
    counts: Counter[str] = Counter()
    if table.height == 0:
        pl.DataFrame(schema=dict.fromkeys(OUTPUT_COLUMNS, pl.String)).write_csv(sink)
        return counts
    with progress(f"scoring {instrument}", table.height) as advance:
        for position, chunk in enumerate(table.iter_slices(CHUNK_ROWS)):
            rows = score_rows(chunk, instrument)
            rows.write_csv(sink, include_header=position == 0)
            counts.update(dict(rows["status"].value_counts().iter_rows()))
            advance(chunk.height)
    return counts


@explains_errors
def score(
    file: str = typer.Argument(
        ..., metavar="FILE", help="CSV with response_id and the item columns; - reads stdin."
    ),
    instrument: str = typer.Option(
        ..., "--instrument", "-i", help="Instrument id (see `spinetrack instruments list`)."
    ),
) -> None:
    """Score questionnaire responses from a CSV file; the scores go to stdout as CSV."""
    counts = score_csv(file, instrument, output_stream())
    total = sum(counts.values())
    detail = ", ".join(f"{counts[s]} {s}" for s in ("ok", "insufficient", "invalid"))
    stderr.print(f"scored {total} {instrument} responses: {detail}", markup=False)


def register(app: typer.Typer) -> None:
    app.command("score")(score)
