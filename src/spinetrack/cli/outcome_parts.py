"""Classifying a registry too large to hold whole: the points are split by a hash of the patient_id
into parts that each fit in memory, every part is classified on its own, and the parts' sorted
statuses are brought together range of ids by range into one output sorted by patient_id.

Classifying needs every point of a patient at once, so the in-memory path holds the whole file's
points (about 0.5 GB per million patients). Here one streaming pass writes each part to its own
temporary Parquet file, in input order (the counted response of a tie is the first given); every
patient lands in exactly one part, so a part's statuses are the whole file's statuses for its
patients, and peak memory follows the part's size, not the file's."""

import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from spinetrack.analytics.points import usable
from spinetrack.analytics.status import (
    NUMERIC_ORDER,
    PATIENT,
    classify_unsorted,
    numeric_ids,
    ordered_patients,
    patient_order,
)

_PART = "part"
_POINTS = "points"
_REJECTED = "rejected"
_SORTED = "sorted"
_IN_ORDER = "in_order"
SHOWN = 5
"""Rows set aside that are described one by one."""
_ROW_GROUP = 65_536
"""Rows per row group of the temporary files: a range of ids reads only the row groups it
overlaps, so smaller groups mean less read twice."""
BUCKET_ROWS = 1_000_000
"""Patients put in order at once when the parts' statuses are brought together (~0.1 GB)."""
_SAMPLES_PER_RANGE = 64


@dataclass(frozen=True)
class PartsResult:
    """What the partitioned path found: the statuses (lazy, sorted by patient_id, to be streamed
    into the output while the temporary folder still exists), how many patients and how many
    rows were set aside, and the first few of those (``row``, ``problem`` code)."""

    statuses: pl.LazyFrame
    patients: int
    rejected_rows: int
    first_rejected: pl.DataFrame


def split(judged: pl.LazyFrame, parts: int, folder: Path) -> None:
    """One streaming pass over ``judged`` (see analytics.points.judged_points) that writes the
    usable points and the rows set aside into ``parts`` sub-folders each, by patient hash."""
    part = (pl.col(PATIENT).hash() % parts).alias(_PART)
    sinks = []
    for name, rows in ((_POINTS, usable(judged)), (_REJECTED, _rejected_codes(judged))):
        target = pl.PartitionBy(
            folder / name, key=_PART, include_key=False, approximate_bytes_per_file=None
        )
        sinks.append(
            rows.with_columns(part).sink_parquet(
                target,
                compression="lz4",
                row_group_size=_ROW_GROUP,
                mkdir=True,
                lazy=True,
                engine="streaming",
            )
        )
    pl.collect_all(sinks, engine="streaming")


def _rejected_codes(judged: pl.LazyFrame) -> pl.LazyFrame:
    # The problem stays a small code on disk; the few rows shown get their words at the end.
    return judged.filter(pl.col("problem").is_not_null()).select("row", "problem", PATIENT)


def _read(folder: Path, empty: pl.Schema) -> pl.DataFrame:
    files = sorted(folder.glob("*.parquet")) if folder.is_dir() else []
    if not files:
        return pl.DataFrame(schema=empty)
    return pl.read_parquet(files)


@dataclass(frozen=True)
class _Part:
    file: Path
    patients: int
    numeric: bool


def _classify_part(name: str, folder: Path, point_schema: pl.Schema) -> _Part | None:
    """Classify one part and write its statuses sorted (as numbers when all its ids are)."""
    points = _read(folder / _POINTS / name, point_schema)
    ids = _read(folder / _REJECTED / name, pl.Schema({PATIENT: pl.String}))[PATIENT]
    others = ids.filter(ids.is_not_null() & (ids.str.strip_chars() != ""))
    if points.height == 0 and others.len() == 0:
        return None
    held = [points]
    del points  # classify_unsorted lets the points go once it has numbered them
    statuses = classify_unsorted(held, others)
    numeric = numeric_ids(statuses[PATIENT])
    file = folder / _SORTED / f"{name}.parquet"
    ordered = ordered_patients(statuses.lazy(), numeric).collect()
    ordered.write_parquet(file, compression="lz4", row_group_size=_ROW_GROUP)
    return _Part(file, statuses.height, numeric)


