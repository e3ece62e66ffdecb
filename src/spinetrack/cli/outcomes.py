"""`spinetrack outcomes FILE`: classify every patient of a scores CSV on the vectorised path, one row
per patient sorted by patient_id: patient_id,status,latest_timepoint,disability_improvement,
pain_improvement. Unusable rows are set aside and counted on stderr; they never stop the run."""

from typing import BinaryIO

import polars as pl
import typer

from spinetrack.analytics.points import POINT_COLUMNS, checked_points
from spinetrack.analytics.status import classify_table
from spinetrack.cli.csv_input import output_stream, read_table
from spinetrack.cli.errors import explains_errors, stderr
from spinetrack.cli.progress import progress

OUTPUT_COLUMNS = (
    "patient_id",
    "status",
    "latest_timepoint",
    "disability_improvement",
    "pain_improvement",
)
_SHOWN_PROBLEMS = 5


def classify_csv(source: str, sink: BinaryIO) -> tuple[int, pl.DataFrame]:
    """Classify the CSV at ``source`` (``-`` = stdin), write the status CSV to ``sink``; returns
    the number of patients and the rejected rows (``row``, ``problem``)."""
    table = read_table(source, POINT_COLUMNS).select(POINT_COLUMNS)
    with progress("classifying patients", 3) as advance:
        points, rejected = checked_points(table)
        # A patient whose every row was set aside is still listed (as no_baseline).
        others = table[rejected["row"]]["patient_id"]
        others = others.filter(others.is_not_null() & (others.str.strip_chars() != ""))
        del table  # the text is no longer needed; free it before the heavy part
        advance(1)
        result = classify_table(points, others)
        advance(1)
        result.select(OUTPUT_COLUMNS).write_csv(sink, float_precision=2)
        advance(1)
    return result.height, rejected


def _report(patients: int, rejected: pl.DataFrame) -> None:
    stderr.print(f"classified {patients} patients", markup=False)
    if rejected.height == 0:
        return
    stderr.print(f"warning: {rejected.height} rows ignored", markup=False)
    for row, problem in rejected.head(_SHOWN_PROBLEMS).iter_rows():
        stderr.print(f"  data row {row + 1}: {problem}", markup=False)
    if rejected.height > _SHOWN_PROBLEMS:
        stderr.print(f"  … and {rejected.height - _SHOWN_PROBLEMS} more", markup=False)


@explains_errors
def outcomes(
    file: str = typer.Argument(
        ...,
        metavar="FILE",
        help="CSV with patient_id,instrument,days_after_surgery,score; - reads stdin.",
    ),
) -> None:
    """Classify each patient's outcome from scores; the statuses go to stdout as CSV."""
    patients, rejected = classify_csv(file, output_stream())
    _report(patients, rejected)


def register(app: typer.Typer) -> None:
    app.command("outcomes")(outcomes)
