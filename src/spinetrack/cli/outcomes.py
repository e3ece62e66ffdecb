"""`spinetrack outcomes FILE`: classify every patient of a scores CSV or Parquet file on the
vectorised path, one row per patient sorted by patient_id: patient_id,status,latest_timepoint,
disability_improvement,pain_improvement. Unusable rows are set aside and counted on stderr; they never stop the run."""

from typing import BinaryIO

import polars as pl
import typer

from spinetrack.analytics.points import POINT_COLUMNS, judged_points, rejected, usable
from spinetrack.analytics.status import classify_points
from spinetrack.cli.csv_input import STDIN, output_stream, scan_table, write_table
from spinetrack.cli.errors import explains_errors, fail, stderr
from spinetrack.cli.progress import progress

OUTPUT_COLUMNS = (
    "patient_id",
    "status",
    "latest_timepoint",
    "disability_improvement",
    "pain_improvement",
)
_SHOWN_PROBLEMS = 5


_NUMBERS = ("days_after_surgery", "score")


def _points(source: str, numbers: tuple[str, ...]) -> list[pl.DataFrame]:
    judged = judged_points(scan_table(source, POINT_COLUMNS, numbers))
    return pl.collect_all([usable(judged), rejected(judged)], engine="streaming")


def _read_points(source: str) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Usable points and rejected rows. The numbers are first read typed by the reader; a cell it
    cannot parse (text in a number column, spaces around a number) sends the whole file through
    the text path instead, which judges such cells row by row. Both give the same rows."""
    try:
        if source == STDIN:  # read once: the text path straight away
            points, set_aside = _points(source, ())
        else:
            try:
                points, set_aside = _points(source, _NUMBERS)
            except pl.exceptions.ComputeError:
                points, set_aside = _points(source, ())
    except pl.exceptions.PolarsError as exc:
        detail = str(exc).strip().splitlines()[0]
        kind = "Parquet" if source.lower().endswith(".parquet") else "CSV"
        raise fail(f"{source}: not a readable {kind} file ({detail})") from exc
    return points, set_aside


def classify_csv(source: str, sink: BinaryIO, out: str | None = None) -> tuple[int, pl.DataFrame]:
    """Classify the CSV or Parquet file at ``source`` (``-`` = CSV on stdin), write the statuses
    to ``out`` (CSV or Parquet) or as CSV to ``sink``; returns the number of patients and the
    rejected rows (``row``, ``problem``).

    The file is read on the streaming engine straight into typed points (the text of the cells
    is never held whole); classifying needs every point of a patient, so the points are."""
    with progress("classifying patients", 3) as advance:
        points, set_aside = _read_points(source)
        # A patient whose every row was set aside is still listed (as no_baseline).
        others = set_aside["patient_id"]
        others = others.filter(others.is_not_null() & (others.str.strip_chars() != ""))
        advance(1)
        held = [points]
        del points  # classify_points lets the points go once it has numbered them
        result = classify_points(held, others)
        advance(1)
        write_table(result.lazy().select(OUTPUT_COLUMNS), source, out, sink, float_precision=2)
        advance(1)
    return result.height, set_aside.select("row", "problem")


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
        help="CSV or .parquet with patient_id,instrument,days_after_surgery,score; - reads stdin.",
    ),
    out: str | None = typer.Option(
        None, "--out", "-o", help="Write here (.parquet or CSV) instead of CSV on stdout."
    ),
) -> None:
    """Classify each patient's outcome from scores; the statuses go to stdout as CSV."""
    patients, set_aside = classify_csv(file, output_stream(), out)
    _report(patients, set_aside)


def register(app: typer.Typer) -> None:
    app.command("outcomes")(outcomes)
