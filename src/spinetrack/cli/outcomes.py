"""`spinetrack outcomes FILE`: classify every patient of a scores CSV or Parquet file on the
vectorised path, one row per patient sorted by patient_id: patient_id,status,latest_timepoint,
disability_improvement,pain_improvement. Unusable rows are set aside and counted on stderr; they never stop the run."""

import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import polars as pl
import typer
from typer import Exit

from spinetrack.analytics.points import POINT_COLUMNS, PROBLEMS, judged_points, rejected, usable
from spinetrack.analytics.status import classify_points
from spinetrack.cli.csv_input import (
    STDIN,
    output_stream,
    scan_table,
    write_csv_frames,
    write_table,
    writes_csv,
)
from spinetrack.cli.errors import explains_errors, fail, stderr
from spinetrack.cli.outcome_parts import (
    SHOWN,
    PartsResult,
    classify_parts,
    spilled,
    temporary_folder,
)
from spinetrack.cli.progress import progress

OUTPUT_COLUMNS = (
    "patient_id",
    "status",
    "latest_timepoint",
    "disability_improvement",
    "pain_improvement",
)
IN_MEMORY_ROWS = 8_000_000
"""A file of at most this many rows is classified whole: the fastest way (0.7 GB at 6M rows)."""
ROWS_PER_PART = 3_000_000
"""A larger file is split into parts of about this many rows, classified one at a time, so its
peak memory (0.6-0.8 GB) follows the part's size, not the file's."""
_CSV_BYTES_PER_ROW = 22  # a typical row, "00012345,odi,-14,41.5"; only the part count depends on it
Advance = Callable[[int], None]


_NUMBERS = ("days_after_surgery", "score")


def _judged(source: str, numbers: tuple[str, ...]) -> pl.LazyFrame:
    return judged_points(scan_table(source, POINT_COLUMNS, numbers))


def _points(source: str, numbers: tuple[str, ...]) -> list[pl.DataFrame]:
    judged = _judged(source, numbers)
    return pl.collect_all([usable(judged), rejected(judged)], engine="streaming")


def _unreadable(source: str, exc: pl.exceptions.PolarsError) -> Exit:
    detail = str(exc).strip().splitlines()[0]
    kind = "Parquet" if source.lower().endswith(".parquet") else "CSV"
    return fail(f"{source}: not a readable {kind} file ({detail})")


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
        raise _unreadable(source, exc) from exc
    return points, set_aside


@dataclass(frozen=True)
class SetAside:
    """The rows set aside: how many, and the first few (``row``, ``problem`` in words)."""

    rows: int
    first: pl.DataFrame


def part_count(source: str) -> int:
    """How many parts to classify ``source`` in: one up to IN_MEMORY_ROWS rows, else one per
    ROWS_PER_PART, the rows estimated from the file's size (CSV) or counted in its footer
    (Parquet). Standard input is read whole anyway, so it is one part."""
    if source == STDIN:
        return 1
    path = Path(source)
    try:
        if source.lower().endswith(".parquet"):
            rows = pl.scan_parquet(path).select(pl.len()).collect().item()
        else:
            rows = path.stat().st_size // _CSV_BYTES_PER_ROW
    except (OSError, pl.exceptions.PolarsError):
        return 1  # the read proper reports what is wrong with the file
    return 1 if rows <= IN_MEMORY_ROWS else -(-rows // ROWS_PER_PART)


def _in_memory(
    source: str, sink: BinaryIO, out: str | None, advance: Advance
) -> tuple[int, SetAside]:
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
    return result.height, SetAside(set_aside.height, set_aside.head(SHOWN))


def _split_and_classify(source: str, parts: int, folder: Path, advance: Advance) -> PartsResult:
    """``classify_parts`` on the typed read, or on the text read when a cell is not a number
    (as ``_read_points``)."""
    try:
        try:
            return classify_parts(_judged(source, _NUMBERS), parts, folder / "typed", advance)
        except pl.exceptions.ComputeError:
            shutil.rmtree(folder / "typed", ignore_errors=True)
            return classify_parts(_judged(source, ()), parts, folder / "text", advance)
    except pl.exceptions.PolarsError as exc:
        raise _unreadable(source, exc) from exc


def _in_parts(
    source: str, sink: BinaryIO, out: str | None, parts: int, advance: Advance
) -> tuple[int, SetAside]:
    with temporary_folder() as scratch:
        result = _split_and_classify(source, parts, Path(scratch), advance)
        statuses = (frame.select(OUTPUT_COLUMNS) for frame in result.statuses)
        if writes_csv(out):  # range by range, straight into the CSV
            write_csv_frames(statuses, source, out, sink, float_precision=2)
        else:
            ordered = spilled(statuses, Path(scratch) / "in_order")
            write_table(ordered, source, out, sink, float_precision=2)
        advance(1)
    words = pl.col("problem").replace_strict(dict(enumerate(PROBLEMS)), return_dtype=pl.String)
    first = result.first_rejected.with_columns(words)
    return result.patients, SetAside(result.rejected_rows, first)


def classify_csv(source: str, sink: BinaryIO, out: str | None = None) -> tuple[int, SetAside]:
    """Classify the CSV or Parquet file at ``source`` (``-`` = CSV on stdin), write the statuses
    to ``out`` (CSV or Parquet) or as CSV to ``sink``; returns the number of patients and the
    rows set aside.

    The file is read on the streaming engine straight into typed points (the text of the cells
    is never held whole). Classifying needs every point of a patient, so a file of more than
    IN_MEMORY_ROWS rows is split by patient into parts classified one at a time
    (see cli.outcome_parts): memory follows the part's size, not the file's."""
    parts = part_count(source)
    with progress("classifying patients", 3) as advance:
        if parts == 1:
            return _in_memory(source, sink, out, advance)
        return _in_parts(source, sink, out, parts, advance)


def _report(patients: int, set_aside: SetAside) -> None:
    stderr.print(f"classified {patients} patients", markup=False)
    if set_aside.rows == 0:
        return
    stderr.print(f"warning: {set_aside.rows} rows ignored", markup=False)
    for row, problem in set_aside.first.select("row", "problem").iter_rows():
        stderr.print(f"  data row {row + 1}: {problem}", markup=False)
    if set_aside.rows > SHOWN:
        stderr.print(f"  … and {set_aside.rows - SHOWN} more", markup=False)


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