def _as_text_order(part: _Part) -> Path:
    """A part sorted by number, re-sorted as text (another part holds an id that is not one)."""
    table = pl.read_parquet(part.file).drop(NUMERIC_ORDER)
    ordered = ordered_patients(table.lazy(), numeric=False).collect()
    ordered.write_parquet(part.file, compression="lz4", row_group_size=_ROW_GROUP)
    return part.file


def _in_order(files: list[Path], numeric: bool, patients: int, folder: Path) -> pl.LazyFrame:
    """The sorted parts' rows in patient order, as a scan of files that are in order one after
    another (so writing it streams).

    The ids are cut into ranges of about BUCKET_ROWS patients at keys sampled from the sorted
    parts; each range is read from every part (the parts' row groups outside it are skipped by
    their statistics), sorted, and written to its own file. A streaming merge of the parts,
    tried first, held about a gigabyte at 10M patients."""
    key = NUMERIC_ORDER if numeric else PATIENT
    ranges = max(1, -(-patients // BUCKET_ROWS))
    step = max(1, patients // (ranges * _SAMPLES_PER_RANGE))
    sampled = pl.concat([pl.scan_parquet(file).select(key).gather_every(step) for file in files])
    keys = sampled.collect()[key].sort()
    cuts = sorted({keys[len(keys) * i // ranges] for i in range(1, ranges)})
    (folder / _IN_ORDER).mkdir()
    written = []
    for number, (low, high) in enumerate(zip([None, *cuts], [*cuts, None], strict=True)):
        inside = pl.lit(True)
        if low is not None:
            inside = inside & (pl.col(key) >= low)
        if high is not None:
            inside = inside & (pl.col(key) < high)
        rows = pl.scan_parquet(files).filter(inside).sort(patient_order(numeric)).collect()
        written.append(folder / _IN_ORDER / f"{number:06d}.parquet")
        rows.write_parquet(written[-1], compression="lz4", row_group_size=_ROW_GROUP)
    ordered = pl.scan_parquet(written)
    return ordered.drop(NUMERIC_ORDER) if numeric else ordered


def classify_parts(
    judged: pl.LazyFrame, parts: int, folder: Path, advance: Callable[[int], None]
) -> PartsResult:
    """Split ``judged`` into ``parts`` under ``folder``, classify each part, and return the
    statuses in patient order. ``folder`` must outlive the returned lazy frame's collection."""
    split(judged, parts, folder)
    advance(1)
    (folder / _SORTED).mkdir()
    point_schema = usable(judged).collect_schema()
    names = sorted(
        {entry.name for kind in (_POINTS, _REJECTED) for entry in (folder / kind).glob("*")}
    )
    done = [p for name in names if (p := _classify_part(name, folder, point_schema)) is not None]
    advance(1)
    numeric = all(part.numeric for part in done)
    files = [part.file if part.numeric == numeric else _as_text_order(part) for part in done]
    patients = sum(part.patients for part in done)
    if files:
        statuses = _in_order(files, numeric, patients, folder)
    else:
        statuses = classify_unsorted([pl.DataFrame(schema=point_schema)]).lazy()
    set_aside, first = _set_aside(judged, folder)
    return PartsResult(statuses, patients, set_aside, first)


def _set_aside(judged: pl.LazyFrame, folder: Path) -> tuple[int, pl.DataFrame]:
    """How many rows were set aside, and the first SHOWN of them by row."""
    files = sorted((folder / _REJECTED).glob("*/*.parquet"))
    if not files:
        schema = _rejected_codes(judged).select("row", "problem").collect_schema()
        return 0, pl.DataFrame(schema=schema)
    rows = pl.scan_parquet(files).select("row", "problem")
    counted, first = pl.collect_all([rows.select(pl.len()), rows.sort("row").head(SHOWN)])
    return counted.item(), first


def temporary_folder() -> tempfile.TemporaryDirectory[str]:
    """Where the parts go: the system's temporary folder, removed when the run ends."""
    return tempfile.TemporaryDirectory(prefix="spinetrack-outcomes-")
